import Foundation
import Models
import Testing

@testable import Reports

/// Every name an output uses is declared in `MetricCatalog`, under the kinds and in the unit its spec gives, and
/// docs/metrics.md is the catalog's rendering.
///
/// After changing the catalog, regenerate the page with `VNETSIM_UPDATE_DOCS=1 swift test --filter MetricCatalogTests`.
@Suite struct MetricCatalogTests {
    static let docURL = repositoryRoot.appendingPathComponent("docs/metrics.md")
    static let golden = repositoryRoot.appendingPathComponent("Tests/Golden")

    @Test func docsAreGeneratedFromTheCatalog() throws {
        let expected = MetricCatalog.markdown()
        let actual = (try? String(contentsOf: Self.docURL, encoding: .utf8)) ?? ""
        if actual != expected {
            if ProcessInfo.processInfo.environment["VNETSIM_UPDATE_DOCS"] == "1" {
                try expected.write(to: Self.docURL, atomically: true, encoding: .utf8)
            } else {
                Issue.record("docs/metrics.md is out of date: run VNETSIM_UPDATE_DOCS=1 swift test --filter MetricCatalogTests")
            }
        }
    }

    @Test func theCatalogIsConsistent() {
        #expect(MetricCatalog.selfCheckProblems() == [])
        #expect(MetricCatalog.spec(named: "drops.port_queue_full") == MetricCatalog.dropsByCause)
        #expect(MetricCatalog.spec(named: "drops.no_such_cause") == nil)
        #expect(MetricCatalog.spec(named: "drops") == MetricCatalog.drops)
        #expect(MetricCatalog.problem(kind: .host, metric: "cycles_per_packet", unit: "cycles/packet") != nil)
        #expect(MetricCatalog.problem(kind: .core, metric: "goodput", unit: "Gbps") != nil)
        #expect(MetricCatalog.problem(kind: .flow, metric: "goodput", unit: "Mbps") != nil)
        #expect(MetricCatalog.problem(kind: .flow, metric: "goodput", unit: "Gbps") == nil)
        for s in MetricCatalog.headline { #expect(s.kinds.contains(.host), "headline metric \(s) is not a host metric") }
    }

    @Test func theSampleReportKeepsTheCatalog() {
        let r = sampleReport()
        for m in r.metrics where m.entity != "a|b" {
            #expect(MetricCatalog.problem(kind: m.kind, metric: m.metric, unit: m.unit) == nil)
        }
        for s in r.series { #expect(MetricCatalog.problem(kind: s.kind, metric: s.metric, unit: s.unit) == nil) }
    }

    /// Every golden case's outputs (the files every shipped scenario and docs example writes, which GoldenTests
    /// keeps equal to what the code writes): metrics.csv, timeseries.csv, the plot inputs' metric columns and
    /// summary.json's metric rows, series, headline and distributions use only declared names, under declared kinds and units; and every kind a spec
    /// declares is used by some case (so a spec cannot claim kinds it is not reported for).
    @Test func everyGoldenOutputUsesDeclaredNames() throws {
        var problems: [String] = []
        var used: [String: Set<EntityKind>] = [:]
        func check(_ where_: String, _ kind: String, _ metric: String, _ unit: String) {
            guard let k = EntityKind(rawValue: kind) else { problems.append("\(where_): unknown kind \(kind)"); return }
            if let p = MetricCatalog.problem(kind: k, metric: metric, unit: unit) { problems.append("\(where_): \(p)") }
            if let s = MetricCatalog.spec(named: metric) { used[s.pattern, default: []].insert(k) }
        }
        let cases = try FileManager.default.subpathsOfDirectory(atPath: Self.golden.path).filter { $0.hasSuffix("metrics.csv") }
        #expect(cases.count >= 10)
        for m in cases.sorted() {
            let dir = Self.golden.appendingPathComponent(m).deletingLastPathComponent()
            let name = dir.lastPathComponent
            for line in try String(contentsOf: dir.appendingPathComponent("metrics.csv"), encoding: .utf8).split(
                whereSeparator: \.isNewline
            )
            .dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                check("\(name)/metrics.csv", f[3], f[f.count - 3], f[f.count - 1])
            }
            let ts = dir.appendingPathComponent("timeseries.csv")
            if let text = try? String(contentsOf: ts, encoding: .utf8) {
                for line in text.split(whereSeparator: \.isNewline).dropFirst() {
                    let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    // …, metric, unit, time_s, interval_s, value, phase
                    check("\(name)/timeseries.csv", f[3], f[f.count - 6], f[f.count - 5])
                }
            }
            // The plot inputs' metric columns: flows.dat and adapter_types.dat after their key columns (goodput in Mb/s).
            for file in ["flows.dat", "adapter_types.dat"] {
                let url = dir.appendingPathComponent("plot-data/\(file)")
                guard let text = try? String(contentsOf: url, encoding: .utf8), let header = text.split(whereSeparator: \.isNewline).first
                else { continue }
                for column in header.split(separator: " ").map(String.init).dropFirst(2) {
                    let metric = column.hasSuffix("_Mbps") ? String(column.dropLast(5)) : column
                    if MetricCatalog.spec(named: metric) == nil {
                        problems.append("\(name)/plot-data/\(file): column \(column) is not a catalog metric")
                    }
                }
            }
            let json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("summary.json"))) as! [String: Any]
            let report = json["report"] as! [String: Any]
            for key in ["metrics", "series"] {
                for row in report[key] as? [[String: Any]] ?? [] {
                    check("\(name)/summary.json report.\(key)", row["kind"] as! String, row["metric"] as! String, row["unit"] as! String)
                }
            }
            for row in json["distributions"] as? [[String: Any]] ?? [] {
                check("\(name)/summary.json distributions", row["kind"] as! String, row["metric"] as! String, row["unit"] as! String)
            }
            guard let headline = (json["headline"] as? [String: Any])?["metrics"] as? [String: Any] else {
                problems.append("\(name)/summary.json: no headline.metrics")
                continue
            }
            for key in headline.keys {
                let unit = MetricCatalog.spec(named: key)?.unit ?? "?"
                check("\(name)/summary.json headline.metrics", "host", key, unit)
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))")
        for s in MetricCatalog.all {
            let missing = s.kinds.subtracting(used[s.pattern] ?? []).subtracting(Self.unexercised[s.pattern] ?? [])
            #expect(missing.isEmpty, "\(s.pattern) declares kinds \(missing.sorted()) that no golden case reports")
        }
    }

    /// Kinds of metrics that no golden case reports (no case drops a control packet; no case has enough switches
    /// for brief mode to aggregate them; no shipped scenario turns on hardware RSC, off on a NIC bound to a vSwitch,
    /// or dynamic VMQ, which moves queues only over intervals longer than a golden run — RSCTests and DynamicVMQTests
    /// cover them).
    static let unexercised: [String: Set<EntityKind>] = [
        "drops.<cause>": [.control], "latency_p50": [.vswitch], "latency_p99": [.vswitch], "rsc_coalesced_segments": [.nic],
        "vmq_moves": [.nic],
    ]
}
