import SimCore

/// The congestion control of a bulk flow's TCP sender.
public enum CongestionControl: String, Sendable, Equatable, CaseIterable {
    /// RFC 5681 slow start and congestion avoidance with RFC 6582 fast recovery (no SACK).
    case newreno
    /// RFC 9438 (formerly 8312) CUBIC window growth, with NewReno's loss recovery: the default of Windows
    /// (since Windows 10 1709 / Server 2019) and of Linux (since 2.6.19).
    case cubic
}

/// A bulk flow's TCP: each stream is a connection with its own congestion state, sharing the flow's endpoints (as
/// ntttcp's and iperf's parallel streams do).
///
/// Defaults, each with its source (docs/model.md, "TCP"): initial window 10 segments (RFC 6928, the Windows Server
/// 2012+ and Linux 3.0+ default); minimum RTO 300 ms (Windows' `MinRtoMs` default; Linux uses 200 ms, RFC 6298 asks
/// for 1 s); initial RTO 1 s (RFC 6298 §2.1); delayed ACKs every second full segment or after 200 ms (RFC 5681 §4.2,
/// Windows' `TcpAckFrequency` 2 and `TcpDelAckTicks` 200 ms); a duplicate-ACK threshold of 3 (RFC 5681 §3.2).
public struct TCPOptions: Sendable, Equatable {
    public var congestion: CongestionControl
    /// Parallel connections, 1…`ConfigurationLimits.tcpStreams`.
    public var streams: Int
    /// The initial congestion window in segments (RFC 6928: 10).
    public var initialWindowSegments: Int
    /// The lower bound of the retransmission timeout.
    public var minimumRTO: SimTime
    /// The RTO before the first RTT sample (RFC 6298 §2.1: 1 s).
    public var initialRTO: SimTime
    /// How long a receiver may hold back the ACK of a lone segment (RFC 5681: < 500 ms).
    public var delayedACKTimeout: SimTime

    public init(
        congestion: CongestionControl = .cubic, streams: Int = 1, initialWindowSegments: Int = 10,
        minimumRTO: SimTime = .milliseconds(300), initialRTO: SimTime = .seconds(1), delayedACKTimeout: SimTime = .milliseconds(200)
    ) {
        self.congestion = congestion; self.streams = streams; self.initialWindowSegments = initialWindowSegments
        self.minimumRTO = minimumRTO; self.initialRTO = initialRTO; self.delayedACKTimeout = delayedACKTimeout
    }
}

/// What a sending application does when its socket's send buffer is full.
public enum SocketMode: String, Sendable, Equatable, CaseIterable {
    /// A blocking `send`: the application sleeps until the adapter frees buffer space (TX completion), as
    /// benchmark tools (iperf, ntttcp) and bulk senders do. Its offered schedule slips; nothing is lost at the socket.
    case blocking
    /// A non-blocking `send`: the message is refused (`EAGAIN`/`ENOBUFS`) and dropped at the socket
    /// (`socket_buffer_full`).
    case drop
}

/// The sender's socket: a send buffer that holds each packet's frame bytes from the moment the stack takes it until
/// the adapter completes its transmission (Linux: `sk_wmem_alloc`, freed by the driver's TX completion).
public struct SocketOptions: Sendable, Equatable {
    public var mode: SocketMode
    /// The send buffer in bytes. Default 212,992 B (Linux's `net.core.wmem_default`).
    public var sendBuffer: ByteCount

    public init(mode: SocketMode = .blocking, sendBuffer: ByteCount = ByteCount(212_992)) {
        self.mode = mode; self.sendBuffer = sendBuffer
    }
}
