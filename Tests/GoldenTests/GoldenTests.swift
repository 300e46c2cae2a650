import Foundation
import Testing

/// Every shipped scenario and every runnable docs example, run short, gives exactly the result files
/// committed under Tests/Golden/ (see its README). A change that alters results on purpose rewrites
/// them with `scripts/regen-golden`, in a commit of its own that says why.
@Suite struct GoldenTests {
    static let cases = (try? Golden.cases()) ?? []
    static let regenerate = "if the change is intended, run scripts/regen-golden and commit the new files on their own, saying why"

    @Test func casesAreFound() {
        #expect(Self.cases.filter { $0.id.hasPrefix("Scenarios/") }.count >= 4, "Scenarios/*.yaml not found")
        #expect(Self.cases.filter { $0.id.hasPrefix("docs/") }.count >= 8, "docs/scenarios.md's examples not found")
        #expect(Set(Self.cases.map(\.id)).count == Self.cases.count, "two cases share a golden directory")
    }

    @Test(arguments: cases) func resultsMatchTheGoldenFiles(_ c: GoldenCase) throws {
        let start = ContinuousClock.now
        let produced = try Golden.produce(c)
        let directory = Golden.directory.appendingPathComponent(c.id)
        if Golden.recording {
            try Golden.write(produced, to: directory)
            print("regen-golden: wrote Tests/Golden/\(c.id) (\(produced.count) files; the run took \(ContinuousClock.now - start))")
            return
        }
        guard let golden = try Golden.read(directory) else {
            Issue.record("\(c.file) has no golden files (Tests/Golden/\(c.id) is missing): run scripts/regen-golden and commit them")
            return
        }
        for name in produced.keys.sorted() where golden[name] == nil {
            Issue.record("\(c.id): the run now writes \(name), which has no golden copy; \(Self.regenerate)")
        }
        for name in golden.keys.sorted() where produced[name] == nil {
            Issue.record("\(c.id): the run no longer writes \(name), which has a golden copy; \(Self.regenerate)")
        }
        for name in produced.keys.sorted() {
            guard let g = golden[name], let p = produced[name], g != p else { continue }
            let difference = Golden.firstDifference(name: name, golden: g, produced: p)
            Issue.record("\(c.id)/\(name) differs from Tests/Golden/\(c.id)/\(name); \(difference)\n\(Self.regenerate)")
        }
    }

    /// A golden directory whose scenario or example is gone fails (and is deleted when regenerating).
    @Test func everyGoldenDirectoryHasACase() throws {
        let ids = Set(Self.cases.map(\.id))
        let fm = FileManager.default
        for entry in try fm.contentsOfDirectory(atPath: Golden.directory.path).sorted() where entry != "README.md" {
            guard Golden.sources.contains(entry) else {
                Issue.record("Tests/Golden/\(entry) is not a golden case source (expected only \(Golden.sources) and README.md)")
                continue
            }
            let source = Golden.directory.appendingPathComponent(entry)
            for name in try fm.contentsOfDirectory(atPath: source.path).sorted() where !ids.contains("\(entry)/\(name)") {
                if Golden.recording {
                    try fm.removeItem(at: source.appendingPathComponent(name))
                } else {
                    let fix = "run scripts/regen-golden (which deletes it) or git rm it"
                    Issue.record("Tests/Golden/\(entry)/\(name) has no scenario or docs example any more: \(fix)")
                }
            }
        }
    }
}
