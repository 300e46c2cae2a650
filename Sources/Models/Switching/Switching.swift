import SimCore

/// The switching subsystem: every virtual switch and every switch port (towards a VM adapter, a host vNIC or
/// an uplink NIC), with the port counters and capture flags.
@usableFromInline
struct Switching {
    @usableFromInline var switches = FixedTable<SwitchID, SwitchState>()
    @usableFromInline var ports = FixedTable<PortID, PortState>()
    /// Whether any port captures (one test on the forwarding path when none does).
    @usableFromInline var anyCapture = false
    /// Scratch space of `flood` (the ports a frame goes out of, and its copies), reused: no allocation per flood.
    @usableFromInline var floodPorts = ContiguousArray<PortID>()
    @usableFromInline var floodCopies = ContiguousArray<PacketID>()
    /// The slot of each (endpoint, switch) an adapter can be attached to (its own switch's, and every switch a
    /// timeline `attach` moves it to), for the timeline.
    @usableFromInline var slots: [SlotKey: PortID] = [:]

    @usableFromInline
    struct SlotKey: Hashable {
        @usableFromInline var endpoint: EndpointID
        @usableFromInline var switchID: SwitchID
    }

    func deallocate() {
        for s in switches.indices { switches[s].addresses.deallocate() }
        ports.deallocate()
        switches.deallocate()
    }
}
