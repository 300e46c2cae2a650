extension ConfigurationValidator {
    /// Every virtual switch: a unique name, the port queue, the host VLAN, and by kind: an external switch's NIC
    /// (existing, and bound to no other external switch), a private switch's lack of a host vNIC.
    mutating func checkSwitches() {
        var names = Set<String>()
        var boundNICs = Set<String>()
        for (i, s) in config.switches.enumerated() {
            let at = "switches[\(i)]"
            checkName(s.name, at: at, unique: &names, "switch")
            if s.portQueuePackets < 1 { add("\(at).port_queue", "must be ≥ 1") }
            if s.hostVLAN > 4094 { add("\(at).host_vlan", "VLAN ids are 0…4094") }
            switch s.kind {
            case .external(let nic):
                if !nicNames.contains(nic) { add("\(at).nic", "no NIC named '\(nic)' (NICs: \(config.nics.map(\.name)))") }
                if !boundNICs.insert(nic).inserted { add("\(at).nic", "NIC '\(nic)' is already bound to another external switch") }
            case .private:
                if s.hostVNIC { add("\(at).host_vnic", "a private switch has no host vNIC; use an internal switch") }
            case .internal: break
            case .network(let nic):
                if let nic {
                    if !nicNames.contains(nic) { add("\(at).nic", "no NIC named '\(nic)' (NICs: \(config.nics.map(\.name)))") }
                    if !boundNICs.insert(nic).inserted {
                        add("\(at).nic", "NIC '\(nic)' is already bound to another network; bind each network to its own NIC")
                    }
                }
                if let d = s.dhcp { checkDHCP(d, at: "\(at).dhcp") }
            }
            if s.rsc == true {
                if s.isVirtualNetwork {
                    add("\(at).rsc", "a Virtual Server network has no RSC (it came with Windows Server 2019's vSwitch); remove rsc")
                } else if s.boundNIC == nil {
                    add(
                        "\(at).rsc", "RSC coalesces segments arriving from a physical NIC, and a \(s.kind.name) switch has none; remove rsc"
                    )
                }
            }
            if s.dhcp != nil && !s.isVirtualNetwork { add("\(at).dhcp", "only a Virtual Server network has a DHCP server") }
        }
    }
}
