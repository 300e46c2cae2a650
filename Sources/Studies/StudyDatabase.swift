import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A run's row: what the study planned and how it ended.
public struct StudyRunRecord: Sendable, Equatable {
    /// The run's index in the study plan (0-based): the primary key.
    public var index: Int
    /// The run's id, e.g. "seed1-r0-3f2a0c5e9b7d1e44": unique in a study.
    public var runID: String
    /// The parameter point's index.
    public var point: Int
    public var replication: Int
    /// The seed the run used (stored as SQLite's signed INTEGER via `Int64(bitPattern:)`).
    public var seed: UInt64
    /// The run's parameter values, in the study's parameter order.
    public var parameters: [StudyParameterValue]
    /// "complete" | "interrupted" | "failed" | "crashed".
    public var status: String
    /// Why the run failed or crashed (stderr tail, signal), if it did.
    public var error: String?
    /// The worker's exit status, or nil.
    public var exitStatus: Int?
    /// The run's verdict codes, e.g. ["saturated", "drops"], in the order given (stored joined with ';',
    /// so a code must not contain ';').
    public var verdicts: [String]
    /// The run folder, relative to the study folder, e.g. "runs/quickstart/seed1-r0-…".
    public var directory: String?
    /// Provenance: the scenario's hash, 16 hex digits.
    public var scenarioHash: String
    public var toolVersion: String
    public var gitRevision: String?
    /// The run's wall-clock time in seconds. Nondeterministic: kept in the database, never exported.
    public var wallSeconds: Double?

    public init(
        index: Int, runID: String, point: Int, replication: Int, seed: UInt64, parameters: [StudyParameterValue] = [],
        status: String, error: String? = nil, exitStatus: Int? = nil, verdicts: [String] = [], directory: String? = nil,
        scenarioHash: String, toolVersion: String, gitRevision: String? = nil, wallSeconds: Double? = nil
    ) {
        self.index = index; self.runID = runID; self.point = point; self.replication = replication; self.seed = seed
        self.parameters = parameters; self.status = status; self.error = error; self.exitStatus = exitStatus
        self.verdicts = verdicts; self.directory = directory; self.scenarioHash = scenarioHash
        self.toolVersion = toolVersion; self.gitRevision = gitRevision; self.wallSeconds = wallSeconds
    }
}

/// One parameter of a run: its scenario path (as in `--set path=value`) and its value as text.
public struct StudyParameterValue: Sendable, Hashable {
    public var path: String
    public var value: String
    public init(path: String, value: String) { self.path = path; self.value = value }
}

/// One metric of one run (a row of the run's metrics.csv).
///
/// `value` may be NaN or ±infinity, as Reports writes them ("nan", "inf", "-inf"). Note that the
/// synthesized `==` follows IEEE: a metric whose value is NaN is not equal to itself.
public struct StudyMetric: Sendable, Equatable {
    /// The entity's kind, e.g. "host", "link" (metrics.csv's `entity_kind`).
    public var kind: String
    public var entity: String
    public var metric: String
    public var value: Double
    public var unit: String
    public init(kind: String, entity: String, metric: String, value: Double, unit: String) {
        self.kind = kind; self.entity = entity; self.metric = metric; self.value = value; self.unit = unit
    }

    /// The same metric with the same value, NaN equal to NaN (what `merge` compares).
    func isSame(as other: StudyMetric) -> Bool {
        kind == other.kind && entity == other.entity && metric == other.metric && unit == other.unit
            && (value == other.value || (value.isNaN && other.value.isNaN))
    }
}

/// What went wrong with a study's database; each description says what to do.
public enum StudyDatabaseError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The database file at `path` could not be opened or created.
    case open(path: String, message: String)
    /// SQLite refused an operation (disk full, I/O error, a locked or corrupt file…).
    case sqlite(message: String)
    /// The database was written by a newer vnetsim (its `PRAGMA user_version` is `found`).
    case newerSchema(path: String, found: Int, supported: Int)
    /// Two databases disagree about run `runIndex` (merge).
    case conflict(runIndex: Int, message: String)
    /// A run that cannot be recorded as given (e.g. the same metric twice).
    case invalidRun(runIndex: Int, message: String)
    /// A run's metrics.csv is malformed at `line` (1-based; the header is line 1).
    case malformedMetrics(line: Int, message: String)
    /// Writing the exported CSVs failed.
    case export(path: String, message: String)

    public var description: String {
        switch self {
        case .open(let path, let message):
            return "cannot open the study database \(path): \(message)"
        case .sqlite(let message):
            return "study database error: \(message) (check that the disk has room and that no other process holds the file)"
        case .newerSchema(let path, let found, let supported):
            return
                "the study database \(path) has schema version \(found), but this vnetsim reads versions up to \(supported): use a newer vnetsim to continue this study"
        case .conflict(let runIndex, let message):
            return
                "run \(runIndex): \(message); the databases are not shards of the same study (or one of them holds a stale run): merge only shards of one study, or remove the stale run"
        case .invalidRun(let runIndex, let message):
            return "cannot record run \(runIndex): \(message)"
        case .malformedMetrics(let line, let message):
            return "metrics.csv line \(line): \(message) (the file should be as Reports writes it; rerun the run to rewrite it)"
        case .export(let path, let message):
            return "cannot export \(path): \(message) (check that the folder is writable and the disk has room)"
        }
    }
}

/// A study's SQLite database, `<study folder>/study.sqlite`: the runs of the study as they finish, and
/// their metrics, each run recorded atomically.
///
/// The file uses SQLite's rollback journal with `synchronous = FULL`, so a kill -9 or a power loss at
/// any moment leaves every run either wholly recorded or not at all. Foreign keys are enforced. The
/// schema's version is in `PRAGMA user_version` (currently 1); a newer version is refused.
///
/// Tables, for querying with SQL (e.g. pandas' `read_sql`):
/// - `study_info(key TEXT PRIMARY KEY, value TEXT)`: study-level facts (study id, kind, scenario name
///   and hash, definition, level, vnetsim version, git revision, status "running"/"complete"/"partial").
/// - `runs(run_index INTEGER PRIMARY KEY, run_id TEXT UNIQUE, point INTEGER, replication INTEGER,
///   seed INTEGER, parameters TEXT, status TEXT, error TEXT, exit_status INTEGER, verdicts TEXT,
///   directory TEXT, scenario_hash TEXT, vnetsim_version TEXT, git_revision TEXT, wall_seconds REAL)`:
///   one row per run. `seed` is the UInt64 seed's bit pattern as a signed 64-bit integer (a seed above
///   2^63−1 reads back negative in SQL: add 2^64). `parameters` is a JSON array of
///   `{"path": …, "value": …}` objects in the study's parameter order; `verdicts` is the verdict codes
///   joined with ';' ("" for none). `wall_seconds` is nondeterministic and never exported.
/// - `run_parameters(run_index INTEGER, path TEXT, value TEXT, PRIMARY KEY(run_index, path))`: the same
///   parameters, one row each, for joins (`run_index` references `runs`).
/// - `metrics(run_index INTEGER, entity_kind TEXT, entity TEXT, metric TEXT, value REAL, unit TEXT,
///   PRIMARY KEY(run_index, entity_kind, entity, metric))`: every row of each run's metrics.csv
///   (`run_index` references `runs`). SQLite cannot store NaN: a NaN value is NULL; ±infinity is stored
///   as such.
///
/// Not thread-safe: one instance per process, used from one thread.
public final class StudyDatabase {
    public static let fileName = "study.sqlite"
    /// The schema version this code writes and reads (`PRAGMA user_version`).
    public static let schemaVersion = 1

    /// The database file.
    public let url: URL
    let queue: DatabaseQueue

    /// Opens `<folder>/study.sqlite`, creating it and its schema if it does not exist.
    ///
    /// The folder itself must exist. Throws `.open` if the folder is missing, not a directory or not
    /// writable, or the file is not a study database; `.newerSchema` if a newer vnetsim wrote it.
    public init(folder: URL) throws(StudyDatabaseError) {
        let url = folder.appendingPathComponent(Self.fileName)
        let path = url.path
        var st = stat()
        guard stat(folder.path, &st) == 0 else {
            let reason = String(cString: strerror(errno))
            throw .open(path: path, message: "the folder \(folder.path) does not exist (\(reason)): create it, or check the path")
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .open(path: path, message: "\(folder.path) is not a directory: give the study's folder")
        }
        // SQLite creates the file and, for each write, a journal beside it: the folder must be writable.
        guard access(folder.path, W_OK) == 0 else {
            let reason = String(cString: strerror(errno))
            throw .open(
                path: path, message: "the folder \(folder.path) is not writable (\(reason)): use a writable folder, or fix its permissions")
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.journalMode = .default  // the rollback journal
        config.busyMode = .timeout(10)  // a reader (e.g. pandas) may hold a shared lock for a moment
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw .open(path: path, message: Self.message(error) + ": move the file away, or use another study folder")
        }
        self.url = url
        try migrate()
    }

    /// Creates the schema in a new database, checks an existing one's version.
    private func migrate() throws(StudyDatabaseError) {
        let path = url.path
        let found: Int
        do {
            found =
                try queue.write { db -> Int in
                    let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                    guard version == 0 else { return version }
                    let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
                    guard tables == 0 else { return -1 }
                    try db.execute(sql: Self.schema)
                    try db.execute(sql: "PRAGMA user_version = \(Self.schemaVersion)")
                    return Self.schemaVersion
                }
        } catch {
            throw .open(path: path, message: Self.message(error) + " (is it a study database?)")
        }
        if found == -1 {
            throw .open(
                path: path, message: "the file is an SQLite database but not a study database (it has tables and no schema version)")
        }
        if found > Self.schemaVersion { throw .newerSchema(path: path, found: found, supported: Self.schemaVersion) }
    }

    static let schema = """
        CREATE TABLE study_info (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        CREATE TABLE runs (
            run_index INTEGER PRIMARY KEY NOT NULL,
            run_id TEXT NOT NULL UNIQUE,
            point INTEGER NOT NULL,
            replication INTEGER NOT NULL,
            seed INTEGER NOT NULL,
            parameters TEXT NOT NULL,
            status TEXT NOT NULL,
            error TEXT,
            exit_status INTEGER,
            verdicts TEXT NOT NULL,
            directory TEXT,
            scenario_hash TEXT NOT NULL,
            vnetsim_version TEXT NOT NULL,
            git_revision TEXT,
            wall_seconds REAL
        );
        CREATE TABLE run_parameters (
            run_index INTEGER NOT NULL REFERENCES runs(run_index) ON DELETE CASCADE,
            path TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_index, path)
        );
        CREATE TABLE metrics (
            run_index INTEGER NOT NULL REFERENCES runs(run_index) ON DELETE CASCADE,
            entity_kind TEXT NOT NULL,
            entity TEXT NOT NULL,
            metric TEXT NOT NULL,
            value REAL,
            unit TEXT NOT NULL,
            PRIMARY KEY (run_index, entity_kind, entity, metric)
        );
        """

    // MARK: - Study facts

    /// Sets study-level key/value facts, replacing earlier values of the same keys (others are kept).
    public func setInfo(_ info: [String: String]) throws(StudyDatabaseError) {
        try perform {
            try queue.write { db in
                for (key, value) in info.sorted(by: { $0.key < $1.key }) {
                    try db.execute(
                        sql: "INSERT INTO study_info (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        arguments: [key, value])
                }
            }
        }
    }

    /// Every study-level fact.
    public func info() throws(StudyDatabaseError) -> [String: String] {
        try perform {
            try queue.read { db in
                var out: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM study_info") {
                    out[row["key"] as String] = row["value"] as String
                }
                return out
            }
        }
    }

    // MARK: - Runs

    /// Records one run and its metrics in one transaction, replacing an earlier row of the same index
    /// and all its metrics and parameters: after a crash at any moment, either the whole run is in or
    /// none of it (the earlier row, if any, is then still there).
    ///
    /// Throws `.invalidRun` if two metrics share (kind, entity, metric), two parameters share a path or a
    /// verdict code is empty or holds a ';'; `.sqlite` if another index already has this run id or the
    /// write fails.
    public func record(_ run: StudyRunRecord, metrics: [StudyMetric]) throws(StudyDatabaseError) {
        try Self.validate(run, metrics: metrics)
        try perform { try queue.write { db in try Self.insert(run, metrics: metrics, into: db) } }
    }

    static func validate(_ run: StudyRunRecord, metrics: [StudyMetric]) throws(StudyDatabaseError) {
        var paths = Set<String>()
        for p in run.parameters where !paths.insert(p.path).inserted {
            throw .invalidRun(runIndex: run.index, message: "the parameter \(p.path) is given twice")
        }
        for v in run.verdicts where v.isEmpty || v.contains(";") {
            throw .invalidRun(
                runIndex: run.index, message: "the verdict code \"\(v)\" is empty or holds a ';' (verdicts are stored joined with ';')")
        }
        struct Key: Hashable { var kind, entity, metric: String }
        var keys = Set<Key>()
        for m in metrics where !keys.insert(Key(kind: m.kind, entity: m.entity, metric: m.metric)).inserted {
            throw .invalidRun(runIndex: run.index, message: "the metric \(m.metric) of \(m.kind) \(m.entity) is given twice")
        }
    }

    /// Replaces run `run.index` inside the caller's transaction.
    static func insert(_ run: StudyRunRecord, metrics: [StudyMetric], into db: Database) throws {
        try db.execute(sql: "DELETE FROM metrics WHERE run_index = ?", arguments: [run.index])
        try db.execute(sql: "DELETE FROM run_parameters WHERE run_index = ?", arguments: [run.index])
        try db.execute(sql: "DELETE FROM runs WHERE run_index = ?", arguments: [run.index])
        try db.execute(
            sql: """
                INSERT INTO runs (run_index, run_id, point, replication, seed, parameters, status, error, exit_status,
                                  verdicts, directory, scenario_hash, vnetsim_version, git_revision, wall_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                run.index, run.runID, run.point, run.replication, Int64(bitPattern: run.seed), parametersJSON(run.parameters),
                run.status, run.error, run.exitStatus, run.verdicts.joined(separator: ";"), run.directory, run.scenarioHash,
                run.toolVersion, run.gitRevision, run.wallSeconds,
            ])
        let parameter = try db.makeStatement(sql: "INSERT INTO run_parameters (run_index, path, value) VALUES (?, ?, ?)")
        for p in run.parameters { try parameter.execute(arguments: [run.index, p.path, p.value]) }
        let metric = try db.makeStatement(
            sql: "INSERT INTO metrics (run_index, entity_kind, entity, metric, value, unit) VALUES (?, ?, ?, ?, ?, ?)")
        for m in metrics {
            // SQLite stores a NaN as NULL anyway; say so explicitly.
            let value: Double? = m.value.isNaN ? nil : m.value
            try metric.execute(arguments: [run.index, m.kind, m.entity, m.metric, value, m.unit])
        }
    }

    /// Every run row, by index.
    public func runs() throws(StudyDatabaseError) -> [StudyRunRecord] {
        try perform { try queue.read { db in try Self.fetchRuns(db) } }
    }

    static func fetchRuns(_ db: Database) throws -> [StudyRunRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY run_index").map { row throws -> StudyRunRecord in
            let verdicts: String = row["verdicts"]
            return StudyRunRecord(
                index: row["run_index"], runID: row["run_id"], point: row["point"], replication: row["replication"],
                seed: UInt64(bitPattern: row["seed"] as Int64), parameters: try parameters(fromJSON: row["parameters"]),
                status: row["status"], error: row["error"], exitStatus: row["exit_status"],
                verdicts: verdicts.isEmpty ? [] : verdicts.split(separator: ";", omittingEmptySubsequences: false).map(String.init),
                directory: row["directory"], scenarioHash: row["scenario_hash"], toolVersion: row["vnetsim_version"],
                gitRevision: row["git_revision"], wallSeconds: row["wall_seconds"])
        }
    }

    /// The indices of the runs whose status is "complete" (what `--resume` skips).
    public func completedIndices() throws(StudyDatabaseError) -> Set<Int> {
        try perform { try queue.read { db in Set(try Int.fetchAll(db, sql: "SELECT run_index FROM runs WHERE status = 'complete'")) } }
    }

    /// The metrics of run `index`, in (kind, entity, metric) order; empty for an unknown run.
    public func metrics(run index: Int) throws(StudyDatabaseError) -> [StudyMetric] {
        try perform {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT \(Self.metricColumns) FROM metrics WHERE run_index = ? ORDER BY entity_kind, entity, metric",
                    arguments: [index]
                ).map(Self.metric)
            }
        }
    }

    /// Every (run index, metric) of every run, whatever its status, ordered by run index then kind,
    /// entity, metric — for aggregation.
    public func allMetrics() throws(StudyDatabaseError) -> [(run: Int, metric: StudyMetric)] {
        try perform { try queue.read { db in try Self.fetchAllMetrics(db) } }
    }

    static func fetchAllMetrics(_ db: Database) throws -> [(run: Int, metric: StudyMetric)] {
        var out: [(run: Int, metric: StudyMetric)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT \(metricColumns) FROM metrics ORDER BY run_index, entity_kind, entity, metric")
        while let row = try rows.next() { out.append((run: row[0] as Int, metric: metric(row))) }
        return out
    }

    /// The columns every metrics query selects, in the order `metric(_:)` reads them by position (a lookup by name
    /// is case-insensitive in GRDB, and costs more than the rest of the row: studies read millions of them).
    static let metricColumns = "run_index, entity_kind, entity, metric, value, unit"

    static func metric(_ row: Row) -> StudyMetric {
        StudyMetric(kind: row[1], entity: row[2], metric: row[3], value: (row[4] as Double?) ?? .nan, unit: row[5])
    }

    // MARK: - Merge

    /// Copies every run (row, parameters and metrics) of `other` into this database, in one transaction
    /// (for `vnetsim merge`).
    ///
    /// A run index present in both must have the same run id. If both are complete they must have the same metrics
    /// (NaN equal to NaN), and it is left as it is here; one that did not complete here is replaced by the other's
    /// complete run (a shard merged before it was resumed); one that did not complete there is ignored. Otherwise
    /// nothing is copied and `.conflict` names the run. Study facts (`study_info`) are not copied.
    public func merge(from other: StudyDatabase) throws(StudyDatabaseError) {
        let (theirRuns, theirMetrics) = try other.perform {
            try other.queue.read { db in (try Self.fetchRuns(db), try Self.fetchAllMetrics(db)) }
        }
        var byRun: [Int: [StudyMetric]] = [:]
        for (run, metric) in theirMetrics { byRun[run, default: []].append(metric) }
        try perform {
            try queue.write { db in
                let ours = Dictionary(uniqueKeysWithValues: try Self.fetchRuns(db).map { ($0.index, $0) })
                var oursByID: [String: Int] = [:]
                for run in ours.values { oursByID[run.runID] = run.index }
                for run in theirRuns {
                    let metrics = byRun[run.index] ?? []
                    if let mine = ours[run.index] {
                        // A run that did not complete on one side (a shard merged before it was resumed) gives way to
                        // the same run complete on the other; two complete runs must agree.
                        let complete = "complete"
                        if mine.status != complete && run.status == complete && mine.runID == run.runID {
                            try Self.insert(run, metrics: metrics, into: db)
                            continue
                        }
                        if run.status != complete && mine.runID == run.runID { continue }
                        guard mine.runID == run.runID else {
                            throw StudyDatabaseError.conflict(
                                runIndex: run.index, message: "it is \(mine.runID) here but \(run.runID) in \(other.url.path)")
                        }
                        let myMetrics = try Row.fetchAll(
                            db, sql: "SELECT \(Self.metricColumns) FROM metrics WHERE run_index = ? ORDER BY entity_kind, entity, metric",
                            arguments: [run.index]
                        ).map(Self.metric)
                        guard myMetrics.count == metrics.count, zip(myMetrics, metrics).allSatisfy({ $0.isSame(as: $1) }) else {
                            throw StudyDatabaseError.conflict(
                                runIndex: run.index, message: "\(run.runID) has different metrics here and in \(other.url.path)")
                        }
                        continue
                    }
                    if let elsewhere = oursByID[run.runID] {
                        throw StudyDatabaseError.conflict(
                            runIndex: run.index, message: "its run id \(run.runID) is run \(elsewhere)'s here")
                    }
                    try Self.insert(run, metrics: metrics, into: db)
                }
            }
        }
    }

    // MARK: - Helpers

    /// Runs raw SQL (tests use it to fake a newer schema or damage a database).
    func executeForTesting(_ sql: String) throws(StudyDatabaseError) {
        try perform { try queue.write { db in try db.execute(sql: sql) } }
    }

    /// Runs `body`, turning its errors into `StudyDatabaseError`s.
    func perform<T>(_ body: () throws -> T) throws(StudyDatabaseError) -> T {
        do {
            return try body()
        } catch let error as StudyDatabaseError {
            throw error
        } catch {
            throw .sqlite(message: Self.message(error))
        }
    }

    /// SQLite's own message and result code, without GRDB's SQL echo.
    static func message(_ error: any Error) -> String {
        if let e = error as? DatabaseError {
            return "\(e.message ?? "SQLite error") (SQLite error \(e.extendedResultCode.rawValue))"
        }
        return String(describing: error)
    }

    private struct Parameter: Codable { var path: String; var value: String }

    static func parametersJSON(_ parameters: [StudyParameterValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding an array of string pairs cannot fail.
        let data = try! encoder.encode(parameters.map { Parameter(path: $0.path, value: $0.value) })
        return String(decoding: data, as: UTF8.self)
    }

    static func parameters(fromJSON text: String) throws -> [StudyParameterValue] {
        do {
            return try JSONDecoder().decode([Parameter].self, from: Data(text.utf8)).map {
                StudyParameterValue(path: $0.path, value: $0.value)
            }
        } catch {
            throw StudyDatabaseError.sqlite(message: "a run's parameters are not the JSON this vnetsim writes: \(text)")
        }
    }
}

// MARK: - A run's metrics.csv

/// Reads a run's metrics.csv, as Reports writes it (`CSVReports.metrics`): RFC 4180, a header naming
/// at least `entity_kind,entity,metric,value,unit` (the golden files' header is
/// `scenario,seed,replication,entity_kind,entity,metric,value,unit`), values as the shortest text
/// that reads back as the same Double, or "nan", "inf", "-inf".
public enum RunMetricsFile {
    static let required = ["entity_kind", "entity", "metric", "value", "unit"]

    /// The metrics in file order. Blank lines are skipped. Throws `.malformedMetrics` with the line of
    /// the first malformed row: a wrong number of fields, a value that is not a number, a metric given
    /// twice; or line 1 if the header lacks a required column.
    public static func parse(_ text: String) throws(StudyDatabaseError) -> [StudyMetric] {
        let records = self.records(text)
        guard let header = records.first, header.fields != [""] else {
            throw .malformedMetrics(
                line: 1, message: "the file is empty (it should start with a header naming \(required.joined(separator: ",")))")
        }
        var column: [String: Int] = [:]
        for (i, name) in header.fields.enumerated() where column[name] == nil { column[name] = i }
        let missing = required.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw .malformedMetrics(line: header.line, message: "the header lacks \(missing.joined(separator: ", "))")
        }
        let kind = column["entity_kind"]!, entity = column["entity"]!, metric = column["metric"]!
        let value = column["value"]!, unit = column["unit"]!
        struct Key: Hashable { var kind, entity, metric: String }
        var seen: [Key: Int] = [:]
        var out: [StudyMetric] = []
        out.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            let f = record.fields
            if f == [""] { continue }
            guard f.count == header.fields.count else {
                throw .malformedMetrics(line: record.line, message: "\(f.count) fields, but the header has \(header.fields.count)")
            }
            guard let x = number(f[value]) else {
                throw .malformedMetrics(line: record.line, message: "the value \"\(f[value])\" is not a number")
            }
            let key = Key(kind: f[kind], entity: f[entity], metric: f[metric])
            if let first = seen[key] {
                throw .malformedMetrics(
                    line: record.line,
                    message: "the metric \(key.metric) of \(key.kind) \(key.entity) appears again (first on line \(first))")
            }
            seen[key] = record.line
            out.append(StudyMetric(kind: f[kind], entity: f[entity], metric: f[metric], value: x, unit: f[unit]))
        }
        return out
    }

    /// A value as `NumberFormat.exact` writes it.
    static func number(_ s: String) -> Double? {
        switch s {
        case "nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default:
            // Double(_:) also takes "nan", "infinity", hex floats: only decimal text is a value here.
            guard let first = s.utf8.first,
                first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
                !s.utf8.contains(where: { $0 | 0x20 == UInt8(ascii: "n") || $0 | 0x20 == UInt8(ascii: "x") })
            else { return nil }
            return Double(s)
        }
    }

    /// RFC 4180 records, each with the line it starts on (a quoted field may span lines). Read byte by byte (a
    /// study parses every run's metrics.csv, thousands of rows each): CR LF, LF and CR each end a line.
    static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false, afterQuote = false, afterCR = false
        var line = 1, start = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr: UInt8 = 13, lf: UInt8 = 10
        func take() -> String {
            defer { field.removeAll(keepingCapacity: true) }
            return String(decoding: field, as: UTF8.self)
        }
        for b in text.utf8 {
            // The LF of a CR LF: the line already ended at the CR.
            if afterCR {
                afterCR = false
                if b == lf { continue }
            }
            if quoted {
                if b == quote {
                    quoted = false; afterQuote = true
                } else {
                    // A line end inside a quoted field is part of it (CR LF counts one line).
                    if b == cr || (b == lf && field.last != cr) { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case quote:
                if afterQuote { field.append(quote) }  // a doubled quote inside a quoted field
                quoted = true; afterQuote = false
            case comma:
                fields.append(take()); afterQuote = false
            case lf, cr:
                fields.append(take()); afterQuote = false
                out.append((start, fields)); fields = []
                line += 1; start = line
                afterCR = b == cr
            default:
                field.append(b); afterQuote = false
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(take())
            out.append((start, fields))
        }
        return out
    }
}
