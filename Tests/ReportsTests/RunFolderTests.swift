import Foundation
import Models
import Testing

@testable import Reports

/// A run folder is complete or visibly not; the status is in every output; errors carry the real errno.
@Suite struct RunFolderTests {
    let tool = ToolInfo(version: "0.1.0", gitRevision: "abc123")
    let scenario = ScenarioInfo(name: "sample", file: "Scenarios/sample.yaml")

    func interruptedReport() -> RunReport {
        var r = sampleReport()
        r.info.status = .interrupted
        r.info.requestedDuration = 2
        r.info.stopCause = "SIGTERM"
        return r
    }

    func files(_ dir: URL) -> [String] {
        (FileManager.default.enumerator(atPath: dir.path)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func aWrittenRunGetsItsFinalNameAndNothingElseRemains() throws {
        let root = temporaryDirectory("final")
        let folder = try ReportWriter.makeRunDirectory(root: root, scenario: "sample", runID: "seed1-r0-0123456789abcdef")
        #expect(FileManager.default.fileExists(atPath: folder.partial.path))
        #expect(!FileManager.default.fileExists(atPath: folder.final.path))
        let w = try ReportWriter.writeRun(report: sampleReport(), scenario: scenario, tool: tool, into: folder)
        #expect(w.directory == folder.final)
        #expect(!FileManager.default.fileExists(atPath: folder.partial.path))
        let names = files(folder.final)
        #expect(names.contains("summary.json") && names.contains("run.csv") && names.contains("plot-data/vars.gp"))
        #expect(!names.contains { $0.split(separator: "/").contains { $0.hasPrefix(".") } }, "\(names)")
        let csv = try String(contentsOf: folder.final.appendingPathComponent("run.csv"), encoding: .utf8)
        #expect(
            csv
                == "scenario,seed,replication,run_id,status,simulated_s,requested_s,stop_cause,error\r\nsample,1,0,seed1-r0-0123456789abcdef,complete,0.2,0.2,,\r\n"
        )
        #expect(
            folder.final.lastPathComponent == "seed1-r0-0123456789abcdef"
                && folder.partial.lastPathComponent == "seed1-r0-0123456789abcdef.partial")
        let doc = try SummaryDocument.decode(json: String(contentsOf: folder.final.appendingPathComponent("summary.json"), encoding: .utf8))
        #expect(doc.run.id == "seed1-r0-0123456789abcdef" && !w.replacedEarlierRun)
        let md = try String(contentsOf: folder.final.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(
            md.split(separator: "\n").contains { $0.hasPrefix("| Run id ") && $0.contains("`seed1-r0-0123456789abcdef`") },
            "\(md.prefix(800))")
    }

    @Test func aFullDiskLeavesAPartialFolderMarkedFailed() throws {
        let root = temporaryDirectory("enospc")
        let folder = try ReportWriter.makeRunDirectory(root: root, scenario: "sample", runID: "seed1-r0-0123456789abcdef")
        // summary.json is several kB: a 1000-byte disk fills up in the middle of it.
        #expect {
            try ReportWriter.writeRun(
                report: sampleReport(), scenario: scenario, tool: tool, into: folder, budget: AtomicFile.Budget(remaining: 1000))
        } throws: { error in
            guard let f = error as? ReportWriter.Failure else { return false }
            return f.code == ENOSPC && f.path == folder.partial.appendingPathComponent("summary.json").path
                && f.cause == "cannot write \(folder.partial.path)/summary.json: No space left on device" && f.folder == folder.partial
        }
        #expect(!FileManager.default.fileExists(atPath: folder.final.path))
        let names = files(folder.partial)
        #expect(!names.contains { $0.contains(".tmp") }, "\(names)")
        let row = CSVTable.parse(try String(contentsOf: folder.partial.appendingPathComponent("run.csv"), encoding: .utf8))
        #expect(row.count == 2 && row[1][4] == "failed" && row[1][8].hasSuffix("summary.json: No space left on device"), "\(row)")
        #expect(row.count == 2 && row[1][3] == "seed1-r0-0123456789abcdef", "\(row)")
    }

    @Test func anEarlierRunOfTheSameIDIsReplacedWhole() throws {
        let root = temporaryDirectory("replace")
        let id = "seed1-r0-0123456789abcdef"
        let first = try ReportWriter.makeRunDirectory(root: root, scenario: "sample", runID: id)
        _ = try ReportWriter.writeRun(report: sampleReport(), scenario: scenario, tool: tool, into: first)
        // A file only the earlier run has: it must not survive into the new folder.
        try "old\n".write(to: first.final.appendingPathComponent("only-in-the-old-run.txt"), atomically: true, encoding: .utf8)
        // A leftover aside folder of a replace killed between its renames does not get in the way.
        try FileManager.default.createDirectory(at: first.aside, withIntermediateDirectories: false)
        let second = try ReportWriter.makeRunDirectory(root: root, scenario: "sample", runID: id)
        #expect(second.partial.path == first.partial.path && second.final.path == first.final.path)
        // While the second run is written, the earlier one is still there, whole.
        #expect(FileManager.default.fileExists(atPath: first.final.appendingPathComponent("only-in-the-old-run.txt").path))
        let w = try ReportWriter.writeRun(report: interruptedReport(), scenario: scenario, tool: tool, into: second)
        #expect(w.replacedEarlierRun && w.directory.path == second.final.path)
        let names = files(second.final)
        #expect(!names.contains("only-in-the-old-run.txt") && names.contains("summary.json"), "\(names)")
        let doc = try SummaryDocument.decode(json: String(contentsOf: second.final.appendingPathComponent("summary.json"), encoding: .utf8))
        #expect(doc.run.status == .interrupted)
        // Only the new folder is left: no partial, no aside folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("sample").path) == [id])
    }

    @Test func aStalePartialFolderOfTheSameIDIsReplaced() throws {
        let root = temporaryDirectory("stale")
        let id = "seed2-r1-00000000000000ff"
        let stale = root.appendingPathComponent("sample").appendingPathComponent(id + ".partial")
        try FileManager.default.createDirectory(at: stale.appendingPathComponent("plot-data"), withIntermediateDirectories: true)
        try "scenario,seed,replication,run_id,status\r\nsample,2,1,\(id),running\r\n".write(
            to: stale.appendingPathComponent("run.csv"), atomically: true, encoding: .utf8)
        try "half\n".write(to: stale.appendingPathComponent(".summary.json.tmp-1"), atomically: true, encoding: .utf8)
        let folder = try ReportWriter.makeRunDirectory(root: root, scenario: "sample", runID: id)
        #expect(folder.partial.path == stale.path)
        #expect(files(folder.partial).isEmpty, "\(files(folder.partial))")
    }

    @Test func theStatusIsInEveryOutput() throws {
        let doc = SummaryDocument(tool: tool, scenario: scenario, report: interruptedReport())
        let json = try doc.json()
        #expect(
            json.contains(
                """
                  "run" : {
                    "requestedSeconds" : 2,
                    "simulatedSeconds" : 0.2,
                    "status" : "interrupted",
                    "stopCause" : "SIGTERM"
                  },
                """), "\(json.prefix(600))")
        #expect(try SummaryDocument.decode(json: json) == doc)
        let md = MarkdownReport.render(doc)
        #expect(md.contains("> **INTERRUPTED by SIGTERM at 200 ms of 2 s simulated: partial results**"), "\(md.prefix(600))")
        #expect(md.split(separator: "\n").contains { $0.hasPrefix("| Status ") && $0.contains("| **interrupted** ") })
        let text = TerminalSummary.render(doc)
        #expect(text.contains("\nStatus       INTERRUPTED by SIGTERM at 200 ms of 2 s simulated: partial results\n"), "\(text)")
        #expect(CSVReports.run(RunRecord(doc.report.info)).rows == [["sample", "1", "0", "", "interrupted", "0.2", "2", "SIGTERM", ""]])
        #expect(
            SummaryDocument(tool: tool, scenario: scenario, report: interruptedReport(), runID: "seed1-r0-00000000000000aa").run.id
                == "seed1-r0-00000000000000aa")
        // A complete run says complete, and summary.json has no stop cause.
        let complete = SummaryDocument(tool: tool, scenario: scenario, report: sampleReport())
        #expect(TerminalSummary.render(complete).contains("\nStatus       complete: 200 ms simulated\n"))
        #expect(MarkdownReport.render(complete).split(separator: "\n").contains { $0.hasPrefix("| Status ") && $0.contains("| complete ") })
        #expect(try !complete.json().contains("stopCause"))
    }

    @Test func aSummaryWithoutStatusFieldsReadsAsComplete() throws {
        // summary.json as written before the status fields existed.
        var json = try SummaryDocument(tool: tool, scenario: scenario, report: sampleReport()).json()
        for key in ["\"requestedDuration\" : 0.2,", "\"status\" : \"complete\","] { json = json.replacingOccurrences(of: key, with: "") }
        let start = json.range(of: "  \"run\" : {")!, end = json.range(of: "},\n", range: start.upperBound..<json.endIndex)!
        json.removeSubrange(start.lowerBound..<end.upperBound)
        let doc = try SummaryDocument.decode(json: json)
        #expect(doc.run.status == .complete && doc.report.info.requestedDuration == 0.2)
    }

    @Test func directoryErrorsCarryTheRealErrno() throws {
        let root = temporaryDirectory("errno")
        let file = root.appendingPathComponent("file")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try AtomicFile.makeDirectory(file.appendingPathComponent("q"))
        } throws: { error in
            let e = error as? AtomicFile.WriteError
            return e?.code == ENOTDIR && e?.description == "cannot create directory \(file.path)/q: \(file.path) is not a directory"
        }
        let long = root.appendingPathComponent(String(repeating: "n", count: 300)).appendingPathComponent("sub")
        #expect {
            try AtomicFile.makeDirectory(long)
        } throws: { error in
            (error as? AtomicFile.WriteError)?.code == ENAMETOOLONG
                && "\(error)" == "cannot create directory \(long.deletingLastPathComponent().path): File name too long"
        }
        #expect(throws: AtomicFile.WriteError.self) {
            try ReportWriter.makeRunDirectory(root: file, scenario: "q", runID: "seed1-r0-0123456789abcdef")
        }
        // Existing directories are fine, relative paths too.
        try AtomicFile.makeDirectory(root.appendingPathComponent("a/b/c"))
        try AtomicFile.makeDirectory(root.appendingPathComponent("a/b/c"))
    }
}
