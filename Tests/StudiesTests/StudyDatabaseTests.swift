import Foundation
import Reports
import Testing

@testable import Studies

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The study database keeps each run whole, reads back what was written, exports deterministic bytes
/// and merges shards only when they agree.
@Suite struct StudyDatabaseTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vnetsim-studydb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Run 0: complete, two parameters, verdicts, three metrics (one NaN, one entity with a comma).
    static let run0 = StudyRunRecord(
        index: 0, runID: "seed1-r0-aaaaaaaaaaaaaaaa", point: 0, replication: 0, seed: 1,
        parameters: [StudyParameterValue(path: "links.rate", value: "1Gbps"), StudyParameterValue(path: "traffic.size", value: "1500")],
        status: "complete", exitStatus: 0, verdicts: ["saturated", "drops"], directory: "runs/tiny/seed1-r0-aaaaaaaaaaaaaaaa",
        scenarioHash: "0123456789abcdef", toolVersion: "0.9.0", gitRevision: "abc1234", wallSeconds: 1.25)
    /// Inserted out of (kind, entity, metric) order on purpose.
    static let metrics0 = [
        StudyMetric(kind: "link", entity: "a,b", metric: "throughput", value: 9.41e9, unit: "bps"),
        StudyMetric(kind: "host", entity: "host", metric: "cpu_util", value: 1.0 / 3.0, unit: "ratio"),
        StudyMetric(kind: "link", entity: "a,b", metric: "drops", value: .nan, unit: "packets"),
    ]
    /// Run 1: failed, a seed above Int64.max, an error with a newline, a comma and quotes; no git revision.
    static let run1 = StudyRunRecord(
        index: 1, runID: "seed18446744073709551615-r0-bbbbbbbbbbbbbbbb", point: 1, replication: 0, seed: UInt64.max,
        parameters: [StudyParameterValue(path: "links.rate", value: "10Gbps"), StudyParameterValue(path: "traffic.size", value: "9000")],
        status: "failed", error: "worker exited with status 1:\nboom, \"bad\"", exitStatus: 1,
        scenarioHash: "0123456789abcdef", toolVersion: "0.9.0", wallSeconds: 0.5)
    /// A failed run's metrics are kept in the database but not exported.
    static let metrics1 = [StudyMetric(kind: "host", entity: "host", metric: "cpu_util", value: -.infinity, unit: "ratio")]

    static let paths = ["links.rate", "traffic.size"]

    func sameMetrics(_ a: [StudyMetric], _ b: [StudyMetric]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.isSame(as: $1) }
    }

    func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func aRunAndItsMetricsReadBackAsWritten() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try StudyDatabase(folder: dir)
        try db.record(Self.run1, metrics: Self.metrics1)
        try db.record(Self.run0, metrics: Self.metrics0)
        // Expected: both rows by index, every field as given (UInt64.max survives the signed INTEGER column).
        #expect(try db.runs() == [Self.run0, Self.run1])
        #expect(try db.runs()[1].seed == UInt64.max)
        // Expected: metrics in (kind, entity, metric) order: host/cpu_util, link "a,b"/drops (NaN), link "a,b"/throughput.
        let expected0 = [Self.metrics0[1], Self.metrics0[2], Self.metrics0[0]]
        #expect(sameMetrics(try db.metrics(run: 0), expected0))
        #expect(try db.metrics(run: 0)[1].value.isNaN)
        #expect(sameMetrics(try db.metrics(run: 1), Self.metrics1))
        #expect(try db.metrics(run: 7).isEmpty)
        let all = try db.allMetrics()
        #expect(all.map(\.run) == [0, 0, 0, 1])
        #expect(sameMetrics(all.map(\.metric), expected0 + Self.metrics1))
        // Reopening the file reads the same.
        let again = try StudyDatabase(folder: dir)
        #expect(try again.runs() == [Self.run0, Self.run1])
    }

    @Test func studyInfoIsUpserted() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try StudyDatabase(folder: dir)
        #expect(try db.info().isEmpty)
        try db.setInfo(["study_id": "s1", "status": "running"])
        try db.setInfo(["status": "complete", "kind": "sweep"])
        #expect(try db.info() == ["study_id": "s1", "status": "complete", "kind": "sweep"])
    }

    @Test func recordingAnIndexAgainReplacesTheRunAndItsMetrics() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try StudyDatabase(folder: dir)
        var first = Self.run0
        first.status = "interrupted"
        first.parameters = [StudyParameterValue(path: "old.path", value: "x")]
        try db.record(first, metrics: Self.metrics0 + [StudyMetric(kind: "vm", entity: "vm0", metric: "gone", value: 1, unit: "")])
        try db.record(Self.run0, metrics: [Self.metrics0[1]])
        // Expected: one row (the second), one metric (not four, not five).
        #expect(try db.runs() == [Self.run0])
        #expect(try db.metrics(run: 0) == [Self.metrics0[1]])
        #expect(try db.allMetrics().count == 1)
    }

    @Test func completedIndicesAreTheCompleteRunsOnly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try StudyDatabase(folder: dir)
        #expect(try db.completedIndices().isEmpty)
        for (i, status) in ["complete", "interrupted", "complete", "failed", "crashed"].enumerated() {
            var run = Self.run0
            run.index = i; run.runID = "run-\(i)"; run.status = status
            try db.record(run, metrics: [])
        }
        #expect(try db.completedIndices() == [0, 2])
    }

    @Test func aRunThatCannotBeRecordedLeavesTheDatabaseAsItWas() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try StudyDatabase(folder: dir)
        // Refused before SQLite: a metric twice, a parameter twice, a verdict that would not survive the ';' join.
        var twice = Self.run0
        twice.parameters += [twice.parameters[0]]
        var semicolon = Self.run0
        semicolon.verdicts = ["a;b"]
        var empty = Self.run0
        empty.verdicts = [""]
        for (run, metrics) in [(Self.run0, Self.metrics0 + [Self.metrics0[0]]), (twice, []), (semicolon, []), (empty, [])] {
            #expect {
                try db.record(run, metrics: metrics)
            } throws: { error in
                guard case .invalidRun(0, _) = error as? StudyDatabaseError else { return false }
                return true
            }
        }
        #expect(try db.runs().isEmpty)
        // Replacing run 0 by a run with run 1's id: the old row, parameters and metrics are deleted, then the insert
        // fails on the unique run id, so the transaction rolls back and run 0 is whole again.
        try db.record(Self.run0, metrics: Self.metrics0)
        try db.record(Self.run1, metrics: Self.metrics1)
        var clash = Self.run0
        clash.runID = Self.run1.runID
        #expect(throws: StudyDatabaseError.self) { try db.record(clash, metrics: []) }
        #expect(try db.runs() == [Self.run0, Self.run1])
        #expect(try db.allMetrics().map(\.run) == [0, 0, 0, 1])
    }

    /// The exported bytes, written out by hand: CRLF line ends, the comma and quotes quoted, the seed as
    /// unsigned, 1/3 as its shortest round-trip text, 9.41e9 as an integer, NaN as "nan", no wall time,
    /// and metrics of the complete run only.
    static let expectedRunsCSV =
        "run_index,run_id,point,replication,seed,links.rate,traffic.size,status,verdicts,exit_status,error,directory,scenario_hash,vnetsim_version,git_revision\r\n"
        + "0,seed1-r0-aaaaaaaaaaaaaaaa,0,0,1,1Gbps,1500,complete,saturated;drops,0,,runs/tiny/seed1-r0-aaaaaaaaaaaaaaaa,0123456789abcdef,0.9.0,abc1234\r\n"
        + "1,seed18446744073709551615-r0-bbbbbbbbbbbbbbbb,1,0,18446744073709551615,10Gbps,9000,failed,,1,"
        + "\"worker exited with status 1:\nboom, \"\"bad\"\"\",,0123456789abcdef,0.9.0,\r\n"
    static let expectedMetricsCSV =
        "run_index,run_id,point,replication,seed,links.rate,traffic.size,entity_kind,entity,metric,value,unit\r\n"
        + "0,seed1-r0-aaaaaaaaaaaaaaaa,0,0,1,1Gbps,1500,host,host,cpu_util,0.3333333333333333,ratio\r\n"
        + "0,seed1-r0-aaaaaaaaaaaaaaaa,0,0,1,1Gbps,1500,link,\"a,b\",drops,nan,packets\r\n"
        + "0,seed1-r0-aaaaaaaaaaaaaaaa,0,0,1,1Gbps,1500,link,\"a,b\",throughput,9410000000,bps\r\n"

    @Test func exportWritesTheExpectedBytes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try StudyDatabase(folder: dir)
        try db.record(Self.run0, metrics: Self.metrics0)
        try db.record(Self.run1, metrics: Self.metrics1)
        let out = dir.appendingPathComponent("export/tidy")
        try db.exportCSV(into: out, parameterPaths: Self.paths)
        #expect(try read(out.appendingPathComponent("runs.csv")) == Self.expectedRunsCSV)
        #expect(try read(out.appendingPathComponent("metrics.csv")) == Self.expectedMetricsCSV)
        // Only the two files, no temporary leftovers.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["metrics.csv", "runs.csv"])
        // The parameter columns follow the order given; a path a run lacks is an empty field.
        try db.exportCSV(into: out, parameterPaths: ["traffic.size", "absent"])
        let runs = CSVTable.parse(try read(out.appendingPathComponent("runs.csv")))
        #expect(runs[0][5...6] == ["traffic.size", "absent"] && runs[1][5...6] == ["1500", ""])
        // A parameter path that is a column's name is refused.
        #expect(throws: StudyDatabaseError.self) { try db.exportCSV(into: out, parameterPaths: ["status"]) }
    }

    @Test func exportBytesDoNotDependOnInsertionOrderOrWallTime() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let first = try StudyDatabase(folder: a)
        try first.record(Self.run0, metrics: Self.metrics0)
        try first.record(Self.run1, metrics: Self.metrics1)
        let second = try StudyDatabase(folder: b)
        var slow1 = Self.run1, slow0 = Self.run0
        slow1.wallSeconds = 99; slow0.wallSeconds = nil
        try second.record(slow1, metrics: Self.metrics1)
        try second.record(slow0, metrics: Self.metrics0.reversed())
        try first.exportCSV(into: a, parameterPaths: Self.paths)
        try second.exportCSV(into: b, parameterPaths: Self.paths)
        for name in ["runs.csv", "metrics.csv"] {
            #expect(try read(a.appendingPathComponent(name)) == read(b.appendingPathComponent(name)), "\(name)")
        }
        #expect(try read(a.appendingPathComponent("metrics.csv")) == Self.expectedMetricsCSV)
    }

    @Test func mergingDisjointShardsEqualsOneDatabaseWithEveryRun() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory(), c = try temporaryDirectory()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        let shard0 = try StudyDatabase(folder: a), shard1 = try StudyDatabase(folder: b), whole = try StudyDatabase(folder: c)
        try shard0.record(Self.run0, metrics: Self.metrics0)
        try shard1.record(Self.run1, metrics: Self.metrics1)
        try whole.record(Self.run0, metrics: Self.metrics0)
        try whole.record(Self.run1, metrics: Self.metrics1)
        try shard0.merge(from: shard1)
        // Merging the same shard again changes nothing (its runs are already there, identical).
        try shard0.merge(from: shard1)
        #expect(try shard0.runs() == whole.runs())
        let merged = try shard0.allMetrics(), expected = try whole.allMetrics()
        #expect(merged.map(\.run) == expected.map(\.run) && sameMetrics(merged.map(\.metric), expected.map(\.metric)))
        try shard0.exportCSV(into: a, parameterPaths: Self.paths)
        try whole.exportCSV(into: c, parameterPaths: Self.paths)
        for name in ["runs.csv", "metrics.csv"] {
            #expect(try read(a.appendingPathComponent(name)) == read(c.appendingPathComponent(name)), "\(name)")
        }
    }

    @Test func aCompleteRunReplacesTheSameRunThatDidNotComplete() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory()
        defer { for d in [a, b] { try? FileManager.default.removeItem(at: d) } }
        // Merged once while run 0 had failed; its shard was resumed and merged again.
        let merged = try StudyDatabase(folder: a)
        var failed = Self.run0
        failed.status = "failed"
        failed.error = "exit status 65"
        try merged.record(failed, metrics: [])
        let shard = try StudyDatabase(folder: b)
        try shard.record(Self.run0, metrics: Self.metrics0)
        try merged.merge(from: shard)
        #expect(try merged.runs() == [Self.run0])
        #expect(try merged.metrics(run: 0).count == Self.metrics0.count)
        // The other way round: a complete run stays when the other side's did not complete.
        try shard.record(failed, metrics: [])
        try merged.merge(from: shard)
        #expect(try merged.runs() == [Self.run0])
    }

    @Test func mergingShardsThatDisagreeThrowsAndCopiesNothing() throws {
        let a = try temporaryDirectory(), b = try temporaryDirectory(), c = try temporaryDirectory()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        let mine = try StudyDatabase(folder: a)
        try mine.record(Self.run0, metrics: Self.metrics0)
        // Another run id at index 0 (and a disjoint run 1 that must not be copied either).
        let other = try StudyDatabase(folder: b)
        var impostor = Self.run0
        impostor.runID = "seed2-r0-cccccccccccccccc"
        try other.record(Self.run1, metrics: Self.metrics1)
        try other.record(impostor, metrics: Self.metrics0)
        #expect {
            try mine.merge(from: other)
        } throws: { error in
            guard case .conflict(let index, let message) = error as? StudyDatabaseError else { return false }
            return index == 0 && message.contains(impostor.runID)
        }
        #expect(try mine.runs() == [Self.run0])
        // The same run id with other metrics.
        let changed = try StudyDatabase(folder: c)
        var metrics = Self.metrics0
        metrics[0].value += 1
        try changed.record(Self.run0, metrics: metrics)
        #expect {
            try mine.merge(from: changed)
        } throws: { error in
            guard case .conflict(let index, _) = error as? StudyDatabaseError else { return false }
            return index == 0
        }
        #expect(sameMetrics(try mine.metrics(run: 0), [Self.metrics0[1], Self.metrics0[2], Self.metrics0[0]]))
    }

    @Test func aNewerSchemaIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let db = try StudyDatabase(folder: dir)
            try db.executeForTesting("PRAGMA user_version = \(StudyDatabase.schemaVersion + 1)")
        }
        #expect(throws: StudyDatabaseError.newerSchema(path: dir.appendingPathComponent("study.sqlite").path, found: 2, supported: 1)) {
            _ = try StudyDatabase(folder: dir)
        }
    }

    @Test func aFileThatIsNotAStudyDatabaseIsRefused() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "not a database, just text that is long enough to look like a header".write(
            to: dir.appendingPathComponent(StudyDatabase.fileName), atomically: true, encoding: .utf8)
        #expect {
            _ = try StudyDatabase(folder: dir)
        } throws: { error in
            guard case .open(let path, _) = error as? StudyDatabaseError else { return false }
            return path.hasSuffix("/study.sqlite")
        }
    }

    @Test func aMissingOrUnwritableFolderGivesAClearError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func openError(_ folder: URL) -> String? {
            do {
                _ = try StudyDatabase(folder: folder)
                return nil
            } catch {
                guard case .open = error else { return "not an open error: \(error)" }
                return error.description
            }
        }
        let missing = openError(dir.appendingPathComponent("nowhere"))
        #expect(missing?.contains("nowhere does not exist") == true, "\(missing ?? "opened")")
        let file = dir.appendingPathComponent("plain-file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        let notDirectory = openError(file)
        #expect(notDirectory?.contains("plain-file is not a directory") == true, "\(notDirectory ?? "opened")")
        // Root writes through permission bits: then use a folder where no file can be created.
        let readOnly: URL
        if getuid() == 0 {
            readOnly = URL(fileURLWithPath: "/proc/self")
        } else {
            readOnly = dir.appendingPathComponent("read-only")
            try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: false)
            chmod(readOnly.path, 0o555)
        }
        let unwritable = openError(readOnly)
        #expect(unwritable?.contains("cannot open the study database \(readOnly.path)/study.sqlite") == true, "\(unwritable ?? "opened")")
    }

    // MARK: - metrics.csv

    @Test func theGoldenQuickstartMetricsParse() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden/Scenarios/quickstart/metrics.csv")
        let metrics = try RunMetricsFile.parse(try read(url))
        // Expected: the file's 329 lines less the header.
        #expect(metrics.count == 328)
        #expect(
            metrics.first
                == StudyMetric(kind: "host", entity: "host", metric: "all_cycles_per_byte", value: 10.032292829016694, unit: "cycles/byte"))
        #expect(metrics[2] == StudyMetric(kind: "host", entity: "host", metric: "core_count", value: 8, unit: "cores"))
    }

    @Test func metricsFileValuesQuotesAndBlankLines() throws {
        let text =
            "scenario,seed,replication,entity_kind,entity,metric,value,unit\r\n"
            + "s,1,0,link,\"a,\"\"b\"\"\",drops,nan,packets\r\n"
            + "s,1,0,link,x,rate,inf,bps\r\n"
            + "s,1,0,link,x,low,-inf,bps\r\n"
            + "s,1,0,link,x,tiny,5e-324,s\r\n"
            + "\r\n"
        let m = try RunMetricsFile.parse(text)
        #expect(m.count == 4)
        #expect(m[0].entity == "a,\"b\"" && m[0].value.isNaN)
        #expect(m[1].value == .infinity && m[2].value == -.infinity && m[3].value == .leastNonzeroMagnitude)
    }

    @Test func aMalformedMetricsLineIsNamed() throws {
        let header = "scenario,seed,replication,entity_kind,entity,metric,value,unit\n"
        let good = "s,1,0,host,host,cpu,0.5,ratio\n"
        let cases: [(text: String, line: Int, says: String)] = [
            (header + good + "s,1,0,host,host,mem,lots,bytes\n", 3, "\"lots\" is not a number"),
            (header + good + good.replacingOccurrences(of: "cpu", with: "x") + "s,1,0,host,host\n", 4, "5 fields"),
            // A quoted field spanning two lines: the bad record after it is on line 4.
            (header + "s,1,0,host,\"two\nlines\",cpu,1,ratio\n" + "s,1,0,host,h,m,nan?,u\n", 4, "not a number"),
            (header + good + good, 3, "first on line 2"),
            (header + "s,1,0,host,host,cpu,infinity,ratio\n", 2, "not a number"),
            ("scenario,entity,metric,value\n" + good, 1, "lacks entity_kind, unit"),
            ("", 1, "empty"),
        ]
        for c in cases {
            #expect {
                _ = try RunMetricsFile.parse(c.text)
            } throws: { error in
                guard case .malformedMetrics(let line, let message) = error as? StudyDatabaseError else { return false }
                return line == c.line && message.contains(c.says)
            }
        }
    }
}
