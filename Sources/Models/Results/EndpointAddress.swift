/// The deterministic addresses of one traffic endpoint (for pcap headers, reports and the `describe` command).
public struct EndpointAddress: Sendable, Equatable, Codable {
    /// "vm/adapter", "host@switch" or "external@nic".
    public var name: String
    /// "synthetic", "emulated", "host_vnic", "external" or "dhcp_server" (a Virtual Server network's).
    public var kind: String
    public var `switch`: String
    public var mac: [UInt8]
    public var ipv4: UInt32
    public var vlan: UInt16
}

extension HostSimulation {
    /// Every endpoint's MAC and IPv4 address, in endpoint order (switch uplinks and host vNICs first, then VM adapters).
    public var endpointAddresses: [EndpointAddress] {
        adapters.endpoints.map { e in
            let kind: String
            switch e.kind {
            case .syntheticAdapter: kind = "synthetic"
            case .emulatedAdapter: kind = "emulated"
            case .hostVNIC: kind = "host_vnic"
            case .external: kind = "external"
            case .networkServer: kind = "dhcp_server"
            }
            return EndpointAddress(
                name: e.name, kind: kind, switch: switching.switches[e.switchIndex].name, mac: e.mac.array,
                ipv4: e.ip.value, vlan: switching.ports[e.port].vlan)
        }
    }
}
