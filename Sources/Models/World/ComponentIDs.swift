/// An index into one of the model's component tables. Each table has its own ID type, so a port index cannot be
/// passed where a core is meant: the compiler rejects it. The ID is the table's `Index` (`FixedTable<ID, _>`),
/// so `table.indices` yields IDs; events carry `id.target` and the dispatch turns it back with `ID(target:)`.
@usableFromInline
protocol ComponentID: Strideable, Hashable, CustomStringConvertible, Sendable where Stride == Int {
    /// The position in the table.
    var index: Int { get }
    init(_ index: Int)
}

extension ComponentID {
    @inlinable func distance(to other: Self) -> Int { other.index &- index }
    @inlinable func advanced(by n: Int) -> Self { Self(index &+ n) }
    @inlinable static func < (a: Self, b: Self) -> Bool { a.index < b.index }
    /// The value to put in an event's `target`.
    @inlinable var target: UInt32 { UInt32(truncatingIfNeeded: index) }
    @inlinable init(target: UInt32) { self.init(Int(target)) }
    @usableFromInline var description: String { "\(index)" }
}

/// Flat tables (cycles per server and stage, per flow and domain) are indexed by plain offsets.
extension Int: ComponentID {
    @inline(__always) @usableFromInline var index: Int { self }
}

/// A core server: a root core, a vCPU, or a physical core shared vCPUs run on (`Cores.servers`).
@usableFromInline struct CoreID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A host (`Cores.hosts`).
@usableFromInline struct HostID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A child partition (`Cores.partitions`).
@usableFromInline struct VMID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A traffic endpoint: a VM adapter, a host vNIC or an external peer (`Adapters.endpoints`).
@usableFromInline struct EndpointID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A VMBus channel (`VMBus.channels`).
@usableFromInline struct ChannelID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// An emulated (legacy) device (`Adapters.devices`).
@usableFromInline struct DeviceID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A switch port (`Switching.ports`).
@usableFromInline struct PortID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A virtual switch (`Switching.switches`).
@usableFromInline struct SwitchID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A physical NIC (`NICs.nics`).
@usableFromInline struct NICID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A NIC receive queue (`NICs.queues`).
@usableFromInline struct QueueID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

/// A flow (`Traffic.flows`).
@usableFromInline struct FlowID: ComponentID {
    @usableFromInline let index: Int
    @inline(__always) @usableFromInline init(_ index: Int) { self.index = index }
}

extension VMID {
    /// No VM (root and physical cores).
    @usableFromInline static let none = VMID(-1)
}

extension NICID {
    /// No NIC (private and internal switches; endpoints other than external peers).
    @usableFromInline static let none = NICID(-1)
}

extension PortID {
    /// No port.
    @usableFromInline static let none = PortID(-1)
}

extension EndpointID {
    /// No endpoint.
    @usableFromInline static let none = EndpointID(-1)
}

extension QueueID {
    /// No queue (the NIC's default queue is used).
    @usableFromInline static let none = QueueID(-1)
}

extension DeviceID {
    /// No emulated device (synthetic adapters, host vNICs, external peers).
    @usableFromInline static let none = DeviceID(-1)
}
