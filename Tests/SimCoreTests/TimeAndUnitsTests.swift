import Testing

@testable import SimCore

@Suite("SimTime and units")
struct TimeAndUnitsTests {
    @Test func secondsRoundTrip() {
        #expect(SimTime(seconds: 1.5).picoseconds == 1_500_000_000_000)
        #expect(SimTime(seconds: 1e-12).picoseconds == 1)
        #expect(SimTime.microseconds(3).description == "3us")
        #expect(SimTime(picoseconds: 1_500_000).description == "1.5us")
        #expect(SimTime.never.description == "never")
    }

    @Test func transmissionTimeOfCommonFrames() {
        // 1500 B at 10 Gb/s: 1500·8 / 1e10 s = 1.2 µs exactly.
        #expect(DataRate.gigabits(10).transmissionTime(bytes: 1500) == .nanoseconds(1200))
        // 64 B at 10 Gb/s: 51.2 ns; plus 20 B preamble/IFG = 84 B → 67.2 ns (MODEL-REFERENCE row 31).
        #expect(DataRate.gigabits(10).transmissionTime(bytes: 84) == SimTime(picoseconds: 67_200))
        // 1 B at 3 b/s: 8/3 s = 2.666…e12 ps, rounded up.
        #expect(DataRate(bitsPerSecond: 3).transmissionTime(bytes: 1).picoseconds == 2_666_666_666_667)
    }

    @Test func transmissionTimeAtTheExtremes() {
        // 64 KiB at 1 b/s: 65536·8 s = 524288 s = 5.24288e17 ps — fits, exactly.
        #expect(DataRate(bitsPerSecond: 1).transmissionTime(bytes: 65_536).picoseconds == 524_288_000_000_000_000)
        // 64 KiB at 400 Gb/s: 524288 / 4e11 s = 1.31072 µs.
        #expect(DataRate.gigabits(400).transmissionTime(bytes: 65_536) == SimTime(picoseconds: 1_310_720))
        // The largest jumbo frame at the slowest legacy link, 9018 B at 10 Mb/s = 7.2144 ms.
        #expect(DataRate.megabits(10).transmissionTime(bytes: 9018) == SimTime(picoseconds: 7_214_400_000))
    }

    @Test func cyclesAtAClock() {
        // 3000 cycles at 3 GHz = 1 µs.
        #expect(ClockRate.gigahertz(3).time(for: Cycles(3000)) == .microseconds(1))
        // 10 billion cycles at 1 GHz = 10 s = 1e13 ps: needs the 128-bit intermediate (1e10·1e12 > 2^63).
        #expect(ClockRate.gigahertz(1).time(for: Cycles(10_000_000_000)) == .seconds(10))
        // 5e12 cycles at 2.5 GHz = 2000 s.
        #expect(ClockRate.gigahertz(2.5).time(for: Cycles(5_000_000_000_000)) == .seconds(2000))
        // One cycle at 3 GHz = 333.33 ps, rounded up to 334 (work never takes zero time).
        #expect(ClockRate.gigahertz(3).time(for: Cycles(1)).picoseconds == 334)
        // And back: 1 s at 3 GHz is 3e9 cycles.
        #expect(ClockRate.gigahertz(3).cycles(in: .seconds(1)) == Cycles(3_000_000_000))
    }

    @Test func mulDivCeilIsExact() {
        #expect(mulDivCeil(7, 3, 2) == 11)
        #expect(mulDivCeil(6, 3, 2) == 9)
        #expect(mulDivCeil(Int64.max / 2, 2, 2) == Int64.max / 2)
        #expect(mulDivCeil(0, 5, 7) == 0)
    }

    @Test func runTimeConversionsSaturate() {
        // 10^15 cycles at 1 MHz = 10^9 s = 10^21 ps > Int64.max: saturates instead of failing a precondition.
        #expect(ClockRate(hertz: 1_000_000).time(for: Cycles(1_000_000_000_000_000)) == .never)
        #expect(ClockRate(hertz: 1).time(for: Cycles(.max)) == .never)
        #expect(mulDivCeilSaturating(Int64.max, 4, 2) == .max)
        #expect(mulDivCeilSaturating(7, 3, 2) == 11)
        #expect(mulDivCeilSaturating(-1, 3, 2) == 0)
        #expect(mulDivCeilSaturating(Int64.max / 2, 2, 2) == Int64.max / 2)
    }

    @Test func overflowTrapsInsteadOfWrapping() async {
        await #expect(processExitsWith: .failure) {
            _ = mulDivCeil(Int64.max, 4, 2)
        }
    }

    @Test func unitDescriptions() {
        #expect(DataRate.gigabits(10).description == "10Gbps")
        #expect(DataRate.megabits(100).description == "100Mbps")
        #expect(ClockRate.gigahertz(3).description == "3GHz")
        #expect(ByteCount.kibibytes(64).description == "64KiB")
        #expect(ByteCount(1500).description == "1500B")
    }
}
