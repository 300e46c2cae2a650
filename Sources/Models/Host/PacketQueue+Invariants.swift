// Deep consistency checks of `PacketQueue`, compiled only with `-DVNETSIM_INTERNAL_CHECKS`.
#if VNETSIM_INTERNAL_CHECKS
    extension PacketQueue {
        /// Traps unless the ring's bookkeeping is consistent: an unallocated queue is empty, and an allocated one has a
        /// power-of-two capacity, its head inside it and no more elements than it holds. `what` names the queue.
        @inline(never)
        func checkInvariants(_ what: @autoclosure () -> String) {
            if base == nil {
                precondition(count == 0 && head == 0, "\(what()): unallocated but count \(count), head \(head)")
                return
            }
            let capacity = mask &+ 1
            precondition(capacity > 0 && capacity & mask == 0, "\(what()): capacity \(capacity) is not a power of two")
            precondition(head >= 0 && head < capacity, "\(what()): head \(head) outside capacity \(capacity)")
            precondition(count >= 0 && count <= capacity, "\(what()): count \(count) outside 0...\(capacity)")
        }

        /// Calls `body` on every element, front to back (for the checks; not on any hot path).
        func forEach(_ body: (Element) -> Void) {
            var i = 0
            while i < count {
                body(base.unsafelyUnwrapped[(head &+ i) & mask])
                i &+= 1
            }
        }
    }
#endif  // VNETSIM_INTERNAL_CHECKS
