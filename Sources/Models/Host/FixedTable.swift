/// Fixed-size storage for per-component state that the event loop writes on every packet (core servers and
/// the flat cycle counters). Unlike a `ContiguousArray` stored in the model class, a write is a plain store:
/// no copy-on-write uniqueness check (a runtime call) per write. Indices are bounds-checked.
///
/// It grows only while the model is built (`append`, off the event loop); the owner must call `deallocate()`
/// exactly once (from `HostSimulation.deinit`, through its subsystem). It is not a value type: copies share the
/// storage, so snapshots copy it into a `ContiguousArray`, and only the owner's stored copy may `append`.
@usableFromInline
struct FixedTable<Element>: RandomAccessCollection, MutableCollection {
    @usableFromInline private(set) var base: UnsafeMutablePointer<Element>
    @usableFromInline private(set) var endIndex: Int
    private var allocated: Int

    /// An empty table (nothing allocated).
    init() {
        base = UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
        endIndex = 0
        allocated = 0
    }

    init(_ elements: some Collection<Element>) {
        let n = elements.count
        base = n > 0 ? .allocate(capacity: n) : UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
        endIndex = n
        allocated = n
        var i = 0
        for e in elements {
            (base + i).initialize(to: e)
            i += 1
        }
    }

    init(repeating value: Element, count: Int) { self.init(repeatElement(value, count: count)) }

    /// Appends an element while the model is being built (doubling the storage when it is full); returns its index.
    @discardableResult
    mutating func append(_ element: Element) -> Int {
        if endIndex == allocated {
            let grown = Swift.max(8, allocated * 2)
            let storage = UnsafeMutablePointer<Element>.allocate(capacity: grown)
            if allocated > 0 {
                storage.moveInitialize(from: base, count: endIndex)
                base.deallocate()
            }
            base = storage
            allocated = grown
        }
        (base + endIndex).initialize(to: element)
        endIndex += 1
        return endIndex - 1
    }

    /// Frees the storage; the table must not be used afterwards.
    func deallocate() {
        guard allocated > 0 else { return }
        base.deinitialize(count: endIndex)
        base.deallocate()
    }

    @inlinable var startIndex: Int { 0 }

    @inlinable
    subscript(i: Int) -> Element {
        @inline(__always) unsafeAddress {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: endIndex), "FixedTable index out of range")
            return UnsafePointer(base + i)
        }
        @inline(__always) nonmutating unsafeMutableAddress {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: endIndex), "FixedTable index out of range")
            return base + i
        }
    }
}
