import SimCore

/// A VM's network adapter: synthetic (NetVSC over VMBus) or emulated (legacy DEC 21140).
/// A scenario swaps the two by changing `kind` only.
public struct AdapterConfig: Sendable, Equatable {
    /// Name unique within the VM, e.g. "eth0".
    public var name: String
    /// Synthetic or emulated. Default: synthetic.
    public var kind: AdapterKind
    /// The switch the adapter is connected to.
    public var `switch`: String
    /// VLAN id of its switch port, 0 = untagged. Default: 0. (The emulated NIC has no VLAN support, §2.)
    public var vlan: UInt16
    /// Whether the adapter is attached to its switch at time 0 (a timeline action can attach it later). Default: true.
    public var attached: Bool
    /// Whether the adapter exists at time 0; false: a timeline `add_adapter` adds it to its VM later (Virtual
    /// Server's `IVMVirtualMachine::AddNetworkAdapter`). Default: true.
    public var present: Bool = true
    /// Whether the guest announces the adapter when it comes up (at time 0 if attached, and at each timeline
    /// `attach`): a gratuitous ARP (RFC 5227 §2.4), broadcast to every other port of its VLAN. Default: false.
    public var announce: Bool
    /// Synthetic: bytes of each VMBus ring (send and receive), 4 KiB of which is the header page.
    /// Default: 512 KiB (netvsc `ring_size = 128` pages, MODEL-REFERENCE §1.2).
    public var ringBytes: Int
    /// Synthetic: most packets per VMBus message / per drain pass. Default: 8 (`RNDIS_MAX_PKT_DEFAULT`, §1.3).
    public var batchPackets: Int
    /// Synthetic: VMBus channels (1 primary + vRSS sub-channels); each flow stream takes one by its RSS hash.
    /// `nil`: Hyper-V's default (`SimulationConfig.channels(of:in:)`) — vRSS is on by default from Windows Server 2016
    /// where it can be (a VM of ≥ 2 vCPUs whose adapter, without an SR-IOV VF, is on an external switch with VMQ on a
    /// NIC of ≥ 10 Gb/s: MODEL-REFERENCE §1.6), with min(8, vCPUs) channels (`VRSS_CHANNEL_DEFAULT`, one per CPU:
    /// Linux netvsc, §1.3); else 1. At most 64 (`VRSS_CHANNEL_MAX`). Default: nil.
    public var channels: Int?
    /// Synthetic: bytes one packet's descriptor occupies in a ring (vmpacket_descriptor + RNDIS + PPI, 8-byte aligned,
    /// plus the 8-byte trailer). Default: 136 (§1.2 framing; §5 'VMBus ring write/read' 64–200 B).
    public var descriptorBytes: Int
    /// Synthetic: send-buffer section size; frames up to it are copied ("copy path"), larger go as page lists.
    /// Default: 6144 (`NETVSC_SEND_SECTION_SIZE`, §1.3).
    public var sendSectionBytes: Int
    /// Guest transmit queue (qdisc) in front of the ring/device; full → `guest_tx_queue_full`. Unit: packets. Default: 1000.
    public var txQueuePackets: Int
    /// Offloads the adapter uses. Default: LSO and checksum on, MTU 1500.
    public var offloads: Offloads
    /// Emulated-NIC parameters (ignored for synthetic). Default: the tulip pattern of MODEL-REFERENCE §1.4.
    public var emulated: EmulatedNICConfig
    /// Cost overrides for this adapter, applied after the VM's. Default: none.
    public var costOverrides: [CostStage: CostModel]
    /// Synthetic, on an external switch whose NIC has `sriov: true`: the vmNIC has an SR-IOV virtual function
    /// (Hyper-V: `IovWeight` > 0 on an IOV-enabled switch), active from time 0. While it is active the guest's VF driver
    /// talks to the NIC directly — no vSwitch, no VMBus, no root CPU for the data (MODEL-REFERENCE §1.6); the timeline's
    /// `remove_vf` switches the guest to the synthetic path (NVSP v4 datapath switch, §1.3) and `restore_vf` back.
    /// Default: false (the synthetic path only).
    public var sriov: Bool = false

    public init(
        name: String, kind: AdapterKind = .synthetic, switch sw: String, vlan: UInt16 = 0, attached: Bool = true,
        ringBytes: Int = 512 * 1024, batchPackets: Int = 8, channels: Int? = nil, descriptorBytes: Int = 136,
        sendSectionBytes: Int = 6144, txQueuePackets: Int = 1000, offloads: Offloads = Offloads(),
        emulated: EmulatedNICConfig = EmulatedNICConfig(), costOverrides: [CostStage: CostModel] = [:], announce: Bool = false
    ) {
        self.name = name; self.kind = kind; self.switch = sw; self.vlan = vlan; self.attached = attached
        self.ringBytes = ringBytes; self.batchPackets = batchPackets; self.channels = channels
        self.descriptorBytes = descriptorBytes; self.sendSectionBytes = sendSectionBytes
        self.txQueuePackets = txQueuePackets; self.offloads = offloads; self.emulated = emulated
        self.costOverrides = costOverrides; self.announce = announce
    }
}

/// The two adapter types of a Hyper-V VM.
public enum AdapterKind: String, Sendable, Equatable, CaseIterable {
    /// NetVSC → VMBus → NetVSP (MODEL-REFERENCE §1.2–1.3).
    case synthetic
    /// Legacy DEC 21140 served by the worker process (MODEL-REFERENCE §1.4).
    case emulated
}

/// Offloads of an adapter (they change where and how much CPU is spent).
public struct Offloads: Sendable, Equatable {
    /// Large send offload: the guest hands up to 64 KiB per packet; the NIC (or the vSwitch in software) segments. Default: true.
    public var lso: Bool
    /// TCP/UDP checksum offload: when off, the guest pays the `checksum` stage on TX and RX. Default: true.
    public var checksum: Bool
    /// The adapter's MTU in bytes (jumbo: 9000). Default: 1500.
    public var mtu: Int
    /// Largest LSO super-segment payload. Unit: bytes. Default: 65,536 − headers (62,780, a multiple of 1,460 below 64 KiB).
    public var lsoMaxBytes: Int
    public init(lso: Bool = true, checksum: Bool = true, mtu: Int = 1500, lsoMaxBytes: Int = 62_780) {
        self.lso = lso; self.checksum = checksum; self.mtu = mtu; self.lsoMaxBytes = lsoMaxBytes
    }
}

/// The emulated DEC 21140's register-access pattern and limits (MODEL-REFERENCE §1.4 and §5).
public struct EmulatedNICConfig: Sendable, Equatable {
    /// The emulated link rate. Default: 100 Mb/s (§1.4, "DEC 21140 10/100TX 100 Mbit/s").
    public var linkRate: DataRate
    /// Trapped accesses per transmitted packet (the CSR1 transmit-poll demand). Default: 1.
    public var txAccessesPerPacket: Int
    /// A TX-done interrupt every this many packets (TX_RING_SIZE/2 = 16). Default: 16.
    public var txInterruptEvery: Int
    /// Trapped accesses per interrupt: CSR5 read, CSR5 ack, CSR5 re-read, CSR8 read, EOI = 5 (≥4 + 1 EOI, §1.4). Default: 5.
    public var accessesPerInterrupt: Int
    /// Transmit descriptor ring. Unit: descriptors. Default: 32 (`TX_RING_SIZE`).
    public var txRing: Int
    /// Receive descriptor ring; full → `emulated_rx_ring_full`. Unit: descriptors. Default: 128 (`RX_RING_SIZE`).
    public var rxRing: Int
    /// Where trapped accesses are served: the worker process (Hyper-V) or the hypervisor (analog). Default: worker process.
    public var accessPath: EmulatedAccessPath

    public init(
        linkRate: DataRate = .megabits(100), txAccessesPerPacket: Int = 1, txInterruptEvery: Int = 16,
        accessesPerInterrupt: Int = 5, txRing: Int = 32, rxRing: Int = 128,
        accessPath: EmulatedAccessPath = .workerProcess
    ) {
        self.linkRate = linkRate; self.txAccessesPerPacket = txAccessesPerPacket; self.txInterruptEvery = txInterruptEvery
        self.accessesPerInterrupt = accessesPerInterrupt; self.txRing = txRing; self.rxRing = rxRing
        self.accessPath = accessPath
    }
}

/// Where an emulated device's trapped register access is served.
public enum EmulatedAccessPath: String, Sendable, Equatable, CaseIterable {
    /// vmwp.exe in the root: a heavyweight exit (`emulated_access_worker`, root core).
    case workerProcess = "worker_process"
    /// In the hypervisor (`emulated_access_kernel`, hypervisor time).
    case hypervisor
}

extension SimulationConfig {
    /// The VMBus channels synthetic adapter `a` of VM `vm` has: its `channels`, else Hyper-V's default — vRSS's
    /// min(8, vCPUs) (`VRSS_CHANNEL_DEFAULT`) when vRSS applies (Hyper-V, ≥ 2 vCPUs, no SR-IOV VF, an external switch
    /// whose NIC has VMQ at ≥ 10 Gb/s: MODEL-REFERENCE §1.6), else 1.
    public func channels(of a: AdapterConfig, in vm: VMConfig) -> Int {
        if let n = a.channels { return n }
        guard host.platform == .hyperV, a.kind == .synthetic, !a.sriov, vm.vcpus >= 2,
            case .external(let nicName)? = switches.first(where: { $0.name == a.switch })?.kind,
            let nic = nics.first(where: { $0.name == nicName }), nic.vmq, nic.linkRate.bitsPerSecond >= 10_000_000_000
        else { return 1 }
        return Swift.min(8, vm.vcpus)
    }
}
