/// The capacity planner's search: the largest value of a grown parameter (a VM count, a rate) for which a monotone
/// predicate holds ("every SLO holds at the chosen confidence, in steady state"), as a state machine the caller drives.
///
/// The caller asks `next()` for a value, measures it (runs its replications, judges the SLOs) and `record`s the
/// outcome, until `next()` returns nil; then `result` is the answer. Outcomes the caller already has (completed runs of
/// an earlier plan) may be recorded at any time, before or between steps: the search reuses them and never asks for a
/// value already recorded.
///
/// The algorithm, on the tightest bracket the records give (`lo` = the largest passing value below the lowest failing
/// one, `hi` = the lowest failing value):
///
/// 1. measure `start` (clamped to the range), unless recorded outcomes already bracket it out (a pass above it or a
///    fail below it);
/// 2. while everything passes: double — `2·lo` (from `lo ≤ 0`: `lo + 1`, or `lo + resolution` for a continuous
///    parameter), clamped to `upper`; a pass at `upper` ends with `.wholeRange(upper)`; with no upper bound, after
///    `maxDoublings` passing values above `start` the search ends with `.hitDoublingCap`;
/// 3. while everything fails: measure `lower` directly (one run answers "is it ever met?"; halving toward `lower`
///    would take as many runs to bracket and then bisect the same interval) — a fail there ends with `.belowRange`;
/// 4. bisect `(lo, hi)`: integer midpoints rounded down, until `hi − lo ≤ 1` (integer: the answer is exact) or
///    `hi − lo < resolution` (continuous).
///
/// Measurements: with the answer `a` inside the range, 1 for `start`, `⌈log2(a / start)⌉ + 1` doublings or 1 for
/// `lower`, then `⌈log2(bracket width / ε)⌉` bisections with ε = 1 or `resolution`; for an integer range that is at
/// most `⌈log2(upper − lower)⌉ + ⌈log2(a / start)⌉ + 2` (tests check the bound).
///
/// Non-monotone outcomes (a pass above a fail) do not stop the search: it goes on below the lowest failing value and
/// the result is wrapped in `.nonMonotone`, naming the pass above and the lowest fail.
public struct CapacitySearch: Sendable {
    public let lower: Double
    public let upper: Double?
    public let start: Double
    public let integer: Bool
    public let resolution: Double
    /// With no upper bound: how many passing values above `start` end the search (`.hitDoublingCap`).
    public let maxDoublings: Int

    struct Record: Sendable { var value: Double; var passes: Bool }
    var records: [Record] = []
    var outcome: [Double: Bool] = [:]
    var finished: CapacityResult?

    /// - Parameters:
    ///   - lower, upper: the range of the grown parameter; `upper` nil is unbounded, with `maxDoublings` as the cap.
    ///   - start: the first value measured (e.g. the scenario's current value), clamped to the range.
    ///   - integer: values are whole numbers (the range is rounded inwards, `start` to the nearest); the answer is
    ///     exact to 1.
    ///   - resolution: for a continuous parameter, stop when the bracket is narrower than this.
    /// - Precondition: `lower ≤ upper`; `resolution > 0` for a continuous parameter; `maxDoublings ≥ 1`.
    public init(lower: Double, upper: Double?, start: Double, integer: Bool, resolution: Double, maxDoublings: Int = 20) {
        precondition(lower.isFinite && start.isFinite && (upper?.isFinite ?? true), "the range and start must be finite")
        precondition(integer || resolution > 0, "a continuous search needs a resolution > 0 (got \(resolution))")
        precondition(maxDoublings >= 1, "maxDoublings must be ≥ 1")
        let lo = integer ? lower.rounded(.up) : lower
        let hi = upper.map { integer ? $0.rounded(.down) : $0 }
        precondition(hi.map { lo <= $0 } ?? true, "the range is empty: lower \(lower) > upper \(upper ?? 0)")
        var s = integer ? start.rounded() : start
        s = Swift.max(lo, s)
        if let hi { s = Swift.min(hi, s) }
        self.lower = lo; self.upper = hi; self.start = s; self.integer = integer
        self.resolution = integer ? 1 : resolution; self.maxDoublings = maxDoublings
    }

    /// The values measured so far with their outcomes, in the order recorded.
    public var measured: [(value: Double, passes: Bool)] { records.map { ($0.value, $0.passes) } }

    /// The answer, once `next()` has returned nil.
    public var result: CapacityResult? { finished }

    /// Records a value's outcome: `passes` is true when every SLO holds (and the run was in steady state). A value
    /// recorded twice keeps its first outcome.
    public mutating func record(_ value: Double, passes: Bool) {
        guard outcome[value] == nil else { return }
        outcome[value] = passes
        records.append(Record(value: value, passes: passes))
    }

    /// The next value to measure, or nil when the search is over (then `result` is set). Asking again before recording
    /// returns the same value.
    public mutating func next() -> Double? {
        if finished != nil { return nil }
        let step = decide()
        switch step {
        case .measure(let v): return v
        case .done(let r):
            finished = r
            return nil
        }
    }

    enum Step { case measure(Double), done(CapacityResult) }

    /// The next step, from the records alone.
    func decide() -> Step {
        let lowestFail = records.filter { !$0.passes }.map(\.value).min()
        let lo = records.filter { $0.passes && $0.value < (lowestFail ?? .infinity) }.map(\.value).max()
        let passAbove = lowestFail.flatMap { f in records.filter { $0.passes && $0.value > f }.map(\.value).min() }
        func finish(_ r: CapacityResult) -> Step {
            if let passAbove, let lowestFail { return .done(.nonMonotone(r, passAbove: passAbove, lowestFail: lowestFail)) }
            return .done(r)
        }
        // The start first, unless the records already bracket it out.
        if outcome[start] == nil, lo.map({ start > $0 }) ?? true, lowestFail.map({ start < $0 }) ?? true {
            return .measure(start)
        }
        switch (lo, lowestFail) {
        case (nil, nil):
            return .measure(start)  // unreachable: start is measured first
        case (let lo?, nil):
            // Growing: everything so far passes.
            if let upper, lo >= upper { return finish(.wholeRange(upper)) }
            if upper == nil, records.filter({ $0.passes && $0.value > start }).count >= maxDoublings {
                return finish(.hitDoublingCap(lo))
            }
            var v = lo > 0 ? 2 * lo : lo + resolution
            if integer { v = v.rounded(.down) }
            if let upper { v = Swift.min(v, upper) }
            return .measure(v)
        case (nil, let hi?):
            // Shrinking: everything below the lowest fail fails (or nothing is measured there).
            if hi <= lower { return finish(.belowRange(firstFailing: hi)) }
            return .measure(lower)
        case (let lo?, let hi?):
            // Bisecting (lo passes, hi fails).
            if integer ? hi - lo <= 1 : hi - lo < resolution { return finish(.largest(lo)) }
            let mid = integer ? ((lo + hi) / 2).rounded(.down) : (lo + hi) / 2
            return .measure(mid)
        }
    }
}

/// The answer of a `CapacitySearch`.
public indirect enum CapacityResult: Sendable, Equatable, CustomStringConvertible {
    /// The largest passing value: it passes, and the next step (1, or less than the resolution, above it) fails.
    case largest(Double)
    /// Even `lower` fails: the objectives are never met in the range (`firstFailing` is the lowest failing value).
    case belowRange(firstFailing: Double)
    /// Even `upper` passes: the objectives are always met in the range.
    case wholeRange(Double)
    /// Unbounded range: every doubling passed up to the cap (`maxDoublings`); the value is the last passing one, a
    /// lower bound of the capacity.
    case hitDoublingCap(Double)
    /// The outcomes were not monotone: `passAbove` passed above `lowestFail`, which failed. The wrapped result is the
    /// search below the lowest fail (the largest pass below it).
    case nonMonotone(CapacityResult, passAbove: Double, lowestFail: Double)

    /// The largest value known to pass, if any.
    public var largestPassing: Double? {
        switch self {
        case .largest(let v), .wholeRange(let v), .hitDoublingCap(let v): return v
        case .belowRange: return nil
        case .nonMonotone(let r, _, _): return r.largestPassing
        }
    }

    /// Whether the measurements were monotone.
    public var isMonotone: Bool {
        if case .nonMonotone = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .largest(let v): return "largest passing value \(v)"
        case .belowRange(let f): return "never met: even the lowest value, \(f), fails"
        case .wholeRange(let v): return "always met: even the upper bound, \(v), passes"
        case .hitDoublingCap(let v): return "every doubling passed up to \(v), where the search stopped (the doubling cap)"
        case .nonMonotone(let r, let above, let fail):
            return "\(r) (not monotone: \(above) passed above \(fail), which failed; the answer is below \(fail))"
        }
    }
}
