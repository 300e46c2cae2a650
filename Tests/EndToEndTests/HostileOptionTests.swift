import Foundation
import Testing

/// Command-line values and paths that once trapped or gave a misleading message: each must be
/// refused with one message that names the real cause.
@Suite("Hostile options")
struct HostileOptionTests {
    /// `--duration` values that overflowed the unit parser (exit 132) or rounded to zero.
    @Test(arguments: [
        ("1e-39s", "rounds to 0ps"),
        ("0.4ps", "rounds to 0ps; a duration must be at least 1ps"),
        ("1e39s", "too large"),
        ("999999999999999999999999999999h", "too large"),
        ("1000001s", "longer than the longest run, 1000000s"),
        ("999999s", "more than the limit of 10000000"),
    ])
    func durationIsRefusedWithOneMessage(value: String, expected: String) throws {
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", value, "--results", "/dev/null/never"])
        #expect(r.status == 64, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(expected), "\(r.stderr)")
        // One message, not the parser's followed by the model's.
        #expect(r.stderr.components(separatedBy: "--duration").count == 2, "\(r.stderr)")
        // Not followed by the root command's usage, which names no option of `run`.
        #expect(!r.stderr.contains("<subcommand>"), "\(r.stderr)")
    }

    @Test func aDirectoryIsNotAScenario() throws {
        let r = try CLI.run(["validate", "Scenarios/"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("is a directory"), "\(r.stderr)")
        #expect(r.stderr.contains("Scenarios/quickstart.yaml"), "\(r.stderr)")
    }
}
