import SimCore

/// One frame seen crossing a capture port, with the header fields a pcap writer needs.
/// Models record these; Reports writes the pcap (Models never write files).
public struct CapturedFrame: Sendable, Equatable, Codable {
    /// When the frame crossed the port (seconds since the start of the run, picosecond integer kept too).
    public var timePicoseconds: Int64
    /// The capture port, "switch/endpoint".
    public var port: String
    /// True if the frame was leaving the switch through the port, false if entering.
    public var egress: Bool
    /// Frame length on the wire without FCS (for an LSO super-segment: the whole super-frame).
    public var frameLength: Int
    public var sourceMAC: [UInt8]
    public var destinationMAC: [UInt8]
    /// 802.1Q VLAN id, 0 = untagged.
    public var vlan: UInt16
    /// IPv4 addresses as 32-bit values (network order when written big-endian).
    public var sourceIPv4: UInt32
    public var destinationIPv4: UInt32
    public var transport: CapturedTransport
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// TCP sequence, acknowledgement numbers and flags (SYN 0x02, ACK 0x10, PSH 0x08); 0 for UDP.
    public var tcpSequence: UInt32
    public var tcpAcknowledgement: UInt32
    public var tcpFlags: UInt8
    public var payloadLength: Int
    /// A DHCP message of a Virtual Server network (`transport` is `.udp`): what the pcap writer needs to write it.
    public var dhcp: CapturedDHCP? = nil

    public init(
        timePicoseconds: Int64, port: String, egress: Bool, frameLength: Int, sourceMAC: [UInt8], destinationMAC: [UInt8],
        vlan: UInt16, sourceIPv4: UInt32, destinationIPv4: UInt32, transport: CapturedTransport, sourcePort: UInt16,
        destinationPort: UInt16, tcpSequence: UInt32, tcpAcknowledgement: UInt32, tcpFlags: UInt8, payloadLength: Int
    ) {
        self.timePicoseconds = timePicoseconds; self.port = port; self.egress = egress; self.frameLength = frameLength
        self.sourceMAC = sourceMAC; self.destinationMAC = destinationMAC; self.vlan = vlan
        self.sourceIPv4 = sourceIPv4; self.destinationIPv4 = destinationIPv4; self.transport = transport
        self.sourcePort = sourcePort; self.destinationPort = destinationPort; self.tcpSequence = tcpSequence
        self.tcpAcknowledgement = tcpAcknowledgement; self.tcpFlags = tcpFlags; self.payloadLength = payloadLength
    }

    public var time: SimTime { SimTime(picoseconds: timePicoseconds) }
}

/// A DHCP message crossing a capture port: the model's packed message (`DHCPWire`), the client's and server's MAC
/// addresses, the client's address (for an ACK to a renewing client) and the server's configured options.
public struct CapturedDHCP: Sendable, Equatable, Codable {
    public var packed: UInt64
    public var clientMAC: [UInt8]
    public var serverMAC: [UInt8]
    public var clientAddress: UInt32
    public var server: UInt32
    public var prefixLength: Int
    public var gateway: UInt32
    public var dns: [UInt32]
    public var wins: [UInt32]
    public var leaseSeconds: Int64
    public var renewalSeconds: Int64
    public var rebindingSeconds: Int64

    public init(packed: UInt64, clientMAC: [UInt8], serverMAC: [UInt8], clientAddress: UInt32, config d: DHCPServerConfig) {
        self.packed = packed; self.clientMAC = clientMAC; self.serverMAC = serverMAC; self.clientAddress = clientAddress
        server = d.server; prefixLength = d.prefixLength; gateway = d.gateway; dns = d.dns; wins = d.wins
        leaseSeconds = d.lease.picoseconds / SimTime.picosecondsPerSecond
        renewalSeconds = d.renewal.picoseconds / SimTime.picosecondsPerSecond
        rebindingSeconds = d.rebinding.picoseconds / SimTime.picosecondsPerSecond
    }

    /// The server's configuration as far as its messages show it.
    public var config: DHCPServerConfig {
        let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefixLength)
        return DHCPServerConfig(
            enabled: true, network: server & mask, prefixLength: prefixLength, server: server, gateway: gateway, dns: dns,
            wins: wins, lease: .seconds(leaseSeconds), renewal: .seconds(renewalSeconds), rebinding: .seconds(rebindingSeconds))
    }
}

/// What the frame carries: a UDP or TCP segment in IPv4, or an ARP packet (a gratuitous ARP: sender and target
/// IPv4 address both the sender's).
public enum CapturedTransport: String, Sendable, Equatable, Codable { case udp, tcp, arp }

/// The UDP and TCP ports of flow traffic in capture files: ports no Wireshark dissector claims (none is
/// registered on 61000…65535 in tshark 4.0's `-G decodes`; the old 5001 is CPFI's, which decoded a 1-byte UDP
/// payload as a malformed CPFI packet), so Wireshark shows plain UDP/TCP segments with their payload as data.
public enum CapturedPorts {
    /// The receiving application's port (the flow's destination; responses and ACKs come from it).
    public static let server: UInt16 = 61000
    /// The senders' ports: one per flow, the flow's index wrapping around the range.
    public static let clients: ClosedRange<UInt16> = 61001...65535

    /// The sending port of flow `index` (the flow's source).
    public static func client(flow index: Int) -> UInt16 {
        clients.lowerBound + UInt16(index % clients.count)
    }
}

/// A capture port whose frames stopped being kept: it reached `maxCapturedFrames`, or all ports together
/// reached ``ConfigurationLimits/capturedFrames``. Its pcap file ends at `stoppedAt`.
public struct CaptureTruncation: Sendable, Equatable {
    /// The port, "switch/endpoint" (as ``CapturedFrame/port``).
    public var port: String
    /// Frames written to its pcap file.
    public var kept: Int
    /// Frames that crossed it later, counted and not kept.
    public var dropped: UInt64
    /// When the first frame not kept crossed it.
    public var stoppedAt: SimTime
    /// The limit reached was the total over all ports (memory), not the port's own `maxCapturedFrames`.
    public var byTotalLimit: Bool

    public init(port: String, kept: Int, dropped: UInt64, stoppedAt: SimTime, byTotalLimit: Bool) {
        self.port = port; self.kept = kept; self.dropped = dropped; self.stoppedAt = stoppedAt; self.byTotalLimit = byTotalLimit
    }
}

/// Everything a run returns: the report and the captured frames.
public struct RunOutput: Sendable {
    public var report: RunReport
    public var captures: [CapturedFrame]
    /// Frames that crossed capture ports beyond their limit (counted, not kept), over all ports.
    public var capturesDropped: UInt64
    /// The capture ports that reached their limit, in port order (empty when every frame was kept).
    public var captureTruncations: [CaptureTruncation] = []
}

/// A run that broke an invariant (e.g. packet conservation); the run's numbers are in the message.
public struct SimulationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Progress of a running simulation, handed to the optional progress callback between slices.
public struct RunProgress: Sendable {
    public var simulatedSeconds: Double
    public var durationSeconds: Double
    public var events: UInt64
    public var packetsCreated: UInt64
    public var fraction: Double { durationSeconds > 0 ? simulatedSeconds / durationSeconds : 1 }
}
