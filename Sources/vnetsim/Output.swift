#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a line to standard error.
func printStderr(_ s: String) {
    var line = s
    line.append("\n")
    line.withCString { p in _ = write(2, p, strlen(p)) }
}

/// `x` with six decimals, C-locale style.
func format6(_ x: Double) -> String {
    let scaled = (x * 1e6).rounded()
    let ip = Int64(scaled) / 1_000_000
    var frac = String(abs(Int64(scaled) % 1_000_000))
    frac = String(repeating: "0", count: 6 - frac.count) + frac
    return (scaled < 0 && ip == 0 ? "-" : "") + "\(ip).\(frac)"
}

/// `x` with three decimals.
func format3(_ x: Double) -> String {
    let scaled = (x * 1e3).rounded()
    let ip = Int64(scaled) / 1_000
    var frac = String(abs(Int64(scaled) % 1_000))
    frac = String(repeating: "0", count: 3 - frac.count) + frac
    return (scaled < 0 && ip == 0 ? "-" : "") + "\(ip).\(frac)"
}
