/// Per-endpoint transmit settings of an adapter (defaults for host vNICs and external peers, which have none).
@usableFromInline
struct AdapterSettings {
    /// Packets per VMBus message and per drain pass (`batch_packets`).
    @usableFromInline var batchPackets: Int = 64
    /// The guest's transmit queue in front of a full ring or descriptor list (`tx_queue_packets`).
    @usableFromInline var txQueuePackets: Int = 1000
    /// Frames up to this size are copied into a send-buffer section (`send_section_bytes`); 0 for none.
    @usableFromInline var sendSectionBytes: Int = 0
}

/// The adapters subsystem: every traffic endpoint (VM adapters, host vNICs, external peers) with its addresses,
/// offloads and port, the adapters' transmit settings, and the emulated (legacy) devices.
@usableFromInline
struct Adapters {
    @usableFromInline var endpoints = FixedTable<EndpointID, EndpointState>()
    @usableFromInline var settings = FixedTable<EndpointID, AdapterSettings>()
    @usableFromInline var devices = FixedTable<DeviceID, EmulatedDevice>()
    /// "vm/adapter" → endpoint, for the timeline and flow endpoints.
    @usableFromInline var byName: [String: EndpointID] = [:]
    /// External peers and internal endpoints (host vNICs, VM adapters) added so far: the next one's index among
    /// its kind gives its deterministic addresses (`Addressing`).
    private(set) var externalCount = 0, internalCount = 0

    /// Adds an endpoint with its settings; returns its index.
    mutating func add(_ endpoint: EndpointState, settings s: AdapterSettings = AdapterSettings()) -> EndpointID {
        settings.append(s)
        var e = endpoint
        e.address = e.mac.uint64
        if e.kind == .external { externalCount += 1 } else { internalCount += 1 }
        return endpoints.append(e)
    }

    @inline(__always) func isVMAdapter(_ e: EndpointID) -> Bool {
        endpoints[e].kind == .syntheticAdapter || endpoints[e].kind == .emulatedAdapter
    }

    func deallocate() {
        for d in devices.indices {
            devices[d].guestQueue.deallocate(); devices[d].rxRing.deallocate(); devices[d].txCharges.deallocate()
            devices[d].txLink.deallocate(); devices[d].rxLink.deallocate()
        }
        devices.deallocate()
        endpoints.deallocate()
        settings.deallocate()
    }
}
