/// The switching subsystem: every virtual switch and every switch port (towards a VM adapter, a host vNIC or
/// an uplink NIC), with the port counters and capture flags.
@usableFromInline
struct Switching {
    @usableFromInline var switches = FixedTable<SwitchID, SwitchState>()
    @usableFromInline var ports = FixedTable<PortID, PortState>()
    /// Whether any port captures (one test on the forwarding path when none does).
    @usableFromInline var anyCapture = false

    func deallocate() {
        for p in ports.indices { ports[p].egressQueue.deallocate() }
        ports.deallocate()
        switches.deallocate()
    }
}
