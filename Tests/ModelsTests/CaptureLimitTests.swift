import SimCore
import Testing

@testable import Models

/// `max_captured_frames` is a limit per capture port, and a port that reaches it says so (`captureTruncations`);
/// flow frames carry ports no Wireshark dissector claims.
@Suite struct CaptureLimitTests {
    @Test func everyPortKeepsItsOwnLimitAndSaysWhenItStopped() throws {
        // web1-out alone is 1 Gb/s of 1,460-B messages = 85,616 pps: about 428 frames cross each of the two ports
        // in 5 ms, so both reach a limit of 100 (at about 100 / 85,616 pps ≈ 1.2 ms, earlier with the rr frames)
        // and each keeps exactly 100. (With one limit shared by all ports, the two kept 100 between them.)
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(5))
        c.captures = [
            CapturePort(switch: "external", endpoint: .external(nic: "pnic0")), CapturePort(switch: "external", endpoint: .vm("web1")),
        ]
        c.maxCapturedFrames = 100
        let out = try runConfig(c)
        let ports = ["external/uplink", "external/web1/eth0"]
        for port in ports {
            let frames = out.captures.filter { $0.port == port }
            #expect(frames.count == 100, "\(port) kept \(frames.count)")
        }
        #expect(out.captureTruncations.map(\.port).sorted() == ports)
        for t in out.captureTruncations {
            let last = try #require(out.captures.filter { $0.port == t.port }.map(\.time).max())
            #expect(t.kept == 100 && t.dropped > 0 && !t.byTotalLimit, "\(t)")
            #expect(t.stoppedAt >= last && t.stoppedAt < .milliseconds(2), "\(t.port) stopped at \(t.stoppedAt), last kept \(last)")
        }
        #expect(out.captureTruncations.reduce(0) { $0 + $1.dropped } == out.capturesDropped)
    }

    @Test func portsUnderTheirLimitKeepEverythingEvenIfTogetherTheyAreOver() throws {
        // About 428 web1-out frames and the rr frames cross each port in 5 ms: each port stays under 600, the two
        // together are over it, so a limit shared by the ports would cut both files short.
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(5))
        c.captures = [
            CapturePort(switch: "external", endpoint: .external(nic: "pnic0")), CapturePort(switch: "external", endpoint: .vm("web1")),
        ]
        c.maxCapturedFrames = 600
        let out = try runConfig(c)
        for port in ["external/uplink", "external/web1/eth0"] {
            let n = out.captures.filter { $0.port == port }.count
            #expect(n > 400 && n < 600, "\(port) kept \(n)")
        }
        #expect(out.captures.count > 600)
        #expect(out.captureTruncations.isEmpty && out.capturesDropped == 0)
    }

    /// The ports tshark 4.0.17 (Debian 12) hands to a dissector at or above 49152 (`tshark -G decodes`, the
    /// udp.port and tcp.port tables), and 5001 (CPFI), the server port vnetsim used to write.
    static let claimedByWireshark: Set<UInt16> = [
        5001, 49999, 54328, 56000, 56001, 56500, 56501, 57000, 57001, 57032, 57033, 57500, 57501, 57532, 57533, 59000, 59001,
        59032, 59033, 59500, 59501, 59532, 59533, 60001,
    ]

    @Test func flowFramesUsePortsNoDissectorClaims() throws {
        #expect(!Self.claimedByWireshark.contains(CapturedPorts.server))
        #expect(!CapturedPorts.clients.contains(CapturedPorts.server))
        #expect(Self.claimedByWireshark.allSatisfy { !CapturedPorts.clients.contains($0) })
        #expect(CapturedPorts.client(flow: 0) == 61001 && CapturedPorts.client(flow: 4535) == 61001)
        #expect(CapturedPorts.client(flow: 4534) == 65535)

        var c = ReferenceConfigs.quickstart(duration: .milliseconds(2))
        c.captures = [CapturePort(switch: "external", endpoint: .external(nic: "pnic0"))]
        let out = try runConfig(c)
        let flows = out.captures.filter { $0.transport != .arp }
        #expect(!flows.isEmpty)
        for f in flows {
            // The external peer is web1-out's receiver (server port) and rr's sender (a client port), and the reverse for web1.
            let ports = [f.sourcePort, f.destinationPort]
            #expect(ports.contains(CapturedPorts.server) && ports.contains { CapturedPorts.clients.contains($0) }, "\(ports)")
        }
    }
}
