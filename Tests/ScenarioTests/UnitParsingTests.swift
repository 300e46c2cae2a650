import SimCore
import Testing

@testable import Scenario

@Suite struct UnitParsingTests {
    func ok(_ s: String, _ k: UnitKind) -> Int64? { try? UnitParser.parse(s, as: k).get() }
    func err(_ s: String, _ k: UnitKind) -> UnitError? {
        if case .failure(let e) = UnitParser.parse(s, as: k) { return e }
        return nil
    }

    @Test func durationsAreExactPicoseconds() {
        #expect(ok("1.5us", .duration) == 1_500_000)
        #expect(ok("2s", .duration) == 2_000_000_000_000)
        #expect(ok("500 ms", .duration) == 500_000_000_000)
        #expect(ok("1min", .duration) == 60_000_000_000_000)
        #expect(ok("0", .duration) == 0)
        #expect(ok("1e-3s", .duration) == 1_000_000_000)
        #expect(ok("0.0000000000015s", .duration) == 2)  // rounds to the nearest picosecond
    }

    @Test func ratesSizesAndClocks() {
        #expect(ok("10Gbps", .dataRate) == 10_000_000_000)
        #expect(ok("1.5Gbps", .dataRate) == 1_500_000_000)
        #expect(ok("100Mb/s", .dataRate) == 100_000_000)
        #expect(ok("3GHz", .clockRate) == 3_000_000_000)
        #expect(ok("2.4GHz", .clockRate) == 2_400_000_000)
        #expect(ok("64KiB", .byteCount) == 65_536)
        #expect(ok("1500B", .byteCount) == 1500)
        #expect(ok("1_500B", .byteCount) == 1500)
        #expect(ok("50kpps", .packetRate) == 50_000)
    }

    @Test func mistakesAreExplained() {
        #expect(err("100", .duration)?.message == "'100' has no unit")
        #expect(err("10Gbps", .duration)?.message == "'10Gbps' is a data rate, but a duration is expected here")
        #expect(err("2Gbs", .dataRate)?.fix == "did you mean '2Gbps'?")
        #expect(err("3ghz", .clockRate)?.fix == "did you mean '3GHz'?")
        #expect(err("1.5B", .byteCount)?.message == "'1.5B' is not a whole number of bytes")
        #expect(err("-1s", .duration)?.message == "'-1s' is negative")
        #expect(err("fast", .dataRate)?.message == "'fast' is not a data rate")
        #expect(
            err("99999999999h", .duration)?.message
                == "'99999999999h' is too large: a duration is at most 9223372036854775807ps (about 106 days)")
    }

    @Test func scenarioTextRoundTrips() {
        for t in ["2s", "150ms", "3us", "7ns", "13ps"] {
            #expect(SimTime(picoseconds: ok(t, .duration)!).scenarioText == t)
        }
    }

    @Test func namePatterns() throws {
        #expect(try NamePattern.expand("web[1-3]").get() == ["web1", "web2", "web3"])
        #expect(try NamePattern.expand("db[08-10]").get() == ["db08", "db09", "db10"])
        #expect(try NamePattern.expand("n[1-2,5]-x").get() == ["n1-x", "n2-x", "n5-x"])
        #expect(try NamePattern.expand("plain").get() == ["plain"])
        #expect((try? NamePattern.expand("web[3-1]").get()) == nil)
        #expect((try? NamePattern.expand("web[1-").get()) == nil)
        #expect((try? NamePattern.expand("web[a-b]").get()) == nil)
        #expect((try? NamePattern.expand("w[1-2][1-2]").get()) == nil)
        #expect((try? NamePattern.expand("w[1-1000000]").get()) == nil)
    }

    @Test func suggestions() {
        #expect(Suggestions.closest(to: "vcpu", among: ["vcpus", "name", "adapters"]) == "vcpus")
        #expect(Suggestions.closest(to: "linkrate", among: ["link_rate", "mtu"]) == "link_rate")
        #expect(Suggestions.closest(to: "swtich", among: ["switch", "vlan"]) == "switch")
        #expect(Suggestions.closest(to: "zzzzzz", among: ["switch", "vlan"]) == nil)
        #expect(Suggestions.distance("kitten", "sitting") == 3)
    }
}
