import SimCore

extension HostSimulation {
    /// Every VM adapter, in VM and adapter order: its port on its switch, its endpoint with the host's cost profile
    /// under the VM's and the adapter's overrides, and its VMBus channels (synthetic) or emulated device (legacy).
    func buildAdapters() {
        var channelCounter = 0
        for (vi, vm) in zip(cores.partitions.indices, config.vms) {
            for a in vm.adapters {
                let si = SwitchID(config.switches.firstIndex { $0.name == a.switch }!)
                let address = adapters.internalCount
                let e = adapters.endpoints.nextID
                let port = addPort(
                    "\(a.switch)/\(vm.name)/\(a.name)", switch: si, endpoint: e, vlan: a.vlan, uplink: false, attached: a.attached)
                let profile = config.host.costs.applying(vm.costOverrides).applying(a.costOverrides)
                var ep = EndpointState(
                    name: "\(vm.name)/\(a.name)", kind: a.kind == .synthetic ? .syntheticAdapter : .emulatedAdapter,
                    vm: vi, switchIndex: si, port: port, mac: Addressing.mac(internalIndex: address),
                    ip: Addressing.ipv4(internalIndex: address), mtu: a.offloads.mtu,
                    lso: a.offloads.lso && a.kind == .synthetic, checksumOffload: a.offloads.checksum && a.kind == .synthetic,
                    costs: CompiledProfile(profile))
                ep.lsoMax = a.offloads.lsoMaxBytes
                switch a.kind {
                case .synthetic: addChannels(&ep, a, vm: vi, counter: &channelCounter)
                case .emulated: addEmulatedDevice(&ep, a, vm: vi)
                }
                let settings = AdapterSettings(
                    batchPackets: a.batchPackets, txQueuePackets: a.txQueuePackets, sendSectionBytes: a.sendSectionBytes)
                adapters.byName["\(vm.name)/\(a.name)"] = adapters.add(ep, settings: settings)
            }
        }
    }

    /// A synthetic adapter's channels: channel c runs NetVSC on vCPU c mod vcpus, NetVSP on the root cores
    /// round-robin over every channel of the host.
    private func addChannels(_ ep: inout EndpointState, _ a: AdapterConfig, vm: VMID, counter: inout Int) {
        let e = adapters.endpoints.nextID
        let host = cores.hosts[cores.partitions[vm].host]
        let vcpus = cores.partitions[vm].vcpus
        ep.firstChannel = vmbus.channels.nextID
        let channels = config.channels(of: a, in: config.vms[vm.index])
        ep.channelCount = channels
        for c in 0..<channels {
            let root = host.rootServer(counter)
            counter += 1
            vmbus.channels.append(
                Channel(endpoint: e, vcpu: vcpus[c % vcpus.count], root: root, ringBytes: a.ringBytes, entry: a.descriptorBytes)
            )
        }
        ep.rootCore = vmbus.channels[ep.firstChannel].root
    }

    /// A legacy adapter's emulated device, served by its VM's worker process on a root core (round-robin by VM); on
    /// Virtual Server, by the host core that runs the VM's side of the Virtual Server service.
    private func addEmulatedDevice(_ ep: inout EndpointState, _ a: AdapterConfig, vm: VMID) {
        let e = adapters.endpoints.nextID
        let worker = cores.hosts[cores.partitions[vm].host].rootServer(vm.index)
        ep.device = adapters.devices.nextID
        ep.rootCore = worker
        var device = EmulatedDevice(
            endpoint: e, vcpu: cores.partitions[vm].vcpus[0], worker: worker, config: a.emulated,
            window: config.warmup..<Swift.max(config.duration, config.warmup))
        if config.host.platform == .virtualServer {
            // Virtual Server's VMM traps the register accesses itself; the host side (the Virtual Server service and
            // the network services driver) runs on the host core serving the VM (MODEL-REFERENCE §2, §3 row 27).
            device.viaHypervisor = true
            device.hosted = true
        }
        adapters.devices.append(device)
    }
}
