import SimCore

/// What sits behind a switch port / traffic endpoint.
@usableFromInline
enum EndpointKind: UInt8, Sendable {
    case syntheticAdapter, emulatedAdapter, hostVNIC, external
    /// A Virtual Server network's DHCP server: a "virtual network server" plugged into the hub (MODEL-REFERENCE §2).
    case networkServer
}

/// A traffic endpoint: a VM adapter, a host vNIC or the external peer beyond a NIC,
/// with its deterministic addresses and its port on a switch.
@usableFromInline
struct EndpointState {
    @usableFromInline var name: String
    @usableFromInline var kind: EndpointKind
    /// The NIC an external peer is beyond (`.none` for other endpoints).
    @usableFromInline var nic: NICID = .none
    /// The VM of an adapter (`.none` for host vNICs and external peers).
    @usableFromInline var vm: VMID
    @usableFromInline var switchIndex: SwitchID
    /// The endpoint's port on `switchIndex` (for external: the uplink port).
    @usableFromInline var port: PortID
    @usableFromInline var mac: MACAddress
    /// `mac` as the switch's tables key it (set by `Adapters.add`).
    @usableFromInline var address: UInt64 = 0
    @usableFromInline var ip: IPv4Address
    /// MTU of the endpoint (adapter / NIC).
    @usableFromInline var mtu: Int
    @usableFromInline var lso: Bool
    /// Largest LSO super-segment payload the endpoint hands down (bytes).
    @usableFromInline var lsoMax: Int = 62_780
    @usableFromInline var checksumOffload: Bool
    /// First channel (synthetic) and channel count.
    @usableFromInline var firstChannel = ChannelID(0)
    @usableFromInline var channelCount: Int = 0
    /// The synthetic adapter's channels (none for other endpoints).
    var channels: LazyMapSequence<Range<Int>, ChannelID> {
        (0..<channelCount).lazy.map { [firstChannel] in firstChannel.advanced(by: $0) }
    }
    /// Emulated device index.
    @usableFromInline var device = DeviceID.none
    /// The root core that runs root-side work for packets of this endpoint that has no channel (host vNIC, emulated).
    @usableFromInline var rootCore = CoreID(0)
    /// Cost profile (host profile with the VM's and adapter's overrides).
    @usableFromInline var costs: CompiledProfile
    /// NIC receive queue that traffic to this endpoint lands in (external switches).
    @usableFromInline var rxQueue = QueueID.none
    /// VMMQ: the vmNIC's hardware queues (`rxQueue` and the ones after it), chosen by the RSS hash; 1 without VMMQ.
    @usableFromInline var rxQueueCount = 1
    /// Whether flows may send from or to the endpoint now: its adapter exists, its VM runs, and on a network with a DHCP
    /// server it holds a lease (a stack without an address cannot send, and a peer cannot resolve it). Always true on
    /// Hyper-V.
    @usableFromInline var ready = true
    /// Virtual Server: the adapter exists (`add_adapter` / `remove_adapter`).
    @usableFromInline var present = true
    /// SR-IOV: the receive queue of the adapter's virtual function (`.none`: the adapter has none). The queue also
    /// holds the VF's transmit staging (`ReceiveQueue.vfTx`).
    @usableFromInline var vfQueue = QueueID.none
    /// SR-IOV: the guest's datapath is the VF now (`remove_vf` clears it, `restore_vf` sets it again).
    @usableFromInline var vfActive = false
}

/// One switch port slot: towards a VM adapter, the host vNIC or the uplink NIC. A slot exists for the whole run
/// (stable `PortID`); attaching binds it and detaching unbinds it, and each bind or unbind starts a new
/// `generation` (as `TimerSlot` does for timers), so a packet sent through an earlier binding is recognised
/// (`PacketTable.generation`) and dropped rather than delivered through the new one.
@usableFromInline
struct PortState {
    @usableFromInline var name: String
    @usableFromInline var switchIndex: SwitchID
    @usableFromInline var endpoint: EndpointID
    @usableFromInline var vlan: UInt16
    @usableFromInline var isUplink: Bool
    /// An endpoint is plugged in: frames enter and leave through the slot.
    @usableFromInline var bound: Bool
    @usableFromInline var generation: UInt32 = 0
    /// The switch learns the source addresses of frames entering here (the uplink of a Hyper-V switch: VM and
    /// host ports are registered instead) and floods unknown unicast out of it.
    @usableFromInline var learns: Bool
    @usableFromInline var capture: Bool = false
    /// Frames each receive queue behind the port may hold while its ring is full (a synthetic adapter's channels'
    /// `Channel.egressQueue`).
    @usableFromInline var queueLimit: Int
    @usableFromInline var counters = PortCounters()
}

@usableFromInline
struct PortCounters: Sendable {
    /// Frames entering the switch from this port, and leaving the switch through it.
    @usableFromInline var inPackets: UInt64 = 0
    @usableFromInline var inBytes: UInt64 = 0
    @usableFromInline var outPackets: UInt64 = 0
    @usableFromInline var outBytes: UInt64 = 0
    @usableFromInline var drops: UInt64 = 0
    @usableFromInline var dropBytes: UInt64 = 0
}

/// A virtual switch: its port slots, its MAC tables and counters. Forwarding is the learning bridge of
/// `HostSimulation+Switching.swift`, shared by every switch.
@usableFromInline
struct SwitchState {
    @usableFromInline var name: String
    @usableFromInline var kind: SwitchKind
    @usableFromInline var nic: NICID
    @usableFromInline var uplinkPort = PortID.none
    /// The management OS's vNIC endpoint on this switch, or `.none`.
    @usableFromInline var hostEndpoint = EndpointID.none
    /// Every port slot of the switch (for flooding), in creation order.
    @usableFromInline var ports = ContiguousArray<PortID>()
    /// The switch's addresses: those registered by the ports that do not learn (the vmNICs' and host vNIC's MACs,
    /// as Hyper-V's switch knows them from the port settings; static, under their VLAN and once more under
    /// `anyVLAN`, so that a frame for a known address in another VLAN is recognised), and those learned on
    /// learning ports (the uplink), aged after `agingTime`.
    @usableFromInline var addresses = MACTable(capacity: 1, agingTime: .never)
    @usableFromInline var forwardedPackets: UInt64 = 0
    @usableFromInline var forwardedBytes: UInt64 = 0
    /// Frames flooded (unknown unicast or broadcast), once per frame however many copies.
    @usableFromInline var floodedPackets: UInt64 = 0
    /// RSC in the vSwitch (`SwitchConfig.rsc`): frames from the uplink are coalesced per NIC receive pass.
    @usableFromInline var rsc = false
    /// TCP segments the vSwitch's RSC merged into the segment before them.
    @usableFromInline var rscMerged: UInt64 = 0
    /// A Virtual Server network's DHCP server endpoint, or `.none`.
    @usableFromInline var serverEndpoint = EndpointID.none
    /// The stage its forwarding costs: `vSwitch` (Hyper-V) or `hubForward` (a Virtual Server network).
    @usableFromInline var forwardStage: CostStage = .vSwitch
    /// A Virtual Server network that does not exist now (not yet created, deleted or unregistered): every frame that
    /// reaches it is dropped. Hyper-V switches always exist.
    @usableFromInline var exists = true

    /// The VLAN key under which every registered address is also kept.
    @usableFromInline static let anyVLAN: UInt16 = 0xFFFF
}
