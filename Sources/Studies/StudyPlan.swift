import Scenario
import SimCore

/// What a study is for: it decides the commands' tables and the folder's name.
public enum StudyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case sweep, compare, plan
}

/// One run of a study: its place (point, replication), its index and the `RunSpec` that makes it.
public struct StudyRun: Sendable, Hashable {
    /// The run's index in the study (the key of its row in the study database).
    public var index: Int
    public var point: StudyPoint
    /// The replication as the study counts it (0…replications−1): runs of one replication at different points are
    /// paired (common random numbers).
    public var replication: Int
    /// The run: the study's scenario and base changes, the point's `--set` assignments after them, its random streams.
    public var spec: RunSpec
}

/// A study as a pure function from run index to run (STYLE 18: OMNeT++'s `getNumRuns()`/`gotoRun(n)`): the scenario
/// with its base changes, the points, the replications. Shards, resume and merge follow from run indices.
///
/// Indices are replication-major: run `i` is replication `i / points.count` of point `i % points.count`, so a study's
/// first `points.count` runs are one replication of every point, and more replications append indices without
/// renumbering the runs already made.
public struct StudyPlan: Sendable, Hashable {
    public var kind: StudyKind
    /// The scenario (its text, and the path runs read it from), the base overrides, seed, duration and warm-up; its
    /// replication is ignored.
    public var base: RunSpec
    /// The scenario's name (the results folder's).
    public var scenarioName: String
    public var parameterPaths: [String]
    public var points: [StudyPoint]
    public var replications: Int
    /// False (the default): every point's replication r uses the same random streams (common random numbers: the
    /// same streams for the same components, so differences between points are not noise between streams); true:
    /// each point's streams are its own (replication r of point p uses streams r + p × replications).
    public var independentStreams: Bool
    /// What else decides the study's runs (a plan's objectives and range): part of its id.
    public var extra: [String]

    public init(
        kind: StudyKind, base: RunSpec, scenarioName: String, parameterPaths: [String], points: [StudyPoint], replications: Int,
        independentStreams: Bool = false, extra: [String] = []
    ) {
        precondition(replications >= 1, "a study runs at least one replication")
        self.kind = kind; self.base = base; self.scenarioName = scenarioName; self.parameterPaths = parameterPaths
        self.points = points; self.replications = replications; self.independentStreams = independentStreams; self.extra = extra
    }

    /// Every run of the study.
    public var runCount: Int { points.count * replications }

    /// The run with `index` (0 ≤ index < runCount).
    public func run(_ index: Int) -> StudyRun {
        precondition(index >= 0 && index < runCount, "run index \(index) outside 0..<\(runCount)")
        if pointMajor { return run(point: index / replications, replication: index % replications) }
        return run(point: index % points.count, replication: index / points.count)
    }

    /// Whether run indices are point-major (a plan's points are found one after another, so point `p`'s runs are
    /// `p × replications …`); a sweep's and a comparison's are replication-major.
    public var pointMajor: Bool { kind == .plan }

    /// The index of replication `replication` at point `point`.
    public func index(point: Int, replication: Int) -> Int {
        pointMajor ? point * replications + replication : replication * points.count + point
    }

    /// The run of replication `replication` at point `point`.
    public func run(point: Int, replication: Int) -> StudyRun {
        let p = points[point]
        var spec = base
        spec.overrides = base.overrides + p.assignments.map(\.override)
        let stream = independentStreams ? replication + point * replications : replication
        spec.replication = UInt32(stream)
        return StudyRun(index: index(point: point, replication: replication), point: p, replication: replication, spec: spec)
    }

    /// The indices of shard `k` of `n` (1 ≤ k ≤ n): every n-th run starting at k − 1, so every run is in exactly one
    /// shard and each shard holds runs of every point.
    public func shard(_ k: Int, of n: Int) -> [Int] {
        precondition(n >= 1 && (1...n).contains(k), "shard \(k)/\(n)")
        return Array(stride(from: k - 1, to: runCount, by: n))
    }

    /// The study's id: 16 hex digits of FNV-1a 64 over a canonical encoding of everything that decides its runs —
    /// kind, scenario text, base overrides, seed, duration, warm-up, parameters, points, replications, streams and
    /// `extra` (not the confidence level: the same runs at another level are the same study, its tables recomputed).
    public var id: String {
        var out: [UInt8] = []
        func integer<T: FixedWidthInteger>(_ x: T) { withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) } }
        func string(_ s: String) {
            integer(UInt64(s.utf8.count))
            out.append(contentsOf: s.utf8)
        }
        func list(_ l: [String]) {
            integer(UInt64(l.count))
            l.forEach(string)
        }
        string("vnetsim-study-id/1")
        string(kind.rawValue)
        string(base.scenarioText)
        list(base.overrides)
        list(base.captures)
        if let s = base.seed {
            out.append(1)
            integer(s)
        } else {
            out.append(0)
        }
        for t in [base.duration, base.warmup] {
            if let t {
                out.append(1)
                integer(t.picoseconds)
            } else {
                out.append(0)
            }
        }
        list(parameterPaths)
        // A plan's points follow from its search (in `extra`), not the other way round.
        if !pointMajor {
            integer(UInt64(points.count))
            for p in points { list(p.assignments.map(\.override)) }
        }
        integer(UInt64(replications))
        out.append(independentStreams ? 1 : 0)
        list(extra)
        return Self.hex(RunID.fnv1a64(out))
    }

    /// 16 lowercase hex digits.
    public static func hex(_ x: UInt64) -> String {
        let h = String(x, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }

    /// The study's folder name: `<kind>-<id>`, with `.shard-K-of-N` for a shard.
    public func folderName(shard: (k: Int, n: Int)? = nil) -> String {
        "\(kind.rawValue)-\(id)" + (shard.map { ".shard-\($0.k)-of-\($0.n)" } ?? "")
    }
}
