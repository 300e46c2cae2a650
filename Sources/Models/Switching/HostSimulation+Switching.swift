import SimCore

// The learning bridge every switch shares (MODEL-REFERENCE §1.6, §1.7; ns-3's BridgeNetDevice): a frame enters
// through a bound port slot of the generation it was sent under; the source address is learned on learning
// ports (a Hyper-V switch's uplink); the destination is looked up among the registered addresses (the vmNICs'
// and host vNIC's MACs, which Hyper-V's switch knows from the port settings) and the learned ones, per VLAN;
// known unicast goes out its port, unknown unicast is flooded to the learning ports (the uplink) and broadcast
// to every other bound port of the VLAN, a copy per port. Per-port counters and captures.

/// What a switch does with a frame.
@usableFromInline
enum L2Decision {
    case unicast(PortID)
    case flood
    case drop(DropCause)
}

extension HostSimulation {
    /// The frame's VLAN: the access port's, or the tag of a frame from the uplink (a trunk).
    @inline(__always)
    func frameVLAN(_ p: PacketID, ingress ip: PortID) -> UInt16 {
        switching.ports[ip].isUplink ? packets.vlan[p.slot] : switching.ports[ip].vlan
    }

    /// The frame's destination MAC: broadcast, or the address of the endpoint it is for.
    @inline(__always)
    func destinationMAC(_ p: PacketID) -> UInt64 {
        packets.flags[p.slot] & PacketFlag.broadcast != 0
            ? MACAddress.broadcast.uint64 : adapters.endpoints[destination(of: p)].address
    }

    /// The switch's decision for packet `p` entering at `ip` (no side effects: the VSP's pass asks it to charge the
    /// receive side, and `forward` asks again when the frame is switched).
    @inline(__always)
    func l2Decision(_ p: PacketID, ingress ip: PortID, now: SimTime) -> L2Decision {
        // A Virtual Server network that does not exist (deleted, unregistered, not yet created).
        guard switching.switches[switching.ports[ip].switchIndex].exists else { return .drop(.noNetwork) }
        // Through an unbound slot, or one bound again since the packet was sent: its binding was detached.
        guard switching.ports[ip].bound, packets.generation[p.slot] == switching.ports[ip].generation else {
            return .drop(.detached)
        }
        let sw = switching.ports[ip].switchIndex
        let vlan = frameVLAN(p, ingress: ip)
        let mac = destinationMAC(p)
        if MACTable.isMulticast(mac) { return .flood }
        if let hit = switching.switches[sw].addresses.lookup(mac: mac, vlan: vlan, now: now) {
            let op = PortID(Int(hit.port))
            // A learned address is good for the binding it was learned on; a registered one for any.
            if hit.generation == MACTable.anyGeneration || hit.generation == switching.ports[op].generation {
                return egress(op, ingress: ip)
            }
        }
        if switching.switches[sw].addresses.lookup(mac: mac, vlan: SwitchState.anyVLAN, now: now) != nil {
            return .drop(.vlanMismatch)  // a registered address, in another VLAN
        }
        return .flood
    }

    @inline(__always)
    func egress(_ op: PortID, ingress ip: PortID) -> L2Decision {
        guard op != ip else { return .drop(.noRoute) }
        guard switching.ports[op].bound else { return .drop(.detached) }
        return .unicast(op)
    }

    /// Whether a flooded frame of `vlan` entering at `ip` goes out of `op`: every other bound port of the VLAN (the
    /// uplink carries every VLAN) for a broadcast; only the learning ports for unknown unicast.
    @inline(__always)
    func floods(to op: PortID, from ip: PortID, vlan: UInt16, broadcast: Bool) -> Bool {
        // Field by field: a copy of the whole PortState would retain and release its name for every port.
        op != ip && switching.ports[op].bound && (switching.ports[op].isUplink || switching.ports[op].vlan == vlan)
            && (broadcast || switching.ports[op].learns)
    }

    /// Root-side cycles of the switch and of each receiver's root stage, accounted to `server`: vSwitch, then per
    /// egress port NetVSP receive copy (synthetic), the host stack (host vNIC), or the NIC driver (+ software
    /// segmentation without NIC LSO) for the uplink. Billed in one go with `senderCycles` (the caller's own
    /// stages for the packet on the same server, accounted but not yet billed): those and the vSwitch on the
    /// sender's side, the rest on the receiver's. Returns the cycles of its own stages.
    @inline(__always)
    func switchPathCycles(_ p: PacketID, ingress e: EndpointID, server s: CoreID, now: SimTime, senderCycles: Int64 = 0) -> Int64 {
        let frame = Int64(packets.frameBytes[p.slot])
        let dom = domain(s)
        let ip = adapters.endpoints[e].port
        let stage = switching.switches[switching.ports[ip].switchIndex].forwardStage
        let sw = account(s, stage, cycles(costs.base[e], stage, frame))
        var cyc: Int64 = 0
        switch l2Decision(p, ingress: ip, now: now) {
        case .unicast(let op):
            cyc = receiveStageCycles(p, egress: switching.ports[op].endpoint, server: s, frame: frame)
        case .flood:
            cyc = floodStageCycles(p, ingress: ip, server: s, frame: frame)
        case .drop:
            bill(p, .send, dom, senderCycles &+ sw)
            return sw
        }
        bill(p, dom, send: senderCycles &+ sw, receive: cyc)
        return sw &+ cyc
    }

    /// The root stage of the receiver at endpoint `d` for packet `p`, accounted to `s`.
    @inline(__always)
    func receiveStageCycles(_ p: PacketID, egress d: EndpointID, server s: CoreID, frame: Int64) -> Int64 {
        let dc = costs.base[d]
        switch adapters.endpoints[d].kind {
        case .syntheticAdapter:
            // The copy into a receive-buffer section, then the XFER_PAGES descriptor written into the guest's ring.
            let entry = Int64(vmbus.channels[adapters.endpoints[d].firstChannel].entry)
            return account(s, .vspRx, cycles(dc, .vspRx, frame)) &+ account(s, .ringWrite, cycles(dc, .ringWrite, entry))
        case .emulatedAdapter:
            return 0  // the worker process's device model does the receive work
        case .hostVNIC:
            return account(s, .hostStackRx, cycles(dc, .hostStackRx, Int64(packets.payloadBytes[p.slot])))
        case .networkServer:
            return 0  // the DHCP server's own work is charged when it takes the message (`networkServerReceive`)
        case .external:
            var cyc = account(s, .nicDriverTx, cycles(dc, .nicDriverTx, frame))
            if packets.flags[p.slot] & PacketFlag.lso != 0 && !net.nics[adapters.endpoints[d].nic].lso {
                cyc &+= account(s, .softwareSegmentation, cycles(dc, .softwareSegmentation, frame))
            }
            return cyc
        }
    }

    /// The receivers' root stages of a flooded frame, one per port it goes out of whose station takes it (a
    /// broadcast, or the station it is addressed to, or the uplink; others discard their copy unread).
    @inline(never)
    func floodStageCycles(_ p: PacketID, ingress ip: PortID, server s: CoreID, frame: Int64) -> Int64 {
        let sw = switching.ports[ip].switchIndex
        let vlan = frameVLAN(p, ingress: ip)
        let broadcast = MACTable.isMulticast(destinationMAC(p))
        var cyc: Int64 = 0
        for op in switching.switches[sw].ports where floods(to: op, from: ip, vlan: vlan, broadcast: broadcast) {
            let d = switching.ports[op].endpoint
            guard broadcast || d == destination(of: p) || switching.ports[op].isUplink else { continue }
            cyc &+= receiveStageCycles(p, egress: d, server: s, frame: frame)
        }
        return cyc
    }

    /// Switches a packet whose root-side work is done, from its ingress endpoint.
    @usableFromInline
    func forward(_ p: PacketID, from e: EndpointID, _ k: inout Kernel) {
        if droppedIfAbandoned(p, &k) { return }
        releaseSocket(p, &k)  // the host vNIC's send completes when the switch takes the frame (before any flood copy)
        let ip = adapters.endpoints[e].port
        let frame = UInt64(packets.frameBytes[p.slot])
        switching.ports[ip].counters.inPackets &+= 1
        switching.ports[ip].counters.inBytes &+= frame
        if switching.anyCapture && switching.ports[ip].capture { capture(p, port: ip, egress: false, k.now) }
        if switching.ports[ip].learns && switching.ports[ip].bound { learnSource(p, ingress: ip, k.now) }
        switch l2Decision(p, ingress: ip, now: k.now) {
        case .unicast(let op): sendOut(p, port: op, &k)
        case .flood: flood(p, ingress: ip, &k)
        case .drop(let cause): drop(p, cause, port: ip, &k)
        }
    }

    /// Counts (and captures) a frame leaving the switch through `op`.
    @inline(__always)
    func countOut(_ p: PacketID, port op: PortID, _ now: SimTime) {
        let frame = UInt64(packets.frameBytes[p.slot])
        let sw = switching.ports[op].switchIndex
        switching.switches[sw].forwardedPackets &+= 1
        switching.switches[sw].forwardedBytes &+= frame
        switching.ports[op].counters.outPackets &+= 1
        switching.ports[op].counters.outBytes &+= frame
        if switching.anyCapture && switching.ports[op].capture { capture(p, port: op, egress: true, now) }
    }

    /// Learns the source address of a frame entering at learning port `ip`.
    @inline(__always)
    func learnSource(_ p: PacketID, ingress ip: PortID, _ now: SimTime) {
        let sw = switching.ports[ip].switchIndex
        let mac = adapters.endpoints[source(of: p)].address
        _ = switching.switches[sw].addresses.learn(
            mac: mac, vlan: frameVLAN(p, ingress: ip), port: Int32(ip.index), generation: switching.ports[ip].generation, now: now)
    }

    /// Sends a copy of the frame out of every port it floods to (the original out of the last one); with no such
    /// port it is dropped (`no_route`: nowhere to go).
    @inline(never)
    func flood(_ p: PacketID, ingress ip: PortID, _ k: inout Kernel) {
        let sw = switching.ports[ip].switchIndex
        let vlan = frameVLAN(p, ingress: ip)
        let broadcast = MACTable.isMulticast(destinationMAC(p))
        switching.floodPorts.removeAll(keepingCapacity: true)
        for op in switching.switches[sw].ports where floods(to: op, from: ip, vlan: vlan, broadcast: broadcast) {
            switching.floodPorts.append(op)
        }
        guard !switching.floodPorts.isEmpty else { drop(p, .noRoute, port: ip, &k); return }
        switching.switches[sw].floodedPackets &+= 1
        // Every copy exists before any is sent: sending one may free the original.
        switching.floodCopies.removeAll(keepingCapacity: true)
        for _ in 1..<switching.floodPorts.count {
            switching.floodCopies.append(packets.clone(p))
            accounting.created &+= 1
        }
        switching.floodCopies.append(p)
        for (i, op) in switching.floodPorts.enumerated() {
            let c = switching.floodCopies[i]
            let d = switching.ports[op].endpoint
            if broadcast {
                packets.destination[c.slot] = d.target  // a broadcast copy is for the station behind its port
            } else if d != destination(of: c) && !switching.ports[op].isUplink {
                countOut(c, port: op, k.now)
                drop(c, .notAddressed, port: op, &k)  // a station's filter discards a unicast copy for another
                continue
            }
            sendOut(c, port: op, &k)
        }
    }

    /// The frame leaves the switch through `op` towards the endpoint behind it.
    @inline(__always)
    func sendOut(_ p: PacketID, port op: PortID, _ k: inout Kernel) {
        countOut(p, port: op, k.now)
        let d = switching.ports[op].endpoint
        switch adapters.endpoints[d].kind {
        case .syntheticAdapter: receiveSynthetic(p, endpoint: d, port: op, &k)
        case .emulatedAdapter: emuReceive(adapters.endpoints[d].device, p, &k)
        case .hostVNIC: deliver(p, extraLatency: .zero, &k)
        case .external: nicEnqueue(adapters.endpoints[d].nic, p, &k)
        case .networkServer: networkServerReceive(p, endpoint: d, &k)
        }
    }

    /// Records a frame crossing a capture port: up to `maxCapturedFrames` per port (and
    /// ``ConfigurationLimits/capturedFrames`` over all ports, which bounds the memory); later frames are counted.
    @usableFromInline
    func capture(_ p: PacketID, port: PortID, egress: Bool, _ now: SimTime) {
        let kept = measurement.capturePorts[port.index].kept
        let totalFull = measurement.captures.count >= ConfigurationLimits.capturedFrames
        guard kept < config.maxCapturedFrames && !totalFull else {
            if measurement.capturePorts[port.index].dropped == 0 {
                measurement.capturePorts[port.index].stoppedAt = now
                measurement.capturePorts[port.index].byTotalLimit = kept < config.maxCapturedFrames
            }
            measurement.capturePorts[port.index].dropped &+= 1
            measurement.capturesDropped &+= 1
            return
        }
        measurement.capturePorts[port.index].kept = kept + 1
        let i = p.slot
        let s = adapters.endpoints[source(of: p)], d = adapters.endpoints[destination(of: p)]
        var frame = CapturedFrame(
            timePicoseconds: now.picoseconds, port: switching.ports[port].name, egress: egress,
            frameLength: Int(packets.frameBytes[i]) - 4, sourceMAC: s.mac.array,
            destinationMAC: MACAddress(uint64: destinationMAC(p)).array,
            vlan: switching.ports[port].isUplink ? packets.vlan[i] : 0, sourceIPv4: s.ip.value, destinationIPv4: d.ip.value,
            transport: .arp, sourcePort: 0, destinationPort: 0, tcpSequence: 0, tcpAcknowledgement: 0, tcpFlags: 0,
            payloadLength: Int(packets.payloadBytes[i]))
        if isFlowTraffic(p) {
            addTransportHeaders(p, traffic.flows[flow(of: p)], &frame)
        } else if let d = capturedDHCP(p) {
            frame.transport = .udp
            frame.dhcp = d
        } else {
            frame.destinationIPv4 = s.ip.value
        }
        measurement.captures.append(frame)
    }

    /// A flow frame's UDP or TCP header fields (ports by flow, ``CapturedPorts``; sequence and ACK numbers, flags).
    func addTransportHeaders(_ p: PacketID, _ f: FlowState, _ frame: inout CapturedFrame) {
        let flags = packets.flags[p.slot]
        let fromSender = flags & (PacketFlag.ack | PacketFlag.response) == 0
        let wire = packets.sequence[p.slot]
        // A bulk stream's packets carry their stream and byte offset (`TCPWire`); each stream is its own connection,
        // with its own client port.
        let stream = f.pattern == .bulk ? TCPWire.stream(wire) : 0
        let seq = f.pattern == .bulk ? TCPWire.offset(wire) : wire
        frame.transport = f.isTCP ? .tcp : .udp
        let client = CapturedPorts.client(flow: f.id.index &+ stream &* traffic.flows.count)
        frame.sourcePort = fromSender ? client : CapturedPorts.server
        frame.destinationPort = fromSender ? CapturedPorts.server : client
        frame.tcpSequence = f.isTCP && flags & PacketFlag.ack == 0 ? UInt32(truncatingIfNeeded: seq) : 0
        frame.tcpAcknowledgement = f.isTCP && flags & PacketFlag.ack != 0 ? UInt32(truncatingIfNeeded: seq) : 0
        frame.tcpFlags = f.isTCP ? (0x10 | (flags & PacketFlag.push != 0 ? 0x08 : 0)) : 0
    }

    // MARK: Host vNIC

    /// The management OS sends through its vNIC: its stack and the switch run on a root core.
    @usableFromInline
    func sendHost(_ p: PacketID, endpoint e: EndpointID, owner o: OwnerID, _ k: inout Kernel) {
        let core = cores.hosts[cores.servers[adapters.endpoints[e].rootCore].host].rootServer(o.index)
        if busyUntil(core).picoseconds - k.now.picoseconds > traffic.backlogLimit.picoseconds {
            drop(p, .socketBacklog, &k); return
        }
        let payload = Int64(packets.payloadBytes[p.slot])
        let stack = account(core, .hostStackTx, cycles(costs.base[e], .hostStackTx, payload))
        let cyc = stack &+ switchPathCycles(p, ingress: e, server: core, now: k.now, senderCycles: stack)
        let t = occupy(core, cyc, at: k.now)
        setStage(p, .hostStack)
        k.schedule(at: t, kind: EventKind.forward.rawValue, target: e.target, arg: p.arg)
    }
}

extension HostSimulation {
    /// The capture ports that reached their limit, in port order, with what they kept and dropped.
    var captureTruncations: [CaptureTruncation] {
        measurement.capturePorts.indices.compactMap { i in
            let c = measurement.capturePorts[i]
            guard c.dropped > 0 else { return nil }
            return CaptureTruncation(
                port: switching.ports[PortID(i)].name, kept: c.kept, dropped: c.dropped, stoppedAt: c.stoppedAt,
                byTotalLimit: c.byTotalLimit)
        }
    }
}
