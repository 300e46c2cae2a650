import Models
import SimCore
import Testing

@testable import Scenario

/// A flow's `size` is the UDP/TCP payload; the docs give the frame it makes, and the model makes that frame.
@Suite struct FlowSizeDocTests {
    /// The documented frames, then the same frames as the model captures them (length without the FCS).
    @Test func theSizeDocumentationGivesThePayloadAndTheFrameTheModelMakes() throws {
        let meaning = ScenarioSchema.flowSection.field("size")?.summary ?? ""
        // Ethernet 14 + IPv4 20 + UDP 8 = 42, + TCP 20 = 54: 1472 + 42 = 1460 + 54 = 1514 (1518 with the 4 B FCS).
        #expect(Transport.udp.headerBytes == 42 && Transport.tcp.headerBytes == 54)
        for text in [
            "the UDP or TCP payload, without headers", "adds 42B", "over TCP, 54B", "a 4B FCS",
            "1472B over UDP or 1460B over TCP makes a full 1514B Ethernet frame (1518B with the FCS)",
            "the default 1460B over UDP a 1502B one", "longer than MTU − 28B (UDP) or MTU − 40B (TCP)",
        ] {
            #expect(meaning.contains(text), "size: \(meaning) lacks '\(text)'")
        }
        #expect(ScenarioSchema.flowSection.field("response_size")?.summary.contains("Payload bytes") == true)

        let s = try ScenarioLoader.load(
            yaml: """
                duration: 2ms
                warmup: 0s
                nics: [{name: pnic0, link_rate: 10Gbps}]
                switches: [{name: external, type: external, nic: pnic0}]
                vms: [{name: "v[1-4]"}]
                flows:
                  - {from: v1, to: external, pattern: constant, packet_rate: 10kpps, size: 1472B}
                  - {from: v2, to: external, pattern: constant, packet_rate: 10kpps, size: 1460B, transport: tcp}
                  - {from: v3, to: external, pattern: constant, packet_rate: 10kpps}
                  - {from: v4, to: external, pattern: constant, packet_rate: 10kpps, size: 1473B}
                captures: ["v[1-4]"]

                """, file: "t.yaml")
        let out = try HostSimulation(config: s.config).run()
        func lengths(_ vm: String) -> Set<Int> {
            Set(out.captures.filter { $0.port == "external/\(vm)/eth0" && !$0.egress }.map(\.frameLength))
        }
        #expect(lengths("v1") == [1514])  // 1472 + 42
        #expect(lengths("v2") == [1514])  // 1460 + 54
        #expect(lengths("v3") == [1502])  // the default 1460 + 42
        #expect(lengths("v4") == [1514, 60])  // 1472 + 42, then 1 + 42 padded to the 64 B minimum (60 without the FCS)
    }
}
