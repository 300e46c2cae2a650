/// Comma-separated values as RFC 4180 defines them: CRLF line ends, a header
/// row, and fields quoted (with doubled quotes) when they hold a comma, a
/// quote, CR or LF. Any standard reader (Python's csv, pandas, R) reads it.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header; self.rows = rows
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "a CSV row has \(row.count) fields, the header \(header.count)")
        rows.append(row)
    }

    /// The table as RFC 4180 text.
    public var text: String {
        var out = ""
        out.reserveCapacity(64 * (rows.count + 1))
        // Field by field into one string (a study's metrics.csv has millions of fields).
        func append(_ row: [String]) {
            for (i, f) in row.enumerated() {
                if i > 0 { out.append(",") }
                if f.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }) {
                    out.append(CSVTable.field(f))
                } else {
                    out.append(f)
                }
            }
            out.append("\r\n")
        }
        append(header)
        for row in rows { append(row) }
        return out
    }

    /// One field, quoted if it must be.
    public static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// Parses RFC 4180 text (for tests and for merging results).
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\r\n", "\n", "\r":
                row.append(field); field = ""
                rows.append(row); row = []
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        var out = ""
        var rest = self[...]
        while let r = rest.range(of: a) {
            out += rest[..<r.lowerBound]
            out += b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
