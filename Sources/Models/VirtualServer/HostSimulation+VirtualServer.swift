import SimCore

// Virtual Server's timeline actions (MODEL-REFERENCE §2): adapters added, attached, detached and removed; networks
// created, deleted, unregistered and registered again; VMs powered on and off, reset, saved and restored. Every action
// is checked for order when the configuration is validated (`checkTimelineStates`), so here each finds its state.
//
// Losing packets: a network deleted or unregistered, or a VM stopped, loses the packets it holds at that instant. They
// cannot be freed at once — each is referenced by a pending event or a device queue — so each is marked
// (`PacketFlag.lostWithNetwork`, `.lostWithVM`) and counted at the instant, and its next stage drops it with the
// cause (`incomplete_transmission`, `vm_stopped`). Until then it is in flight, so conservation holds at every event.
extension HostSimulation {
    func buildVirtualServer() {
        virtualServer.enabled = config.host.platform == .virtualServer
        virtualServer.running = config.vms.map(\.running)
        virtualServer.accounts = [VMAccount](repeating: VMAccount(), count: config.vms.count)
        for sw in switching.switches.indices where switching.switches[sw].forwardStage == .hubForward {
            virtualServer.networks.append(VirtualNetworkState(name: switching.switches[sw].name, switchID: sw))
            if !switching.switches[sw].exists {
                for op in switching.switches[sw].ports { switching.ports[op].bound = false }
            }
        }
        for vm in config.vms {
            for a in vm.adapters {
                let e = adapters.byName["\(vm.name)/\(a.name)"]!
                adapters.endpoints[e].present = a.present
                if !a.present { switching.ports[adapters.endpoints[e].port].bound = false }
                if adapters.endpoints[e].device != .none { adapters.devices[adapters.endpoints[e].device].stopped = !vm.running }
            }
        }
        for e in adapters.endpoints.indices where adapters.isVMAdapter(e) { refreshReady(e) }
    }

    func applyVirtualServer(_ action: TimelineAction.Action, _ k: inout Kernel) {
        switch action {
        case .addAdapter(let vm, let a):
            let e = adapters.byName["\(vm)/\(a)"]!
            adapters.endpoints[e].present = true
            refreshReady(e, &k)
        case .removeAdapter(let vm, let a):
            let e = adapters.byName["\(vm)/\(a)"]!
            detach(e, &k)
            adapters.endpoints[e].present = false
            refreshReady(e, &k)
        case .createNetwork(let n), .registerNetwork(let n):
            bringUp(network(named: n), &k)
        case .deleteNetwork(let n):
            remove(network(named: n), deleted: true, &k)
        case .unregisterNetwork(let n):
            remove(network(named: n), deleted: false, &k)
        case .setDHCPServer(let n, let enabled):
            let sw = virtualServer.networks[network(named: n)].switchID
            if let c = virtualServer.serverComponent[sw.index] {
                virtualServer.servers[control.components[c].protocolIndex].config.enabled = enabled
            }
        case .power(let vm, let p):
            power(VMID(config.vms.firstIndex { $0.name == vm }!), p, &k)
        case .startFlow, .stopFlow, .attachAdapter, .detachAdapter, .removeVF, .restoreVF:
            break
        }
    }

    func network(named n: String) -> NetworkID {
        virtualServer.networks.indices.first { virtualServer.networks[$0].name == n }!
    }

    /// A network created or registered again: its hub exists, its uplink and DHCP server are plugged in (the server
    /// with the leases it kept if it was unregistered; a deleted one forgot them, `networkWentDown`); VM adapters stay
    /// detached until an `attach`.
    func bringUp(_ n: NetworkID, _ k: inout Kernel) {
        let sw = virtualServer.networks[n].switchID
        switching.switches[sw].exists = true
        for op in switching.switches[sw].ports where !adapters.isVMAdapter(switching.ports[op].endpoint) {
            switching.ports[op].bound = true
            switching.ports[op].generation &+= 1
        }
    }

    /// Deletes (or unregisters) a network: every packet in flight on it is marked lost and counted, then every attached
    /// adapter is logically detached — "the equivalent of unplugging network cables from a physical switching hub"
    /// (Virtual Network Architecture, MODEL-REFERENCE §2) — and the hub is removed.
    func remove(_ n: NetworkID, deleted: Bool, _ k: inout Kernel) {
        let sw = virtualServer.networks[n].switchID
        let (count, bytes) = abandon(flag: PacketFlag.lostWithNetwork) { p in self.isOnNetwork(p, sw) }
        var detached: [String] = []
        for op in switching.switches[sw].ports where switching.ports[op].bound {
            let e = switching.ports[op].endpoint
            if adapters.isVMAdapter(e) {
                detached.append(adapters.endpoints[e].name)
                virtualServer.lostNetwork[e] = (virtualServer.networks[n].name, k.now, deleted)
                dhcpLinkDown(e, &k)
            }
            unbind(op, cause: .incompleteTransmission, &k)
        }
        switching.switches[sw].exists = false
        virtualServer.networks[n].unportedDrops &+= count
        virtualServer.networks[n].unportedDropBytes &+= bytes
        networkWentDown(n, deleted: deleted, &k)
        virtualServer.networks[n].removals.append(
            NetworkRemoval(at: k.now, deleted: deleted, inFlightPackets: count, inFlightBytes: bytes, detachedAdapters: detached))
    }

    /// Whether live packet `p` is on switch `sw`'s network now: on its sender's side (on the emulated wire out of the
    /// adapter, or being forwarded) through a port of the network, or on its receiver's side (queued at a port, being
    /// DMA'd into the adapter, at the DHCP server) behind one.
    func isOnNetwork(_ p: PacketID, _ sw: SwitchID) -> Bool {
        switch PacketStage(rawValue: packets.stage[p.slot]) {
        case .emulatedWire?, .switching?:
            return switching.ports[adapters.endpoints[source(of: p)].port].switchIndex == sw
        case .portQueue?, .emulatedDevice?, .networkServer?:
            return switching.ports[adapters.endpoints[destination(of: p)].port].switchIndex == sw
        default:
            return false
        }
    }

    /// Marks every live packet `which` selects with `flag` (once: a packet already marked keeps its first mark) and
    /// returns how many there were and their frame bytes. O(live packets), at a timeline action, never per event.
    func abandon(flag: UInt16, _ which: (PacketID) -> Bool) -> (UInt64, UInt64) {
        var count: UInt64 = 0, bytes: UInt64 = 0
        packets.forEachLive { p in
            guard packets.flags[p.slot] & PacketFlag.abandoned == 0 && which(p) else { return }
            packets.flags[p.slot] |= flag
            count &+= 1
            bytes &+= UInt64(packets.frameBytes[p.slot])
        }
        return (count, bytes)
    }

    /// Drops a marked packet with its cause; true if it was marked (the caller stops there).
    @inline(__always)
    func droppedIfAbandoned(_ p: PacketID, _ k: inout Kernel) -> Bool {
        let f = packets.flags[p.slot]
        guard _slowPath(f & PacketFlag.abandoned != 0) else { return false }
        drop(p, f & PacketFlag.lostWithNetwork != 0 ? .incompleteTransmission : .vmStopped, &k)
        return true
    }

    /// A VM's power action. Stopping (off, save, and the first half of a reset) loses what the VM holds — packets in
    /// its stack, its adapter's queues and rings (`vm_stopped`) — and takes its links down; starting (on, restore, the
    /// second half of a reset) brings them up and resets its network counters (`IVMAccountant`, §2).
    func power(_ vm: VMID, _ action: VMPowerAction, _ k: inout Kernel) {
        let eps = adapters.endpoints.indices.filter { adapters.endpoints[$0].vm == vm && adapters.isVMAdapter($0) }
        let stops = action == .powerOff || action == .save || action == .reset
        let starts = action == .powerOn || action == .restore || action == .reset
        if stops {
            let mine = Set(eps)
            _ = abandon(flag: PacketFlag.lostWithVM) { p in self.isInsideVM(p, mine) }
            virtualServer.running[vm.index] = false
            for e in eps {
                if adapters.endpoints[e].device != .none { adapters.devices[adapters.endpoints[e].device].stopped = true }
                dhcpLinkDown(e, &k)
                refreshReady(e, &k)
            }
        }
        if starts {
            virtualServer.running[vm.index] = true
            virtualServer.accounts[vm.index] = VMAccount(since: k.now, base: vmTotals(vm))
            for e in eps {
                if adapters.endpoints[e].device != .none { adapters.devices[adapters.endpoints[e].device].stopped = false }
                if adapters.endpoints[e].present && switching.ports[adapters.endpoints[e].port].bound {
                    dhcpLinkUp(e, &k)
                    announce(e, &k)
                }
                refreshReady(e, &k)
            }
        }
    }

    /// Whether live packet `p` is inside one of the VM's adapters `eps` or its guest: on the way out (stack, queue,
    /// emulated wire) from one, or on the way in (device DMA, receive ring, ISR) to one.
    func isInsideVM(_ p: PacketID, _ eps: Set<EndpointID>) -> Bool {
        switch PacketStage(rawValue: packets.stage[p.slot]) {
        case .guestStack?, .guestQueue?, .emulatedWire?: return eps.contains(source(of: p))
        case .emulatedDevice?, .receiveRing?, .guestReceive?: return eps.contains(destination(of: p))
        default: return false
        }
    }

    /// The VM's network totals now: what its adapters' ports took in (sent) and handed out (received) and dropped.
    func vmTotals(_ vm: VMID) -> NetworkTotals {
        var t = NetworkTotals()
        for op in switching.ports.indices {
            let e = switching.ports[op].endpoint
            guard adapters.isVMAdapter(e), adapters.endpoints[e].vm == vm else { continue }
            let c = switching.ports[op].counters
            t.bytesSent &+= c.inBytes; t.packetsSent &+= c.inPackets
            t.bytesReceived &+= c.outBytes; t.packetsReceived &+= c.outPackets
            t.packetsDropped &+= c.drops
        }
        return t
    }

    /// Recomputes whether flows may use endpoint `e` (`EndpointState.ready`) and wakes the flows that wait for it.
    func refreshReady(_ e: EndpointID, _ k: inout Kernel) {
        let was = adapters.endpoints[e].ready
        refreshReady(e)
        guard !was && adapters.endpoints[e].ready else { return }
        for f in traffic.flows
        where f.active && (f.from == e || f.to == e) && adapters.endpoints[f.from].ready && adapters.endpoints[f.to].ready {
            resume(f, &k)
        }
    }

    /// `ready` without waking anyone (at build time).
    func refreshReady(_ e: EndpointID) {
        guard virtualServer.enabled, adapters.isVMAdapter(e) else { adapters.endpoints[e].ready = true; return }
        let vm = adapters.endpoints[e].vm
        adapters.endpoints[e].ready =
            adapters.endpoints[e].present && virtualServer.running[vm.index] && hasAddress(e)
    }

    /// A flow that waited for its ends to be ready starts sending (bulk refills its window; a request/response flow
    /// sends its next request; open-loop sources never stopped offering).
    func resume(_ f: FlowState, _ k: inout Kernel) {
        guard k.now < f.stop else { return }
        switch f.pattern {
        case .bulk: bulkSend(f, &k)
        case .requestResponse: if !f.transactionOpen && !f.timer.isArmed { arm(f, after: .zero, &k) }
        default: break
        }
    }

    /// Whether flow `f` can send now: both its ends ready.
    @inline(__always) func flowReady(_ f: FlowState) -> Bool {
        adapters.endpoints[f.from].ready && adapters.endpoints[f.to].ready
    }
}
