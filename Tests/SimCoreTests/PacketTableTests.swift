import Testing

@testable import SimCore

@Suite("Packet table")
struct PacketTableTests {
    @Test func allocateFreeAndReuse() {
        var t = PacketTable(reservingCapacity: 2)
        let a = t.allocate(frameBytes: 1514, payloadBytes: 1460, flow: 1, source: 2, destination: 3, created: .microseconds(1))
        let b = t.allocate(frameBytes: 64, payloadBytes: 18, flow: 2, source: 3, destination: 2, created: .microseconds(2))
        #expect(t.liveCount == 2)
        #expect(t.frameBytes[Int(a.index)] == 1514)
        #expect(t.flow[Int(b.index)] == 2)
        t.free(a)
        #expect(!t.isLive(a))
        #expect(t.liveCount == 1)
        // The freed slot is reused and its fields overwritten.
        let c = t.allocate(frameBytes: 100, payloadBytes: 50, flow: 9, source: 0, destination: 1, created: .microseconds(3))
        #expect(c == a)
        #expect(t.frameBytes[Int(c.index)] == 100)
        #expect(t.stage[Int(c.index)] == 0)
        #expect(t.capacity == 2)  // no growth after reuse
        #expect(t.allocatedTotal == 3)
        #expect(t.liveIDs() == [c, b].sorted { $0.index < $1.index })
    }

    @Test func cloneCopiesEveryFieldIntoANewSlot() {
        // Capacity 1: the clone grows the arrays while copying from them (the append path).
        var t = PacketTable(reservingCapacity: 1)
        let a = t.allocate(
            frameBytes: 1514, payloadBytes: 1460, flow: 7, source: 2, destination: 3, created: .microseconds(5),
            sequence: 42, flags: 0x5, vlan: 100)
        t.stage[Int(a.index)] = 9
        t.generation[Int(a.index)] = 11
        let b = t.clone(a)
        #expect(b != a)
        #expect(t.isLive(a) && t.isLive(b))
        #expect(t.liveCount == 2)
        #expect(t.allocatedTotal == 2)
        func fields(_ id: PacketID) -> [UInt64] {
            let i = Int(id.index)
            return [
                UInt64(t.frameBytes[i]), UInt64(t.payloadBytes[i]), UInt64(t.flow[i]), UInt64(t.source[i]),
                UInt64(t.destination[i]), UInt64(t.created[i].picoseconds), t.sequence[i], UInt64(t.flags[i]),
                UInt64(t.vlan[i]), UInt64(t.stage[i]), UInt64(t.generation[i]),
            ]
        }
        #expect(fields(b) == fields(a))
        // The copies are independent, and a clone reuses a freed slot (the free-list path).
        t.generation[Int(b.index)] = 1
        #expect(t.generation[Int(a.index)] == 11)
        let c = t.allocate(frameBytes: 64, payloadBytes: 0, flow: 1, source: 0, destination: 0, created: .zero)
        t.free(c)
        let d = t.clone(a)
        #expect(d == c)
        #expect(fields(d) == fields(a))
        #expect(t.allocatedTotal == 4)
        #expect(t.capacity == 3)
    }

    @Test func cloningAFreedPacketTraps() async {
        await #expect(processExitsWith: .failure) {
            var t = PacketTable()
            let a = t.allocate(frameBytes: 1, payloadBytes: 1, flow: 0, source: 0, destination: 0, created: .zero)
            t.free(a)
            _ = t.clone(a)
        }
    }

    @Test func doubleFreeTraps() async {
        await #expect(processExitsWith: .failure) {
            var t = PacketTable()
            let a = t.allocate(frameBytes: 1, payloadBytes: 1, flow: 0, source: 0, destination: 0, created: .zero)
            t.free(a)
            t.free(a)
        }
    }
}
