/// Names of a group of VMs: `web[1-8]` → web1 … web8, `db[01-12]` → db01 … db12,
/// `node[1-2,5]` → node1, node2, node5. A name without brackets is itself.
public enum NamePattern {
    /// At most this many names from one pattern, so a typo cannot ask for a billion VMs.
    public static let limit = 100_000

    /// The names a pattern stands for, in order; or a message and fix if it is malformed.
    public static func expand(_ pattern: String) -> Result<[String], UnitError> {
        guard let open = pattern.firstIndex(of: "[") else {
            if pattern.contains("]") {
                return .failure(UnitError(message: "'\(pattern)' has ']' without '['", fix: "write a range like 'web[1-8]'"))
            }
            return .success([pattern])
        }
        guard let close = pattern[open...].firstIndex(of: "]") else {
            return .failure(UnitError(message: "'\(pattern)' has '[' without ']'", fix: "write a range like 'web[1-8]'"))
        }
        let prefix = String(pattern[..<open])
        let body = pattern[pattern.index(after: open)..<close]
        let rest = String(pattern[pattern.index(after: close)...])
        if rest.contains("[") {
            return .failure(UnitError(message: "'\(pattern)' has more than one range", fix: "use one range per name, e.g. 'web[1-8]'"))
        }
        var numbers: [String] = []
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count), ends.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                let lo = Int(ends[0]), let hi = Int(ends.last!)
            else {
                return .failure(
                    UnitError(
                        message: "'\(part)' in '\(pattern)' is not a number or a range",
                        fix: "write ranges as 'first-last' with whole numbers, e.g. 'web[1-8]' or 'web[1-4,7]'"))
            }
            guard lo <= hi else {
                return .failure(
                    UnitError(
                        message: "range '\(part)' in '\(pattern)' runs backwards",
                        fix: "write the smaller number first, e.g. '\(hi)-\(lo)' → '\(lo)-\(hi)'"))
            }
            guard hi - lo < limit, numbers.count + (hi - lo + 1) <= limit else {
                return .failure(UnitError(message: "'\(pattern)' names more than \(limit) VMs", fix: "use a smaller range"))
            }
            // A leading zero fixes the width: 01-12 → 01, 02, …, 12.
            let width = ends[0].hasPrefix("0") && ends[0].count > 1 ? ends[0].count : 0
            for n in lo...hi {
                let s = String(n)
                numbers.append(String(repeating: "0", count: Swift.max(0, width - s.count)) + s)
            }
        }
        return .success(numbers.map { prefix + $0 + rest })
    }

    /// Whether `name` is a pattern (has a range).
    public static func isPattern(_ name: String) -> Bool { name.contains("[") }
}
