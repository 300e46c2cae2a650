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
    ///
    /// A shorter duration changes nothing else in the file, and says what it leaves out: a flow that starts at
    /// or after the new end never starts (its `start` is kept; a flow a `start_flow` within the run starts is not
    /// named), and timeline actions after the end do not happen — one warning for the flows, at the first one's
    /// `start`, and one for the actions, at the first one's `at`. (A move to another switch is made at the very
    /// end instead, so that a flow to that switch stays valid.)
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

    /// The duration set to `duration`, with a warning for what the shorter run leaves out: flows that would start
    /// at or after the new end (kept as they are: the model never starts them) and timeline actions after it (dropped,
    /// but for moves to another switch on Hyper-V, made at the very end).
    private func cut(to duration: SimTime) -> LoadedScenario {
        var s = self
        s.config.duration = duration
        let option = "--duration \(duration.scenarioText)"
        func listed(_ items: [String]) -> String {
            items.prefix(3).joined(separator: ", ") + (items.count > 3 ? ", … (\(items.count) in all)" : "")
        }
        // A flow the timeline starts within the run does start, whatever its own start.
        let startedByTimeline = Set(
            config.timeline.compactMap { t -> String? in
                if case .startFlow(let f) = t.action, t.at <= duration { return f }
                return nil
            })
        let late = config.flows.indices.filter { config.flows[$0].start >= duration && !startedByTimeline.contains(config.flows[$0].name) }
        if let first = late.first, let latest = late.map({ config.flows[$0].start }).max() {
            let named = late.map { "'\(config.flows[$0].name)' (start \(config.flows[$0].start.scenarioText))" }
            s.warnings.append(
                Diagnostic(
                    .warning, at: sourceMap.location(ofConfigPath: "flows[\(first)].start"),
                    late.count == 1
                        ? "with \(option), flow \(named[0]) starts at or after the end of the run, so it never starts"
                        : "with \(option), \(late.count) flows start at or after the end of the run, so they never start: \(listed(named))",
                    fix: "pass a --duration longer than \(latest.scenarioText) to run \(late.count == 1 ? "it" : "them"), "
                        + "or start \(late.count == 1 ? "it" : "them") earlier"))
        }
        // Actions after the new end are dropped, but for moves to another switch: a flow may join an adapter and the
        // switch it is moved to, so those stay, at the very end. On Virtual Server every later action stays at its own
        // time, after the end, where the model never runs it: its order of states (add before attach, create before
        // delete) and the paths flows get from its attaches stay whole.
        let keepsMoves = config.host.platform == .hyperV
        let keepsAll = config.host.platform == .virtualServer
        let after = config.timeline.indices.filter { config.timeline[$0].at > duration }
        s.config.timeline = config.timeline.compactMap { t in
            if t.at <= duration || keepsAll { return t }
            if keepsMoves, case .attachAdapter(_, _, _?) = t.action { return TimelineAction(at: duration, t.action) }
            return nil
        }
        if let first = after.first, let latest = after.map({ config.timeline[$0].at }).max() {
            let named = after.map {
                "\(Self.describe(config.timeline[$0].action, platform: config.host.platform)) at \(config.timeline[$0].at.scenarioText)"
            }
            let moves =
                keepsMoves && after.contains { if case .attachAdapter(_, _, _?) = config.timeline[$0].action { true } else { false } }
            s.warnings.append(
                Diagnostic(
                    .warning, at: sourceMap.location(ofConfigPath: "timeline[\(first)].at"),
                    (after.count == 1
                        ? "with \(option), the timeline action \(named[0]) is after the end of the run, so it does not happen"
                        : "with \(option), \(after.count) timeline actions are after the end of the run, so they do not happen: \(listed(named))")
                        + (moves ? " (a move to another switch is made at the end, \(duration.scenarioText), instead)" : ""),
                    fix: "pass a --duration of at least \(latest.scenarioText) to run \(after.count == 1 ? "it" : "them"), "
                        + "or move \(after.count == 1 ? "it" : "them") earlier"))
        }
        return s
    }

    /// A timeline action as the file writes it: `detach vm1/eth0`, `attach vm1/eth0 to switch s2`, `stop_flow bulk`; on
    /// a Virtual Server host, `attach web1/eth0 to network lan`.
    static func describe(_ action: TimelineAction.Action, platform: HostPlatform = .hyperV) -> String {
        switch action {
        case .startFlow(let f): "start_flow \(f)"
        case .stopFlow(let f): "stop_flow \(f)"
        case .attachAdapter(let v, let a, let sw?): "attach \(v)/\(a) to \(platform == .virtualServer ? "network" : "switch") \(sw)"
        case .attachAdapter(let v, let a, nil): "attach \(v)/\(a)"
        case .detachAdapter(let v, let a): "detach \(v)/\(a)"
        case .addAdapter(let v, let a): "add_adapter \(v)/\(a)"
        case .removeAdapter(let v, let a): "remove_adapter \(v)/\(a)"
        case .createNetwork(let n): "create_network \(n)"
        case .deleteNetwork(let n): "delete_network \(n)"
        case .unregisterNetwork(let n): "unregister_network \(n)"
        case .registerNetwork(let n): "register_network \(n)"
        case .power(let v, let p): "\(p.rawValue) \(v)"
        case .setDHCPServer(let n, let on): "\(on ? "enable_dhcp" : "disable_dhcp") \(n)"
        case .removeVF(let v, let a): "remove_vf \(v)/\(a)"
        case .restoreVF(let v, let a): "restore_vf \(v)/\(a)"
        }
    }
}
