import Foundation
import Testing

/// The fuzz harness (Tests/FuzzTests/README.md): deterministic mutants of the shipped scenarios and
/// the docs examples, each a located error or a valid short run whose conservation holds; and the
/// corpus of every crasher found so far, as regression tests.
@Suite("Fuzz", .serialized)
struct FuzzTests {
    @Test func seedsAreTheScenariosAndTheDocsExamples() {
        #expect(Seeds.scenarios.count >= 4)
        #expect(Seeds.docsExamples.count >= 8)
    }

    @Test func theMutatorIsDeterministic() {
        for i in 0..<50 {
            let a = Mutator.mutant(seed: 7, index: i, seeds: Seeds.all)
            let b = Mutator.mutant(seed: 7, index: i, seeds: Seeds.all)
            #expect(a.text == b.text && a.mutations == b.mutations, "mutant \(i) differs between two generations")
        }
        let texts = Set((0..<200).map { Mutator.mutant(seed: 7, index: $0, seeds: Seeds.all).text })
        #expect(texts.count > 150, "the mutants are not diverse: \(texts.count) distinct of 200")
    }

    /// `VNETSIM_FUZZ_COUNT` mutants (default 1000) of `VNETSIM_FUZZ_SEED` (default 1).
    @Test(.enabled(if: FuzzSettings.inProcess && FuzzSettings.dump == nil))
    func mutantsAreLocatedErrorsOrValidRuns() {
        let indices = FuzzSettings.only.map { [$0] } ?? Array(FuzzSettings.first..<(FuzzSettings.first + FuzzSettings.count))
        var skipped: [String: [Int]] = [:]
        var errors = 0, runs = 0, findings = 0
        var slowest: (Double, Int) = (0, -1)
        let clock = ContinuousClock()
        let start = clock.now
        for i in indices {
            let m = Mutator.mutant(seed: FuzzSettings.seed, index: i, seeds: Seeds.all)
            if FuzzSettings.only != nil { print(m.reproduction) }
            if FuzzSettings.skipKnown, let why = KnownOpenCrashers.reason(m.text) {
                skipped[why, default: []].append(i)
                continue
            }
            if FuzzSettings.verbose { FileHandle.standardError.write(Data("fuzz: checking mutant \(i)\n".utf8)) }
            let o = Oracle.check(yaml: m.text, file: "mutant.yaml")
            if o.seconds > slowest.0 { slowest = (o.seconds, i) }
            switch o.verdict {
            case .locatedError: errors += 1
            case .ran: runs += 1
            case .finding(let what):
                findings += 1
                Issue.record("\(what)\n\(m.reproduction)")
            }
        }
        let total = clock.now - start
        print(
            "fuzz: seed \(FuzzSettings.seed), \(indices.count) mutants: \(errors) located errors, \(runs) valid runs, \(findings) findings, "
                + "\(skipped.values.reduce(0) { $0 + $1.count }) skipped as known open crashers; \(total) "
                + "(slowest: mutant \(slowest.1), \(String(format: "%.2f", slowest.0)) s)")
        for (why, list) in skipped.sorted(by: { $0.key < $1.key }) {
            print(
                "fuzz: note: skipped \(list.count) mutants as known open crasher '\(why)' (e.g. \(list.prefix(5).map(String.init).joined(separator: ", ")))"
            )
        }
    }

    @Test(.enabled(if: FuzzSettings.inProcess), arguments: Corpus.files)
    func corpusFileIsALocatedErrorOrAValidRun(_ name: String) throws {
        if FuzzSettings.skipKnown && KnownOpenCrashers.corpusFiles.contains(name) {
            print("fuzz: note: skipped Corpus/\(name), a known open crasher (KnownOpenCrashers.corpusFiles)")
            return
        }
        let text = try Corpus.text(name)
        let o = Oracle.check(yaml: text, file: name, duration: .milliseconds(2))
        if case .finding(let what) = o.verdict { Issue.record("Corpus/\(name): \(what)") }
    }

    /// Every corpus file that is not a known open crasher is a test; every known one is a corpus file.
    @Test func knownOpenCrashersAreCorpusFiles() {
        for name in KnownOpenCrashers.corpusFiles { #expect(Corpus.files.contains(name), "\(name) is not in Tests/FuzzTests/Corpus") }
    }

    /// `VNETSIM_FUZZ_CLASSIFY=DIR`: prints, for each DIR/*.yaml, the known open crasher it matches (or "none").
    @Test(.enabled(if: FuzzSettings.env["VNETSIM_FUZZ_CLASSIFY"] != nil))
    func classifyFiles() throws {
        let dir = URL(fileURLWithPath: FuzzSettings.env["VNETSIM_FUZZ_CLASSIFY"]!)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".yaml") {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            print("classify: \(name) \(KnownOpenCrashers.reason(text) ?? "none")")
        }
    }

    /// `VNETSIM_FUZZ_DUMP=DIR`: writes mutants FIRST..<FIRST+COUNT of SEED to DIR (for scripts/fuzz), no oracle.
    @Test(.enabled(if: FuzzSettings.dump != nil))
    func dumpMutants() throws {
        let dir = URL(fileURLWithPath: FuzzSettings.dump!)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var index = ""
        for i in FuzzSettings.first..<(FuzzSettings.first + FuzzSettings.count) {
            let m = Mutator.mutant(seed: FuzzSettings.seed, index: i, seeds: Seeds.all)
            try Data(m.text.utf8).write(to: dir.appendingPathComponent(m.fileName))
            index += "\(m.fileName)\t\(m.seedName)\t\(m.mutations.joined(separator: " → ").replacingOccurrences(of: "\n", with: "\\n"))\n"
        }
        try Data(index.utf8).write(to: dir.appendingPathComponent("index.tsv"))
        print("fuzz: wrote \(FuzzSettings.count) mutants of seed \(FuzzSettings.seed) to \(dir.path)")
    }
}
