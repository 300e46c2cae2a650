import Foundation
import Testing

/// `vnetsim run --duration/--warmup`: the warm-up a run uses is the one the user can read off the
/// scenario, the docs or the command line, never one changed silently.
/// Scenarios/quickstart.yaml runs 200ms with `warmup: 20ms` on line 9.
@Suite("Warm-up options")
struct WarmupOptionTests {
    func temporaryDirectory() throws -> URL { try CLI.temporaryDirectory(prefix: "vnetsim-warmup") }

    func runFolders(_ root: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("quickstart").path)) ?? []).sorted()
    }

    func summaryJSON(_ stdout: String) throws -> [String: Any] {
        let dir = URL(fileURLWithPath: stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let data = try Data(contentsOf: dir.appendingPathComponent("summary.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test func aDurationNotLongerThanTheScenariosWarmupIsRefused() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", "10ms", "--results", out.path])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(
            r.stderr
                == "Error: --duration 10ms is not longer than the scenario's warm-up (warmup: 20ms at Scenarios/quickstart.yaml:9:9), "
                + "and an explicit warm-up is never shortened; pass a warm-up for the shorter run too, e.g. --duration 10ms --warmup 1ms, "
                + "or a --duration longer than 20ms\n")
        #expect(runFolders(out).isEmpty)
        // The fix works.
        let fixed = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", "10ms", "--warmup", "1ms", "--results", out.path])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout.contains("10 ms simulated (warm-up 1 ms)"), "\(fixed.stdout)")
    }

    @Test func aKeptWarmupThatOutlastsTheMeasuredTimeIsAWarning() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--duration", "25ms", "--results", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stderr.contains(
                "Scenarios/quickstart.yaml:9:9: warning: with --duration 25ms the run measures only 5ms, after this warm-up of 20ms; "
                    + "pass a shorter warm-up too, e.g. --warmup 2500us, or a --duration of at least 40ms\n"), "\(r.stderr)")
        #expect(r.stdout.contains("25 ms simulated (warm-up 20 ms)"), "\(r.stdout)")
    }

    @Test func warmupIsAppliedAndNamesAnotherRun() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let base = ["run", "Scenarios/quickstart.yaml", "--duration", "60ms", "--results", out.path, "--quiet"]
        let own = try CLI.run(base)
        let fifty = try CLI.run(base + ["--warmup", "50ms"])
        let zero = try CLI.run(base + ["--warmup", "0s"])
        for r in [own, fifty, zero] { #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)") }
        // The run's warm-up is the one asked for (summary.json's report.info, in seconds).
        let warmups = try [own, fifty, zero].map {
            ((try summaryJSON($0.stdout)["report"] as? [String: Any])?["info"] as? [String: Any])?["warmup"] as? Double
        }
        #expect(warmups == [0.02, 0.05, 0], "\(warmups)")
        // Each is its own run, with its own folder; the same --warmup again is the same run.
        #expect(Set([own.stdout, fifty.stdout, zero.stdout]).count == 3)
        #expect(runFolders(out).count == 3)
        let again = try CLI.run(base + ["--warmup", "50ms"])
        #expect(again.stdout == fifty.stdout)
    }

    @Test(arguments: [
        (
            ["--warmup", "200ms"],
            "Error: --warmup 200ms is not shorter than the scenario's duration, 200ms, so nothing would be measured; "
                + "pass a --warmup shorter than 200ms, e.g. --warmup 20ms, or a --duration longer than 200ms\n"
        ),
        (
            ["--duration", "30ms", "--warmup", "50ms"],
            "Error: --warmup 50ms is not shorter than --duration 30ms, so nothing would be measured; "
                + "pass a --warmup shorter than 30ms, e.g. --warmup 3ms, or a --duration longer than 50ms\n"
        ),
        (
            ["--warmup", "2 parsecs"],
            "Error: --warmup: unknown unit 'parsecs' in '2 parsecs'; use one of ps, ns, us, µs, ms, s, min, h, e.g. '2s', '500ms', '1.5us'\n"
        ),
        (["--warmup=-5ms"], "Error: --warmup: '-5ms' is negative; write a value ≥ 0\n"),
        (["--warmup", "1000001s"], "Error: --warmup: '1000001s' is longer than the longest run, 1000000s (about 11.6 days)\n"),
    ])
    func aWarmupThatCannotBeUsedIsAUsageError(args: [String], expected: String) throws {
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml"] + args + ["--results", "/dev/null/never"])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr == expected)
    }

    @Test func benchScenarioTakesTheSameOption() throws {
        let refused = try CLI.run(["bench", "scenario", "Scenarios/quickstart.yaml", "--duration", "5ms"])
        #expect(refused.status == 64 && refused.stderr.contains("--warmup 500us"), "\(refused.stderr)")
        let r = try CLI.run(["bench", "scenario", "Scenarios/quickstart.yaml", "--duration", "5ms", "--warmup", "500us"])
        #expect(r.status == 0 && r.stdout.hasPrefix("bench scenario=quickstart "), "\(r.stderr)")
    }
}
