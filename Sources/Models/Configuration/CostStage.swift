import SimCore

/// Every stage of the packet path that costs CPU: the one declaration of the stages.
///
/// The raw value is the stage's dense index (0, 1, 2, … in declaration order), used directly by the model's
/// flat accounting arrays (`stageCycles[server * CostStage.count + stage]`) and compiled cost tables. Everything
/// else a stage has — its YAML and metric name, its default cost and that cost's source, the component and
/// domain its cycles are reported under, the core it is charged to and a one-line meaning — is in
/// ``info``, written once per case in `CostStage.declaration`, an exhaustive `switch`: a case added here
/// without its entry does not compile. From ``table`` come the default `CostProfile`, the scenario keys a
/// profile or `costs:` mapping accepts, the reference tables of docs/scenarios.md, the per-component and
/// per-domain split of the report and its cost-input rows.
///
/// The declaration order is the order of every report row that lists stages (costs.csv, summary.md,
/// summary.json): change it and the golden results change.
public enum CostStage: UInt8, Sendable, CaseIterable, Comparable {
    case guestStackTx
    case guestStackRx
    case checksum
    case vscTx
    case vscRx
    case vscCopy
    case ringWrite
    case ringRead
    case signalGuest
    case signalRootWake
    case interruptInjection
    case vspTx
    case vspTxCopy
    case vspRx
    case vSwitch
    case softwareSegmentation
    case nicDriverTx
    case nicDriverRx
    case emulatedAccessWorker
    case emulatedAccessKernel
    case emulatedDeviceModel
    case emulatedInterruptInjection
    case workerWakeup
    case hostStackTx
    case hostStackRx
    case vmmHostSwitch
    case hubForward
    case dhcpServer
    case vscSendCompletion
    case receiveBufferRepost
    case nicISR
    case nicDPC
    case workerSwitchHandoff
    case vspDPC
    case vfDriverTx
    case vfDriverRx
    case vfInterrupt
    case vSwitchRSC

    /// How many stages there are: the length of every per-stage array.
    public static let count = allCases.count

    /// Declaration order (the dense index).
    public static func < (a: CostStage, b: CostStage) -> Bool { a.rawValue < b.rawValue }

    /// Whether a host of `platform` has this stage: Virtual Server has no VMBus, VSPs, vSwitch, worker process or
    /// management-OS vNIC; Hyper-V no hosted VMM, hub or network DHCP server. Cost inputs list the platform's stages.
    public func applies(to platform: HostPlatform) -> Bool {
        switch self {
        case .vmmHostSwitch, .hubForward, .dhcpServer: return platform == .virtualServer
        case .vscTx, .vscRx, .vscCopy, .ringWrite, .ringRead, .signalGuest, .signalRootWake, .interruptInjection, .vspTx,
            .vspTxCopy, .vspRx, .vSwitch, .softwareSegmentation, .emulatedAccessWorker, .workerWakeup, .hostStackTx, .hostStackRx,
            .vscSendCompletion, .receiveBufferRepost, .workerSwitchHandoff, .vspDPC, .vfDriverTx, .vfDriverRx, .vfInterrupt,
            .vSwitchRSC:
            return platform == .hyperV
        case .guestStackTx, .guestStackRx, .checksum, .nicDriverTx, .nicDriverRx, .emulatedAccessKernel, .emulatedDeviceModel,
            .emulatedInterruptInjection, .nicISR, .nicDPC:
            return true
        }
    }
}

/// Where a stage's cycles run, for the three-way split of host overhead (MODEL-REFERENCE §1.1).
public enum StageDomain: String, Sendable, CaseIterable {
    /// Partition work: it counts as root or guest time by the core it is charged to.
    case partition
    /// Hypervisor work (exits, hypercalls, injections): hypervisor time, whatever core it is charged to.
    case hypervisor
}

/// The kind of core a stage is charged to.
public enum StageCore: String, Sendable, CaseIterable {
    /// The VM's vCPU (the guest's own work, or the hypervisor's on its behalf).
    case vcpu
    /// A root-partition core (VSPs, vSwitch, NIC driver, worker process, the management OS's stack).
    case root
    /// The core of whichever side does it (a ring is written and read by both the guest and the root).
    case either
}

extension CostStage {
    /// Everything declared about one stage.
    public struct Info: Sendable, Equatable {
        /// The snake_case name used as the YAML key (profiles, `costs:`) and as the `stage` of cost inputs.
        public var name: String
        /// One line: what the stage does and what it is charged per (docs/scenarios.md, "Cost stages"); the numbers
        /// are in `defaultCost` only.
        public var summary: String
        /// The built-in (`default` profile) cost, with its source row of MODEL-REFERENCE.md.
        public var defaultCost: CostModel
        /// Root/guest or hypervisor time.
        public var domain: StageDomain
        /// The report's component (`component` rows, e.g. "vsp") this stage's cycles are summed under.
        public var component: String
        /// The kind of core the model charges the stage to.
        public var core: StageCore
        /// The cost in the Virtual Server 2005 profile (`CostProfile(platform: .virtualServer)`) when it differs from
        /// `defaultCost`, with its source.
        public var virtualServerCost: CostModel? = nil
    }

    /// Everything declared about this stage (`CostStage.table[rawValue]`).
    public var info: Info { Self.table[Int(rawValue)] }
    /// The YAML and metric name, e.g. "vsp_rx".
    public var name: String { info.name }
    /// The component the report sums this stage under, e.g. "vsp".
    public var component: String { info.component }
    /// Whether the stage is hypervisor time (exits, hypercalls, injections), whatever core it is charged to.
    ///
    /// - Complexity: O(1), one load; no string work.
    @inlinable public var isHypervisor: Bool { Self.hypervisorFlags[Int(rawValue)] }

    /// Every stage's `Info`, indexed by the stage's raw value.
    public static let table: [Info] = allCases.map(\.declaration)
    /// `isHypervisor` by raw value, so the accounting loops read a `Bool`, not an `Info`.
    @usableFromInline static let hypervisorFlags: [Bool] = table.map { $0.domain == .hypervisor }
    /// The stages that are hypervisor time, in declaration order.
    public static let hypervisorStages: [CostStage] = allCases.filter(\.isHypervisor)
    private static let byName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// The stage named `name` (its YAML key), or nil.
    public init?(name: String) {
        guard let s = Self.byName[name] else { return nil }
        self = s
    }

    /// The declaration: one entry per case, defaults normalised to a 3.0 GHz x86 core (MODEL-REFERENCE.md §5).
    private var declaration: Info {
        func stage(
            _ name: String, _ component: String, _ domain: StageDomain, _ core: StageCore, _ cost: CostModel, _ summary: String,
            virtualServer: CostModel? = nil
        ) -> Info {
            Info(
                name: name, summary: summary, defaultCost: cost, domain: domain, component: component, core: core,
                virtualServerCost: virtualServer)
        }
        switch self {
        case .guestStackTx:
            return stage(
                "guest_stack_tx", "guest_stack", .partition, .vcpu,
                CostModel(fixed: 2_500, perByte: 0.5, source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, TX' (rows 30, 32, 33, 34)"),
                "Guest TCP/IP stack, transmit: per packet, plus the copy per byte.")
        case .guestStackRx:
            return stage(
                "guest_stack_rx", "guest_stack", .partition, .vcpu,
                CostModel(fixed: 3_000, perByte: 0.5, source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, RX' (row 30)"),
                "Guest TCP/IP stack, receive: per packet, plus the copy to user space per byte.")
        case .checksum:
            return stage(
                "checksum", "checksum", .partition, .vcpu,
                CostModel(
                    fixed: 0, perByte: 0.5,
                    source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, TX' (+0.5 cyc/B if checksum is not offloaded)"),
                "Software checksum when the adapter's checksum offload is off, per byte, on transmit and receive.")
        case .vscTx:
            return stage(
                "vsc_tx", "vsc", .partition, .vcpu,
                CostModel(fixed: 600, source: "MODEL-REFERENCE §5 'VSC (NetVSC) per pkt' (row 30, §1.3)"),
                "NetVSC transmit per packet (RNDIS/PPI formatting, the ring write path).")
        case .vscRx:
            return stage(
                "vsc_rx", "vsc", .partition, .vcpu,
                CostModel(fixed: 600, source: "MODEL-REFERENCE §5 'VSC (NetVSC) per pkt' (row 30, §1.3); same as TX [assumption]"),
                "NetVSC receive per packet.")
        case .vscCopy:
            return stage(
                "vsc_copy", "vsc", .partition, .vcpu,
                CostModel(
                    fixed: 0, perByte: 0.3,
                    source:
                        "MODEL-REFERENCE §5 'VSC (NetVSC) per pkt' (+0.3 cyc/B if frame ≤ 6,144 B), §1.3 NETVSC_SEND_SECTION_SIZE"),
                "NetVSC copy into a send-buffer section, per byte, for frames up to the section size.")
        case .ringWrite:
            return stage(
                "ring_write", "ring_copy", .partition, .either,
                CostModel(fixed: 150, perByte: 1.0, source: "MODEL-REFERENCE §5 'VMBus ring write/read' (§1.2)"),
                "VMBus ring write: per packet, plus per byte of the descriptor copied, on the writer's core.")
        case .ringRead:
            return stage(
                "ring_read", "ring_copy", .partition, .either,
                CostModel(fixed: 150, perByte: 1.0, source: "MODEL-REFERENCE §5 'VMBus ring write/read' (§1.2)"),
                "VMBus ring read: per packet, plus per byte of the descriptor, on the reader's core.")
        case .signalGuest:
            return stage(
                "signal_guest", "signal", .hypervisor, .vcpu,
                CostModel(fixed: 1_500, source: "MODEL-REFERENCE §5 'VMBus signal guest→host' (rows 24, 25, 28)"),
                "Guest→host signal (HvSignalEvent fast hypercall), in the hypervisor.")
        case .signalRootWake:
            return stage(
                "signal_root_wake", "signal", .partition, .root,
                CostModel(fixed: 1_000, source: "MODEL-REFERENCE §5 'VMBus signal guest→host' (1,000 cyc in root)"),
                "Root-side wake-up of the VSP after a signal, on the VSP's core.")
        case .interruptInjection:
            return stage(
                "interrupt_injection", "interrupt_injection", .hypervisor, .vcpu,
                CostModel(fixed: 2_500, source: "MODEL-REFERENCE §5 'Host→guest interrupt (SynIC SINT) injection' (row 28)"),
                "Host→guest SynIC interrupt (the injection and the guest's EOI exit), in the hypervisor.")
        case .vspTx:
            return stage(
                "vsp_tx", "vsp", .partition, .root,
                CostModel(fixed: 2_500, source: "MODEL-REFERENCE §5 'VSP (NetVSP) per pkt'"),
                "NetVSP transmit (guest→wire) per packet.")
        case .vspTxCopy:
            return stage(
                "vsp_tx_copy", "vsp", .partition, .root,
                CostModel(
                    fixed: 0, perByte: 0.3, source: "MODEL-REFERENCE §5 'VSP (NetVSP) per pkt' (0.3 cyc/B on TX copy-path sections)"),
                "NetVSP copy of copy-path (send-section) frames, per byte.")
        case .vspRx:
            return stage(
                "vsp_rx", "vsp", .partition, .root,
                CostModel(
                    fixed: 2_500, perByte: 1.0,
                    source: "MODEL-REFERENCE §5 'VSP (NetVSP) per pkt' (1.0 cyc/B host copy into the guest receive buffer)"),
                "NetVSP receive: per packet, plus the copy into the guest's receive buffer per byte.")
        case .vSwitch:
            return stage(
                "vswitch", "vswitch", .partition, .root,
                CostModel(fixed: 2_500, source: "MODEL-REFERENCE §5 'Hyper-V vSwitch per pkt' (row 30)"),
                "Hyper-V extensible switch per packet (L2 lookup, VLAN, ACL/QoS).")
        case .softwareSegmentation:
            return stage(
                "software_segmentation", "vswitch", .partition, .root,
                CostModel(
                    fixed: 1_000,
                    source: "MODEL-REFERENCE §5 'Hyper-V vSwitch per pkt' (+1,000 when segmentation is done in software)"),
                "Software segmentation of a large send when the physical NIC cannot do LSO.")
        case .nicDriverTx:
            return stage(
                "nic_driver_tx", "nic_driver", .partition, .root,
                CostModel(fixed: 800, source: "MODEL-REFERENCE §5 'Physical NIC driver (root)' TX (row 30)"),
                "Physical NIC driver, transmit, per packet (TX-completion interrupts coalesced).")
        case .nicDriverRx:
            return stage(
                "nic_driver_rx", "nic_driver", .partition, .root,
                CostModel(fixed: 1_000, source: "MODEL-REFERENCE §5 'Physical NIC driver (root)' RX (row 30)"),
                "Physical NIC driver, receive, per packet, on the VMQ queue's core.")
        case .emulatedAccessWorker:
            return stage(
                "emulated_access_worker", "emulated_register_access", .partition, .root,
                CostModel(
                    fixed: 15_000,
                    source: "MODEL-REFERENCE §5 'Emulated NIC: trapped I/O access served in vmwp.exe' (rows 26, 28) [analog]"),
                "One trapped register access of the emulated NIC served by the worker process (vmwp.exe); the vCPU stalls meanwhile."
            )
        case .emulatedAccessKernel:
            return stage(
                "emulated_access_kernel", "emulated_register_access", .hypervisor, .vcpu,
                CostModel(
                    fixed: 2_000,
                    source: "MODEL-REFERENCE §5 'Emulated NIC: access handled without leaving hypervisor/kernel' (rows 24, 25, 27)"),
                "One emulated register access handled without leaving the hypervisor (on Virtual Server: in its VMM).")
        case .emulatedDeviceModel:
            return stage(
                "emulated_device_model", "device_model", .partition, .root,
                CostModel(fixed: 2_000, perByte: 1.0, source: "MODEL-REFERENCE §5 'Emulated NIC device model' (row 27)"),
                "Emulated 21140 device model in the worker process: the descriptor walk per packet, the frame copy per byte.")
        case .emulatedInterruptInjection:
            return stage(
                "emulated_interrupt_injection", "emulated_interrupt_injection", .hypervisor, .vcpu,
                CostModel(fixed: 4_000, source: "MODEL-REFERENCE §5 'Emulated NIC interrupt injection' (row 28)"),
                "Emulated interrupt injection (virtual PIC/IOAPIC line), in the hypervisor; the EOI is counted as an access.")
        case .workerWakeup:
            return stage(
                "worker_wakeup", "worker_process", .partition, .root,
                CostModel(fixed: 0, source: "MODEL-REFERENCE row 26 (included in emulated_access_worker)"),
                "Extra wake-up of the worker process per burst of accesses (by default inside `emulated_access_worker`).")
        case .hostStackTx:
            return stage(
                "host_stack_tx", "host_stack", .partition, .root,
                CostModel(
                    fixed: 2_500, perByte: 0.5,
                    source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, TX' (same OS stack in the root) [assumption]"),
                "Management-OS (host vNIC) stack, transmit: per packet, plus per byte.")
        case .hostStackRx:
            return stage(
                "host_stack_rx", "host_stack", .partition, .root,
                CostModel(
                    fixed: 3_000, perByte: 0.5,
                    source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, RX' (same OS stack in the root) [assumption]"),
                "Management-OS (host vNIC) stack, receive: per packet, plus per byte.")
        case .vmmHostSwitch:
            return stage(
                "vmm_host_switch", "vmm_host_switch", .partition, .root,
                CostModel(fixed: 0, source: "MODEL-REFERENCE §2: Virtual Server only (Hyper-V has no hosted VMM)"),
                "Virtual Server: the VMM's world switch to the host and the Virtual Server service's hand-off of one frame, per frame each way, on the host core serving the VM.",
                virtualServer: CostModel(
                    fixed: 14_400,
                    source:
                        "MODEL-REFERENCE row 27: VMware Workstation's transmit via the host VMNet, 22.7 µs/pkt at 733 MHz (16,600 cyc) less its 3.0 µs Lance emulation (2,200 cyc) [analog]; row 26 (≈21 K cyc to host user space and back)"
                ))
        case .hubForward:
            return stage(
                "hub_forward", "hub", .partition, .root,
                CostModel(fixed: 0, source: "MODEL-REFERENCE §2: Virtual Server only (Hyper-V's switch is `vswitch`)"),
                "Virtual Server network (switching hub): the forwarding decision and hand-off of one frame, on the host core.",
                virtualServer: CostModel(
                    fixed: 2_500,
                    source: "MODEL-REFERENCE §5 'Hyper-V vSwitch per pkt' (row 30: an L2 bridge's lookup and hand-off) [analog]"))
        case .dhcpServer:
            return stage(
                "dhcp_server", "dhcp_server", .partition, .root,
                CostModel(fixed: 0, source: "MODEL-REFERENCE §2: Virtual Server only"),
                "Virtual Server network's DHCP server: one message received, its lease looked up and a reply built, on the host core.",
                virtualServer: CostModel(
                    fixed: 5_500,
                    source:
                        "[assumption] a host-stack receive and transmit of one small message (MODEL-REFERENCE §5 stack RX 3,000 + TX 2,500)"
                ))
        case .vscSendCompletion:
            return stage(
                "vsc_send_completion", "vsc", .partition, .vcpu,
                CostModel(
                    fixed: 300,
                    source:
                        "[assumption] Linux netvsc_send_completion (frees the message's packets, wakes the queue): a lean driver path, MODEL-REFERENCE §5 'VSC (NetVSC) per pkt' (row 30: 150–300 cyc)"
                ),
                "NetVSC's handling of one send completion (VM_PKT_COMP) from NetVSP: frees the message's packets and their socket space, per completion; its ring read is `ring_read`."
            )
        case .receiveBufferRepost:
            return stage(
                "receive_buffer_repost", "vsp", .partition, .root,
                CostModel(
                    fixed: 100,
                    source:
                        "[assumption] NetVSP returns a receive-buffer section to its free list when the guest completes it (MODEL-REFERENCE §1.3: XFER_PAGES sections, completions batched by multi_recv_comp); a list push, a fraction of the lean driver path of §5 row 30"
                ),
                "NetVSP re-posting one receive-buffer section the guest completed (the completion's ring read is `ring_read`), per received packet, on the VSP's core."
            )
        case .nicISR:
            return stage(
                "nic_isr", "nic_interrupt", .partition, .root,
                CostModel(
                    fixed: 2_000,
                    source:
                        "[assumption] interrupt entry and exit, the miniport's ISR and the EOI, of the order of an interrupt-controller round trip (MODEL-REFERENCE row 28: ≈2,400 cycles)"
                ),
                "Physical NIC receive interrupt: entry, the miniport ISR and EOI, per interrupt, on the core that takes it (the receive queue's)."
            )
        case .nicDPC:
            return stage(
                "nic_dpc", "nic_interrupt", .partition, .root,
                CostModel(
                    fixed: 1_000,
                    source:
                        "[assumption] queueing and dispatching the receive DPC the ISR requests (NDIS MiniportInterruptDPC), per interrupt: half the ISR's round trip (MODEL-REFERENCE row 28)"
                ),
                "Dispatch of the receive DPC the ISR queues, per interrupt, on the receive queue's core; the DPC's per-frame work is `nic_driver_rx`."
            )
        case .workerSwitchHandoff:
            return stage(
                "worker_switch_handoff", "worker_process", .partition, .root,
                CostModel(
                    fixed: 1_500, perByte: 1.0,
                    source:
                        "MODEL-REFERENCE row 26 (a system call ≈408 ns ≈ 1,500 cycles: the user→kernel transition) and §5 'VSP per pkt' (1.0 cyc/B copy across the boundary); the VMware Workstation VMNet hop of row 27 is the same hand-off [analog]"
                ),
                "Hand-off of one frame between the legacy adapter's worker process (user mode) and the kernel-mode vSwitch, per frame each way, on the worker's core."
            )
        case .vspDPC:
            return stage(
                "vsp_dpc", "vsp", .partition, .root,
                CostModel(
                    fixed: 1_000,
                    source:
                        "[assumption] queueing and dispatching one NetVSP drain DPC (after a signal, or when a DPC that hit its packet quota or cycle budget re-checks the ring and finds packets: MODEL-REFERENCE §1.2 vmbkmcl.sys), the same DPC-dispatch analog as `nic_dpc`: half an interrupt-controller round trip (row 28)"
                ),
                "Dispatch of one NetVSP drain DPC of a send ring, per DPC, on the VSP's core; the DPC's per-packet work is `ring_read`, `vsp_tx` and the switch path's."
            )
        case .vfDriverTx:
            return stage(
                "vf_driver_tx", "vf_driver", .partition, .vcpu,
                CostModel(
                    fixed: 800,
                    source: "MODEL-REFERENCE §5 'Physical NIC driver (root)' TX (row 30): the guest's VF driver is a NIC driver [analog]"),
                "SR-IOV: the guest's virtual-function driver, transmit, per packet, on the vCPU (the frame goes straight to the NIC)."
            )
        case .vfDriverRx:
            return stage(
                "vf_driver_rx", "vf_driver", .partition, .vcpu,
                CostModel(
                    fixed: 1_000,
                    source: "MODEL-REFERENCE §5 'Physical NIC driver (root)' RX (row 30): the guest's VF driver is a NIC driver [analog]"),
                "SR-IOV: the guest's virtual-function driver, receive, per frame of its interrupt's pass, on the vCPU."
            )
        case .vfInterrupt:
            return stage(
                "vf_interrupt", "vf_interrupt", .hypervisor, .vcpu,
                CostModel(
                    fixed: 1_500,
                    source:
                        "MODEL-REFERENCE row 28 (virtual IRQ completion ≈1,556 cycles, KVM) [R]; posted interrupts would make it less"
                ),
                "SR-IOV: the hypervisor's delivery of one VF receive interrupt (MSI-X remapped to the vCPU) and its completion, per interrupt."
            )
        case .vSwitchRSC:
            return stage(
                "vswitch_rsc", "vswitch", .partition, .root,
                CostModel(
                    fixed: 1_000,
                    source:
                        "MODEL-REFERENCE §5 'Hyper-V vSwitch per pkt' (+1,000 when RSC is done in software), charged per segment merged (assumption)"
                ),
                "RSC in the vSwitch: checking a TCP segment against the coalesced packet before it and merging it in, per segment merged.")
        }
    }
}
