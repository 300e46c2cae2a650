import SimCore

/// What a control component does.
@usableFromInline
enum ControlKind: UInt8, Sendable {
    /// An adapter's link-up announcement: a gratuitous ARP (RFC 5227 §2.4: an ARP request for the sender's own
    /// address, broadcast) each time the adapter is attached, so that the switches and peers learn where it is.
    case linkAnnouncement
    /// An adapter's DHCP client (Virtual Server networks, `DHCPClient`).
    case dhcpClient
    /// A network's DHCP server (`DHCPServer`).
    case dhcpServer
}

/// A control component's counters: packets it sent, and copies of them delivered (a broadcast reaches every
/// other port of its VLAN, so one send is several deliveries) or dropped.
@usableFromInline
struct ControlCounters: Sendable {
    @usableFromInline var sentPackets: UInt64 = 0
    @usableFromInline var deliveredPackets: UInt64 = 0
    @usableFromInline var drops: UInt64 = 0
}

/// A protocol endpoint whose packets are not flow traffic. Its packets are owned by it (`OwnerID`), and delivery,
/// drops, billing and conservation count them like flow packets.
@usableFromInline
struct ControlComponent {
    @usableFromInline var name: String
    @usableFromInline var kind: ControlKind
    /// The endpoint it sends from.
    @usableFromInline var endpoint: EndpointID
    @usableFromInline var counters = ControlCounters()
    /// A DHCP client's index in `VirtualServer.clients`, a DHCP server's network; 0 otherwise.
    @usableFromInline var protocolIndex = 0
    /// A DHCP component's one timer (retransmission, T1, T2, expiry; the server's lease expiry).
    @usableFromInline var timer = TimerSlot()
}

/// A control component (`Control.components`).
@usableFromInline
struct ControlID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// The control subsystem: every control component, and where their owners start in the owner space.
@usableFromInline
struct Control {
    @usableFromInline var components = FixedTable<ControlID, ControlComponent>()
    /// The first owner index of a control component (= the number of flows).
    @usableFromInline var firstOwner = 0
    /// Each endpoint's link announcer, if it announces.
    @usableFromInline var announcer: [EndpointID: ControlID] = [:]

    @inline(__always) func owner(of c: ControlID) -> OwnerID { OwnerID(firstOwner &+ c.index) }
    @inline(__always) func component(of o: OwnerID) -> ControlID { ControlID(o.index &- firstOwner) }

    func deallocate() { components.deallocate() }
}
