extension ConfigurationValidator {
    /// Every VM: a unique name, its vCPUs, its cost overrides, its adapters (each checked in turn) and what its
    /// generation and Integration Services allow.
    mutating func checkVMs() {
        var names = Set<String>()
        for (i, vm) in config.vms.enumerated() {
            let at = "vms[\(i)]"
            checkName(vm.name, at: at, unique: &names, "VM")
            if vm.vcpus < 1 || vm.vcpus > 64 { add("\(at).vcpus", "must be in 1…64 (got \(vm.vcpus))") }
            if vm.adapters.isEmpty { add("\(at).adapters", "a VM needs at least one adapter") }
            if vm.adapters.filter({ $0.kind == .synthetic }).count > 8 {
                add("\(at).adapters", "Hyper-V allows at most 8 synthetic adapters per VM")
            }
            checkCostOverrides(vm.costOverrides, at: at)
            var adapterNames = Set<String>()
            for (j, a) in vm.adapters.enumerated() {
                let aat = "\(at).adapters[\(j)]"
                if !adapterNames.insert(a.name).inserted { add("\(aat).name", "duplicate adapter name '\(a.name)' in VM '\(vm.name)'") }
                checkAdapter(a, at: aat)
            }
            checkGuest(vm, at: at)
        }
    }

    /// A VM's generation and Integration Services against its adapters (docs/model.md, "Guest configuration"):
    /// - a generation 2 VM has no legacy network adapter: Microsoft, "Should I create a generation 1 or 2 virtual
    ///   machine in Hyper-V?" lists the legacy network adapter among the generation 1 devices only;
    /// - a synthetic adapter is driven by netvsc, one of the Integration Services' VSCs (Microsoft, "Manage Hyper-V
    ///   Integration Services"; Linux `hv_netvsc` binds to the VMBus network device): without them the guest has no
    ///   driver for it and it would carry nothing, so it is refused rather than modelled as present but dead;
    /// - Virtual Server's VMs are BIOS machines with emulated devices (generation 1 only); its Virtual Machine
    ///   Additions do not change the emulated 21140, so `integrationServices` is not used there.
    private mutating func checkGuest(_ vm: VMConfig, at: String) {
        if vm.generation != 1 && vm.generation != 2 {
            add("\(at).generation", "must be 1 or 2 (got \(vm.generation)); write generation: 1 or generation: 2")
            return
        }
        if config.host.platform == .virtualServer {
            if vm.generation == 2 {
                add(
                    "\(at).generation",
                    "Virtual Server's VMs are BIOS machines with emulated devices only (there is no generation 2); remove 'generation' or set generation: 1"
                )
            }
            return
        }
        for (j, a) in vm.adapters.enumerated() {
            let aat = "\(at).adapters[\(j)].kind"
            switch a.kind {
            case .emulated where vm.generation == 2:
                add(
                    aat,
                    "a generation 2 VM has no legacy network adapter (Hyper-V offers it on generation 1 only); "
                        + (vm.integrationServices
                            ? "use type: synthetic or generation: 1"
                            : "use generation: 1 (a generation 2 VM without integration services has no network adapter it can drive)"))
            case .synthetic where !vm.integrationServices:
                add(
                    aat,
                    "a synthetic adapter needs the guest's Integration Services (their netvsc driver), and this VM has none, so it would carry nothing; "
                        + (vm.generation == 2
                            ? "use integration_services: true (a generation 2 VM has no legacy adapter to fall back on)"
                            : "use type: emulated (the emulated 21140 needs no integration services) or integration_services: true"))
            default: break
            }
        }
    }

    /// One adapter: its switch (existing, and for an external switch an MTU the NIC carries), VLAN, offloads,
    /// queue and cost overrides, then what its kind needs.
    private mutating func checkAdapter(_ a: AdapterConfig, at aat: String) {
        if let sw = switchConfig(named: a.switch) {
            if case .external(let nicName) = sw.kind, let nic = nic(named: nicName), a.offloads.mtu > nic.mtu {
                add(
                    "\(aat).offloads.mtu",
                    "MTU \(a.offloads.mtu) exceeds the MTU \(nic.mtu) of NIC '\(nicName)'; enable jumbo frames on the NIC or lower it"
                )
            }
        } else {
            add("\(aat).switch", "no switch named '\(a.switch)' (switches: \(config.switches.map(\.name)))")
        }
        if a.vlan > 4094 { add("\(aat).vlan", "VLAN ids are 0…4094") }
        if a.offloads.mtu < 576 || a.offloads.mtu > 9216 { add("\(aat).offloads.mtu", "must be in 576…9216") }
        if a.offloads.lsoMaxBytes < a.offloads.mtu || a.offloads.lsoMaxBytes > 65_535 {
            add("\(aat).offloads.lso_max_bytes", "must be in MTU…65535")
        }
        if a.txQueuePackets < 1 { add("\(aat).tx_queue", "must be ≥ 1") }
        checkCostOverrides(a.costOverrides, at: aat)
        if a.sriov { checkSRIOV(a, at: aat) }
        switch a.kind {
        case .synthetic: checkSynthetic(a, at: aat)
        case .emulated: checkEmulated(a, at: aat)
        }
    }

    /// A synthetic (netvsc) adapter: its VMBus ring, descriptors, batching, channels and send section.
    private mutating func checkSynthetic(_ a: AdapterConfig, at aat: String) {
        if a.ringBytes < 8 * 1024 || a.ringBytes % 4096 != 0 {
            add("\(aat).ring_bytes", "must be a multiple of 4 KiB and ≥ 8 KiB (one header page + data), got \(a.ringBytes)")
        }
        if a.descriptorBytes < 16 || a.descriptorBytes % 8 != 0 {
            add("\(aat).descriptor_bytes", "must be a multiple of 8 and ≥ 16 (VMBus lengths are in 8-byte units)")
        } else if a.ringBytes - 4096 <= a.descriptorBytes {
            add("\(aat).ring_bytes", "ring too small for one descriptor")
        }
        if a.batchPackets < 1 { add("\(aat).batch_packets", "must be ≥ 1") }
        if let n = a.channels, n < 1 || n > 64 { add("\(aat).channels", "must be in 1…64 (VRSS_CHANNEL_MAX)") }
        if a.sendSectionBytes < 0 { add("\(aat).send_section_bytes", "must be ≥ 0") }
    }

    /// An adapter with an SR-IOV virtual function: a synthetic adapter (the VF is an addition to the vmNIC, the
    /// synthetic path its fallback, MODEL-REFERENCE §1.3 NVSP v4) on an external switch whose NIC offers VFs
    /// (`sriov: true`); a Hyper-V host (Virtual Server has no SR-IOV).
    private mutating func checkSRIOV(_ a: AdapterConfig, at aat: String) {
        let at = "\(aat).sriov"
        if config.host.platform == .virtualServer {
            add(at, "Virtual Server has no SR-IOV (its VMs have the emulated 21140 only); remove sriov or set host.platform: hyperv")
            return
        }
        if a.kind != .synthetic {
            add(
                at,
                "only a synthetic adapter can have an SR-IOV virtual function (the legacy adapter has none); use type: synthetic or remove sriov"
            )
            return
        }
        guard let sw = switchConfig(named: a.switch) else { return }  // reported at .switch
        guard case .external(let nicName) = sw.kind else {
            add(
                at,
                "an SR-IOV virtual function needs an external switch (a VF is a function of its physical NIC), and '\(a.switch)' is not one; connect the adapter to an external switch or remove sriov"
            )
            return
        }
        if let nic = nic(named: nicName), !nic.sriov {
            add(at, "NIC '\(nicName)' of switch '\(a.switch)' offers no virtual functions; set sriov: true on the NIC or remove sriov here")
        }
    }

    /// An emulated DEC 21140: no VLAN tags, no jumbo frames, and its register accesses, interrupts and rings.
    private mutating func checkEmulated(_ a: AdapterConfig, at aat: String) {
        let e = a.emulated
        if a.vlan != 0 { add("\(aat).vlan", "the emulated DEC 21140 does not support VLAN tags; use a synthetic adapter") }
        if a.offloads.mtu > 1500 { add("\(aat).offloads.mtu", "the emulated DEC 21140 has no jumbo frames (MTU ≤ 1500)") }
        if e.txAccessesPerPacket < 0 { add("\(aat).emulated.tx_accesses_per_packet", "must be ≥ 0") }
        if e.txInterruptEvery < 1 { add("\(aat).emulated.tx_interrupt_every", "must be ≥ 1") }
        if e.accessesPerInterrupt < 0 { add("\(aat).emulated.accesses_per_interrupt", "must be ≥ 0") }
        if e.txRing < 1 { add("\(aat).emulated.tx_ring", "must be ≥ 1") }
        if e.rxRing < 1 { add("\(aat).emulated.rx_ring", "must be ≥ 1") }
    }
}
