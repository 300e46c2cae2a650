import SimCore

// Virtual Server's timeline actions (MODEL-REFERENCE §2).
extension HostSimulation {
    func applyVirtualServer(_ action: TimelineAction.Action, _ k: inout Kernel) {
    }
}
