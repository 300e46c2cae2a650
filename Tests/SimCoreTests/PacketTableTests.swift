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

    @Test func doubleFreeTraps() async {
        await #expect(processExitsWith: .failure) {
            var t = PacketTable()
            let a = t.allocate(frameBytes: 1, payloadBytes: 1, flow: 0, source: 0, destination: 0, created: .zero)
            t.free(a)
            t.free(a)
        }
    }
}
