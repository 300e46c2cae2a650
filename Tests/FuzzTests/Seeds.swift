import Foundation
import TestSupport

/// The repository's root (this file is Tests/FuzzTests/Seeds.swift).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// What the mutator starts from: every shipped scenario and every YAML example of docs/scenarios.md.
enum Seeds {
    static let all: [(name: String, text: String)] = scenarios + docsExamples

    static let scenarios: [(name: String, text: String)] = {
        let dir = repositoryRoot.appendingPathComponent("Scenarios")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        return names.compactMap { n in
            (try? String(contentsOf: dir.appendingPathComponent(n), encoding: .utf8)).map { ("Scenarios/" + n, $0) }
        }
    }()

    /// The `<!-- example: NAME -->` blocks (TestSupport's DocExamples, as DocsTests and GoldenTests read them).
    static let docsExamples: [(name: String, text: String)] = {
        let url = repositoryRoot.appendingPathComponent("docs/scenarios.md")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return DocExamples.blocks(text, marker: "example").map { ("docs/scenarios.md#" + $0.0, $0.1) }
    }()
}

/// The regression corpus: Tests/FuzzTests/Corpus/*.yaml, every crasher found so far.
enum Corpus {
    static let directory = repositoryRoot.appendingPathComponent("Tests/FuzzTests/Corpus")

    static let files: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}

/// The fuzzer's settings, from the environment (see Tests/FuzzTests/README.md).
enum FuzzSettings {
    static let env = ProcessInfo.processInfo.environment
    /// `VNETSIM_FUZZ_INPROCESS=0` turns off the in-process oracle tests (the mutants and the corpus).
    static let inProcess = env["VNETSIM_FUZZ_INPROCESS"] != "0"
    /// `VNETSIM_FUZZ_SKIP_KNOWN=0` runs the known open crashers too (they trap until fixed).
    static let skipKnown = env["VNETSIM_FUZZ_SKIP_KNOWN"] != "0"
    static let seed = env["VNETSIM_FUZZ_SEED"].flatMap { UInt64($0) } ?? 1
    static let count = env["VNETSIM_FUZZ_COUNT"].flatMap { Int($0) } ?? 1000
    static let first = env["VNETSIM_FUZZ_FIRST"].flatMap { Int($0) } ?? 0
    /// `VNETSIM_FUZZ_ONLY=INDEX` checks one mutant and prints it.
    static let only = env["VNETSIM_FUZZ_ONLY"].flatMap { Int($0) }
    /// `VNETSIM_FUZZ_DUMP=DIR` writes the mutants to DIR instead (scripts/fuzz).
    static let dump = env["VNETSIM_FUZZ_DUMP"]
    /// `VNETSIM_FUZZ_VERBOSE=1` names each mutant on stderr before checking it (to find a hang).
    static let verbose = env["VNETSIM_FUZZ_VERBOSE"] == "1"
    /// A mutant whose validation plus run takes longer than this (wall seconds) is a finding: 2 s
    /// in a release build; a debug build (what `swift test` builds) is about ten times slower.
    static let slowSeconds = env["VNETSIM_FUZZ_SLOW_SECONDS"].flatMap { Double($0) } ?? defaultSlowSeconds
    #if DEBUG
        static let defaultSlowSeconds = 10.0
    #else
        static let defaultSlowSeconds = 2.0
    #endif
}
