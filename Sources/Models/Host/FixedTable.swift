/// Fixed-size storage for per-component state that the event loop writes on every packet (core servers and
/// the flat cycle counters). Unlike a `ContiguousArray` stored in the model class, a write is a plain store:
/// no copy-on-write uniqueness check (a runtime call) per write. Indices are bounds-checked.
///
/// The owner allocates it once its size is known (after `build`) and must call `deallocate()` exactly once
/// (`HostSimulation.deinit`). It is not a value type: copies share the storage, so snapshots copy it into a
/// `ContiguousArray`.
@usableFromInline
struct FixedTable<Element>: RandomAccessCollection, MutableCollection {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let endIndex: Int

    /// An empty table (nothing allocated).
    init() {
        base = UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
        endIndex = 0
    }

    init(_ elements: some Collection<Element>) {
        let n = elements.count
        base = n > 0 ? .allocate(capacity: n) : UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
        endIndex = n
        var i = 0
        for e in elements {
            (base + i).initialize(to: e)
            i += 1
        }
    }

    init(repeating value: Element, count: Int) { self.init(repeatElement(value, count: count)) }

    /// Frees the storage; the table must not be used afterwards.
    func deallocate() {
        guard endIndex > 0 else { return }
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
