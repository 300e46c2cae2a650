import Models
import SimCore
import Yams

extension ScenarioDecoder {
    var costsSection: SectionDoc { ScenarioSchema.costs }

    func readCostProfiles(_ top: MappingReader) {
        guard let v = top.value("cost_profiles") else { return }
        guard case .mapping(let map) = v else {
            c.error(
                v, "'cost_profiles' must map profile names to profiles",
                fix: "write e.g. 'cost_profiles:\\n  fast-guest:\\n    guest_stack_tx: 1500'")
            return
        }
        for (k, node) in map {
            let name = k.string ?? ""
            if name == "default" {
                c.error(
                    k, "'default' is the built-in profile (MODEL-REFERENCE §5) and cannot be redefined",
                    fix: "give the profile another name and 'base: default'")
                continue
            }
            guard checkName(name, node: k, noun: "cost profile") else { continue }
            profileNodes[name] = (node, "cost_profiles.\(name)", k)
        }
    }

    /// The complete profile named `name` (`default` = MODEL-REFERENCE §5), reading it on first use.
    func profile(_ name: String, at ref: Node?) -> CostProfile? {
        if let p = resolvedProfiles[name] { return p }
        guard let entry = profileNodes[name] else {
            if ref != nil {
                let names = (["default"] + profileNodes.keys.sorted())
                c.error(
                    ref, "no cost profile named '\(name)'",
                    fix: Suggestions.closest(to: name, among: names).map { "did you mean '\($0)'?" }
                        ?? "define it under 'cost_profiles' or use one of: \(names.joined(separator: ", "))")
            }
            return nil
        }
        if resolving.contains(name) {
            c.error(
                ref ?? entry.keyNode, "cost profile '\(name)' is its own base (a cycle through 'base')",
                fix: "make one profile in the cycle start from 'base: default'")
            return nil
        }
        resolving.insert(name)
        defer { resolving.remove(name) }
        guard let m = MappingReader(entry.node, path: entry.path, section: ScenarioSchema.costProfile, collector: c) else {
            resolvedProfiles[name] = platformCosts
            return platformCosts
        }
        var base = platformCosts
        if let (b, node) = m.scalar("base", expected: "a profile name") { base = profile(b, at: node) ?? platformCosts }
        _ = m.string("description")
        let result = readCosts(m, base: base, skipping: ["base", "description"])
        resolvedProfiles[name] = result
        return result
    }

    /// Applies each `stage: Cost` pair of `m` to `base`; the keys are `CostStage` names (`CostStage.table`).
    func readCosts(_ m: MappingReader, base: CostProfile, skipping: Set<String> = []) -> CostProfile {
        var p = base
        for stage in CostStage.allCases where m.has(stage.name) {
            guard let v = m.value(stage.name) else { continue }
            if let cost = readCost(v, path: m.childPath(stage.name), base: base[stage]) { p[stage] = cost }
        }
        m.finish()
        return p
    }

    /// Reads a cost: a bare number of cycles (sets `fixed`), or a mapping.
    func readCost(_ v: Node, path: String, base: CostModel) -> CostModel? {
        if case .scalar(let s) = v {
            // A bare number is the stage's fixed cycles: name the stage (the last part of the path) in messages.
            let stage = String(path.split(separator: ".").last ?? "fixed")
            guard let f = cycles(s.string, node: v, key: stage) else { return nil }
            return CostModel(fixed: f, perByte: base.perByte, pieces: base.pieces, source: "scenario")
        }
        guard let m = MappingReader(v, path: path, section: ScenarioSchema.cost, collector: c) else { return nil }
        defer { m.finish() }
        var cost = base
        cost.source = "scenario"
        if let (s, node) = m.scalar("fixed", expected: "a number of cycles"), let f = cycles(s, node: node, key: "fixed") { cost.fixed = f }
        if let (s, node) = m.scalar("per_byte", expected: "cycles per byte"), let b = cyclesPerByte(s, node: node) { cost.perByte = b }
        if let src = m.string("source") { cost.source = src }
        if m.has("pieces") {
            var pieces: [CostPiece] = []
            for (pn, pp) in m.list("pieces") {
                guard let pm = MappingReader(pn, path: pp, section: ScenarioSchema.costPiece, collector: c) else { continue }
                pm.require("up_to")
                var piece = CostPiece(upToBytes: 0, fixed: 0, perByte: 0)
                if let u = pm.quantity("up_to", .byteCount, min: 1, minText: "1B") { piece.upToBytes = u }
                if let (s, node) = pm.scalar("fixed", expected: "a number of cycles"), let f = cycles(s, node: node, key: "fixed") {
                    piece.fixed = f
                }
                if let (s, node) = pm.scalar("per_byte", expected: "cycles per byte"), let b = cyclesPerByte(s, node: node) {
                    piece.perByte = b
                }
                if let last = pieces.last, last.upToBytes >= piece.upToBytes, piece.upToBytes > 0 {
                    c.error(
                        pm.value("up_to"), "pieces must have increasing 'up_to' (\(piece.upToBytes)B follows \(last.upToBytes)B)",
                        fix: "sort the pieces by 'up_to', smallest first")
                }
                pm.finish()
                pieces.append(piece)
            }
            cost.pieces = pieces
        }
        return cost
    }

    func cycles(_ text: String, node: Node, key: String) -> Int64? {
        var t = text.trimmingSpaces()
        for suffix in ["cycles", "cycle", "cyc"] where t.hasSuffix(suffix) { t = String(t.dropLast(suffix.count)).trimmingSpaces(); break }
        guard let x = UnitParser.number(t), x >= 0 else {
            c.error(node, "'\(key)' must be a number of cycles ≥ 0, not '\(text)'", fix: "write e.g. '2500' or '2500cycles'")
            return nil
        }
        guard x <= Double(CostModel.maxFixedCycles) else {
            c.error(
                node, "'\(key)' is \(text) cycles, above the maximum \(CostModel.maxFixedCycles) cycles per stage",
                fix: "write at most \(CostModel.maxFixedCycles) (1000 s at 1MHz; costs are per packet)")
            return nil
        }
        guard x == x.rounded() else {
            c.error(node, "'\(key)' must be a whole number of cycles, not '\(text)'", fix: "write '\(Int64(x.rounded()))'")
            return nil
        }
        return Int64(x)
    }

    func cyclesPerByte(_ text: String, node: Node) -> Double? {
        var t = text.trimmingSpaces()
        for suffix in ["cycles/B", "cycles/byte", "cyc/B"] where t.hasSuffix(suffix) {
            t = String(t.dropLast(suffix.count)).trimmingSpaces(); break
        }
        guard let x = UnitParser.number(t), x >= 0 else {
            c.error(node, "'per_byte' must be a number of cycles per byte ≥ 0, not '\(text)'", fix: "write e.g. '0.5' or '0.5cycles/B'")
            return nil
        }
        guard x <= CostModel.maxCyclesPerByte else {
            c.error(
                node, "'per_byte' is \(text) cycles/B, above the maximum \(Int(CostModel.maxCyclesPerByte)) cycles/B per stage",
                fix: "write at most \(Int(CostModel.maxCyclesPerByte))")
            return nil
        }
        return x
    }

    /// The stages where `full` differs from `base`: what a VM or adapter overrides.
    func overrides(_ full: CostProfile, over base: CostProfile) -> [CostStage: CostModel] {
        var o: [CostStage: CostModel] = [:]
        for s in CostStage.allCases where full[s] != base[s] { o[s] = full[s] }
        return o
    }
}
