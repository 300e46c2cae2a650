import SimCore

/// Who a packet belongs to: a flow (its traffic) or a control component (a protocol endpoint such as an adapter's
/// link-up announcement, or a DHCP client or server). One index space, stored in `PacketTable.flow`: flows first
/// (`OwnerID(flow.index)`), then the control components (`Control.owner(of:)`), so that drops and billed cycles
/// are one table per owner (`Accounting.ownerDrops`, `ownerCycles`) and delivery dispatches on the range.
@usableFromInline
struct OwnerID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
    @inline(__always) init(_ flow: FlowID) { self.index = flow.index }
}

extension HostSimulation {
    /// The owner of packet `p`.
    @inline(__always) func owner(of p: PacketID) -> OwnerID { OwnerID(Int(packets.flow[p.slot])) }

    /// Whether packet `p` is flow traffic (else a control component's).
    @inline(__always) func isFlowTraffic(_ p: PacketID) -> Bool { Int(packets.flow[p.slot]) < control.firstOwner }
}
