import SimCore

/// Every stage of the packet path that costs CPU, as a name a scenario can override.
///
/// The raw value is the snake_case name used in YAML and in the per-component metrics.
public enum CostStage: String, Sendable, CaseIterable, Comparable, Codable {
    case guestStackTx = "guest_stack_tx"
    case guestStackRx = "guest_stack_rx"
    case checksum
    case vscTx = "vsc_tx"
    case vscRx = "vsc_rx"
    case vscCopy = "vsc_copy"
    case ringWrite = "ring_write"
    case ringRead = "ring_read"
    case signalGuest = "signal_guest"
    case signalRootWake = "signal_root_wake"
    case interruptInjection = "interrupt_injection"
    case vspTx = "vsp_tx"
    case vspTxCopy = "vsp_tx_copy"
    case vspRx = "vsp_rx"
    case vSwitch = "vswitch"
    case softwareSegmentation = "software_segmentation"
    case nicDriverTx = "nic_driver_tx"
    case nicDriverRx = "nic_driver_rx"
    case emulatedAccessWorker = "emulated_access_worker"
    case emulatedAccessKernel = "emulated_access_kernel"
    case emulatedDeviceModel = "emulated_device_model"
    case emulatedInterruptInjection = "emulated_interrupt_injection"
    case workerWakeup = "worker_wakeup"
    case hostStackTx = "host_stack_tx"
    case hostStackRx = "host_stack_rx"

    public static func < (a: CostStage, b: CostStage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The per-stage CPU costs of a host (defaults normalised to a 3.0 GHz x86 core,
/// MODEL-REFERENCE.md §5). Overridable per host, per VM and per adapter.
public struct CostProfile: Sendable, Equatable {
    /// Guest TCP/IP stack, transmit: 2,500 cyc/pkt + 0.5 cyc/B (copy). Charged to the guest vCPU.
    public var guestStackTx = CostModel(
        fixed: 2_500, perByte: 0.5,
        source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, TX' (rows 30, 32, 33, 34)")
    /// Guest TCP/IP stack, receive: 3,000 cyc/pkt + 0.5 cyc/B (copy to user). Guest vCPU.
    public var guestStackRx = CostModel(
        fixed: 3_000, perByte: 0.5,
        source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, RX' (row 30)")
    /// Software checksum when checksum offload is off: 0.5 cyc/B, on TX and RX. Guest vCPU (or root for the host vNIC).
    public var checksum = CostModel(
        fixed: 0, perByte: 0.5,
        source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, TX' (+0.5 cyc/B if checksum is not offloaded)")
    /// NetVSC transmit per packet: 600 cyc (RNDIS/PPI formatting, ring write path). Guest vCPU.
    public var vscTx = CostModel(
        fixed: 600,
        source: "MODEL-REFERENCE §5 'VSC (NetVSC) per pkt' (row 30, §1.3)")
    /// NetVSC receive per packet: 600 cyc. Guest vCPU.
    public var vscRx = CostModel(
        fixed: 600,
        source: "MODEL-REFERENCE §5 'VSC (NetVSC) per pkt' (row 30, §1.3); same as TX [assumption]")
    /// NetVSC copy into a send-buffer section, frames ≤ the section size (6,144 B): 0.3 cyc/B. Guest vCPU.
    public var vscCopy = CostModel(
        fixed: 0, perByte: 0.3,
        source: "MODEL-REFERENCE §5 'VSC (NetVSC) per pkt' (+0.3 cyc/B if frame ≤ 6,144 B), §1.3 NETVSC_SEND_SECTION_SIZE")
    /// VMBus ring write: 150 cyc/pkt + 1 cyc/B of the descriptor copied. Charged to the writer's core.
    public var ringWrite = CostModel(
        fixed: 150, perByte: 1.0,
        source: "MODEL-REFERENCE §5 'VMBus ring write/read' (§1.2)")
    /// VMBus ring read: 150 cyc/pkt + 1 cyc/B of the descriptor. Charged to the reader's core.
    public var ringRead = CostModel(
        fixed: 150, perByte: 1.0,
        source: "MODEL-REFERENCE §5 'VMBus ring write/read' (§1.2)")
    /// Guest→host signal (HvSignalEvent fast hypercall): 1,500 cyc of hypervisor time on the guest vCPU.
    public var signalGuest = CostModel(
        fixed: 1_500,
        source: "MODEL-REFERENCE §5 'VMBus signal guest→host' (rows 24, 25, 28)")
    /// Root-side wake-up of the VSP/DPC after a signal: 1,000 cyc on the VSP's root core.
    public var signalRootWake = CostModel(
        fixed: 1_000,
        source: "MODEL-REFERENCE §5 'VMBus signal guest→host' (1,000 cyc in root)")
    /// Host→guest SynIC interrupt (injection + guest EOI exit): 2,500 cyc of hypervisor time on the guest vCPU.
    public var interruptInjection = CostModel(
        fixed: 2_500,
        source: "MODEL-REFERENCE §5 'Host→guest interrupt (SynIC SINT) injection' (row 28)")
    /// NetVSP transmit (guest→wire) per packet: 2,500 cyc. Root core.
    public var vspTx = CostModel(
        fixed: 2_500,
        source: "MODEL-REFERENCE §5 'VSP (NetVSP) per pkt'")
    /// NetVSP copy of copy-path (send-section) frames: 0.3 cyc/B. Root core.
    public var vspTxCopy = CostModel(
        fixed: 0, perByte: 0.3,
        source: "MODEL-REFERENCE §5 'VSP (NetVSP) per pkt' (0.3 cyc/B on TX copy-path sections)")
    /// NetVSP receive: 2,500 cyc/pkt + 1.0 cyc/B copy into the guest receive buffer. Root core.
    public var vspRx = CostModel(
        fixed: 2_500, perByte: 1.0,
        source: "MODEL-REFERENCE §5 'VSP (NetVSP) per pkt' (1.0 cyc/B host copy into the guest receive buffer)")
    /// Hyper-V extensible switch per packet (L2 lookup, VLAN, ACL/QoS): 2,500 cyc. Root core.
    public var vSwitch = CostModel(
        fixed: 2_500,
        source: "MODEL-REFERENCE §5 'Hyper-V vSwitch per pkt' (row 30)")
    /// Software segmentation of a large send when the pNIC cannot do LSO: 1,000 cyc. Root core.
    public var softwareSegmentation = CostModel(
        fixed: 1_000,
        source: "MODEL-REFERENCE §5 'Hyper-V vSwitch per pkt' (+1,000 when segmentation is done in software)")
    /// Physical NIC driver, transmit: 800 cyc/pkt (TX-completion interrupts coalesced). Root core.
    public var nicDriverTx = CostModel(
        fixed: 800,
        source: "MODEL-REFERENCE §5 'Physical NIC driver (root)' TX (row 30)")
    /// Physical NIC driver, receive: 1,000 cyc/pkt. The VMQ queue's root core.
    public var nicDriverRx = CostModel(
        fixed: 1_000,
        source: "MODEL-REFERENCE §5 'Physical NIC driver (root)' RX (row 30)")
    /// One trapped register access of the emulated NIC served by the VM worker process (vmwp.exe): 15,000 cyc. Root core; the vCPU stalls meanwhile.
    public var emulatedAccessWorker = CostModel(
        fixed: 15_000,
        source: "MODEL-REFERENCE §5 'Emulated NIC: trapped I/O access served in vmwp.exe' (rows 26, 28) [analog]")
    /// One emulated register access handled without leaving the hypervisor: 2,000 cyc of hypervisor time.
    public var emulatedAccessKernel = CostModel(
        fixed: 2_000,
        source: "MODEL-REFERENCE §5 'Emulated NIC: access handled without leaving hypervisor/kernel' (rows 24, 25, 27)")
    /// Emulated 21140 device model (descriptor walk + frame copy): 2,000 cyc/pkt + 1.0 cyc/B. Root core (worker process).
    public var emulatedDeviceModel = CostModel(
        fixed: 2_000, perByte: 1.0,
        source: "MODEL-REFERENCE §5 'Emulated NIC device model' (row 27)")
    /// Emulated interrupt injection (virtual PIC/IOAPIC line): 4,000 cyc of hypervisor time (the EOI access is counted as an access).
    public var emulatedInterruptInjection = CostModel(
        fixed: 4_000,
        source: "MODEL-REFERENCE §5 'Emulated NIC interrupt injection' (row 28)")
    /// Extra wake-up of the worker process per burst of accesses: 0 cyc by default (already inside the 15,000-cyc round trip of row 26).
    public var workerWakeup = CostModel(
        fixed: 0,
        source: "MODEL-REFERENCE row 26 (included in emulated_access_worker)")
    /// Management-OS (host vNIC) stack, transmit: 2,500 cyc/pkt + 0.5 cyc/B. Root core.
    public var hostStackTx = CostModel(
        fixed: 2_500, perByte: 0.5,
        source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, TX' (same OS stack in the root) [assumption]")
    /// Management-OS (host vNIC) stack, receive: 3,000 cyc/pkt + 0.5 cyc/B. Root core.
    public var hostStackRx = CostModel(
        fixed: 3_000, perByte: 0.5,
        source: "MODEL-REFERENCE §5 'Guest TCP/IP stack, RX' (same OS stack in the root) [assumption]")

    public init() {}

    /// The cost of one stage.
    public subscript(stage: CostStage) -> CostModel {
        get {
            switch stage {
            case .guestStackTx: return guestStackTx
            case .guestStackRx: return guestStackRx
            case .checksum: return checksum
            case .vscTx: return vscTx
            case .vscRx: return vscRx
            case .vscCopy: return vscCopy
            case .ringWrite: return ringWrite
            case .ringRead: return ringRead
            case .signalGuest: return signalGuest
            case .signalRootWake: return signalRootWake
            case .interruptInjection: return interruptInjection
            case .vspTx: return vspTx
            case .vspTxCopy: return vspTxCopy
            case .vspRx: return vspRx
            case .vSwitch: return vSwitch
            case .softwareSegmentation: return softwareSegmentation
            case .nicDriverTx: return nicDriverTx
            case .nicDriverRx: return nicDriverRx
            case .emulatedAccessWorker: return emulatedAccessWorker
            case .emulatedAccessKernel: return emulatedAccessKernel
            case .emulatedDeviceModel: return emulatedDeviceModel
            case .emulatedInterruptInjection: return emulatedInterruptInjection
            case .workerWakeup: return workerWakeup
            case .hostStackTx: return hostStackTx
            case .hostStackRx: return hostStackRx
            }
        }
        set {
            switch stage {
            case .guestStackTx: guestStackTx = newValue
            case .guestStackRx: guestStackRx = newValue
            case .checksum: checksum = newValue
            case .vscTx: vscTx = newValue
            case .vscRx: vscRx = newValue
            case .vscCopy: vscCopy = newValue
            case .ringWrite: ringWrite = newValue
            case .ringRead: ringRead = newValue
            case .signalGuest: signalGuest = newValue
            case .signalRootWake: signalRootWake = newValue
            case .interruptInjection: interruptInjection = newValue
            case .vspTx: vspTx = newValue
            case .vspTxCopy: vspTxCopy = newValue
            case .vspRx: vspRx = newValue
            case .vSwitch: vSwitch = newValue
            case .softwareSegmentation: softwareSegmentation = newValue
            case .nicDriverTx: nicDriverTx = newValue
            case .nicDriverRx: nicDriverRx = newValue
            case .emulatedAccessWorker: emulatedAccessWorker = newValue
            case .emulatedAccessKernel: emulatedAccessKernel = newValue
            case .emulatedDeviceModel: emulatedDeviceModel = newValue
            case .emulatedInterruptInjection: emulatedInterruptInjection = newValue
            case .workerWakeup: workerWakeup = newValue
            case .hostStackTx: hostStackTx = newValue
            case .hostStackRx: hostStackRx = newValue
            }
        }
    }

    /// This profile with some stages replaced (a VM's or an adapter's overrides).
    public func applying(_ overrides: [CostStage: CostModel]) -> CostProfile {
        var p = self
        for stage in CostStage.allCases { if let c = overrides[stage] { p[stage] = c } }
        return p
    }

    /// A profile in which every stage costs nothing (for analytic tests that switch stages on one by one).
    public static var zero: CostProfile {
        var p = CostProfile()
        for s in CostStage.allCases { p[s] = .free }
        return p
    }
}
