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

/// A duration or warm-up override that would leave nothing to measure: the warm-up is not shorter than
/// the duration. Names both values, where each came from, and how to fix it.
public struct RunLengthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run's duration: the override, or the file's own.
    public var duration: SimTime
    /// The duration is an override (`--duration`), not the file's.
    public var durationOverridden: Bool
    /// The warm-up the run would have.
    public var warmup: SimTime
    /// The warm-up is an override (`--warmup`); otherwise it is the file's `warmup` (at `warmupLocation`).
    public var warmupOverridden: Bool
    /// Where the file sets `warmup`, if it does.
    public var warmupLocation: SourceLocation?

    /// What is wrong, naming both values.
    public var message: String {
        let d = duration.scenarioText, w = warmup.scenarioText
        if warmupOverridden {
            let of = durationOverridden ? "--duration \(d)" : "the scenario's duration, \(d)"
            return "--warmup \(w) is not shorter than \(of), so nothing would be measured"
        }
        let at = warmupLocation.map { " at \($0)" } ?? ""
        return "--duration \(d) is not longer than the scenario's warm-up (warmup: \(w)\(at)), "
            + "and an explicit warm-up is never shortened"
    }

    /// How to fix it.
    public var fix: String {
        let d = duration.scenarioText, w = warmup.scenarioText
        let shorter = ScenarioLoader.defaultWarmup(for: duration).scenarioText
        if warmupOverridden {
            return "pass a --warmup shorter than \(d), e.g. --warmup \(shorter), or a --duration longer than \(w)"
        }
        return "pass a warm-up for the shorter run too, e.g. --duration \(d) --warmup \(shorter), or a --duration longer than \(w)"
    }

    public var description: String { "\(message); \(fix)" }
}

extension LoadedScenario {
    /// The scenario run for `duration` and/or with `warmup` instead of the file's own (`--duration`,
    /// `--warmup`); nil keeps the file's.
    ///
    /// The warm-up is never changed silently. It is `warmup` if given; else the file's own `warmup`,
    /// kept as it is whatever the new duration; else (the file sets none) the documented default for
    /// the run's duration, ``ScenarioLoader/defaultWarmup(for:)``, recomputed for a new one. A kept
    /// warm-up that leaves less time to measure than itself adds a warning at the file's `warmup`.
    /// With a new duration, timeline actions after the end are dropped (but moves to another switch,
    /// which stay, at the end), and a flow that would start after the end starts at 0.
    /// - Throws: ``RunLengthError`` if the warm-up is not shorter than the duration.
    public func overriding(duration newDuration: SimTime? = nil, warmup newWarmup: SimTime? = nil) throws(RunLengthError)
        -> LoadedScenario
    {
        let duration = newDuration ?? config.duration
        let warmup = newWarmup ?? (warmupLocation != nil ? config.warmup : ScenarioLoader.defaultWarmup(for: duration))
        guard warmup < duration else {
            throw RunLengthError(
                duration: duration, durationOverridden: newDuration != nil, warmup: warmup, warmupOverridden: newWarmup != nil,
                warmupLocation: warmupLocation)
        }
        var s = self
        if let newDuration { s = s.cut(to: newDuration) }
        s.config.warmup = warmup
        let measured = duration - warmup
        if let newDuration, newWarmup == nil, let at = warmupLocation, measured < warmup {
            s.warnings.append(
                Diagnostic(
                    .warning, at: at,
                    "with --duration \(newDuration.scenarioText) the run measures only \(measured.scenarioText), "
                        + "after this warm-up of \(warmup.scenarioText)",
                    fix: "pass a shorter warm-up too, e.g. --warmup \(ScenarioLoader.defaultWarmup(for: duration).scenarioText), "
                        + "or a --duration of at least \((warmup * 2).scenarioText)"))
        }
        return s
    }

    /// The same scenario cut to `duration`, for smoke tests and quick looks (the CLI uses
    /// ``overriding(duration:warmup:)``, which refuses instead): as `overriding(duration:)`, except that a
    /// warm-up set in the file that does not fit the new duration becomes a tenth of it.
    public func shortened(to duration: SimTime) -> LoadedScenario {
        let fits = warmupLocation == nil || config.warmup < duration
        do {
            return try overriding(duration: duration, warmup: fits ? nil : SimTime(picoseconds: duration.picoseconds / 10))
        } catch {
            preconditionFailure("a warm-up of a tenth of the run always fits: \(error)")
        }
    }

    /// The duration set to `duration`; timeline actions and flow starts after the new end adjusted.
    private func cut(to duration: SimTime) -> LoadedScenario {
        var s = self
        s.config.duration = duration
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
