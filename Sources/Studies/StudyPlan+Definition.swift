import Foundation
import SimCore

extension StudyPlan {
    /// What reading a study folder's definition refused.
    public struct DefinitionError: Error, CustomStringConvertible {
        public var folder: String
        public var message: String
        public var description: String { "\(folder): \(message)" }
    }

    /// The study a folder holds, rebuilt from its `study.json` and `scenario.yaml` (for `vnetsim merge`), with the
    /// confidence level it was reported at and its shard ("K/N"), checked against the id it records.
    public static func read(folder: URL) throws(DefinitionError) -> (plan: StudyPlan, level: Double, shard: String?) {
        func fail(_ m: String) -> DefinitionError { DefinitionError(folder: folder.path, message: m) }
        let f = StudyFolder(folder)
        guard let data = try? Data(contentsOf: f.definition) else {
            throw fail("no study.json: not a study folder (or a study that never reached its end; run it again with --resume)")
        }
        guard let text = try? String(contentsOf: f.scenario, encoding: .utf8) else { throw fail("no scenario.yaml") }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], root["format"] as? String == "vnetsim-study/1",
            let kindText = root["kind"] as? String, let kind = StudyKind(rawValue: kindText), let id = root["id"] as? String,
            let scenario = root["scenario"] as? [String: Any], let name = scenario["name"] as? String,
            let file = scenario["file"] as? String, let overrides = scenario["overrides"] as? [String],
            let paths = root["parameters"] as? [String], let points = root["points"] as? [[String: String]],
            let replications = root["replications"] as? Int, let streams = root["streams"] as? String
        else { throw fail("study.json is not a vnetsim-study/1 definition") }
        func picoseconds(_ key: String) -> SimTime? { (scenario[key] as? String).flatMap { Int64($0) }.map { SimTime(picoseconds: $0) } }
        let base = RunSpec(
            scenarioPath: file, scenarioText: text, overrides: overrides, seed: (scenario["seed"] as? String).flatMap { UInt64($0) },
            duration: picoseconds("duration_ps"), warmup: picoseconds("warmup_ps"), captures: scenario["captures"] as? [String] ?? [])
        var assignments: [StudyPoint] = []
        for (i, p) in points.enumerated() {
            guard Set(p.keys) == Set(paths) else { throw fail("point \(i) of study.json does not give every parameter") }
            assignments.append(StudyPoint(index: i, assignments: paths.map { Assignment(path: $0, value: p[$0]!) }))
        }
        let plan = StudyPlan(
            kind: kind, base: base, scenarioName: name, parameterPaths: paths, points: assignments, replications: replications,
            independentStreams: streams == "independent", extra: root["extra"] as? [String] ?? [])
        guard plan.id == id else { throw fail("study.json or scenario.yaml was changed (their id is \(plan.id), the study's \(id))") }
        return (plan, root["confidence"] as? Double ?? 0.95, root["shard"] as? String)
    }
}
