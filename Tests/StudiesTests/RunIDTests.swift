import SimCore
import Testing

@testable import Studies

/// A run's id is a pure function of its inputs: the same inputs give the same id, every input changes it.
@Suite struct RunIDTests {
    static let yaml = "name: tiny\nseed: 7\n"
    let base = RunSpec(scenarioPath: "Scenarios/tiny.yaml", scenarioText: yaml)

    @Test func fnv1a64MatchesThePublishedVectors() {
        // The FNV reference test vectors (http://www.isthe.com/chongo/src/fnv/test_fnv.c): FNV-1a 64 of "" and "a", "foobar".
        #expect(RunID.fnv1a64([UInt8]()) == 0xcbf2_9ce4_8422_2325)
        #expect(RunID.fnv1a64(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(RunID.fnv1a64(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
    }

    @Test func theSameInputsGiveTheSameID() {
        let a = RunID(spec: base, seed: 7), b = RunID(spec: base, seed: 7)
        #expect(a == b && a.description == b.description)
        // The path is not an input: the same text run from elsewhere is the same run.
        var moved = base
        moved.scenarioPath = "/somewhere/else/tiny.yaml"
        #expect(RunID(spec: moved, seed: 7) == a)
        // A seed override equal to the seed the run uses anyway is the same run.
        var same = base
        same.seed = 7
        #expect(RunID(spec: same, seed: 7) == a)
    }

    @Test func theIDIsStableAcrossBuildsAndMachines() {
        // Pinned: a change to the encoding or the hash must be deliberate (and bump `encodingTag`),
        // since it renames every results folder.
        let id = RunID(spec: base, seed: 7)
        #expect(id.description == "seed7-r0-" + String(RunID.fnv1a64(RunID.canonicalEncoding(base, seed: 7)), radix: 16).leftPadded(16))
        // Computed independently (Python: length-prefixed fields, FNV-1a 64 by hand).
        #expect(id.description == "seed7-r0-abfe5f0eefa9a7ce", "\(id)")
    }

    @Test func everyInputChangesTheID() {
        var variants: [(String, RunSpec, UInt64)] = [("base", base, 7)]
        func add(_ name: String, seed: UInt64 = 7, _ change: (inout RunSpec) -> Void) {
            var s = base
            change(&s)
            variants.append((name, s, seed))
        }
        add("text") { $0.scenarioText += " " }
        add("text, one byte") { $0.scenarioText = "name: tiny\nseed: 8\n" }
        add("an override") { $0.overrides = ["flows.send.rate=1Gbps"] }
        add("overrides in another order") { $0.overrides = ["b=1", "a=1"] }
        add("overrides in order") { $0.overrides = ["a=1", "b=1"] }
        add("overrides split differently") { $0.overrides = ["a=1b=1"] }
        add("seed", seed: 8) { $0.seed = 8 }
        add("replication") { $0.replication = 1 }
        add("duration") { $0.duration = .milliseconds(20) }
        add("another duration") { $0.duration = SimTime(picoseconds: SimTime.milliseconds(20).picoseconds + 1) }
        add("a capture") { $0.captures = ["vm1"] }
        add("a warm-up") { $0.warmup = .milliseconds(2) }
        add("another warm-up") { $0.warmup = .milliseconds(3) }
        add("a warm-up of 0") { $0.warmup = .zero }
        add("a duration and a warm-up") {
            $0.duration = .milliseconds(20); $0.warmup = .milliseconds(2)
        }
        // The same value as the duration or as the warm-up is another run.
        add("the duration's value as a warm-up") { $0.warmup = .milliseconds(20) }
        // Moving a string between two fields must not give the same encoding.
        add("text into an override") {
            $0.scenarioText = "name: tiny\n"; $0.overrides = ["seed: 7\n"]
        }
        let ids = variants.map { RunID(spec: $0.1, seed: $0.2) }
        for i in ids.indices {
            for j in ids.indices where j > i {
                #expect(ids[i] != ids[j], "\(variants[i].0) and \(variants[j].0) share the id \(ids[i])")
            }
        }
        #expect(ids[variants.firstIndex { $0.0 == "seed" }!].description.hasPrefix("seed8-r0-"))
        #expect(ids[variants.firstIndex { $0.0 == "replication" }!].description.hasPrefix("seed7-r1-"))
    }

    @Test func aRunWithoutAWarmupOverrideKeepsTheEncodingItHad() {
        // The warm-up is appended only when given, so the ids of runs without it did not change when it was added.
        var withDuration = base
        withDuration.duration = .milliseconds(20)
        var withWarmup = withDuration
        withWarmup.warmup = .milliseconds(2)
        let old = RunID.canonicalEncoding(withDuration, seed: 7)
        let new = RunID.canonicalEncoding(withWarmup, seed: 7)
        #expect(Array(new.prefix(old.count)) == old && new.count == old.count + 9)
        #expect(Array(new.suffix(8)) == withUnsafeBytes(of: SimTime.milliseconds(2).picoseconds.littleEndian) { Array($0) })
    }

    @Test func theIDIsAPlainFolderName() {
        for seed: UInt64 in [0, 1, .max] {
            let d = RunID(spec: base, seed: seed).description
            #expect(d.hasPrefix("seed\(seed)-r0-") && d.count == "seed\(seed)-r0-".count + 16, "\(d)")
            #expect(d.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" })
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
