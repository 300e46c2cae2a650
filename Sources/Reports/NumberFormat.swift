/// Deterministic, locale-independent number formatting for reports.
public enum NumberFormat {
    /// Machine-readable: the shortest text that reads back as the same `Double`
    /// (Swift's `description`), integers without a fraction; "nan"/"inf" spelled out.
    public static func exact(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }

    /// `x` rounded to `digits` significant digits, without exponent for everyday magnitudes.
    public static func significant(_ x: Double, _ digits: Int = 3) -> String {
        if x.isNaN { return "–" }
        if x.isInfinite { return x > 0 ? "∞" : "-∞" }
        if x == 0 { return "0" }
        let magnitude = Int((abs(x)).log10Floor)
        let decimals = Swift.max(0, digits - 1 - magnitude)
        var s = fixed(x, decimals: Swift.min(decimals, 9))
        // Trailing zeros after the point say nothing: 500.0 → 500, 2.50 → 2.5.
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// `x` with exactly `decimals` digits after the point, thousands grouped with ','.
    public static func fixed(_ x: Double, decimals: Int, grouped: Bool = true) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (abs(x) * scale).rounded()
        guard r < 9e18 else { return String(x) }
        let n = Int64(r)
        let whole = n / Int64(scale), frac = n % Int64(scale)
        var w = String(whole)
        if grouped && w.count > 4 {
            var g = ""
            for (i, ch) in w.reversed().enumerated() {
                if i > 0 && i % 3 == 0 { g.append(",") }
                g.append(ch)
            }
            w = String(g.reversed())
        }
        var s = (x < 0 && n != 0 ? "-" : "") + w
        if decimals > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return s
    }

    /// A value with its unit for people: SI prefixes for rates, 3 significant digits.
    /// `9.41e9, "bps"` → "9.41 Gbps"; `34.21, "percent"` → "34.2 %".
    public static func human(_ x: Double, unit: String) -> String {
        switch unit {
        case "percent", "%": return significant(x, 3) + " %"
        case "bps", "pps", "Hz", "events/s", "B/s", "1/s":
            let (v, prefix) = siPrefix(x)
            if unit == "events/s" || unit == "1/s" {
                return significant(v, 3) + (prefix.isEmpty ? "" : " " + prefix) + (unit == "1/s" ? "/s" : " events/s")
            }
            return significant(v, 3) + " " + prefix + unit
        case "":
            return significant(x, 4)
        default:
            return significant(x, 4) + " " + unit
        }
    }

    static func siPrefix(_ x: Double) -> (Double, String) {
        let a = abs(x)
        if a >= 1e12 { return (x / 1e12, "T") }
        if a >= 1e9 { return (x / 1e9, "G") }
        if a >= 1e6 { return (x / 1e6, "M") }
        if a >= 1e3 { return (x / 1e3, "k") }
        return (x, "")
    }

    /// Seconds for people: "2 s", "150 ms", "12.5 µs".
    public static func duration(_ seconds: Double) -> String {
        let a = abs(seconds)
        if a == 0 { return "0 s" }
        if a >= 1 { return significant(seconds, 3) + " s" }
        if a >= 1e-3 { return significant(seconds * 1e3, 3) + " ms" }
        if a >= 1e-6 { return significant(seconds * 1e6, 3) + " µs" }
        return significant(seconds * 1e9, 3) + " ns"
    }

    /// A count for people: 1,234,567 → "1.23 M".
    public static func count(_ n: UInt64) -> String {
        if n < 10_000 { return String(n) }
        let (v, p) = siPrefix(Double(n))
        return significant(v, 3) + " " + p
    }
}

extension Double {
    /// ⌊log10(|x|)⌋ for x ≠ 0, computed without libm so every platform agrees.
    var log10Floor: Double {
        var a = abs(self), e = 0.0
        while a >= 10 { a /= 10; e += 1 }
        while a < 1 { a *= 10; e -= 1 }
        return e
    }
}
