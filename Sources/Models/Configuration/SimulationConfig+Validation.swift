import SimCore

/// One thing wrong with a configuration: where (a key path such as `vms[2].adapters[0].switch`, which the YAML
/// layer maps to file:line:col) and what, with the fix when there is an obvious one.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// A configuration that cannot be simulated.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]
    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension SimulationConfig {
    /// Every problem that makes this configuration impossible to simulate (empty if it is valid).
    ///
    /// One check a subsystem, each in the file named for it (`HostConfig+Validation.swift`, …); a new subsystem
    /// adds its file and one line here. The order of the lines is the order of the problems, which is part of
    /// the output (the Broken/ scenarios and the fuzz expectations pin it).
    public func validate() -> [ConfigurationProblem] {
        var v = ConfigurationValidator(self)
        v.checkRun()
        v.checkLimits()
        v.checkSocketBacklog()
        v.checkHost()
        v.checkNICs()
        v.checkSwitches()
        v.checkVMs()
        v.checkFlows()
        v.checkTimeline()
        v.checkPlatform()
        v.checkTimelineStates()
        v.checkCaptures()
        return v.problems
    }
}

extension ConfigurationValidator {
    /// The run's own settings: duration, warmup, sampling, the capture budget and the socket backlog's bound.
    mutating func checkRun() {
        let c = config
        if c.duration <= .zero { add("duration", "must be > 0 (got \(c.duration))") }
        if c.warmup < .zero || c.warmup >= c.duration { add("warmup", "must be ≥ 0 and < duration \(c.duration) (got \(c.warmup))") }
        if c.sampleInterval <= .zero { add("sample_interval", "must be > 0") }
        if c.maxSeriesPoints < 2 { add("max_series_points", "must be ≥ 2") }
        if c.maxCapturedFrames < 0 { add("max_captured_frames", "must be ≥ 0") }
        if c.duration > ConfigurationLimits.maxDuration { add("duration", "must be ≤ 1000000s (about 11.6 days)") }
        if c.sampleInterval > ConfigurationLimits.maxDuration { add("sample_interval", "must be ≤ 1000000s") }
        if c.socketBacklogLimit > ConfigurationLimits.maxDuration { add("socket_backlog_limit", "must be ≤ 1000000s") }
        if c.sampleInterval > .zero, c.duration.picoseconds / c.sampleInterval.picoseconds > ConfigurationLimits.samples {
            let least = SimTime(picoseconds: (c.duration.picoseconds + ConfigurationLimits.samples - 1) / ConfigurationLimits.samples)
            add(
                "sample_interval",
                "sample_interval \(c.sampleInterval) takes \(c.duration.picoseconds / c.sampleInterval.picoseconds) samples in a run of "
                    + "\(c.duration), more than the limit of \(ConfigurationLimits.samples) (each visits every time series); "
                    + "make sample_interval at least \(least)")
        }
        if c.maxSeriesPoints > ConfigurationLimits.seriesPoints {
            add("max_series_points", "must be ≤ \(ConfigurationLimits.seriesPoints) (\(ConfigurationLimits.why))")
        }
        if c.maxCapturedFrames > ConfigurationLimits.capturedFrames {
            add("max_captured_frames", "must be ≤ \(ConfigurationLimits.capturedFrames) (\(ConfigurationLimits.why))")
        }
    }

    /// The socket backlog must be positive (checked after the size limits, where it always was).
    mutating func checkSocketBacklog() {
        if config.socketBacklogLimit <= .zero { add("socket_backlog_limit", "must be > 0") }
    }
}
