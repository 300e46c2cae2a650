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

    /// Splits "1.5us" into ("1.5", "us"); nil if there is no leading number.
    static func split(_ text: String) -> (number: Substring, unit: Substring)? {
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
            guard let x = Int(s[s.index(after: e)...]), abs(x) < 40 else { return nil }
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

    /// Scales `d × factor` to an integer; `round` says whether a remainder is rounded or is an error.
    static func scale(_ d: Decimal, by factor: Int128, round: Bool) -> Int128? {
        var v = d.significand * factor
        var e = d.exponent
        while e > 0 {
            guard v < Int128(Int64.max) * 10 else { return nil }
            v *= 10; e -= 1
        }
        if e < 0 {
            var p: Int128 = 1
            while e < 0 { p *= 10; e += 1 }
            let (q, r) = v.quotientAndRemainder(dividingBy: p)
            if r != 0 && !round { return nil }
            v = r * 2 >= p ? q + 1 : q
        }
        return d.negative ? -v : v
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
        guard let v = scale(d, by: factor, round: round) else {
            return .failure(
                UnitError(
                    message: "'\(text)' is not a whole number of \(kind == .byteCount ? "bytes" : "base units")",
                    fix: "write a value that is exact in the unit, e.g. \(kind.examples)"))
        }
        guard v >= 0 else {
            return .failure(UnitError(message: "'\(text)' is negative", fix: "write a value ≥ 0"))
        }
        guard v <= Int128(Int64.max) else {
            return .failure(UnitError(message: "'\(text)' is too large", fix: "write a smaller value"))
        }
        return .success(Int64(v))
    }

    /// Parses a plain decimal (no unit) as a `Double`, accepting `_` separators.
    public static func number(_ text: String) -> Double? {
        let t = text.trimmingSpaces().filter { $0 != "_" }
        guard let (n, u) = split(t), u.isEmpty, decimal(n) != nil else { return nil }
        return Double(n)
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
