import SimCore

// vRSS and VMMQ: which sub-channel and which NIC queue a packet takes. Each flow stream's 4-tuple (the addresses of its
// two ends and the ports of `CapturedPorts`, as a capture shows them) is hashed once at build, each way, with the
// Toeplitz hash under Microsoft's default key (`RSSHash`); a packet reads its hash and the hash picks an entry of an
// indirection table filled round-robin with the queues (MODEL-REFERENCE §1.3, §1.6):
// * the guest's send table: `VRSS_SEND_TAB_SIZE` = 16 entries over the adapter's channels (Linux netvsc
//   `netvsc_get_tx_queue`, the table NetVSP sends with `NVSP_MSG5_TYPE_SEND_INDIRECTION_TABLE`);
// * the receive table: `ITAB_NUM` = 128 entries over the channels (netvsc `rndis_set_rss_param_msg` with
//   `ethtool_rxfh_indir_default`), and over the vmNIC's VMMQ queues in the NIC;
// * TCP hashes the 4-tuple (`NDIS_HASH_TCP_IPV4`); UDP the address pair only (netvsc's `HV_DEFAULT_L4HASH` is TCP
//   only), so every UDP flow between two addresses takes one queue; control frames (ARP, DHCP) take entry 0.
// Simplified: the guest's send hash is Linux's `skb_get_hash` (a jhash), modelled with the same Toeplitz hash.
extension HostSimulation {
    /// Entries of the guest's send indirection table (`VRSS_SEND_TAB_SIZE`, hyperv_net.h).
    static let sendTableEntries: UInt32 = 16
    /// Entries of the receive indirection table (`ITAB_NUM`, hyperv_net.h; NDIS's largest, Windows' default).
    static let receiveTableEntries: UInt32 = 128

    /// Every flow stream's RSS hash, forward (sender → receiver) and reverse (ACKs, responses), into `traffic.rssHashes`:
    /// flow i's stream s at `traffic.rssBase[i] + 2s` (+1 reverse).
    func buildRSSHashes() {
        let rss = RSSHash()
        traffic.rssBase = FixedTable(repeating: 0, count: traffic.flows.count)
        var hashes = ContiguousArray<UInt32>()
        for fi in traffic.flows.indices {
            let f = traffic.flows[fi]
            traffic.rssBase[fi] = Int32(hashes.count)
            let a = adapters.endpoints[f.from].ip.value, b = adapters.endpoints[f.to].ip.value
            for s in 0..<Swift.max(f.senders.count, 1) {
                if f.isTCP {
                    let client = CapturedPorts.client(flow: fi.index &+ s &* traffic.flows.count)
                    hashes.append(rss.hash(source: a, destination: b, sourcePort: client, destinationPort: CapturedPorts.server))
                    hashes.append(rss.hash(source: b, destination: a, sourcePort: CapturedPorts.server, destinationPort: client))
                } else {
                    hashes.append(rss.hash(source: a, destination: b))
                    hashes.append(rss.hash(source: b, destination: a))
                }
            }
        }
        traffic.rssHashes = hashes
    }

    /// The RSS hash of packet `p`'s headers (0 for control frames).
    @inline(__always)
    func rssHash(_ p: PacketID) -> UInt32 {
        guard isFlowTraffic(p) else { return 0 }
        let fi = flow(of: p)
        let flags = packets.flags[p.slot]
        let stream = traffic.patterns[fi] == .bulk ? TCPWire.stream(packets.sequence[p.slot]) : 0
        let reverse = flags & (PacketFlag.ack | PacketFlag.response) != 0 ? 1 : 0
        return traffic.rssHashes[Int(traffic.rssBase[fi]) &+ stream &* 2 &+ reverse]
    }

    /// The entry of a round-robin indirection table of `entries` slots over `queues` queues for hash `h`: slot
    /// `h mod entries` holds queue `slot mod queues` (`RSSIndirectionTable`).
    @inline(__always)
    static func tableQueue(_ h: UInt32, entries: UInt32, queues: Int) -> Int {
        Int(h & (entries &- 1)) % queues
    }

    /// The queue packet `p` takes of `count` queues from `first`: the first when there is one, else the round-robin
    /// table of `entries` slots' entry for its hash.
    @inline(__always)
    func hashedQueue<ID: ComponentID>(_ p: PacketID, first: ID, count: Int, entries: UInt32) -> ID {
        guard count > 1 else { return first }
        return first.advanced(by: Self.tableQueue(rssHash(p), entries: entries, queues: count))
    }

    /// The channel NetVSC sends packet `p` on: the primary, or with vRSS the send table's entry for its hash.
    @inline(__always)
    func sendChannel(_ p: PacketID, endpoint e: EndpointID) -> ChannelID {
        hashedQueue(p, first: adapters.endpoints[e].firstChannel, count: adapters.endpoints[e].channelCount, entries: Self.sendTableEntries)
    }

    /// The channel NetVSP receives packet `p` on: the primary, or with vRSS the receive table's entry for its hash.
    @inline(__always)
    func receiveChannel(_ p: PacketID, endpoint e: EndpointID) -> ChannelID {
        hashedQueue(
            p, first: adapters.endpoints[e].firstChannel, count: adapters.endpoints[e].channelCount, entries: Self.receiveTableEntries)
    }

    /// The VMMQ queue of endpoint `d`'s queues on its NIC that packet `p` lands in (the first without VMMQ).
    @inline(__always)
    func vmmqQueue(_ p: PacketID, endpoint d: EndpointID) -> QueueID {
        hashedQueue(p, first: adapters.endpoints[d].rxQueue, count: adapters.endpoints[d].rxQueueCount, entries: Self.receiveTableEntries)
    }
}
