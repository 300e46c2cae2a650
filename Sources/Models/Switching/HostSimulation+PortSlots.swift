import SimCore

// Port slots at run time (ns-3's CsmaChannel Attach/Detach/Reattach, with a generation per slot as
// `TimerSlot` has for timers): an adapter is attached by binding its slot on a switch and detached by
// unbinding it; each bind and unbind starts a new generation, so a packet sent through an earlier binding
// is dropped (`detached`) when it reaches the switch instead of going through the new one. Frames waiting
// in a slot's egress queue when it is unbound are dropped there; addresses learned on it are forgotten.
extension HostSimulation {
    /// Connects endpoint `e` to switch `target` (its current switch when nil), leaving the switch it was on.
    func attach(_ e: EndpointID, to target: SwitchID?, _ k: inout Kernel) {
        let current = adapters.endpoints[e].port
        let sw = target ?? switching.ports[current].switchIndex
        guard let slot = switching.slots[Switching.SlotKey(endpoint: e, switchID: sw)] else { return }
        if slot != current && switching.ports[current].bound {
            unbind(current, &k)
            dhcpLinkDown(e, &k)
        }
        adapters.endpoints[e].port = slot
        adapters.endpoints[e].switchIndex = sw
        guard !switching.ports[slot].bound else { return }
        switching.ports[slot].bound = true
        switching.ports[slot].generation &+= 1
        virtualServer.lostNetwork[e] = nil
        // A stopped VM's link comes up when it starts (`power`).
        if adapters.endpoints[e].device == .none || !adapters.devices[adapters.endpoints[e].device].stopped {
            announce(e, &k)
            dhcpLinkUp(e, &k)
        }
    }

    /// Disconnects endpoint `e` from its switch.
    func detach(_ e: EndpointID, _ k: inout Kernel) {
        let slot = adapters.endpoints[e].port
        if switching.ports[slot].bound {
            unbind(slot, &k)
            dhcpLinkDown(e, &k)
        }
    }

    /// Unbinds a slot: a new generation, its waiting frames dropped, its learned addresses forgotten.
    func unbind(_ op: PortID, cause: DropCause = .detached, _ k: inout Kernel) {
        switching.ports[op].bound = false
        switching.ports[op].generation &+= 1
        let e = switching.ports[op].endpoint
        if adapters.endpoints[e].kind == .syntheticAdapter && adapters.endpoints[e].port == op {
            for ch in adapters.endpoints[e].channels {
                while let p = vmbus.channels[ch].egressQueue.popFirst() { drop(p, cause, port: op, &k) }
            }
        }
        switching.switches[switching.ports[op].switchIndex].addresses.removeAll(port: Int32(op.index))
    }
}
