import Foundation
import Testing

@Suite("Command line")
struct CLITests {
    @Test func helpListsTheSubcommands() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        for word in ["USAGE: vnetsim", "bench"] { #expect(r.stdout.contains(word), "help lacks \(word)") }
    }

    @Test func versionPrintsASemanticVersion() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test func everySubcommandHasHelp() throws {
        for cmd in [["bench"], ["bench", "phold"]] {
            let r = try CLI.run(cmd + ["--help"])
            #expect(r.status == 0, "\(cmd) --help exited \(r.status)")
            #expect(r.stdout.contains("USAGE"), "\(cmd) --help printed no usage")
        }
    }

    @Test func unknownOptionIsAUsageError() throws {
        let r = try CLI.run(["bench", "phold", "--no-such-option"])
        #expect(r.status == 64)  // EX_USAGE, swift-argument-parser's validation exit code
        #expect(r.stderr.contains("Unknown option"))
    }

    @Test func invalidValueIsRejected() throws {
        let r = try CLI.run(["bench", "phold", "--lps", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--lps"))
        let g = try CLI.run(["bench", "phold", "--generator", "rand"])
        #expect(g.status == 64)
    }

    @Test func pholdPrintsExactlyOneResultLine() throws {
        let r = try CLI.run(["bench", "phold", "--lps", "32", "--population", "4", "--events", "5000", "--seed", "3"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("phold impl=vnetsim lps=32 pop=4 events=5000 wall_s="))
        #expect(line.contains(" events_per_s="))
        #expect(r.stderr.contains("sim_time="))
        #expect(r.stderr.contains("fingerprint="))
        // Same seed, same fingerprint (the stderr diagnostic line).
        let again = try CLI.run(["bench", "phold", "--lps", "32", "--population", "4", "--events", "5000", "--seed", "3"])
        func fingerprint(_ s: String) -> Substring? { s.split(separator: " ").first { $0.hasPrefix("fingerprint=") } }
        #expect(fingerprint(r.stderr) == fingerprint(again.stderr))
    }
}
