import Foundation
import Models
import Testing

@testable import Reports

@Suite struct CSVTests {
    @Test func quotesPerRFC4180() {
        var t = CSVTable(header: ["a", "b"])
        t.append(["plain", "with,comma"])
        t.append(["with \"quote\"", "line\nbreak"])
        #expect(t.text == "a,b\r\nplain,\"with,comma\"\r\n\"with \"\"quote\"\"\",\"line\nbreak\"\r\n")
        #expect(CSVTable.parse(t.text) == [["a", "b"], ["plain", "with,comma"], ["with \"quote\"", "line\nbreak"]])
    }

    @Test func metricsCSVIsTidy() {
        let r = sampleReport()
        let rows = CSVTable.parse(CSVReports.metrics(r).text)
        #expect(rows[0] == ["scenario", "seed", "replication", "entity_kind", "entity", "metric", "value", "unit"])
        #expect(rows.count == r.metrics.count + 1)
        #expect(rows.dropFirst().allSatisfy { $0.count == 8 })
        #expect(rows.contains(["sample", "1", "0", "flow", "legacy,\"quoted\"", "goodput", "0.095", "Gbps"]))
        #expect(rows.contains(["sample", "1", "0", "host", "host", "hypervisor_cycles_per_packet", "1120.5", "cycles/packet"]))
    }

    @Test func timeSeriesMarkTheWarmUp() {
        // Series run from time 0: a 25 ms warm-up, 10 ms points: two of warm-up, one across its end, the rest measured.
        var r = sampleReport()
        r.series = [
            TimeSeries(
                kind: .host, entity: "host", metric: "in_flight_packets", unit: "packets", interval: 0.01, start: 0, measuredFrom: 0.025,
                values: [1, 2, 3, 4, 5])
        ]
        let rows = CSVTable.parse(CSVReports.timeSeries(r).text)
        #expect(rows[0].suffix(4) == ["time_s", "interval_s", "value", "phase"])
        #expect(rows.dropFirst().map { $0.last! } == ["warmup", "warmup", "both", "measured", "measured"])
        #expect(r.series[0].measuredPoints == 3..<5)
    }

    /// A standard reader (Python's csv module) reads every file with the header's field count.
    @Test func pythonCSVReaderAgrees() throws {
        let dir = temporaryDirectory("csv")
        _ = try ReportWriter.write(
            report: sampleReport(), scenario: ScenarioInfo(name: "sample", file: "x.yaml"),
            tool: ToolInfo(version: "0", gitRevision: "0"), to: dir)
        let check = """
            import csv, sys
            for name in sys.argv[1:]:
                with open(name, newline='') as f:
                    rows = list(csv.reader(f, strict=True))
                assert len(rows) > 1, name
                assert all(len(r) == len(rows[0]) for r in rows), name
            print("ok")
            """
        let files = ["metrics.csv", "latency.csv", "latency_cdf.csv", "timeseries.csv", "conservation.csv"].map {
            dir.appendingPathComponent($0).path
        }
        guard let r = run("python3", ["-c", check] + files) else { return }  // python3 absent: the Swift parser test above stands
        #expect(r.status == 0 && r.out == "ok\n", "\(r.err)")
    }

    @Test func numbersAreExactAndStable() {
        #expect(NumberFormat.exact(3) == "3")
        #expect(NumberFormat.exact(0.1) == "0.1")
        #expect(NumberFormat.exact(1e-7) == "1e-07")
        #expect(NumberFormat.exact(.nan) == "nan")
        #expect(NumberFormat.significant(8120.5, 4) == "8121")
        #expect(NumberFormat.significant(1_234_567, 3) == "1,234,567")
        #expect(NumberFormat.significant(500, 4) == "500")
        #expect(NumberFormat.significant(0.012345, 3) == "0.0123")
        #expect(Quantity.human(2.05, unit: "Gbps") == "2.05 Gbps")
        #expect(Quantity.human(175_000, unit: "pps") == "175 kpps")
        #expect(Quantity.human(12.5, unit: "us") == "12.5 µs")
    }
}
