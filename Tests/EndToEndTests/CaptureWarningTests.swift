import Foundation
import Testing

/// A capture port that reaches `max_captured_frames` is named on stderr with what it kept and when it stopped.
@Suite("Capture limits")
struct CaptureWarningTests {
    @Test func eachPortThatReachesItsLimitIsNamedWithWhenItStopped() throws {
        // 100 Mb/s of 1,460-B messages = 8,562 pps: in 20 ms about 171 frames cross each port, so a limit of 50
        // stops both, at about 50 / 8,562 pps ≈ 5.8 ms; each file keeps 50 frames.
        let dir = try CLI.temporaryDirectory(prefix: "vnetsim-capture-warning")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("cap.yaml")
        try """
        duration: 20ms
        max_captured_frames: 50
        nics: [{name: pnic0}]
        switches: [{name: external, type: external, nic: pnic0}]
        vms: [{name: vm1}]
        flows: [{from: vm1, to: external, pattern: constant, rate: 100Mbps}]
        captures: [vm1/eth0, external@pnic0]

        """.write(to: scenario, atomically: true, encoding: .utf8)
        for quiet in [false, true] {
            let r = try CLI.run(["run", scenario.path, "--results", dir.appendingPathComponent("R").path] + (quiet ? ["--quiet"] : []))
            #expect(r.status == 0, "\(r.stderr)")
            for port in ["external/vm1/eth0", "external/uplink"] {
                let line = r.stderr.split(separator: "\n").first { $0.contains("capture port \(port) ") }
                #expect(
                    line?.hasPrefix("warning: capture port \(port) reached max_captured_frames (50) at 0.005") == true,
                    "stderr: \(r.stderr)")
                #expect(line?.contains("s of 0.020 s simulated: 50 frames kept, ") == true, "\(line ?? "")")
                #expect(line?.contains(" later frames counted but not written") == true, "\(line ?? "")")
            }
        }
    }
}
