import Foundation
import Testing

/// `--set path=value` on `run`, `bench scenario` and `validate`.
@Suite("--set")
struct SetOptionTests {
    @Test func runWithSetDurationAndWarmupIsA20msRun() throws {
        let out = try CLI.temporaryDirectory(prefix: "vnetsim-set")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--set", "duration=20ms", "--set", "warmup=2ms", "--results", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("20 ms simulated (warm-up 2 ms)"), "\(r.stdout)")
        #expect(r.stdout.contains("Status       complete: 20 ms simulated"), "\(r.stdout)")
        // Another run than the file's own (whose id is seed1-r0-2e312facb65e3d0a).
        #expect(!r.stdout.contains("2e312facb65e3d0a"))
    }

    @Test func aBadSetIsAUsageErrorNamingTheArgument() throws {
        let out = try CLI.temporaryDirectory(prefix: "vnetsim-set")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "Scenarios/quickstart.yaml", "--set", "host.core=16", "--results", out.path])
        #expect(r.status == 64)
        #expect(r.stderr == "--set host.core=16: error: unknown key 'core' in host; did you mean 'cores'?\n")
        let unit = try CLI.run(["run", "Scenarios/quickstart.yaml", "--set", "duration=2 parsecs", "--results", out.path])
        #expect(unit.status == 64)
        #expect(unit.stderr.hasPrefix("--set duration=2 parsecs: error: 'duration': unknown unit 'parsecs'"), "\(unit.stderr)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).isEmpty)
    }

    @Test func validateChecksTheChangedScenario() throws {
        let ok = try CLI.run(["validate", "Scenarios/quickstart.yaml", "--set", "host.cores=16"])
        #expect(ok.status == 0 && ok.stdout == "Scenarios/quickstart.yaml: ok\n", "\(ok.stderr)")
        let bad = try CLI.run(["validate", "Scenarios/quickstart.yaml", "--set", "flows.sendd.rate=1Gbps"])
        #expect(bad.status == 65)
        #expect(
            bad.stderr
                == "--set flows.sendd.rate=1Gbps: error: no flow named 'sendd'; did you mean 'send'?\n1 error in 1 of 1 file\n")
    }

    @Test func benchScenarioTakesSet() throws {
        let r = try CLI.run(["bench", "scenario", "Scenarios/quickstart.yaml", "--set", "duration=5ms", "--set", "warmup=1ms"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("bench scenario="), "\(r.stdout)")
        let bad = try CLI.run(["bench", "scenario", "Scenarios/quickstart.yaml", "--set", "vms.vm.vcpus=2"])
        #expect(bad.status == 64 && bad.stderr.contains("no VM named 'vm'"), "\(bad.stderr)")
    }
}
