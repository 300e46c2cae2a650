import Scenario

extension StudyValues {
    /// The most values a range may expand to.
    public static let maxRangeValues = 10_000

    /// The values as `--set` texts: a list as written; a range from `from` up to `to` (included when a step lands on
    /// it) by `step` or `factor`.
    ///
    /// Arithmetic is exact: a value with a unit (`100Mbps`, `2ms`, `64KiB`) is taken in the unit's base (bit/s,
    /// picoseconds, bytes — `UnitParser`), a plain decimal as a scaled integer, so `100Mbps..1Gbps/100Mbps` gives ten
    /// values ending at 1Gbps. Each value is written in the unit of `from` when it is a whole number of it
    /// (`200Mbps`, `1000Mbps`), else in the step's unit, else in the base unit.
    /// - Throws: (at `location`) a bound or step that is not a number of one kind, a step ≤ 0, a factor ≤ 1, `to` below
    ///   `from`, more than `maxRangeValues` values.
    public func expand(path: String, at location: SourceLocation) throws(StudyDesignError) -> [String] {
        switch self {
        case .list(let values): return values
        case .range(let from, let to, let step, let factor):
            func fail(_ message: String, _ fix: String) -> StudyDesignError {
                StudyDesignError(at: location, "the range of '\(path)': \(message)", fix: fix)
            }
            let bounds = [from, to] + (step.map { [$0] } ?? [])
            guard let kind = ScaledNumber.commonKind(bounds) else {
                throw fail(
                    "'\(bounds.joined(separator: "', '"))' are not numbers of one kind",
                    "write from, to and step as plain numbers (8, 64, 8) or with units of one kind (100Mbps, 1Gbps, 100Mbps)")
            }
            guard let a = ScaledNumber(from, kind: kind), let b = ScaledNumber(to, kind: kind) else {
                throw fail("cannot read '\(from)' or '\(to)'", "write numbers such as 8 or 100Mbps")
            }
            guard b.units >= a.units else { throw fail("'to' (\(to)) is below 'from' (\(from))", "swap them") }
            var values: [Int64] = []
            var scale = a.scale
            if let step {
                guard let s = ScaledNumber(step, kind: kind), s.units > 0 else {
                    throw fail("the step '\(step)' is not a positive number of the bounds' kind", "write e.g. step: \(from)")
                }
                let c = ScaledNumber.common([a, b, s])
                let (lo, hi, st) = (c[0], c[1], c[2])
                scale = lo.scale
                var v = lo.units
                while v <= hi.units {
                    values.append(v)
                    if values.count > Self.maxRangeValues { break }
                    let (n, o) = v.addingReportingOverflow(st.units)
                    if o { break }
                    v = n
                }
            } else if let factor {
                guard let f = UnitParser.number(factor), f > 1, f.isFinite else {
                    throw fail("the factor '\(factor)' is not a number above 1", "write e.g. factor: 2")
                }
                guard a.units > 0 else { throw fail("a factor needs a positive 'from', not '\(from)'", "start at a value above 0") }
                let (lo, hi) = {
                    let c = ScaledNumber.common([a, b]); return (c[0], c[1])
                }()
                scale = lo.scale
                var v = Double(lo.units)
                while v <= Double(hi.units) * (1 + 1e-12) {
                    let r = Int64(v.rounded())
                    if values.last != r { values.append(r) }
                    if values.count > Self.maxRangeValues { break }
                    v *= f
                }
            }
            if values.count > Self.maxRangeValues {
                throw fail("more than \(Self.maxRangeValues) values", "use a larger step or factor")
            }
            return values.map { ScaledNumber(units: $0, scale: scale, kind: kind).text(preferring: [from, step ?? from]) }
        }
    }
}

/// A number as a whole count of units: a quantity in its base unit (kind set), or a plain decimal as an integer
/// count of 10^-digits (kind nil).
struct ScaledNumber: Hashable, Sendable {
    var units: Int64
    /// For a plain decimal, the number of fraction digits `units` counts (units = value × 10^scale); 0 for a quantity.
    var scale: Int
    var kind: UnitKind?

    init(units: Int64, scale: Int, kind: UnitKind?) { self.units = units; self.scale = scale; self.kind = kind }

    /// The kinds a range's texts have in common: `.some(nil)` for plain numbers, `.some(kind)` for quantities of one
    /// kind, nil if they do not agree.
    static func commonKind(_ texts: [String]) -> UnitKind?? {
        if texts.allSatisfy({ plain($0) != nil }) { return .some(nil) }
        for kind in UnitKind.allCases where texts.allSatisfy({ if case .success = UnitParser.parse($0, as: kind) { true } else { false } })
        {
            return .some(kind)
        }
        return nil
    }

    /// A plain decimal as (units, fraction digits).
    static func plain(_ text: String) -> (Int64, Int)? {
        let t = text.filter { $0 != "_" && $0 != " " }
        guard !t.isEmpty, t.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }), UnitParser.number(t) != nil else {
            return nil
        }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let digits = parts.count == 2 ? parts[1].count : 0
        guard digits <= 12, let whole = Int64(parts.joined()) else { return nil }
        return (whole, digits)
    }

    init?(_ text: String, kind: UnitKind?) {
        if let kind {
            guard case .success(let v) = UnitParser.parse(text, as: kind) else { return nil }
            self.init(units: v, scale: 0, kind: kind)
        } else {
            guard let (u, d) = Self.plain(text) else { return nil }
            self.init(units: u, scale: d, kind: nil)
        }
    }

    /// The numbers brought to one scale (the finest of them), for exact arithmetic.
    static func common(_ xs: [ScaledNumber]) -> [ScaledNumber] {
        let scale = xs.map(\.scale).max() ?? 0
        return xs.map { x in
            var u = x.units
            for _ in x.scale..<scale { u = u.multipliedReportingOverflow(by: 10).partialValue }
            return ScaledNumber(units: u, scale: scale, kind: x.kind)
        }
    }

    /// The text of the value: a plain decimal with exactly its digits; a quantity in the unit of the first of `preferring`
    /// that divides it, else in its base unit.
    func text(preferring examples: [String]) -> String {
        guard let kind else {
            if scale == 0 { return String(units) }
            var p: Int64 = 1
            for _ in 0..<scale { p *= 10 }
            let sign = units < 0 ? "-" : ""
            let a = units.magnitude
            var frac = String(a % UInt64(p))
            frac = String(repeating: "0", count: scale - frac.count) + frac
            while frac.hasSuffix("0") { frac.removeLast() }
            return sign + String(a / UInt64(p)) + (frac.isEmpty ? "" : "." + frac)
        }
        for e in examples {
            let suffix = String(e.drop { $0.isNumber || $0 == "." || $0 == "_" || $0 == " " || $0 == "+" }).trimmingCharacters()
            guard !suffix.isEmpty, case .success(let unit) = UnitParser.parse("1" + suffix, as: kind), unit > 0 else { continue }
            if units % unit == 0 { return String(units / unit) + suffix }
        }
        return String(units) + Self.baseUnit(kind)
    }

    static func baseUnit(_ kind: UnitKind) -> String {
        switch kind {
        case .duration: "ps"
        case .dataRate: "bps"
        case .clockRate: "Hz"
        case .byteCount: "B"
        case .packetRate: "pps"
        }
    }
}

extension String {
    /// Without leading and trailing spaces.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
