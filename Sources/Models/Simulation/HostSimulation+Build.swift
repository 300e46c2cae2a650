import SimCore
import Stochastics

// Turning a validated `SimulationConfig` into the model's typed arrays. Runs once, before the
// event loop; allocation and dictionaries are fine here.
extension HostSimulation {
    func build() throws {
        let host = config.host
        // Built here, then moved into the model's fixed tables (`FixedTable`) at the end.
        var servers = ContiguousArray<CoreServer>()
        var channels = ContiguousArray<Channel>(), devices = ContiguousArray<EmulatedDevice>()
        var ports = ContiguousArray<PortState>(), switches = ContiguousArray<SwitchState>()
        var nics = ContiguousArray<NICState>(), queues = ContiguousArray<ReceiveQueue>()
        // Root cores first (server index = position in host.rootCores), then every VM's vCPUs.
        for c in host.rootCores {
            var s = CoreServer(name: "core\(c)", role: .root, vm: -1)
            s.clockOwner = servers.count
            servers.append(s)
        }
        rootCount = host.rootCores.count
        func rootServer(core: Int) -> Int { host.rootCores.firstIndex(of: core) ?? 0 }
        for (i, vm) in config.vms.enumerated() {
            vmNames.append(vm.name)
            var v: [Int] = []
            for j in 0..<vm.vcpus {
                v.append(servers.count)
                var s = CoreServer(name: "\(vm.name)/vcpu\(j)", role: .vcpu, vm: i)
                s.clockOwner = servers.count
                servers.append(s)
            }
            vmVCPUs.append(v)
        }
        if host.vcpuPlacement == .shared {
            // Non-root cores as clocks; vCPUs round-robin over them.
            let free = (0..<host.cores).filter { !host.rootCores.contains($0) }
            let first = servers.count
            for c in free {
                var s = CoreServer(name: "core\(c)", role: .physical, vm: -1)
                s.clockOwner = servers.count
                servers.append(s)
            }
            var k = 0
            for i in rootCount..<first { servers[i].clockOwner = first + k % free.count; k += 1 }
        }
        self.servers = FixedTable(servers)
        stageCycles = FixedTable(repeating: 0, count: servers.count * CostStage.count)
        let hostCosts = CompiledProfile(host.costs)

        for n in config.nics {
            nics.append(
                NICState(
                    name: n.name, linkRate: n.linkRate, mtu: n.mtu, lso: n.lso, propagation: n.propagationDelay,
                    txLimit: n.txQueuePackets))
        }
        var internalIndex = 0, externalIndex = 0
        var hostEndpoint: [Int: Int] = [:]
        func addPort(_ name: String, switch sw: Int, endpoint: Int, vlan: UInt16, uplink: Bool, attached: Bool) -> Int {
            ports.append(
                PortState(
                    name: name, switchIndex: sw, endpoint: endpoint, vlan: vlan, isUplink: uplink,
                    attached: attached, queueLimit: config.switches[sw].portQueuePackets))
            return ports.count - 1
        }
        for (si, s) in config.switches.enumerated() {
            var nicIndex = -1
            if case .external(let nicName) = s.kind { nicIndex = config.nics.firstIndex { $0.name == nicName }! }
            switches.append(SwitchState(name: s.name, kind: s.kind, nic: nicIndex, learned: []))
            if nicIndex >= 0 {
                let e = endpoints.count
                let port = addPort("\(s.name)/uplink", switch: si, endpoint: e, vlan: 0, uplink: true, attached: true)
                switches[si].uplinkPort = port
                endpoints.append(
                    EndpointState(
                        name: "external@\(config.nics[nicIndex].name)", kind: .external, owner: nicIndex, vm: -1, switchIndex: si,
                        port: port, mac: Addressing.mac(externalIndex: externalIndex), ip: Addressing.ipv4(externalIndex: externalIndex),
                        mtu: config.nics[nicIndex].mtu, lso: false, checksumOffload: true, costs: hostCosts))
                externalIndex += 1
                nics[nicIndex].externalEndpoint = e
            }
            if s.hasHostVNIC {
                let e = endpoints.count
                let port = addPort("\(s.name)/host", switch: si, endpoint: e, vlan: s.hostVLAN, uplink: false, attached: true)
                let mtu = nicIndex >= 0 ? config.nics[nicIndex].mtu : 1500
                var ep = EndpointState(
                    name: "host@\(s.name)", kind: .hostVNIC, owner: si, vm: -1, switchIndex: si, port: port,
                    mac: Addressing.mac(internalIndex: internalIndex), ip: Addressing.ipv4(internalIndex: internalIndex),
                    mtu: mtu, lso: true, checksumOffload: true, costs: hostCosts)
                ep.rootCore = 0
                endpoints.append(ep)
                internalIndex += 1
                hostEndpoint[si] = e
            }
        }
        endpointBatchDefaults()

        var channelCounter = 0
        for (vi, vm) in config.vms.enumerated() {
            for a in vm.adapters {
                let si = config.switches.firstIndex { $0.name == a.switch }!
                let e = endpoints.count
                let port = addPort(
                    "\(a.switch)/\(vm.name)/\(a.name)", switch: si, endpoint: e, vlan: a.vlan, uplink: false,
                    attached: a.attached)
                let profile = host.costs.applying(vm.costOverrides).applying(a.costOverrides)
                var ep = EndpointState(
                    name: "\(vm.name)/\(a.name)", kind: a.kind == .synthetic ? .syntheticAdapter : .emulatedAdapter, owner: e,
                    vm: vi, switchIndex: si, port: port, mac: Addressing.mac(internalIndex: internalIndex),
                    ip: Addressing.ipv4(internalIndex: internalIndex), mtu: a.offloads.mtu,
                    lso: a.offloads.lso && a.kind == .synthetic, checksumOffload: a.offloads.checksum && a.kind == .synthetic,
                    costs: CompiledProfile(profile))
                ep.lsoMax = a.offloads.lsoMaxBytes
                internalIndex += 1
                switch a.kind {
                case .synthetic:
                    ep.firstChannel = channels.count
                    ep.channelCount = a.channels
                    let entry = a.descriptorBytes
                    for c in 0..<a.channels {
                        let v = vmVCPUs[vi][c % vm.vcpus]
                        let r = channelCounter % rootCount
                        channelCounter += 1
                        channels.append(Channel(adapter: e, endpoint: e, vcpu: v, root: r, ringBytes: a.ringBytes, entry: entry))
                    }
                    ep.rootCore = channels[ep.firstChannel].root
                case .emulated:
                    let worker = vi % rootCount
                    ep.device = devices.count
                    ep.rootCore = worker
                    devices.append(EmulatedDevice(adapter: e, endpoint: e, vcpu: vmVCPUs[vi][0], worker: worker, config: a.emulated))
                    emulatedTxAccesses.append(a.emulated.txAccessesPerPacket)
                    emulatedTxInterruptEvery.append(a.emulated.txInterruptEvery)
                    emulatedInterruptAccesses.append(a.emulated.accessesPerInterrupt)
                    emulatedViaHypervisor.append(a.emulated.accessPath == .hypervisor)
                }
                endpoints.append(ep)
                batchLimit.append(a.batchPackets)
                txQueueLimit.append(a.txQueuePackets)
                sendSection.append(a.sendSectionBytes)
                adapterEndpoints["\(vm.name)/\(a.name)"] = e
            }
        }
        for e in endpoints.indices {
            costBase.append(costTable.count)
            for (j, c) in endpoints[e].costs.costs.enumerated() {
                if !c.pieces.isEmpty { piecewiseCosts[costTable.count + j] = c }
            }
            costTable.append(contentsOf: endpoints[e].costs.costs.map(FlatCost.init))
        }
        for si in switches.indices { switches[si].learned = ContiguousArray(repeating: false, count: endpoints.count) }

        // NIC receive queues: the default queue, plus one VMQ queue per vmNIC when VMQ is on.
        for (ni, n) in config.nics.enumerated() {
            let cores = (n.queueCores.isEmpty ? host.rootCores : n.queueCores).map { rootServer(core: $0) }
            func addQueue(_ name: String, core: Int) -> Int {
                queues.append(
                    ReceiveQueue(
                        nic: ni, core: core, name: name, limit: n.rxQueuePackets,
                        maxFrames: n.coalescing.maxFrames, maxDelay: n.coalescing.maxDelay))
                return queues.count - 1
            }
            nics[ni].defaultQueue = addQueue("\(n.name)/default", core: cores[0])
            guard n.vmq else { continue }
            var q = 0
            for e in endpoints.indices where endpoints[e].kind == .syntheticAdapter || endpoints[e].kind == .emulatedAdapter {
                guard switches[endpoints[e].switchIndex].nic == ni else { continue }
                endpoints[e].rxQueue = addQueue("\(n.name)/vmq\(q)", core: cores[q % cores.count])
                q += 1
            }
        }

        // Flows.
        func resolve(_ ep: Endpoint) -> Int {
            switch ep {
            case .vm(let v, let a): return adapterEndpoints["\(v)/\(a)"]!
            case .host(let s): return hostEndpoint[config.switches.firstIndex { $0.name == s }!]!
            case .external(let n): return nics[config.nics.firstIndex { $0.name == n }!].externalEndpoint
            }
        }
        for (i, fc) in config.flows.enumerated() {
            let from = resolve(fc.from), to = resolve(fc.to)
            let l4 = fc.transport == .tcp ? 20 : 8
            let mtu = Swift.min(endpoints[from].mtu, endpoints[to].mtu)
            let mss = mtu - 20 - l4
            func segment(_ e: Int) -> Int {
                guard fc.transport == .tcp, endpoints[e].lso else { return mss }
                return Swift.max(mss, (endpoints[e].lsoMax / mss) * mss)
            }
            let stream = { (j: UInt32) in
                RandomStream(seed: self.config.seed, replication: self.config.replication, stream: UInt32(i) * 8 + j)
            }
            var pattern = PatternCode.constant
            var rate = 0.0
            var inter: RandomStream? = nil, onS: Sampler? = nil, offS: Sampler? = nil, thinkS: Sampler? = nil
            var resp = 0, window: Int64 = 0, ackEvery = 1
            switch fc.pattern {
            case .constant(let r): rate = Double(r.bitsPerSecond)
            case .poisson(let r): pattern = .poisson; rate = Double(r.bitsPerSecond); inter = stream(1)
            case .onOff(let r, let on, let off):
                pattern = .onOff; rate = Double(r.bitsPerSecond)
                onS = try Sampler(on, stream: stream(2)); offS = try Sampler(off, stream: stream(3))
            case .requestResponse(let rb, let think):
                pattern = .requestResponse; resp = rb; thinkS = try Sampler(think, stream: stream(4))
            case .bulk(let w, let ae): pattern = .bulk; window = w.bytes; ackEvery = ae
            }
            var fixed = 0
            var sizeS: Sampler? = nil
            switch fc.size {
            case .fixed(let b): fixed = b
            case .distribution(let d): sizeS = try Sampler(d, stream: stream(0))
            }
            let f = FlowState(
                name: fc.name, index: i, from: from, to: to, pattern: pattern, headerBytes: fc.transport.headerBytes,
                isTCP: fc.transport == .tcp, mss: mss, segmentBytes: pattern == .bulk ? Swift.max(segment(from), mss) : segment(from),
                reverseSegmentBytes: segment(to), start: fc.start, stop: fc.stop ?? .never, rateBps: rate, fixedSize: fixed,
                sizeSampler: sizeS, interarrival: inter, onSampler: onS, offSampler: offS, responseBytes: resp,
                thinkSampler: thinkS, window: window, ackEvery: ackEvery)
            flows.append(f)
            flowPatterns.append(pattern)
        }

        flowDrops = ContiguousArray(repeating: 0, count: flows.count * DropCause.count)
        flowCycles = FixedTable(repeating: 0, count: flows.count * CycleDomain.count)
        adapterSlot = ContiguousArray(repeating: -1, count: endpoints.count)
        for e in endpoints.indices where endpoints[e].kind == .syntheticAdapter || endpoints[e].kind == .emulatedAdapter {
            adapterSlot[e] = Int32(adapterSlotCount)
            adapterSlotCount += 1
        }
        adapterCycles = FixedTable(repeating: 0, count: (adapterSlotCount + 1) * CycleDomain.count)
        portDrops = ContiguousArray(repeating: 0, count: ports.count * DropCause.count)

        for c in config.captures {
            let e = resolve(c.endpoint)
            let si = config.switches.firstIndex { $0.name == c.switch }!
            let port = endpoints[e].kind == .external ? switches[si].uplinkPort : endpoints[e].port
            if port >= 0 { ports[port].capture = true; anyCapture = true }
        }
        self.channels = FixedTable(channels)
        self.devices = FixedTable(devices)
        self.ports = FixedTable(ports)
        self.switches = FixedTable(switches)
        self.nics = FixedTable(nics)
        self.queues = FixedTable(queues)
    }

    private func endpointBatchDefaults() {
        // Host vNICs and external peers have no VMBus channel; keep the per-endpoint arrays dense.
        while batchLimit.count < endpoints.count { batchLimit.append(64); txQueueLimit.append(1000); sendSection.append(0) }
    }
}
