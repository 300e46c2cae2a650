import Foundation
import Models
import SimCore
import Testing

@testable import Reports

@Suite struct PcapTests {
    func frame(_ t: Int64, transport: CapturedTransport, vlan: UInt16 = 0, payload: Int = 1460) -> CapturedFrame {
        CapturedFrame(
            timePicoseconds: t, port: "external/vm1/eth0", egress: true, frameLength: 14 + 20 + 8 + payload,
            sourceMAC: [0, 21, 93, 0, 0, 1], destinationMAC: [2, 0, 0, 0, 0, 1], vlan: vlan, sourceIPv4: 0x0A00_0001,
            destinationIPv4: 0x0AFF_0001, transport: transport, sourcePort: 40000, destinationPort: transport == .udp ? 9 : 5001,
            tcpSequence: 1000, tcpAcknowledgement: 1, tcpFlags: 24, payloadLength: payload)
    }

    @Test func headerLayout() {
        let bytes = PcapWriter.file(of: [frame(1_500_000_123_456, transport: .udp)])
        // Nanosecond magic, little-endian; version 2.4; Ethernet.
        #expect(Array(bytes[0..<4]) == [0x4D, 0x3C, 0xB2, 0xA1])
        #expect(Array(bytes[4..<8]) == [2, 0, 4, 0])
        #expect(Array(bytes[20..<24]) == [1, 0, 0, 0])
        // 1.5 s + 123 ns (the 456 ps are below pcap's resolution).
        #expect(Array(bytes[24..<28]) == [1, 0, 0, 0])
        #expect(Array(bytes[28..<32]) == [0x7B, 0x65, 0xCD, 0x1D])  // 500,000,123
        #expect(bytes.count == 24 + 16 + 14 + 20 + 8 + 1460)
    }

    @Test func checksumsAreValid() {
        var b = FrameBuilder()
        let f = b.frame(for: frame(0, transport: .tcp, payload: 100))
        // The IPv4 header sums to 0xFFFF (its checksum is 0 when re-computed).
        var ip = Checksum(); ip.add(Array(f[14..<34]))
        #expect(ip.value == 0)
    }

    /// tshark (Debian's Wireshark CLI) reads the file without a warning and decodes each layer.
    @Test(.enabled(if: tsharkAvailable, "needs tshark (apt-get install tshark, or scripts/setup)"))
    func roundTripsThroughTshark() throws {
        let dir = temporaryDirectory("pcap")
        let url = dir.appendingPathComponent("capture.pcap")
        var w = PcapWriter()
        var b = FrameBuilder()
        let frames = [
            frame(1_000_000, transport: .udp), frame(2_000_000, transport: .tcp), frame(3_000_000, transport: .udp, vlan: 42, payload: 10),
        ]
        for f in frames { w.append(frame: b.frame(for: f), at: f.time) }
        let mac: [UInt8] = [0x00, 0x15, 0x5D, 0, 0, 9], server: [UInt8] = [0x00, 0x15, 0x5D, 0, 0, 0xFE]
        let lease = (leaseSeconds: UInt32(3600), renewalSeconds: UInt32(1800), rebindingSeconds: UInt32(3150))
        let dora: [DHCPMessage] = [
            DHCPMessage(kind: .discover, transactionID: 7, clientMAC: mac),
            DHCPMessage(
                kind: .offer, transactionID: 7, clientMAC: mac, yourAddress: 0x0AF4_0010, serverAddress: 0x0AF4_0001,
                subnetMask: 0xFFFF_FF00, leaseSeconds: lease.0, renewalSeconds: lease.1, rebindingSeconds: lease.2),
            DHCPMessage(kind: .request, transactionID: 7, clientMAC: mac, serverAddress: 0x0AF4_0001, requestedAddress: 0x0AF4_0010),
            DHCPMessage(
                kind: .ack, transactionID: 7, clientMAC: mac, yourAddress: 0x0AF4_0010, serverAddress: 0x0AF4_0001,
                subnetMask: 0xFFFF_FF00, leaseSeconds: lease.0, renewalSeconds: lease.1, rebindingSeconds: lease.2),
        ]
        for (i, m) in dora.enumerated() {
            w.append(frame: m.frame(serverMAC: server, id: UInt16(100 + i)), at: SimTime(picoseconds: 4_000_000 + Int64(i) * 1_000_000))
        }
        try AtomicFile.write(w.bytes, to: url)

        let fields = run(
            "tshark",
            [
                "-r", url.path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=;", "-e", "frame.protocols", "-e", "ip.src", "-e", "vlan.id",
                "-e", "dhcp.option.dhcp", "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "tcp.checksum.status",
            ])!
        #expect(fields.status == 0)
        #expect(tsharkProblems(fields.err).isEmpty, "tshark: \(fields.err)")
        let lines = fields.out.split(separator: "\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.count == 7)
        #expect(lines[0][0] == "eth:ethertype:ip:udp:data")
        #expect(lines[1][0] == "eth:ethertype:ip:tcp:data")
        #expect(lines[2][0] == "eth:ethertype:vlan:ethertype:ip:udp:data" && lines[2][2] == "42")
        #expect(lines[3][0] == "eth:ethertype:ip:udp:dhcp" && lines[3][3] == "1")
        #expect(lines[6][3] == "5")
        #expect(lines[0][1] == "10.0.0.1")
        // Checksum status 1 = good (checked because of the -o options above).
        for l in lines { for s in l[4...] where !s.isEmpty { #expect(s == "1", "bad checksum in \(l)") } }
        // The expert system finds nothing malformed or in error.
        let expert = run("tshark", ["-r", url.path, "-q", "-z", "expert,warn"])!
        #expect(!expert.out.contains("Malformed") && !expert.out.contains("Errors ("), "\(expert.out)")
    }
}

/// What Wireshark makes of the flow frames the model captures: plain UDP and TCP, never another protocol.
@Suite struct CapturedPortsTests {
    @Test(.enabled(if: tsharkAvailable, "needs tshark (apt-get install tshark, or scripts/setup)"))
    func tinyPayloadsDecodeAsPlainUDPAndTCP() throws {
        // 1-byte UDP payloads (which Wireshark read as a malformed CPFI packet on port 5001) and a TCP
        // request/response: every frame decodes as eth:ethertype:ip:udp|tcp[:data] or ARP, none malformed.
        var c = ReferenceConfigs.quickstart(duration: .milliseconds(2))
        c.flows[0].size = .fixed(1)
        c.flows[0].pattern = .constant(rate: .megabits(1))
        c.flows[1].size = .fixed(1)
        c.flows[1].pattern = .requestResponse(responseBytes: 1)
        c.captures = [CapturePort(switch: "external", endpoint: .external(nic: "pnic0"))]
        let out = try HostSimulation(config: c).run()
        let dir = temporaryDirectory("ports")
        let w = try ReportWriter.write(
            report: out.report, captures: out.captures, scenario: ScenarioInfo(name: "q", file: "q.yaml"),
            tool: ToolInfo(version: "0.1.0", gitRevision: "test"), to: dir)
        let pcap = try #require(w.files.first { $0.hasSuffix(".pcap") })
        let r = try #require(run("tshark", ["-r", dir.appendingPathComponent(pcap).path, "-T", "fields", "-e", "frame.protocols"]))
        #expect(r.status == 0 && tsharkProblems(r.err).isEmpty, "tshark: \(r.err)")
        let protocols = Set(r.out.split(separator: "\n").map(String.init))
        let plain: Set = ["eth:ethertype:ip:udp:data", "eth:ethertype:ip:tcp:data", "eth:ethertype:ip:tcp", "eth:ethertype:arp"]
        #expect(protocols.isSubset(of: plain), "\(protocols)")
        #expect(protocols.contains("eth:ethertype:ip:udp:data") && protocols.contains("eth:ethertype:ip:tcp:data"), "\(protocols)")
    }
}
