import SimCore

// Receive Segment Coalescing (MODEL-REFERENCE §1.6, `rsc-in-the-vswitch.md`): consecutive in-order TCP segments of one
// stream, arriving from the physical NIC, become one larger packet before they reach the vmNIC or the host vNIC, so
// everything after the merge — the vSwitch's per-packet work, NetVSP, the ring descriptor, NetVSC, the guest stack, the
// receiver's ACK decision — is paid once per coalesced packet instead of once per segment.
// * In the vSwitch (`SwitchConfig.rsc`, Windows Server 2019): per NIC receive pass (one DPC's indication of up to 64
//   frames), each frame is compared with the coalescing contexts of the pass — the last `rscContexts` packets of the
//   pass — and merged into its stream's packet when it continues it; each merge costs `vswitch_rsc`.
// * In the NIC (`NICConfig.rsc`, hardware): a frame arriving in a receive queue merges into its stream's segment among
//   the last `rscContexts` frames waiting there, before the driver sees it; it costs the host nothing.
// A merged segment is freed; the packet it joined stands for it (`PacketTable.merged`), so it is delivered or dropped
// with that packet and counted in flight with it (`Accounting.mergedLive`). A coalesced packet never exceeds a 64 KiB
// IP datagram. Only bulk TCP streams' data segments (the flows with TCP state) are coalesced, and only for a synthetic
// adapter or the host vNIC: a legacy adapter's driver takes MTU-sized frames, and SR-IOV frames bypass the vSwitch.
extension HostSimulation {
    /// The coalescing contexts a pass or a queue keeps open: the last this many packets are candidates.
    static let rscContexts = 8
    /// The largest IP datagram (IPv4's 16-bit total length).
    static let rscMaxDatagram: Int64 = 65_535

    /// Whether frame `p` can be coalesced: a bulk TCP stream's data segment for a synthetic adapter or the host vNIC,
    /// unpadded, with nothing left to release at its sender's socket.
    @inline(__always)
    func rscEligible(_ p: PacketID) -> Bool {
        guard isFlowTraffic(p), traffic.patterns[flow(of: p)] == .bulk else { return false }
        let fl = packets.flags[p.slot]
        guard fl & (PacketFlag.ack | PacketFlag.socketCharged | PacketFlag.abandoned | PacketFlag.broadcast) == 0 else { return false }
        guard packets.frameBytes[p.slot] > UInt32(EthernetFraming.minimumFrameBytes) else { return false }
        let kind = adapters.endpoints[destination(of: p)].kind
        return kind == .syntheticAdapter || kind == .hostVNIC
    }

    /// Whether eligible segment `p` can merge into `c`, its stream's newest packet (`rscCandidate`): `c` ends exactly where
    /// `p` starts, and together they are still one IP datagram.
    @inline(__always)
    func rscContinues(_ p: PacketID, _ c: PacketID) -> Bool {
        let i = p.slot, j = c.slot
        guard TCPWire.offset(packets.sequence[j]) &+ UInt64(packets.payloadBytes[j]) == TCPWire.offset(packets.sequence[i])
        else { return false }
        let frame = Int64(packets.frameBytes[j]) &+ Int64(packets.payloadBytes[i])
        return frame &- 18 <= Self.rscMaxDatagram && Int(packets.merged[j]) &+ 1 &+ Int(packets.merged[i]) <= Int(UInt16.max)
    }

    /// Merges `p` into `c` (`rscContinues`): `c` grows by `p`'s payload and stands for `p` and what `p` stood for; `p`
    /// is freed.
    @inline(__always)
    func rscJoin(_ p: PacketID, into c: PacketID) {
        let i = p.slot, j = c.slot
        packets.payloadBytes[j] &+= packets.payloadBytes[i]
        packets.frameBytes[j] &+= packets.payloadBytes[i]
        packets.merged[j] &+= 1 &+ packets.merged[i]
        packets.flags[j] |= packets.flags[i] & PacketFlag.push
        accounting.mergedLive &+= 1  // p itself; what it stood for was already counted
        packets.free(p)
    }

    /// The packet among the last `rscContexts` of `queue` that `p`'s stream is coalescing into, if `p` continues it.
    /// The newest packet of the same stream is its context: if `p` does not continue it (a gap, a retransmission),
    /// `p` starts a new one.
    @inline(__always)
    func rscCandidate(for p: PacketID, in queue: PacketQueue<PacketID>) -> PacketID? {
        let n = queue.count
        var i = n &- 1
        while i >= 0 && i >= n &- Self.rscContexts {
            let c = queue[i]
            if packets.flow[c.slot] == packets.flow[p.slot] && packets.destination[c.slot] == packets.destination[p.slot]
                && TCPWire.stream(packets.sequence[c.slot]) == TCPWire.stream(packets.sequence[p.slot])
            {
                return rscEligible(c) ? c : nil
            }
            i &-= 1
        }
        return nil
    }

    /// Hardware RSC: frame `p`, arriving in receive queue `q`, merges into its stream's segment waiting there.
    @inline(__always)
    func nicCoalesced(_ p: PacketID, queue q: QueueID) -> Bool {
        guard rscEligible(p), let c = rscCandidate(for: p, in: net.queues[q].queue), rscContinues(p, c) else { return false }
        rscJoin(p, into: c)
        net.nics[net.queues[q].nic].counters.rscMerged &+= 1
        return true
    }

    /// One DPC pass on queue `q`'s core with the vSwitch's RSC: the NIC driver takes up to 64 frames, each merged into
    /// the coalesced packet of its stream when it continues it (`vswitch_rsc`, billed to the merged segment); then the
    /// vSwitch and the destination's root stage run once per packet of the pass. Returns the cycles charged.
    @inline(never)
    func rscDPCPass(_ q: QueueID, core: CoreID, external ext: EndpointID, _ k: inout Kernel) -> Int64 {
        let c = costs.base[ext]
        let sw = adapters.endpoints[ext].switchIndex
        let merge = cycles(c, .vSwitchRSC, 0)
        var cyc: Int64 = 0
        var n = 0
        while n < 64, let p = net.queues[q].queue.popFirst() {
            n &+= 1
            let driver = account(core, .nicDriverRx, cycles(c, .nicDriverRx, Int64(packets.frameBytes[p.slot])))
            bill(p, .send, .root, driver)
            cyc &+= driver
            if rscEligible(p), let into = rscCandidate(for: p, in: net.queues[q].batch), rscContinues(p, into) {
                bill(p, .receive, .root, merge)
                cyc &+= account(core, .vSwitchRSC, merge)
                rscJoin(p, into: into)
                switching.switches[sw].rscMerged &+= 1
                continue
            }
            net.queues[q].batch.append(p)
            setStage(p, .dpc)
        }
        for i in 0..<net.queues[q].batch.count {
            cyc &+= switchPathCycles(net.queues[q].batch[i], ingress: ext, server: core, now: k.now, senderCycles: 0)
        }
        return cyc
    }
}
