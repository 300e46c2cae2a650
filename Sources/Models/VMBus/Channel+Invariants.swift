// Deep consistency checks of a VMBus `Channel`, compiled only with `-DVNETSIM_INTERNAL_CHECKS`.
#if VNETSIM_INTERNAL_CHECKS
    extension Channel {
        /// Traps unless channel `index` is consistent after an event:
        /// * each ring's used bytes are its entries × `entry` (every descriptor is `entry` bytes) and stay below the
        ///   capacity (a write needs `free > entry`, so a ring is never filled completely);
        /// * the send completions queued are those being processed, in the ring and not yet written, and so are their
        ///   socket charges;
        /// * a non-empty ring, or a batch being processed, has its reader masked (draining), and a masked reader has
        ///   exactly one drain event outstanding — the next pass (a queued drain DPC's first pass included) or the end
        ///   of the current one (`sendDrains`, `receiveDrains`, counted by `InternalChecks`);
        /// * the running drain DPC has taken at most `packetQuota` packets;
        /// * the guest's transmit queue is within `txQueueLimit` and non-empty exactly while the writer is blocked;
        /// * the staged packets are those of the queued messages plus the message being assembled.
        @inline(never)
        func checkInvariants(index ch: Int, sendDrains: Int, receiveDrains: Int, txQueueLimit: Int, packetQuota: Int) {
            let name = "channel \(ch) (endpoint \(endpoint))"
            for (q, what) in [
                (sendRing, "send ring"), (guestQueue, "guest queue"), (staging, "staging"), (vspBatch, "VSP batch"),
                (receiveRing, "receive ring"), (guestBatch, "guest batch"),
            ] {
                q.checkInvariants("\(name) \(what)")
            }
            messages.checkInvariants("\(name) messages")

            precondition(
                sendUsed == sendRing.count &* entry,
                "\(name): send ring uses \(sendUsed) bytes but holds \(sendRing.count) entries of \(entry) bytes")
            precondition(sendUsed < capacity, "\(name): send ring uses \(sendUsed) of \(capacity) bytes (never full)")
            precondition(
                receiveUsed == receiveRing.count &* entry,
                "\(name): receive ring uses \(receiveUsed) bytes but holds \(receiveRing.count) entries of \(entry) bytes")
            precondition(receiveUsed < capacity, "\(name): receive ring uses \(receiveUsed) of \(capacity) bytes (never full)")

            precondition(
                sendMasked || (sendRing.isEmpty && vspBatch.isEmpty),
                "\(name): send ring holds \(sendRing.count), VSP batch \(vspBatch.count), but the VSP is not masked")
            precondition(
                sendDrains == (sendMasked ? 1 : 0),
                "\(name): send side masked \(sendMasked) with \(sendDrains) VSP drain events outstanding")
            precondition(
                dpcPackets >= 0 && dpcPackets <= packetQuota,
                "\(name): the drain DPC took \(dpcPackets) packets, outside its quota 0…\(packetQuota)")
            precondition(
                receiveMasked || (!receivePending && guestBatch.isEmpty && completionsProcessing == 0),
                "\(name): receive ring holds \(receiveRing.count) packets and \(completionsInRing) completions, guest batch \(guestBatch.count), but the VSC is not masked"
            )
            precondition(
                completionOwners.count == completionsProcessing &+ completionsInRing &+ completionsUnwritten
                    && completionCharges.count == chargesProcessing &+ chargesInRing &+ chargesUnwritten,
                "\(name): \(completionOwners.count) completions queued (\(completionsProcessing) + \(completionsInRing) + \(completionsUnwritten)), \(completionCharges.count) socket charges (\(chargesProcessing) + \(chargesInRing) + \(chargesUnwritten))"
            )
            precondition(
                receiveDrains == (receiveMasked ? 1 : 0),
                "\(name): receive side masked \(receiveMasked) with \(receiveDrains) VSC drain events outstanding")

            precondition(
                guestQueue.count <= txQueueLimit,
                "\(name): guest transmit queue holds \(guestQueue.count), over its limit \(txQueueLimit)")
            precondition(
                writerBlocked == !guestQueue.isEmpty,
                "\(name): writer blocked \(writerBlocked) with \(guestQueue.count) packets in the guest transmit queue")

            var inMessages = 0
            messages.forEach { inMessages &+= $0 }
            precondition(
                staging.count == inMessages &+ assembling,
                "\(name): \(staging.count) packets staged but \(messages.count) messages carry \(inMessages) and \(assembling) are assembling"
            )
        }
    }
#endif  // VNETSIM_INTERNAL_CHECKS
