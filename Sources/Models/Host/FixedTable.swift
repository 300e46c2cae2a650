/// Fixed-size storage for per-component state that the event loop writes on every packet (core servers and
/// the flat cycle counters). Unlike a `ContiguousArray` stored in the model class, a write is a plain store:
/// no copy-on-write uniqueness check (a runtime call) per write. Indices are bounds-checked.
///
/// The table is indexed by its component's ID type (`FixedTable<PortID, PortState>`; `Int` for flat counter
/// tables), so an index of one table cannot be used in another.
///
/// It grows only while the model is built (`append`, off the event loop); the owner must call `deallocate()`
/// exactly once (from `HostSimulation.deinit`, through its subsystem). It is not a value type: copies share the
/// storage, so snapshots copy it into a `ContiguousArray`, and only the owner's stored copy may `append`.
@usableFromInline
struct FixedTable<ID: ComponentID, Element>: RandomAccessCollection, MutableCollection {
    @usableFromInline typealias Index = ID
    @usableFromInline typealias Indices = Range<ID>
    @usableFromInline private(set) var base: UnsafeMutablePointer<Element>
    @usableFromInline private(set) var count: Int
    private var allocated: Int

    /// An empty table (nothing allocated).
    init() {
        base = UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
        count = 0
        allocated = 0
    }

    init(_ elements: some Collection<Element>) {
        let n = elements.count
        base = n > 0 ? .allocate(capacity: n) : UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
        count = n
        allocated = n
        var i = 0
        for e in elements {
            (base + i).initialize(to: e)
            i += 1
        }
    }

    init(repeating value: Element, count: Int) { self.init(repeatElement(value, count: count)) }

    /// Appends an element while the model is being built (doubling the storage when it is full); returns its ID.
    @discardableResult
    mutating func append(_ element: Element) -> ID {
        if count == allocated {
            let grown = Swift.max(8, allocated * 2)
            let storage = UnsafeMutablePointer<Element>.allocate(capacity: grown)
            if allocated > 0 {
                storage.moveInitialize(from: base, count: count)
                base.deallocate()
            }
            base = storage
            allocated = grown
        }
        (base + count).initialize(to: element)
        count += 1
        return ID(count - 1)
    }

    /// The ID the next `append` returns.
    var nextID: ID { ID(count) }

    /// Frees the storage; the table must not be used afterwards.
    func deallocate() {
        guard allocated > 0 else { return }
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inlinable var startIndex: ID { ID(0) }
    @inlinable var endIndex: ID { ID(count) }
    @inlinable var indices: Range<ID> { startIndex..<endIndex }
    @inlinable func index(after i: ID) -> ID { ID(i.index &+ 1) }
    @inlinable func index(before i: ID) -> ID { ID(i.index &- 1) }

    @inlinable
    subscript(i: ID) -> Element {
        @inline(__always) unsafeAddress {
            precondition(UInt(bitPattern: i.index) < UInt(bitPattern: count), "FixedTable index out of range")
            return UnsafePointer(base + i.index)
        }
        @inline(__always) nonmutating unsafeMutableAddress {
            precondition(UInt(bitPattern: i.index) < UInt(bitPattern: count), "FixedTable index out of range")
            return base + i.index
        }
    }
}
