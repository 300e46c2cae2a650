import ArgumentParser
import Foundation
import Testing

@testable import vnetsim

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

    /// Every command path below `vnetsim` (["run"], ["bench"], ["bench", "phold"], …), read from the
    /// commands' own `configuration.subcommands`, so a new subcommand is covered without a change here.
    static func commandPaths(_ command: any ParsableCommand.Type = VNetSim.self, prefix: [String] = []) -> [[String]] {
        command.configuration.subcommands.flatMap { sub -> [[String]] in
            let path = prefix + [sub._commandName]
            return [path] + commandPaths(sub, prefix: path)
        }
    }

    /// The names listed under SUBCOMMANDS in a help text.
    static func listedSubcommands(_ help: String) -> [String] {
        guard let section = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first else { return [] }
        return section.split(separator: "\n").prefix { !$0.hasPrefix("  See ") && !$0.isEmpty }
            .compactMap { line in
                // "  name   abstract" or "  name, alias   abstract"; a wrapped abstract continues on lines indented deeper.
                line.hasPrefix("  ") && line.dropFirst(2).first != " "
                    ? line.split(separator: " ").first.map { String($0.hasSuffix(",") ? $0.dropLast() : $0) } : nil
            }
    }

    @Test func everySubcommandHasHelp() throws {
        let paths = Self.commandPaths()
        for expected in [["run"], ["validate"], ["bench"], ["bench", "phold"], ["bench", "scenario"]] {
            #expect(paths.contains(expected), "\(expected) is not a subcommand: \(paths)")
        }
        // The help of each command lists exactly its subcommands (so the list above is what users see).
        for parent in [[]] + paths {
            let r = try CLI.run(parent + ["--help"])
            #expect(r.status == 0, "\(parent) --help exited \(r.status)")
            #expect(r.stdout.contains("USAGE: vnetsim"), "\(parent) --help printed no usage")
            let children = paths.filter { $0.count == parent.count + 1 && Array($0.prefix(parent.count)) == parent }.map { $0.last! }
            #expect(
                Self.listedSubcommands(r.stdout).sorted() == children.sorted(), "\(parent) --help lists other subcommands:\n\(r.stdout)")
            // `help <command>` agrees with `<command> --help`.
            if !parent.isEmpty {
                let h = try CLI.run(["help"] + parent)
                #expect(h.status == 0 && h.stdout == r.stdout, "vnetsim help \(parent.joined(separator: " ")) differs from --help")
            }
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
