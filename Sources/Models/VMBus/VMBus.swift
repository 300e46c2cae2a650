/// The VMBus subsystem: every channel of every synthetic adapter (primary and vRSS sub-channels), each with its
/// send and receive rings (`Channel`). An adapter's channels are consecutive (`EndpointState.firstChannel`).
@usableFromInline
struct VMBus {
    @usableFromInline var channels = FixedTable<ChannelID, Channel>()
    /// NetVSP's drain quota and budget, the host's (`HostConfig.vmbusDrain`), for every channel.
    @usableFromInline var drain = VMBusDrainConfig()

    func deallocate() {
        for c in channels.indices {
            channels[c].sendRing.deallocate(); channels[c].guestQueue.deallocate(); channels[c].staging.deallocate()
            channels[c].messages.deallocate(); channels[c].receiveRing.deallocate()
            channels[c].vspBatch.deallocate(); channels[c].guestBatch.deallocate(); channels[c].egressQueue.deallocate()
            channels[c].completionOwners.deallocate(); channels[c].completionCharges.deallocate()
        }
        channels.deallocate()
    }
}
