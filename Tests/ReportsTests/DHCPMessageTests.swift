import Foundation
import SimCore
import Testing

@testable import Models
@testable import Reports

/// The DHCP frames of a pcap file: every kind and REQUEST phase, with the fields and addresses RFC 2131 gives them.
@Suite struct DHCPMessageTests {
    static let mac: [UInt8] = [0x00, 0x03, 0xFF, 0, 0, 9]
    static let serverMAC: [UInt8] = [0x00, 0x03, 0xFF, 0, 0, 0xFE]
    static let server: UInt32 = 0x0AED_0001, client: UInt32 = 0x0AED_0010
    static let broadcastMAC: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]

    /// One of each: DISCOVER, OFFER and ACK (unicast, options 3/6/44), REQUEST in its four phases, the ACK of a
    /// renewal, NAK, DECLINE, RELEASE. A Windows client: broadcast flag clear.
    static var messages: [DHCPMessage] {
        func server(_ k: DHCPMessage.Kind, ciaddr: UInt32 = 0) -> DHCPMessage {
            DHCPMessage(
                kind: k, transactionID: 0x12_3456, clientMAC: mac, yourAddress: k == .nak ? 0 : client, serverAddress: Self.server,
                subnetMask: 0xFFFF_FF00, leaseSeconds: 3600, renewalSeconds: 1800, rebindingSeconds: 3150, clientAddress: ciaddr,
                broadcastFlag: false, gateway: 0x0AED_00FE, dns: [0x0AED_0002, 0x0AED_0003], wins: [0x0AED_0004])
        }
        func request(_ p: DHCPMessage.RequestPhase) -> DHCPMessage {
            let bound = p == .renewing || p == .rebinding
            return DHCPMessage(
                kind: .request, transactionID: 0x12_3456, clientMAC: mac, serverAddress: Self.server,
                requestedAddress: bound ? 0 : client, requestPhase: p, clientAddress: bound ? client : 0, broadcastFlag: false)
        }
        return [
            DHCPMessage(kind: .discover, transactionID: 0x12_3456, clientMAC: mac, broadcastFlag: false), server(.offer),
            request(.selecting), server(.ack), request(.initReboot), request(.renewing), server(.ack, ciaddr: client),
            request(.rebinding), server(.nak),
            DHCPMessage(
                kind: .decline, transactionID: 7, clientMAC: mac, serverAddress: Self.server, requestedAddress: client, broadcastFlag: false
            ),
            DHCPMessage(
                kind: .release, transactionID: 8, clientMAC: mac, serverAddress: Self.server, clientAddress: client, broadcastFlag: false),
        ]
    }

    /// The options of a payload, by code.
    static func options(_ p: [UInt8]) -> [UInt8: [UInt8]] {
        var o: [UInt8: [UInt8]] = [:]
        var i = 240
        while i < p.count, p[i] != 255 {
            if p[i] == 0 { i += 1; continue }
            o[p[i]] = Array(p[(i + 2)..<(i + 2 + Int(p[i + 1]))])
            i += 2 + Int(p[i + 1])
        }
        return o
    }

    @Test func fieldsFollowRFC2131Tables() {
        // Expected (RFC 2131 Tables 3 and 5): ciaddr only in renewing/rebinding REQUEST, the ACK of one, RELEASE;
        // option 50 in selecting/initReboot REQUEST and DECLINE; 54 in OFFER, ACK, NAK, selecting REQUEST, DECLINE,
        // RELEASE; 61 in every client message; 55 in DISCOVER and REQUEST; 3, 6, 44 in OFFER/ACK.
        let m = Self.messages
        let ciaddr = m.map { Array($0.payload[12..<16]) != [0, 0, 0, 0] }
        #expect(ciaddr == [false, false, false, false, false, true, true, true, false, false, true])
        let o = m.map { Self.options($0.payload) }
        #expect(o.map { $0[50] != nil } == [false, false, true, false, true, false, false, false, false, true, false])
        #expect(o.map { $0[54] != nil } == [false, true, true, true, false, false, true, false, true, true, true])
        #expect(o.map { $0[61] != nil } == m.map { !$0.fromServer })
        #expect(o.map { $0[61] }.compactMap { $0 }.allSatisfy { $0 == [1] + Self.mac })
        #expect(o.map { $0[55] != nil } == m.map { $0.kind == .discover || $0.kind == .request })
        #expect(o[1][3] == [10, 237, 0, 254] && o[1][6] == [10, 237, 0, 2, 10, 237, 0, 3] && o[1][44] == [10, 237, 0, 4])
        #expect(o[8][3] == nil && o[8][51] == nil && m[8].payload[16..<20] == [0, 0, 0, 0])  // NAK: no yiaddr, no lease
        #expect(m.allSatisfy { $0.payload[10] == 0 })  // broadcast flag clear
    }

    @Test func unicastAndBroadcastAddresses() {
        // Expected: DISCOVER from 0.0.0.0 to broadcast; OFFER/ACK (flag clear) to the client's MAC and yiaddr;
        // the selecting and initReboot REQUESTs broadcast from 0.0.0.0; the renewing REQUEST from ciaddr to the
        // server's MAC and address, its ACK back to ciaddr; rebinding broadcast from ciaddr; NAK broadcast; DECLINE
        // broadcast from 0.0.0.0; RELEASE from ciaddr to the server.
        let a = Self.messages.map { $0.addresses(serverMAC: Self.serverMAC) }
        let b = Self.broadcastMAC, all: UInt32 = 0xFFFF_FFFF, s = Self.server, c = Self.client
        let expected: [([UInt8], UInt32, UInt32)] = [
            (b, 0, all), (Self.mac, s, c), (b, 0, all), (Self.mac, s, c), (b, 0, all), (Self.serverMAC, c, s), (Self.mac, s, c),
            (b, c, all), (b, s, all), (b, 0, all), (Self.serverMAC, c, s),
        ]
        #expect(a.map(\.destinationMAC) == expected.map(\.0))
        #expect(a.map(\.source) == expected.map(\.1))
        #expect(a.map(\.destination) == expected.map(\.2))
        #expect(a.map(\.sourceMAC) == Self.messages.map { $0.fromServer ? Self.serverMAC : Self.mac })
        // The existing default (flag set) still broadcasts an OFFER.
        let legacy = DHCPMessage(kind: .offer, transactionID: 1, clientMAC: Self.mac, yourAddress: c, serverAddress: s)
        #expect(legacy.addresses(serverMAC: Self.serverMAC).destination == all && legacy.payload[10] == 0x80)
    }

    @Test func aModelMessageBecomesItsFrame() {
        // Expected: the model's packed DHCPWire decodes to the same message the table above builds by hand — the
        // kind, xid and address in the field its kind and phase give it, the server's options in OFFER and ACK.
        let config = DHCPServerConfig(
            enabled: true, network: 0x0AED_0000, prefixLength: 24, gateway: 0x0AED_00FE, dns: [0x0AED_0002, 0x0AED_0003],
            wins: [0x0AED_0004], lease: .seconds(3600), renewal: .seconds(1800), rebinding: .seconds(3150))
        func wire(_ k: DHCPKind, _ p: DHCPRequestPhase = .selecting, _ a: UInt32 = 0, xid: UInt32 = 0x12_3456) -> UInt64 {
            DHCPWire(
                kind: k, phase: p, broadcast: k == .nak || (k == .request && p != .renewing) || k == .discover, transactionID: xid,
                address: a
            ).packed
        }
        let c = Self.client
        let model = [
            DHCPMessage(wire: wire(.discover), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.offer, .selecting, c), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.request, .selecting, c), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.ack, .selecting, c), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.request, .initReboot, c), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.request, .renewing, c), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.ack, .selecting, c), clientMAC: Self.mac, clientAddress: c, server: config),
            DHCPMessage(wire: wire(.request, .rebinding, c), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.nak), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.decline, .selecting, c, xid: 7), clientMAC: Self.mac, server: config),
            DHCPMessage(wire: wire(.release, .selecting, c, xid: 8), clientMAC: Self.mac, server: config),
        ]
        // The hand-built table differs only where the model has nothing to say: option 50 of a DISCOVER is 0 in both;
        // the server's NAK carries its options in neither frame; a NAK's broadcast flag is set.
        for (i, (m, h)) in zip(model, Self.messages).enumerated() {
            var h = h
            if h.kind == .nak { h.broadcastFlag = true }
            #expect(m.frame(serverMAC: Self.serverMAC, id: 1) == h.frame(serverMAC: Self.serverMAC, id: 1), "message \(i): \(m) vs \(h)")
        }
    }

    /// tshark decodes every kind as DHCP with the right fields, good checksums, and no warning or malformed packet.
    @Test(.enabled(if: tsharkAvailable, "needs tshark (apt-get install tshark, or scripts/setup)"))
    func everyKindDecodesInTsharkWithoutWarnings() throws {
        let dir = temporaryDirectory("dhcp")
        let url = dir.appendingPathComponent("dhcp.pcap")
        var w = PcapWriter()
        for (i, m) in Self.messages.enumerated() {
            w.append(frame: m.frame(serverMAC: Self.serverMAC, id: UInt16(i + 1)), at: SimTime.milliseconds(Int64(i)))
        }
        try AtomicFile.write(w.bytes, to: url)
        let verbose = try #require(run("tshark", ["-r", url.path, "-V", "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]))
        #expect(verbose.status == 0 && tsharkProblems(verbose.err).isEmpty, "tshark: \(verbose.err)")
        #expect(!verbose.out.contains("Expert Info (Warning") && !verbose.out.contains("Malformed"), "\(verbose.out)")
        #expect(!verbose.out.contains("Expert Info (Error"), "\(verbose.out)")
        let fields = try #require(
            run(
                "tshark",
                [
                    "-r", url.path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=;",
                    "-e", "frame.protocols", "-e", "dhcp.option.dhcp", "-e", "ip.src", "-e", "ip.dst", "-e", "dhcp.ip.client",
                    "-e", "dhcp.option.requested_ip_address", "-e", "dhcp.option.dhcp_server_id", "-e", "ip.checksum.status",
                    "-e", "udp.checksum.status",
                ]))
        let lines = fields.out.split(separator: "\n").map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
        try #require(lines.count == Self.messages.count)
        #expect(lines.allSatisfy { $0[0] == "eth:ethertype:ip:udp:dhcp" && $0[7] == "1" && $0[8] == "1" }, "\(lines)")
        #expect(lines.map { $0[1] } == ["1", "2", "3", "5", "3", "3", "5", "3", "6", "4", "7"])
        #expect(lines[5][2...6] == ["10.237.0.16", "10.237.0.1", "10.237.0.16", "", ""])  // renewing: unicast, ciaddr, no 50/54
        #expect(lines[2][2...6] == ["0.0.0.0", "255.255.255.255", "0.0.0.0", "10.237.0.16", "10.237.0.1"])  // selecting
        #expect(lines[1][3] == "10.237.0.16")  // the OFFER unicast to yiaddr
    }
}
