import SimCore
import Stochastics

/// One traffic flow between two endpoints.
public struct FlowConfig: Sendable, Equatable {
    /// Unique name, e.g. "web1-out".
    public var name: String
    /// Where the flow's data starts.
    public var from: Endpoint
    /// Where it is delivered (responses and ACKs travel back to `from`).
    public var to: Endpoint
    /// UDP or TCP: the header size (42 vs 54 B) and, for bulk flows, ACKs. Default: udp.
    public var transport: Transport
    /// How messages are offered.
    public var pattern: TrafficPattern
    /// Application message size (payload bytes; messages above the MSS become several packets, or one LSO
    /// super-segment). Default: fixed 1,460 B.
    public var size: MessageSize
    /// When the flow starts offering traffic. Default: 0.
    public var start: SimTime
    /// When it stops (nil = end of run). Default: nil.
    public var stop: SimTime?
    /// The sender's socket (open-loop patterns): its send buffer and what a full one does. Default: blocking,
    /// 212,992 B.
    public var socket: SocketOptions

    public init(
        name: String, from: Endpoint, to: Endpoint, transport: Transport = .udp, pattern: TrafficPattern,
        size: MessageSize = .fixed(1460), start: SimTime = .zero, stop: SimTime? = nil, socket: SocketOptions = SocketOptions()
    ) {
        self.name = name; self.from = from; self.to = to; self.transport = transport; self.pattern = pattern
        self.size = size; self.start = start; self.stop = stop; self.socket = socket
    }
}

/// A traffic endpoint.
public enum Endpoint: Sendable, Equatable, CustomStringConvertible {
    /// A VM's adapter.
    case vm(String, adapter: String = "eth0")
    /// The management OS's vNIC on the named switch.
    case host(switch: String)
    /// The external peer beyond the named physical NIC.
    case external(nic: String)

    public var description: String {
        switch self {
        case .vm(let v, let a): return "\(v)/\(a)"
        case .host(let s): return "host@\(s)"
        case .external(let n): return "external@\(n)"
        }
    }
}

public enum Transport: String, Sendable, Equatable, CaseIterable {
    case udp, tcp
    /// Ethernet (14) + IPv4 (20) + UDP (8) or TCP (20) header bytes.
    public var headerBytes: Int { self == .udp ? 42 : 54 }
}

/// How a flow offers messages.
public enum TrafficPattern: Sendable, Equatable {
    /// Messages at fixed intervals so that payload arrives at `rate`.
    case constant(rate: DataRate)
    /// Poisson arrivals of messages with mean payload rate `rate`.
    case poisson(rate: DataRate)
    /// Alternating on/off periods (seconds, drawn from the distributions); constant `rate` while on.
    case onOff(rate: DataRate, on: Distribution, off: Distribution)
    /// Closed loop: a request of `size` bytes, the server answers `responseBytes`; the next request follows the
    /// response after `thinkTime` seconds. Latency = request-to-response time.
    case requestResponse(responseBytes: Int, thinkTime: Distribution = .constant(0))
    /// Closed-loop bulk transfer over TCP: `window` is the receiver's window (the most unacknowledged bytes per
    /// stream); the congestion window grows and shrinks under `tcp`'s congestion control; the receiver ACKs every
    /// `ackEvery` full segments (64-B frames on the reverse path, costing CPU like any packet). Needs transport tcp.
    case bulk(window: ByteCount = .kibibytes(256), ackEvery: Int = 2, tcp: TCPOptions = TCPOptions())

    public var name: String {
        switch self {
        case .constant: return "constant"
        case .poisson: return "poisson"
        case .onOff: return "on_off"
        case .requestResponse: return "request_response"
        case .bulk: return "bulk"
        }
    }
}

/// The size of an application message.
public enum MessageSize: Sendable, Equatable {
    /// Always this many payload bytes.
    case fixed(Int)
    /// Drawn per message (bytes, rounded, clamped to 1…1,048,576).
    case distribution(Distribution)

    /// The mean size in bytes (for rates), if known.
    public var mean: Double? {
        switch self {
        case .fixed(let b): return Double(b)
        case .distribution(let d): return d.mean
        }
    }
}
