#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a line to standard error.
func printStderr(_ s: String) {
    var line = s
    line.append("\n")
    // The bytes as they are (a NUL in the text must not cut the line).
    let bytes = Array(line.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(2, $0.baseAddress! + offset, bytes.count - offset) }
        if n <= 0 { if n < 0 && errno == EINTR { continue }; return }
        offset += n
    }
}

/// `x` with a fixed number of decimals, C-locale style (no grouping, "." as the point).
func formatFixed(_ x: Double, decimals: Int) -> String {
    var scale = 1.0
    var unit: Int64 = 1
    for _ in 0..<decimals { scale *= 10; unit *= 10 }
    let scaled = Int64((x * scale).rounded())
    let whole = scaled / unit
    var frac = String(abs(scaled % unit))
    frac = String(repeating: "0", count: decimals - frac.count) + frac
    return (scaled < 0 && whole == 0 ? "-" : "") + "\(whole)" + (decimals > 0 ? ".\(frac)" : "")
}

/// `x` with six decimals.
func format6(_ x: Double) -> String { formatFixed(x, decimals: 6) }

/// `x` with three decimals.
func format3(_ x: Double) -> String { formatFixed(x, decimals: 3) }
