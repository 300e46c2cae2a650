/// Where something is in a scenario file: 1-based line and column.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file; self.line = line; self.column = column
    }

    /// `file:line:col`, the form editors and terminals turn into links; a place that is not in a file (line 0, such
    /// as a `--set` argument) is its name alone.
    public var description: String { line == 0 ? file : "\(file):\(line):\(column)" }
}

/// One problem found in a scenario file.
///
/// Rendered as `file:line:col: error: what is wrong; how to fix it`, the
/// format compilers use, so editors jump to it. Every diagnostic names a fix:
/// a message that only says what is wrong is a bug in the validator.
public struct Diagnostic: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning
        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    public var location: SourceLocation
    /// What is wrong, e.g. "unknown key 'vcpu' in a VM".
    public var message: String
    /// How to fix it, e.g. "did you mean 'vcpus'?".
    public var fix: String

    /// Control characters quoted from the file (a NUL, an escape sequence, a line break inside a
    /// quoted value) are shown escaped (`\0`, `\u{1B}`), so that a diagnostic is always one
    /// printable line that a terminal or a C string cannot cut or garble.
    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String, fix: String) {
        self.severity = severity; self.location = location
        self.message = Self.printable(message); self.fix = Self.printable(fix)
    }

    /// `text` with every control character (C0, DEL, C1) written as an escape.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for u in text.unicodeScalars {
            if u == "\u{0}" {
                out += "\\0"
            } else if isControl(u) {
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    private static func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (0x7F...0x9F).contains(u.value) }

    /// `file:line:col: error: what is wrong; how to fix it`.
    public var description: String {
        fix.isEmpty
            ? "\(location): \(severity.rawValue): \(message)"
            : "\(location): \(severity.rawValue): \(message); \(fix)"
    }
}

extension Array where Element == Diagnostic {
    /// Diagnostics in file order (file, line, column), errors before warnings at one place.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let x = a.element.location, y = b.element.location
            if x.file != y.file { return x.file < y.file }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            return a.offset < b.offset
        }.map(\.element)
    }

    public var hasErrors: Bool { contains { $0.severity == .error } }
}

/// Every problem found while loading one or more scenario files.
///
/// Thrown by ``ScenarioLoader/load(path:)``; never thrown with an empty list.
public struct ScenarioErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// One diagnostic per line, in file order.
    public var description: String {
        diagnostics.sortedByLocation().map(\.description).joined(separator: "\n")
    }
}
