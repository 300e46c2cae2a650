import SimCore

/// Something that happens at a given simulated time.
public struct TimelineAction: Sendable, Equatable {
    /// When. Must be within the run.
    public var at: SimTime
    public var action: Action
    public init(at: SimTime, _ action: Action) { self.at = at; self.action = action }

    public enum Action: Sendable, Equatable {
        /// Start (or restart) offering traffic on the named flow.
        case startFlow(String)
        /// Stop offering traffic on the named flow (packets already sent go on).
        case stopFlow(String)
        /// Connect a VM's adapter to its switch port.
        case attachAdapter(vm: String, adapter: String, switch: String? = nil)
        /// Disconnect it: frames to or from it are dropped with cause `detached`.
        case detachAdapter(vm: String, adapter: String)
    }
}

/// A switch port whose frames are recorded for a pcap (Reports writes the file).
public struct CapturePort: Sendable, Equatable {
    /// The switch.
    public var `switch`: String
    /// The endpoint whose port is captured: a VM adapter, the host vNIC, or the external uplink.
    public var endpoint: Endpoint
    public init(switch sw: String, endpoint: Endpoint) { self.switch = sw; self.endpoint = endpoint }
}
