import Testing

@testable import Studies

/// The expression grammar of sweep constraints and SLOs: tokens, precedence, quantities with units, dimensions, errors.
@Suite struct StudyExpressionTests {
    /// Parses `text`, failing the test (and returning nil) on an error.
    func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Comparison? {
        switch StudyExpression.parseComparison(text) {
        case .success(let c): return c
        case .failure(let e):
            Issue.record("'\(text)' did not parse: \(e)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// The parse error of `text` (nil, and a recorded issue, if it parses).
    func parseError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ExpressionError? {
        switch StudyExpression.parseComparison(text) {
        case .success:
            Issue.record("'\(text)' parsed but should not", sourceLocation: sourceLocation)
            return nil
        case .failure(let e): return e
        }
    }

    /// Parses and evaluates with the given references.
    func evaluate(_ text: String, _ refs: [String: Quantity] = [:]) -> Result<Bool, ExpressionError>? {
        parse(text)?.evaluate { refs[$0] }
    }

    // MARK: Quantities

    @Test func valuesWithUnitsBecomeBaseUnits() {
        // Expected: base units (s, bit/s, bytes, Hz, pps); a percent is 0.01.
        let cases: [(String, Quantity)] = [
            ("80%", Quantity(0.8)), ("0.1%", Quantity(0.001)), ("16", Quantity(16)), ("1e6", Quantity(1e6)),
            ("-3", Quantity(-3)), ("1ms", Quantity(0.001, .time)), ("250us", Quantity(250e-6, .time)),
            ("2s", Quantity(2, .time)), ("10Gbps", Quantity(1e10, .dataRate)), ("200Mbps", Quantity(2e8, .dataRate)),
            ("1460B", Quantity(1460, .bytes)), ("64KiB", Quantity(65536, .bytes)), ("3GHz", Quantity(3e9, .frequency)),
            ("50kpps", Quantity(50_000, .packetRate)), (" 10 Gbps ", Quantity(1e10, .dataRate)),
            ("10packets", Quantity(10, .other("packets"))), ("1_000", Quantity(1000)),
        ]
        for (text, expected) in cases {
            let q = StudyExpression.quantity(text)
            #expect(q?.dimension == expected.dimension, "\(text)")
            #expect(q.map { abs($0.value - expected.value) <= 1e-12 * abs(expected.value) } == true, "\(text): \(String(describing: q))")
        }
        for bad in ["", "%", "abc", "10furlongs", "1.2.3s", "Gbps", "10 Gb ps"] {
            #expect(StudyExpression.quantity(bad) == nil, "'\(bad)'")
        }
    }

    @Test func metricValuesInCatalogUnitsBecomeBaseUnits() {
        #expect(StudyExpression.quantity(metricValue: 80, unit: "percent") == Quantity(0.8))
        #expect(StudyExpression.quantity(metricValue: 0.02, unit: "fraction") == Quantity(0.02))
        #expect(StudyExpression.quantity(metricValue: 250, unit: "us") == Quantity(250e-6, .time))
        #expect(StudyExpression.quantity(metricValue: 9.5, unit: "Gbps") == Quantity(9.5e9, .dataRate))
        #expect(StudyExpression.quantity(metricValue: 1000, unit: "pps") == Quantity(1000, .packetRate))
        #expect(StudyExpression.quantity(metricValue: 1500, unit: "bytes") == Quantity(1500, .bytes))
        #expect(StudyExpression.quantity(metricValue: 812, unit: "cycles/packet") == Quantity(812, .other("cycles/packet")))
        // The inverse, back into the metric's unit.
        #expect(StudyExpression.value(Quantity(0.8), inUnit: "percent") == 80)
        #expect(abs(StudyExpression.value(Quantity(0.001, .time), inUnit: "us") - 1000) < 1e-9)
        // A limit written one way and a metric reported another agree exactly at the boundary.
        #expect(StudyExpression.quantity("1ms") == StudyExpression.quantity(metricValue: 1000, unit: "us"))
        #expect(StudyExpression.quantity("80%") == StudyExpression.quantity(metricValue: 80, unit: "percent"))
    }

    // MARK: Grammar

    @Test func theCapacityConstraintOfTheIssueEvaluates() {
        // 16 VMs × 500 Mb/s = 8 Gb/s ≤ 10 Gb/s: a count times a rate is a rate.
        let c = parse("vms.web.count * flows.send.rate <= 10Gbps")
        #expect(c?.references == ["vms.web.count", "flows.send.rate"])
        #expect(c?.op == .lessOrEqual)
        let refs = ["vms.web.count": Quantity(16), "flows.send.rate": Quantity(5e8, .dataRate)]
        #expect(c?.evaluate { refs[$0] } == .success(true))
        let more = ["vms.web.count": Quantity(24), "flows.send.rate": Quantity(5e8, .dataRate)]
        #expect(c?.evaluate { more[$0] } == .success(false))
    }

    @Test func precedenceAndAssociativityAreTheUsualOnes() {
        for text in [
            "1 + 2 * 3 == 7", "(1 + 2) * 3 == 9", "10 - 2 - 3 == 5", "8 / 2 / 2 == 2", "- 2 * 3 == -6", "-2 < 0",
            "-(1 + 2) == -3", "2 * (3 + 4) / 7 == 2", "1000us == 1ms", "1ms < 1001us", "80% == 0.8", "3 != 4", "2 >= 2",
            "2 > 1", "1 <= 1",
        ] {
            #expect(evaluate(text) == .success(true), "\(text)")
        }
        for text in ["1 + 2 * 3 == 9", "2 < 2", "1ms > 1000us", "3 != 3"] {
            #expect(evaluate(text) == .success(false), "\(text)")
        }
    }

    @Test func comparisonsTolerateRoundingButNotInfinity() {
        // 1e-12 relative: 1 and 1 + 1e-13 are equal; an infinite bound meets no finite limit.
        #expect(ComparisonOperator.equal.holds(1, 1 + 1e-13) && !ComparisonOperator.less.holds(1, 1 + 1e-13))
        #expect(ComparisonOperator.less.holds(1, 1 + 1e-9))
        #expect(!ComparisonOperator.lessOrEqual.holds(.infinity, 0.8) && !ComparisonOperator.greaterOrEqual.holds(-.infinity, 9e9))
        #expect(!ComparisonOperator.equal.holds(.infinity, 1e300) && ComparisonOperator.equal.holds(.infinity, .infinity))
        #expect(!ComparisonOperator.lessOrEqual.holds(.nan, 1))
    }

    @Test func namesWithDashesBracketsSlashesAndDotsAreSingleReferences() {
        let c = parse("synthetic-vm.count + vm[01-64].vcpus <= vm3/eth0.rate / drops.nic_rx_queue_full")
        #expect(c?.references == ["synthetic-vm.count", "vm[01-64].vcpus", "vm3/eth0.rate", "drops.nic_rx_queue_full"])
        // Without spaces, an operator is part of the name.
        #expect(parse("a+b <= 3")?.references == ["a+b"])
        // Every reference once, in order of appearance.
        #expect(parse("b + a * b <= a")?.references == ["b", "a"])
    }

    // MARK: Dimensions

    @Test func dimensionsMultiplyAndDivide() {
        #expect(Dimension.time * Dimension.dataRate / Dimension.time == .dataRate)
        #expect(Dimension.none * Dimension.bytes == .bytes)
        #expect(Dimension.bytes / Dimension.none == .bytes)
        #expect(Dimension.time / Dimension.time == Dimension.none)
        #expect(Dimension.none / Dimension.time == .derived(["time": -1]))
        #expect(Dimension.bytes / Dimension.time == .derived(["bytes": 1, "time": -1]))
        #expect("\(Dimension.bytes / Dimension.time)" == "a derived quantity (bytes / time)")
        #expect(Dimension.common(.other("cores"), .none) == .other("cores"))
        #expect(Dimension.common(.other("cores"), .other("packets")) == nil)
    }

    @Test func derivedQuantitiesCompareWithEqualDerivedOnes() {
        // 2 s × 1 Gb/s = 2e9 bits; 1 s × 3 Gb/s = 3e9 bits.
        let refs = ["a": Quantity(2, .time), "b": Quantity(1e9, .dataRate)]
        #expect(evaluate("a * b < 1s * 3Gbps", refs) == .success(true))
        guard case .failure(let e)? = evaluate("a * b < 3Gbps", refs) else {
            Issue.record("a derived quantity compared with a rate")
            return
        }
        #expect(e.column == 7)
        #expect(e.message.contains("derived") && e.message.contains("a data rate"))
    }

    @Test func otherUnitsCompareWithPlainNumbersAndTheSameUnit() {
        let refs = ["cpp": Quantity(812, .other("cycles/packet")), "cores": Quantity(2, .other("cores"))]
        #expect(evaluate("cpp <= 1000", refs) == .success(true))
        #expect(evaluate("cpp <= 800cycles/packet", refs) == .success(false))
        #expect(evaluate("cores + 1 == 3", refs) == .success(true))
        guard case .failure(let e)? = evaluate("cpp <= cores", refs) else {
            Issue.record("cycles/packet compared with cores")
            return
        }
        #expect(e.message.contains("cycles/packet") && e.message.contains("cores"))
    }

    @Test func comparingOrAddingDifferentDimensionsIsAnErrorNamingBoth() {
        let refs = ["host.goodput": Quantity(9e9, .dataRate)]
        guard case .failure(let e)? = evaluate("host.goodput <= 1ms", refs) else {
            Issue.record("a rate compared with a time")
            return
        }
        // The column of '<='.
        #expect(e.column == 14)
        #expect(e.message == "cannot compare a data rate (bit/s) with a time (s)")
        #expect(e.fix.contains("10Gbps"))
        guard case .failure(let add)? = evaluate("1ms + 1Gbps <= 2") else {
            Issue.record("a time added to a rate")
            return
        }
        #expect(add.column == 5)
        #expect(add.message.contains("a time") && add.message.contains("a data rate"))
    }

    @Test func evaluationErrorsNameTheReferenceOrTheDivision() {
        guard case .failure(let e)? = evaluate("1 + vms.web.cuont <= 3") else {
            Issue.record("an unknown reference evaluated")
            return
        }
        #expect(e.column == 5 && e.message == "unknown reference 'vms.web.cuont'")
        guard case .failure(let glued)? = evaluate("a+b <= 3") else {
            Issue.record("an unknown reference evaluated")
            return
        }
        #expect(glued.fix.contains("spaces"))
        guard case .failure(let zero)? = evaluate("1 / (2 - 2) <= 3") else {
            Issue.record("a division by zero evaluated")
            return
        }
        #expect(zero.column == 3 && zero.message == "division by zero")
    }

    // MARK: Parse errors

    @Test func parseErrorsCarryTheColumnAndAFix() {
        // (text, the 1-based column of the problem, a phrase of the message)
        let cases: [(String, Int, String)] = [
            ("a -b <= 3", 3, "glued"),
            ("a<=3", 2, "operator inside"),
            ("a <= ", 6, "ends"),
            ("", 1, "ends"),
            ("(a + 1 <= 3", 8, "expected ')'"),
            ("(a + 1", 1, "never closed"),
            ("a + 1) <= 3", 6, "comparison operator"),
            ("a + 1", 6, "ends"),
            ("== 3", 1, "no operand"),
            ("a == b == c", 8, "end of the comparison"),
            ("a b <= 3", 3, "comparison operator"),
            ("x <= 10Gbs", 6, "unknown unit 'Gbs'"),
            ("x <= 1.2.3", 6, "not a number"),
            ("x <= ) 3", 6, "without a matching"),
        ]
        for (text, column, phrase) in cases {
            guard let e = parseError(text) else { continue }
            #expect(e.column == column, "'\(text)': \(e)")
            #expect(e.message.contains(phrase), "'\(text)': \(e)")
            #expect(!e.fix.isEmpty)
        }
        #expect(parseError("x <= 10Gbs")?.fix == "did you mean '10Gbps'?")
        #expect(parseError("a -b <= 3")?.fix.contains("'a - b'") == true)
        #expect(
            ExpressionError(column: 3, message: "m", fix: "f").description == "column 3: m; f")
    }
}
