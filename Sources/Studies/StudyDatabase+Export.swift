import Foundation
import GRDB
import Reports

extension StudyDatabase {
    /// Writes `runs.csv` and `metrics.csv` into `folder` (created if needed), each atomically (a
    /// temporary file renamed over the old one, `AtomicFile`).
    ///
    /// The bytes are a function of the database's content alone: rows by run index (then entity kind,
    /// entity, metric), no wall time, numbers as `NumberFormat.exact` writes them in a run's metrics.csv
    /// (shortest round-trip text, "nan", "inf", "-inf"), RFC 4180 with CRLF line ends (`CSVTable`).
    ///
    /// - `runs.csv`: `run_index,run_id,point,replication,seed,<parameter paths>,status,verdicts,exit_status,
    ///   error,directory,scenario_hash,vnetsim_version,git_revision`, one row per run.
    /// - `metrics.csv`: `run_index,run_id,point,replication,seed,<parameter paths>,entity_kind,entity,metric,
    ///   value,unit`, one row per metric of each complete run.
    ///
    /// A parameter column holds the run's value for that path ("" if the run has none); `verdicts` are
    /// joined with ';'; an absent exit status, error, directory or git revision is "".
    ///
    /// - Parameter parameterPaths: the study's parameter paths, in the order of their columns. Throws
    ///   `.export` if one repeats or has the name of another column.
    public func exportCSV(into folder: URL, parameterPaths: [String]) throws(StudyDatabaseError) {
        let runsURL = folder.appendingPathComponent("runs.csv")
        let fixedRun = ["run_index", "run_id", "point", "replication", "seed"]
        let runTail = ["status", "verdicts", "exit_status", "error", "directory", "scenario_hash", "vnetsim_version", "git_revision"]
        let metricTail = ["entity_kind", "entity", "metric", "value", "unit"]
        var names = Set(fixedRun + runTail + metricTail)
        for path in parameterPaths where !names.insert(path).inserted {
            throw .export(path: runsURL.path, message: "the parameter path \"\(path)\" repeats or names another column")
        }

        // One read transaction: the two files agree even if another connection writes meanwhile.
        let (runs, metrics) = try perform { try queue.read { db in (try Self.fetchRuns(db), try Self.fetchAllMetrics(db)) } }

        var runTable = CSVTable(header: fixedRun + parameterPaths + runTail)
        var keys: [Int: [String]] = [:]
        var complete = Set<Int>()
        for run in runs {
            var values: [String: String] = [:]
            for p in run.parameters { values[p.path] = p.value }
            let key =
                [String(run.index), run.runID, String(run.point), String(run.replication), String(run.seed)]
                + parameterPaths.map { values[$0] ?? "" }
            keys[run.index] = key
            if run.status == "complete" { complete.insert(run.index) }
            runTable.append(
                key + [
                    run.status, run.verdicts.joined(separator: ";"), run.exitStatus.map(String.init) ?? "", run.error ?? "",
                    run.directory ?? "", run.scenarioHash, run.toolVersion, run.gitRevision ?? "",
                ])
        }

        var metricTable = CSVTable(header: fixedRun + parameterPaths + metricTail)
        for (run, m) in metrics where complete.contains(run) {
            // Every metric belongs to a run (a foreign key), so its key is there.
            metricTable.append(keys[run]! + [m.kind, m.entity, m.metric, NumberFormat.exact(m.value), m.unit])
        }

        do {
            try AtomicFile.makeDirectory(folder)
        } catch {
            throw .export(path: folder.path, message: error.description)
        }
        for (table, url) in [(runTable, runsURL), (metricTable, folder.appendingPathComponent("metrics.csv"))] {
            do {
                try AtomicFile.write(table.text, to: url)
            } catch {
                throw .export(path: url.path, message: error.description)
            }
        }
    }
}
