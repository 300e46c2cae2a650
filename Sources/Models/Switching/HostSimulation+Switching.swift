import SimCore

// The virtual switch: forwarding by destination MAC (vmNIC and host-vNIC ports are known to the
// switch; external MACs are learned on the uplink, unknown unicast goes out the uplink), VLAN
// isolation between access ports, per-port counters and captures (MODEL-REFERENCE §1.6, §1.7).
extension HostSimulation {
    /// The egress port for packet `p` entering at `ingressPort`, or a drop cause.
    @inline(__always)
    func route(_ p: UInt32, ingressPort ip: PortID) -> (port: PortID, cause: DropCause?) {
        guard switching.ports[ip].attached else { return (.none, .detached) }
        let sw = switching.ports[ip].switchIndex
        let d = destination(of: p)
        guard adapters.endpoints[d].switchIndex == sw else { return (.none, .noRoute) }
        let egress = adapters.endpoints[d].port
        guard egress != ip, egress != .none else { return (.none, .noRoute) }
        guard switching.ports[egress].attached else { return (.none, .detached) }
        if !switching.ports[ip].isUplink && !switching.ports[egress].isUplink && switching.ports[ip].vlan != switching.ports[egress].vlan {
            return (.none, .vlanMismatch)
        }
        return (egress, nil)
    }

    /// Root-side cycles of the switch and of the destination's root stage, accounted to `server`: vSwitch, then
    /// NetVSP receive copy (synthetic destination), the host stack (host vNIC), or the NIC driver (+ software
    /// segmentation without NIC LSO) for the uplink. Billed in one go with `senderCycles` (the caller's own
    /// stages for the packet on the same server, accounted but not yet billed): those and the vSwitch on the
    /// sender's side, the rest on the receiver's. Returns the cycles of its own stages.
    @inline(__always)
    func switchPathCycles(_ p: UInt32, ingress e: EndpointID, server s: CoreID, senderCycles: Int64 = 0) -> Int64 {
        let frame = Int64(packets.frameBytes[Int(p)])
        let dom = domain(s)
        let sw = account(s, .vSwitch, cycles(costs.base[e], .vSwitch, frame))
        let r = route(p, ingressPort: adapters.endpoints[e].port)
        guard r.cause == nil else {
            bill(p, .send, dom, senderCycles &+ sw)
            return sw
        }
        let d = destination(of: p)
        let dc = costs.base[d]
        var cyc: Int64 = 0
        switch adapters.endpoints[d].kind {
        case .syntheticAdapter:
            cyc = account(s, .vspRx, cycles(dc, .vspRx, frame))
        case .emulatedAdapter:
            break  // the worker process's device model does the receive work
        case .hostVNIC:
            let payload = Int64(packets.payloadBytes[Int(p)])
            cyc = account(s, .hostStackRx, cycles(dc, .hostStackRx, payload))
        case .external:
            cyc = account(s, .nicDriverTx, cycles(dc, .nicDriverTx, frame))
            if packets.flags[Int(p)] & PacketFlag.lso != 0 && !net.nics[adapters.endpoints[d].nic].lso {
                cyc &+= account(s, .softwareSegmentation, cycles(dc, .softwareSegmentation, frame))
            }
        }
        bill(p, dom, send: senderCycles &+ sw, receive: cyc)
        return sw &+ cyc
    }

    /// Forwards a packet whose root-side work is done from its ingress endpoint to the destination.
    @usableFromInline
    func forward(_ p: UInt32, from e: EndpointID, _ k: inout Kernel) {
        let ip = adapters.endpoints[e].port
        let frame = UInt64(packets.frameBytes[Int(p)])
        switching.ports[ip].counters.inPackets &+= 1
        switching.ports[ip].counters.inBytes &+= frame
        if switching.anyCapture && switching.ports[ip].capture { capture(p, port: ip, egress: false, k.now) }
        let sw = switching.ports[ip].switchIndex
        if switching.ports[ip].isUplink {
            let src = source(of: p)
            if !switching.switches[sw].learned[src.index] {
                switching.switches[sw].learned[src.index] = true; switching.switches[sw].learnedCount &+= 1
            }
        }
        let r = route(p, ingressPort: ip)
        if let cause = r.cause {
            drop(p, cause, port: ip, &k); return
        }
        let op = r.port
        switching.switches[sw].forwardedPackets &+= 1
        switching.switches[sw].forwardedBytes &+= frame
        switching.ports[op].counters.outPackets &+= 1
        switching.ports[op].counters.outBytes &+= frame
        if switching.anyCapture && switching.ports[op].capture { capture(p, port: op, egress: true, k.now) }
        let d = destination(of: p)
        switch adapters.endpoints[d].kind {
        case .syntheticAdapter:
            receiveSynthetic(p, endpoint: d, port: op, &k)
        case .emulatedAdapter:
            emuReceive(adapters.endpoints[d].device, p, &k)
        case .hostVNIC:
            deliver(p, extraLatency: .zero, &k)
        case .external:
            if switching.ports[op].isUplink && !switching.switches[sw].learned[d.index] { switching.switches[sw].floodedPackets &+= 1 }
            nicEnqueue(adapters.endpoints[d].nic, p, &k)
        }
    }

    /// Records a frame crossing a capture port.
    @usableFromInline
    func capture(_ p: UInt32, port: PortID, egress: Bool, _ now: SimTime) {
        guard measurement.captures.count < config.maxCapturedFrames else { measurement.capturesDropped &+= 1; return }
        let i = Int(p)
        let s = adapters.endpoints[source(of: p)], d = adapters.endpoints[destination(of: p)]
        let f = traffic.flows[flow(of: p)]
        let flags = packets.flags[i]
        let fromSender = flags & (PacketFlag.ack | PacketFlag.response) == 0
        let tcpFlags: UInt8 = f.isTCP ? (0x10 | (flags & PacketFlag.push != 0 ? 0x08 : 0)) : 0
        let seq = packets.sequence[i]
        measurement.captures.append(
            CapturedFrame(
                timePicoseconds: now.picoseconds, port: switching.ports[port].name, egress: egress,
                frameLength: Int(packets.frameBytes[i]) - 4, sourceMAC: s.mac.array, destinationMAC: d.mac.array,
                vlan: switching.ports[port].isUplink ? packets.vlan[i] : 0, sourceIPv4: s.ip.value, destinationIPv4: d.ip.value,
                transport: f.isTCP ? .tcp : .udp,
                sourcePort: fromSender ? UInt16(49152 + f.id.index % 16384) : 5001,
                destinationPort: fromSender ? 5001 : UInt16(49152 + f.id.index % 16384),
                tcpSequence: f.isTCP && flags & PacketFlag.ack == 0 ? UInt32(truncatingIfNeeded: seq) : 0,
                tcpAcknowledgement: f.isTCP && flags & PacketFlag.ack != 0 ? UInt32(truncatingIfNeeded: seq) : 0,
                tcpFlags: tcpFlags, payloadLength: Int(packets.payloadBytes[i])))
    }

    // MARK: Host vNIC

    /// The management OS sends through its vNIC: its stack and the switch run on a root core.
    @usableFromInline
    func sendHost(_ p: UInt32, endpoint e: EndpointID, flow f: FlowID, _ k: inout Kernel) {
        let core = cores.hosts[cores.servers[adapters.endpoints[e].rootCore].host].rootServer(f.index)
        if busyUntil(core).picoseconds - k.now.picoseconds > traffic.backlogLimit.picoseconds {
            drop(p, .socketBacklog, &k); return
        }
        let payload = Int64(packets.payloadBytes[Int(p)])
        let stack = account(core, .hostStackTx, cycles(costs.base[e], .hostStackTx, payload))
        let cyc = stack &+ switchPathCycles(p, ingress: e, server: core, senderCycles: stack)
        let t = occupy(core, cyc, at: k.now)
        setStage(p, .hostStack)
        k.schedule(at: t, kind: EventKind.forward.rawValue, target: e.target, arg: p)
    }
}
