/// Converts a metric's value to its base unit so values in Gbps and Mbps can be
/// added and printed with one prefix rule.
public enum Quantity {
    /// (factor, base unit) for a unit string; unknown units are their own base.
    public static func base(of unit: String) -> (factor: Double, unit: String) {
        switch unit {
        case "bps", "b/s", "bit/s": return (1, "bps")
        case "kbps", "Kbps", "kb/s": return (1e3, "bps")
        case "Mbps", "Mb/s": return (1e6, "bps")
        case "Gbps", "Gb/s": return (1e9, "bps")
        case "Tbps": return (1e12, "bps")
        case "pps", "packets/s": return (1, "pps")
        case "kpps": return (1e3, "pps")
        case "Mpps": return (1e6, "pps")
        case "B/s", "bytes/s": return (1, "B/s")
        case "/s", "1/s", "per_second", "events/s": return (1, unit == "events/s" ? "events/s" : "1/s")
        case "%", "percent": return (1, "percent")
        case "fraction": return (100, "percent")
        case "s", "seconds": return (1, "s")
        case "ms": return (1e-3, "s")
        case "us", "µs": return (1e-6, "s")
        case "ns": return (1e-9, "s")
        default: return (1, unit)
        }
    }

    /// The value in its base unit.
    public static func normalized(_ value: Double, unit: String) -> (value: Double, unit: String) {
        let (f, u) = base(of: unit)
        return (value * f, u)
    }

    /// A value with its unit for people, e.g. "9.41 Gbps", "12.5 µs", "34.2 %".
    public static func human(_ value: Double, unit: String) -> String {
        let (v, u) = normalized(value, unit: unit)
        if u == "s" { return NumberFormat.duration(v) }
        return NumberFormat.human(v, unit: u)
    }
}
