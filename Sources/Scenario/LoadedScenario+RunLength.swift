import Models
import SimCore

extension ScenarioLoader {
    /// The longest default warm-up: 100ms (`SimulationConfig`'s default).
    public static let longestDefaultWarmup = SimulationConfig().warmup

    /// The warm-up of a run whose file sets no `warmup`: the smaller of 100ms and a tenth of `duration`
    /// (a run of 1s or more warms up for 100ms, a 200ms run for 20ms, a 100ms run for 10ms), rounded down
    /// to the picosecond. A `duration` override recomputes it for the new duration.
    public static func defaultWarmup(for duration: SimTime) -> SimTime {
        min(longestDefaultWarmup, SimTime(picoseconds: duration.picoseconds / 10))
    }
}

extension LoadedScenario {
    /// The same scenario cut to `duration` (for smoke tests and quick looks): a default warm-up is recomputed
    /// for the new duration (``ScenarioLoader/defaultWarmup(for:)``); a warm-up set in the file shrinks to a
    /// tenth of the run if it would not fit; timeline actions after the end are dropped.
    public func shortened(to duration: SimTime) -> LoadedScenario {
        var s = self
        s.config.duration = duration
        if warmupLocation == nil {
            s.config.warmup = ScenarioLoader.defaultWarmup(for: duration)
        } else if s.config.warmup >= duration {
            s.config.warmup = SimTime(picoseconds: duration.picoseconds / 10)
        }
        // Actions after the new end are dropped, but for moves to another switch: a flow may join an adapter and the
        // switch it is moved to, so those stay, at the very end (where they change nothing).
        s.config.timeline = s.config.timeline.compactMap { t in
            if t.at <= duration { return t }
            if case .attachAdapter(_, _, _?) = t.action { return TimelineAction(at: duration, t.action) }
            return nil
        }
        for i in s.config.flows.indices {
            if s.config.flows[i].start >= duration { s.config.flows[i].start = .zero }
            if let stop = s.config.flows[i].stop, stop <= s.config.flows[i].start { s.config.flows[i].stop = nil }
        }
        return s
    }
}
