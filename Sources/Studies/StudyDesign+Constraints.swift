import Scenario

extension StudyDesign {
    /// The combinations that satisfy every constraint (`where`), in order.
    ///
    /// A constraint is a `StudyExpression` comparison over the swept parameters, by path, with their values read as
    /// quantities with units (`vms.web.count * flows.send.rate <= 10Gbps`).
    /// - Throws: (at the constraint) a syntax error, a reference that is not a swept parameter, a value that is not a
    ///   number, a comparison of different dimensions.
    func filter(_ combinations: [[Assignment]]) throws(StudyDesignError) -> [[Assignment]] {
        guard !constraints.isEmpty else { return combinations }
        var parsed: [(LocatedText, Comparison)] = []
        var problems: [Diagnostic] = []
        for c in constraints {
            switch StudyExpression.parseComparison(c.text) {
            case .success(let comparison):
                if let unknown = comparison.references.first(where: { !paths.contains($0) }) {
                    problems.append(
                        Diagnostic(
                            at: c.location, "the condition '\(c.text)' names '\(unknown)', which is not a swept parameter",
                            fix: "conditions compare swept parameters: " + paths.joined(separator: ", ")))
                } else {
                    parsed.append((c, comparison))
                }
            case .failure(let e): problems.append(Self.diagnostic(e, in: c))
            }
        }
        if !problems.isEmpty { throw StudyDesignError(problems) }
        var kept: [[Assignment]] = []
        for point in combinations {
            var ok = true
            for (c, comparison) in parsed {
                var bad: String?
                let result = comparison.evaluate { ref in
                    guard let a = point.first(where: { $0.path == ref }) else { return nil }
                    guard let q = StudyExpression.quantity(a.value) else {
                        bad = "'\(ref)' = '\(a.value)' is not a number"
                        return nil
                    }
                    return q
                }
                switch result {
                case .success(let holds): ok = ok && holds
                case .failure(let e):
                    throw StudyDesignError(
                        at: c.location, "the condition '\(c.text)' cannot be evaluated: \(bad ?? e.message)",
                        fix: bad == nil ? e.fix : "conditions compare numbers (with units); leave this parameter out of them")
                }
            }
            if ok { kept.append(point) }
        }
        return kept
    }

    /// An expression's error at its column: in the file, the column within the entry; on the command line, the argument.
    static func diagnostic(_ e: ExpressionError, in c: LocatedText) -> Diagnostic {
        let at =
            c.location.line == 0
            ? c.location : SourceLocation(file: c.location.file, line: c.location.line, column: c.location.column + e.column - 1)
        return Diagnostic(at: at, "the condition '\(c.text)', column \(e.column): \(e.message)", fix: e.fix)
    }
}
