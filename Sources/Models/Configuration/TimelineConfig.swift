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
        /// Add a declared adapter to its VM (Virtual Server `AddNetworkAdapter`): it exists from now on, detached
        /// until an `attach`.
        case addAdapter(vm: String, adapter: String)
        /// Remove an adapter from a stopped VM (`RemoveNetworkAdapter`); it is detached first.
        case removeAdapter(vm: String, adapter: String)
        /// Create a declared Virtual Server network (`CreateVirtualNetwork`): its hub and DHCP server exist from now on.
        case createNetwork(String)
        /// Delete a network (`DeleteVirtualNetwork`): every attached adapter is logically detached, packets in flight on
        /// it are lost (incomplete transmissions), then the network and its configuration are removed.
        case deleteNetwork(String)
        /// Unregister a network (`UnregisterVirtualNetwork`): as delete, but its configuration is kept, so a later
        /// `register_network` brings it back.
        case unregisterNetwork(String)
        /// Register an unregistered network again (`RegisterVirtualNetwork`), with its configuration.
        case registerNetwork(String)
        /// Enable or disable a network's configured DHCP server (`IVMDHCPVirtualNetworkServer::IsEnabled`): a disabled
        /// server answers nothing, so its clients' exchanges go unanswered (they retransmit, and leases run out).
        case setDHCPServer(network: String, enabled: Bool)
        /// A VM's power: start it (counters reset), turn it off, reset it (counters reset), save its state, restore it
        /// (counters reset). See docs/model.md for what each does to its adapters and leases.
        case power(vm: String, VMPowerAction)
        /// Hot-remove the SR-IOV virtual function of a VM's adapter (as on live migration or `Set-VMNetworkAdapter
        /// -IovWeight 0`): the guest switches its datapath to the synthetic path (NVSP v4, MODEL-REFERENCE §1.3); frames
        /// already in the VF's queues drop (`vf_removed`).
        case removeVF(vm: String, adapter: String)
        /// Give the adapter its virtual function back: new traffic takes the VF path again.
        case restoreVF(vm: String, adapter: String)
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

/// What a timeline power action does to a VM (Virtual Server's `IVMVirtualMachine::Startup`, `TurnOff`, `Reset`,
/// `Save`; a saved VM is restored by `Startup`).
public enum VMPowerAction: String, Sendable, Equatable, CaseIterable {
    case powerOn = "power_on"
    case powerOff = "power_off"
    case reset
    case save
    case restore
}
