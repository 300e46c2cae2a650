import SimCore

/// A quantity a scenario writes with a unit suffix: `10Gbps`, `1.5us`, `64KiB`.
///
/// Numbers are decimal with an optional fraction and exponent (`1.5`, `2e3`);
/// the unit follows, optionally after one space. Conversion is exact: the
/// decimal is scaled with 128-bit integers and must come out a whole number of
/// the base unit (picoseconds, bits/s, hertz, bytes) or it is rounded to the
/// nearest one where the unit says so.
public enum UnitKind: String, Sendable, CaseIterable {
    case duration, dataRate, clockRate, byteCount, packetRate

    /// Another name for ``duration`` (`UnitParser.parse("5ms", as: .time)`).
    public static var time: UnitKind { .duration }

    /// The accepted suffixes and how many base units each is.
    var suffixes: [(String, Int128)] {
        switch self {
        case .duration:
            return [
                ("ps", 1), ("ns", 1_000), ("us", 1_000_000), ("µs", 1_000_000), ("ms", 1_000_000_000),
                ("s", 1_000_000_000_000), ("min", 60_000_000_000_000), ("h", 3_600_000_000_000_000),
            ]
        case .dataRate:
            return [
                ("bps", 1), ("Kbps", 1_000), ("kbps", 1_000), ("Mbps", 1_000_000), ("Gbps", 1_000_000_000),
                ("Tbps", 1_000_000_000_000), ("Kb/s", 1_000), ("kb/s", 1_000), ("Mb/s", 1_000_000),
                ("Gb/s", 1_000_000_000), ("b/s", 1),
            ]
        case .clockRate:
            return [("Hz", 1), ("kHz", 1_000), ("KHz", 1_000), ("MHz", 1_000_000), ("GHz", 1_000_000_000)]
        case .byteCount:
            return [
                ("B", 1), ("KB", 1_000), ("kB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
                ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
            ]
        case .packetRate:
            return [("pps", 1), ("kpps", 1_000), ("Kpps", 1_000), ("Mpps", 1_000_000), ("Gpps", 1_000_000_000)]
        }
    }

    /// What the unit measures, for messages.
    public var noun: String {
        switch self {
        case .duration: return "a duration"
        case .dataRate: return "a data rate"
        case .clockRate: return "a clock rate"
        case .byteCount: return "a size in bytes"
        case .packetRate: return "a packet rate"
        }
    }

    /// Typical examples, for messages and documentation.
    public var examples: String {
        switch self {
        case .duration: return "'2s', '500ms', '1.5us'"
        case .dataRate: return "'10Gbps', '100Mbps', '1.5Gbps'"
        case .clockRate: return "'3GHz', '2.4GHz', '800MHz'"
        case .byteCount: return "'1500B', '64KiB', '1MiB'"
        case .packetRate: return "'50kpps', '1Mpps', '200pps'"
        }
    }

    /// The suffixes, for documentation.
    public var suffixList: String { suffixes.map(\.0).joined(separator: ", ") }
}

/// Why a quantity did not parse; `message` and `fix` complete a ``Diagnostic``.
public struct UnitError: Error, Sendable, Equatable {
    public var message: String
    public var fix: String
}

/// Parses unit-suffixed quantities exactly.
public enum UnitParser {
    /// A decimal number as significand × 10^exponent.
    struct Decimal { var significand: Int128; var exponent: Int; var negative: Bool }

    /// Splits "1.5us" into ("1.5", "us"); nil if there is no leading number. (Studies' expressions split their
    /// numbers with it too.)
    public static func split(_ text: String) -> (number: Substring, unit: Substring)? {
        let s = Substring(text.trimmingSpaces())
        var i = s.startIndex
        if i < s.endIndex, s[i] == "-" || s[i] == "+" { i = s.index(after: i) }
        var sawDigit = false
        while i < s.endIndex, s[i].isASCII, s[i].isNumber || s[i] == "." || s[i] == "_" {
            if s[i].isNumber { sawDigit = true }
            i = s.index(after: i)
        }
        guard sawDigit else { return nil }
        // Exponent: e/E followed by an optional sign and digits (but not the 'E' of a unit, which has no digits).
        if i < s.endIndex, s[i] == "e" || s[i] == "E" {
            var j = s.index(after: i)
            if j < s.endIndex, s[j] == "-" || s[j] == "+" { j = s.index(after: j) }
            var digits = false
            while j < s.endIndex, s[j].isASCII, s[j].isNumber { digits = true; j = s.index(after: j) }
            if digits { i = j }
        }
        var unit = s[i...]
        while unit.first == " " { unit = unit.dropFirst() }
        return (s[s.startIndex..<i], unit)
    }

    static func decimal(_ text: Substring) -> Decimal? {
        var s = text.filter { $0 != "_" }[...]
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() } else if s.first == "+" { s = s.dropFirst() }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let x = Int(s[s.index(after: e)...]), abs(x) <= 1000 else { return nil }
            exponent = x
            s = s[..<e]
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !s.isEmpty, s != "." else { return nil }
        let whole = parts[0], frac = parts.count == 2 ? parts[1] : ""
        guard (whole + frac).allSatisfy({ $0.isASCII && $0.isNumber }), whole.count + frac.count <= 30 else { return nil }
        var significand: Int128 = 0
        for c in whole + frac { significand = significand * 10 + Int128(c.wholeNumberValue!) }
        return Decimal(significand: significand, exponent: exponent - frac.count, negative: negative)
    }

    /// The outcome of scaling a decimal to base units.
    enum Scaled: Equatable { case value(Int64), inexact, tooLarge }

    /// Scales `d × factor` to base units, exactly: the product is formed in 256 bits and divided by
    /// the power of ten in 128-bit steps, so no input can overflow. `round` says whether a remainder
    /// rounds (half up) or makes the value `.inexact`; anything beyond `Int64.max` is `.tooLarge`.
    static func scale(_ d: Decimal, by factor: Int128, round: Bool) -> Scaled {
        let limit = UInt128(Int64.max)
        let (hi, lo) = UInt128(d.significand.magnitude).multipliedFullWidth(by: UInt128(factor.magnitude))
        if d.exponent >= 0 {
            guard hi == 0 else { return .tooLarge }
            var v = lo
            for _ in 0..<d.exponent {
                if v == 0 { break }
                guard v <= limit else { return .tooLarge }
                v *= 10  // ≤ 10 × Int64.max: no overflow
            }
            guard v <= limit else { return .tooLarge }
            return .value(d.negative ? -Int64(v) : Int64(v))
        }
        // Divide by 10^(m-1) exactly (floor, remembering any discarded digit), then round on the last digit.
        guard let (q, sticky) = dividing(hi, lo, byPowerOfTen: -d.exponent - 1) else { return .tooLarge }
        let last = q % 10
        if (sticky || last != 0) && !round { return .inexact }
        let v = q / 10 + (last >= 5 ? 1 : 0)
        guard v <= limit else { return .tooLarge }
        return .value(d.negative ? -Int64(v) : Int64(v))
    }

    /// ⌊(hi·2^128 + lo) / 10^n⌋ and whether the division discarded anything; nil if the quotient
    /// does not fit in 128 bits.
    static func dividing(_ hi: UInt128, _ lo: UInt128, byPowerOfTen n: Int) -> (UInt128, Bool)? {
        var hi = hi, lo = lo, n = n, sticky = false
        while n > 0 {
            let k = Swift.min(n, 38)  // 10^38 < 2^128
            var p: UInt128 = 1
            for _ in 0..<k { p *= 10 }
            guard hi < p else { return nil }
            let (q, r) = p.dividingFullWidth((hi, lo))
            if r != 0 { sticky = true }
            hi = 0; lo = q; n -= k
        }
        return (lo, sticky)
    }

    /// The largest value of `kind`, for messages.
    static func maximumText(_ kind: UnitKind) -> String {
        switch kind {
        case .duration: return "\(Int64.max)ps (about 106 days)"
        case .dataRate: return "\(Int64.max)bps"
        case .clockRate: return "\(Int64.max)Hz"
        case .byteCount: return "\(Int64.max)B"
        case .packetRate: return "\(Int64.max)pps"
        }
    }

    /// Parses `text` as a quantity of `kind`, returning the value in base units
    /// (picoseconds, bits/s, hertz, bytes, packets/s).
    ///
    /// A bare `0` is accepted for every kind; any other number needs a unit.
    public static func parse(_ text: String, as kind: UnitKind) -> Result<Int64, UnitError> {
        guard let (number, unit) = split(text), let d = decimal(number) else {
            return .failure(
                UnitError(
                    message: "'\(text)' is not \(kind.noun)",
                    fix: "write a number with a unit, e.g. \(kind.examples)"))
        }
        if unit.isEmpty {
            if d.significand == 0 { return .success(0) }
            return .failure(
                UnitError(
                    message: "'\(text)' has no unit",
                    fix: "write \(kind.noun) with its unit, e.g. \(kind.examples) (units: \(kind.suffixList))"))
        }
        guard let factor = kind.suffixes.first(where: { $0.0 == unit })?.1 else {
            // A unit of another kind is a common slip: say which kind it is.
            if let other = UnitKind.allCases.first(where: { k in k != kind && k.suffixes.contains { $0.0 == unit } }) {
                return .failure(
                    UnitError(
                        message: "'\(text)' is \(other.noun), but \(kind.noun) is expected here",
                        fix: "use one of \(kind.suffixList), e.g. \(kind.examples)"))
            }
            let suggestion = Suggestions.closest(to: String(unit), among: kind.suffixes.map(\.0), caseInsensitive: true)
            return .failure(
                UnitError(
                    message: "unknown unit '\(unit)' in '\(text)'",
                    fix: suggestion.map { "did you mean '\(number)\($0)'?" }
                        ?? "use one of \(kind.suffixList), e.g. \(kind.examples)"))
        }
        // Rates and sizes must be whole base units; durations round to the picosecond.
        let round = kind == .duration || kind == .clockRate
        if d.negative && d.significand != 0 {
            return .failure(UnitError(message: "'\(text)' is negative", fix: "write a value ≥ 0"))
        }
        switch scale(d, by: factor, round: round) {
        case .value(let v): return .success(v)
        case .inexact:
            return .failure(
                UnitError(
                    message: "'\(text)' is not a whole number of \(kind == .byteCount ? "bytes" : "base units")",
                    fix: "write a value that is exact in the unit, e.g. \(kind.examples)"))
        case .tooLarge:
            return .failure(
                UnitError(
                    message: "'\(text)' is too large: \(kind.noun) is at most \(maximumText(kind))",
                    fix: "write a smaller value"))
        }
    }

    /// Parses a plain decimal (no unit) as a `Double`, accepting `_` separators.
    public static func number(_ text: String) -> Double? {
        let t = text.trimmingSpaces().filter { $0 != "_" }
        guard let (n, u) = split(t), u.isEmpty, decimal(n) != nil, let x = Double(n), x.isFinite else { return nil }
        return x
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

// MARK: - Formatting (the inverse, for documentation and echoing values)

extension SimTime {
    /// The scenario-file spelling, e.g. `2s`, `1500ns`.
    public var scenarioText: String {
        let p = picoseconds
        for (unit, div) in [
            ("s", SimTime.picosecondsPerSecond), ("ms", SimTime.picosecondsPerMillisecond),
            ("us", SimTime.picosecondsPerMicrosecond), ("ns", SimTime.picosecondsPerNanosecond),
        ]
        where p != 0 && p % div == 0 { return "\(p / div)\(unit)" }
        return p == 0 ? "0s" : "\(p)ps"
    }
}

extension ByteCount {
    /// The scenario-file spelling, e.g. `1500B`, `64KiB`.
    public var scenarioText: String { description }
}

extension DataRate {
    /// The scenario-file spelling, e.g. `10Gbps`.
    public var scenarioText: String { description }
}

extension ClockRate {
    /// The scenario-file spelling, e.g. `3GHz`.
    public var scenarioText: String { description }
}
