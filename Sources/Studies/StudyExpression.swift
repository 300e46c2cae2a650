import Models
import Scenario

// One small grammar for sweep constraints and service-level objectives:
//
//     comparison := expr OP expr          OP: <= < >= > == !=
//     expr       := term (('+' | '-') term)*
//     term       := factor (('*' | '/') factor)*
//     factor     := NUMBER [UNIT] | REFERENCE | '(' expr ')' | '-' factor
//
// Binary operators are separated by whitespace from their operands, so `synthetic-vm`, `vm[01-64]`, `vm3/eth0` and
// `drops.nic_rx_queue_full` stay single references: a REFERENCE is a maximal run of characters other than whitespace
// and parentheses that does not start with a digit. A word that starts with a digit (or `.digit`) is a number with an
// optional unit (`80%`, `1ms`, `10Gbps`, `64KiB`, `3GHz`, `50kpps`, `1e6`); a `-` glued to the front of a word is a
// unary minus.

/// What a quantity measures. Values of a `Quantity` are in the dimension's base unit: seconds, bit/s, bytes, Hz,
/// packets/s; dimensionless numbers are plain (a percent is 0.01).
public enum Dimension: Sendable, Hashable, CustomStringConvertible {
    /// A plain number (a count, a fraction, a percentage).
    case none
    /// Seconds.
    case time
    /// Bits per second.
    case dataRate
    /// Bytes.
    case bytes
    /// Hertz.
    case frequency
    /// Packets per second.
    case packetRate
    /// A unit known only by its name, e.g. `cycles/packet`, `cores`, `packets`: it compares with the same unit and with
    /// a plain number.
    case other(String)
    /// A product or quotient of the others: base name (`time`, `dataRate`, …, or an `other` unit's name) → exponent.
    /// Never empty and never a single base with exponent 1 (those are the cases above); see `Dimension(exponents:)`.
    case derived([String: Int])

    /// The base names and exponents this dimension is made of (empty for `none`).
    public var exponents: [String: Int] {
        switch self {
        case .none: return [:]
        case .time: return ["time": 1]
        case .dataRate: return ["dataRate": 1]
        case .bytes: return ["bytes": 1]
        case .frequency: return ["frequency": 1]
        case .packetRate: return ["packetRate": 1]
        case .other(let unit): return [unit: 1]
        case .derived(let e): return e
        }
    }

    /// The dimension with these exponents, in its simplest case (`[:]` → `none`, `["time": 1]` → `time`).
    public init(exponents: [String: Int]) {
        let e = exponents.filter { $0.value != 0 }
        if e.isEmpty { self = .none; return }
        if e.count == 1, let (name, power) = e.first, power == 1 {
            switch name {
            case "time": self = .time
            case "dataRate": self = .dataRate
            case "bytes": self = .bytes
            case "frequency": self = .frequency
            case "packetRate": self = .packetRate
            default: self = .other(name)
            }
            return
        }
        self = .derived(e)
    }

    /// The dimension of a product.
    public static func * (a: Dimension, b: Dimension) -> Dimension {
        Dimension(exponents: a.exponents.merging(b.exponents, uniquingKeysWith: +))
    }

    /// The dimension of a quotient.
    public static func / (a: Dimension, b: Dimension) -> Dimension {
        Dimension(exponents: a.exponents.merging(b.exponents.mapValues { -$0 }, uniquingKeysWith: +))
    }

    /// The dimension two quantities share when they may be added or compared: the same one, or an `other` unit with
    /// a plain number (`host.root_cpu_cores <= 2`); nil when they differ.
    public static func common(_ a: Dimension, _ b: Dimension) -> Dimension? {
        if a == b { return a }
        switch (a, b) {
        case (.other, .none): return a
        case (.none, .other): return b
        default: return nil
        }
    }

    /// For messages: "a time (s)", "a data rate (bit/s)", "a plain number", "cycles/packet", ….
    public var description: String {
        switch self {
        case .none: return "a plain number"
        case .time: return "a time (s)"
        case .dataRate: return "a data rate (bit/s)"
        case .bytes: return "a size (bytes)"
        case .frequency: return "a frequency (Hz)"
        case .packetRate: return "a packet rate (pps)"
        case .other(let unit): return "a number of \(unit)"
        case .derived(let e):
            func name(_ base: String) -> String {
                switch base {
                case "dataRate": return "data rate"
                case "packetRate": return "packet rate"
                default: return base
                }
            }
            func power(_ base: String, _ p: Int) -> String { p == 1 ? name(base) : "\(name(base))^\(p)" }
            let up = e.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { power($0.key, $0.value) }
            let down = e.filter { $0.value < 0 }.sorted { $0.key < $1.key }.map { power($0.key, -$0.value) }
            let num = up.isEmpty ? "1" : up.joined(separator: " × ")
            return "a derived quantity (\(num)\(down.isEmpty ? "" : " / " + down.joined(separator: " / ")))"
        }
    }

    /// An example limit in this dimension, for fixes.
    var example: String {
        switch self {
        case .none: return "a plain number or a percentage, e.g. 80%"
        case .time: return "a time unit, e.g. 1ms"
        case .dataRate: return "a data-rate unit, e.g. 10Gbps"
        case .bytes: return "a size unit, e.g. 64KiB"
        case .frequency: return "a frequency unit, e.g. 3GHz"
        case .packetRate: return "a packet-rate unit, e.g. 50kpps"
        case .other(let unit): return "a plain number (in \(unit))"
        case .derived: return "the same dimension on both sides"
        }
    }
}

/// A number with its dimension; `value` is in the dimension's base unit (seconds, bit/s, bytes, Hz, pps).
public struct Quantity: Sendable, Equatable, CustomStringConvertible {
    public var value: Double
    public var dimension: Dimension

    public init(value: Double, dimension: Dimension) { self.value = value; self.dimension = dimension }
    public init(_ value: Double, _ dimension: Dimension = .none) { self.value = value; self.dimension = dimension }

    public var description: String {
        switch dimension {
        case .none: return "\(value)"
        case .time: return "\(value)s"
        case .dataRate: return "\(value)bps"
        case .bytes: return "\(value)B"
        case .frequency: return "\(value)Hz"
        case .packetRate: return "\(value)pps"
        case .other(let unit): return "\(value) \(unit)"
        case .derived: return "\(value) (\(dimension))"
        }
    }
}

/// `<=`, `<`, `>=`, `>`, `==`, `!=`.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case lessOrEqual = "<="
    case less = "<"
    case greaterOrEqual = ">="
    case greater = ">"
    case equal = "=="
    case notEqual = "!="

    /// Whether `a OP b` holds. Equality is to a relative 1e-12 (values converted between units, such as `1000us` and
    /// `1ms`, differ in the last bits; an infinity equals only itself), and `<=`/`>=` accept such an equality, `<`/`>`
    /// reject it.
    public func holds(_ a: Double, _ b: Double) -> Bool {
        let equal = a == b || a.isFinite && b.isFinite && abs(a - b) <= 1e-12 * Swift.max(abs(a), abs(b))
        switch self {
        case .lessOrEqual: return a < b || equal
        case .less: return a < b && !equal
        case .greaterOrEqual: return a > b || equal
        case .greater: return a > b && !equal
        case .equal: return equal
        case .notEqual: return !equal
        }
    }
}

/// `+`, `-`, `*`, `/`.
public enum ArithmeticOperator: String, Sendable, CaseIterable {
    case plus = "+"
    case minus = "-"
    case times = "*"
    case divide = "/"
}

/// An error in an expression: where (the 1-based column in the text, counted in characters), what is wrong, and how
/// to fix it.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var message: String
    public var fix: String

    public init(column: Int, message: String, fix: String) { self.column = column; self.message = message; self.fix = fix }

    public var description: String { "column \(column): \(message); \(fix)" }
}

/// An arithmetic expression: numbers with units, references (resolved when evaluated), `-`, `+ - * /`.
public indirect enum Expr: Sendable, Equatable {
    case quantity(Quantity)
    /// A name resolved by the caller: a scenario path (`vms.web.count`) or a metric (`host.root_cpu_utilization`).
    case reference(String, column: Int)
    case negate(Expr)
    /// `column`: where the operator is, for errors.
    case binary(ArithmeticOperator, Expr, Expr, column: Int)

    /// The references, in order of appearance (with repeats).
    public var references: [String] {
        switch self {
        case .quantity: return []
        case .reference(let name, _): return [name]
        case .negate(let e): return e.references
        case .binary(_, let a, let b, _): return a.references + b.references
        }
    }

    /// The expression's value, with `resolve` giving each reference's (nil: unknown, an error naming it).
    ///
    /// `+` and `-` need operands of a common dimension (`Dimension.common`); `*` and `/` multiply dimensions, so a
    /// dimensionless factor keeps the other's (`vms.web.count * flows.send.rate` is a data rate). Dividing by zero is an
    /// error.
    public func evaluate(_ resolve: (String) -> Quantity?) -> Result<Quantity, ExpressionError> {
        do throws(ExpressionError) { return .success(try value(resolve)) } catch { return .failure(error) }
    }

    func value(_ resolve: (String) -> Quantity?) throws(ExpressionError) -> Quantity {
        switch self {
        case .quantity(let q): return q
        case .reference(let name, let column):
            guard let q = resolve(name) else {
                let spaced = name.contains("+") || name.contains("*")
                throw ExpressionError(
                    column: column, message: "unknown reference '\(name)'",
                    fix: spaced
                        ? "separate operators from their operands with spaces, e.g. 'a + b' (without them '\(name)' is one name)"
                        : "check the name: a scenario path such as 'vms.web.count' or a metric such as 'host.goodput'")
            }
            return q
        case .negate(let e):
            let q = try e.value(resolve)
            return Quantity(-q.value, q.dimension)
        case .binary(let op, let l, let r, let column):
            let a = try l.value(resolve), b = try r.value(resolve)
            switch op {
            case .plus, .minus:
                guard let d = Dimension.common(a.dimension, b.dimension) else {
                    throw ExpressionError(
                        column: column,
                        message: "cannot \(op == .plus ? "add" : "subtract") \(b.dimension) \(op == .plus ? "to" : "from") \(a.dimension)",
                        fix: "write both operands of '\(op.rawValue)' in the same dimension")
                }
                return Quantity(op == .plus ? a.value + b.value : a.value - b.value, d)
            case .times:
                return Quantity(a.value * b.value, a.dimension * b.dimension)
            case .divide:
                guard b.value != 0 else {
                    throw ExpressionError(column: column, message: "division by zero", fix: "divide by a non-zero value")
                }
                return Quantity(a.value / b.value, a.dimension / b.dimension)
            }
        }
    }
}

/// `expr OP expr`, parsed by `StudyExpression.parseComparison`.
public struct Comparison: Sendable, Equatable {
    public var left: Expr
    public var op: ComparisonOperator
    public var right: Expr
    /// The text it was parsed from.
    public var text: String
    /// Every reference, in order of appearance, without duplicates.
    public var references: [String]
    /// The 1-based column of the comparison operator, for errors.
    public var operatorColumn: Int

    public init(left: Expr, op: ComparisonOperator, right: Expr, text: String, operatorColumn: Int) {
        self.left = left; self.op = op; self.right = right; self.text = text; self.operatorColumn = operatorColumn
        var seen: Set<String> = []
        self.references = (left.references + right.references).filter { seen.insert($0).inserted }
    }

    /// Evaluates both sides with `resolve` (nil: an unknown reference, an error naming it) and compares them.
    ///
    /// The sides must share a dimension (`Dimension.common`); otherwise the error names both.
    public func evaluate(_ resolve: (String) -> Quantity?) -> Result<Bool, ExpressionError> {
        do throws(ExpressionError) {
            let a = try left.value(resolve), b = try right.value(resolve)
            guard Dimension.common(a.dimension, b.dimension) != nil else {
                throw ExpressionError(
                    column: operatorColumn, message: "cannot compare \(a.dimension) with \(b.dimension)",
                    fix: "write the right side with \(a.dimension.example)")
            }
            return .success(op.holds(a.value, b.value))
        } catch {
            return .failure(error)
        }
    }
}

/// Parsing of comparisons and of values with units.
public enum StudyExpression {
    /// Parses `text` as `expr OP expr`; errors carry the 1-based column in `text`, what is wrong and a fix.
    public static func parseComparison(_ text: String) -> Result<Comparison, ExpressionError> {
        do throws(ExpressionError) {
            var p = Parser(tokens: try tokenize(text), end: text.count + 1)
            let left = try p.expression()
            guard case .comparison(let op)? = p.peek?.kind, let opToken = p.peek else {
                throw p.unexpected(expecting: "a comparison operator (<=, <, >=, >, ==, !=)")
            }
            p.index += 1
            let right = try p.expression()
            if p.peek != nil { throw p.unexpected(expecting: "the end of the comparison") }
            return .success(Comparison(left: left, op: op, right: right, text: text, operatorColumn: opToken.column))
        } catch {
            return .failure(error)
        }
    }

    /// A value as written in a scenario or on the command line (`200Mbps`, `16`, `2s`, `80%`, `-3`, `1e6`) → a
    /// quantity in base units; nil if it is not a number with a known unit. One space may separate number and unit.
    public static func quantity(_ text: String) -> Quantity? {
        var t = Substring(text)
        while let f = t.first, f.isWhitespace { t = t.dropFirst() }
        while let l = t.last, l.isWhitespace { t = t.dropLast() }
        var negative = false
        if t.first == "-" || t.first == "+" {
            negative = t.first == "-"
            t = t.dropFirst()
        }
        guard let (number, unit) = splitNumber(t) else { return nil }
        var u = unit
        if u.first == " " { u = u.dropFirst() }
        guard let q = quantity(number: number, unit: String(u)) else { return nil }
        return negative ? Quantity(-q.value, q.dimension) : q
    }

    /// A metric value with its catalog unit (metrics.csv's `unit` column: `Gbps`, `percent`, `fraction`, `us`, `pps`,
    /// `bytes`, `cycles/packet`, …) → a quantity in base units: percent 80 → 0.8 (plain); fraction → plain; us →
    /// seconds; Gbps → bit/s; pps → packets/s; bytes → bytes; any other unit (a count or a ratio of counts) →
    /// `.other(unit)` with the value as is.
    public static func quantity(metricValue: Double, unit: String) -> Quantity {
        switch unit {
        case "", "fraction": return Quantity(metricValue)
        case "percent": return Quantity(metricValue / 100)
        case "bytes": return Quantity(metricValue, .bytes)
        default:
            if let u = units[unit] { return Quantity(metricValue * u.multiplier / u.divisor, u.dimension) }
            return Quantity(metricValue, .other(unit))
        }
    }

    // MARK: - Units

    /// A unit suffix: value in base units = number × multiplier ÷ divisor (both exact integers, so `1000us` and `1ms`
    /// round the same way).
    struct Unit { var dimension: Dimension; var multiplier: Double; var divisor: Double }

    /// Every unit suffix a number may carry, in the order suggestions prefer them.
    static let unitList: [(String, Unit)] = {
        var u: [(String, Unit)] = [("%", Unit(dimension: .none, multiplier: 1, divisor: 100))]
        func add(_ d: Dimension, _ list: [(String, Double, Double)]) {
            for (s, m, div) in list { u.append((s, Unit(dimension: d, multiplier: m, divisor: div))) }
        }
        add(
            .time,
            [
                ("ps", 1, 1e12), ("ns", 1, 1e9), ("us", 1, 1e6), ("µs", 1, 1e6), ("ms", 1, 1e3), ("s", 1, 1), ("min", 60, 1),
                ("h", 3600, 1),
            ])
        add(
            .dataRate,
            [
                ("bps", 1, 1), ("Kbps", 1e3, 1), ("kbps", 1e3, 1), ("Mbps", 1e6, 1), ("Gbps", 1e9, 1), ("Tbps", 1e12, 1),
                ("b/s", 1, 1), ("Kb/s", 1e3, 1), ("kb/s", 1e3, 1), ("Mb/s", 1e6, 1), ("Gb/s", 1e9, 1),
            ])
        add(.packetRate, [("pps", 1, 1), ("kpps", 1e3, 1), ("Kpps", 1e3, 1), ("Mpps", 1e6, 1), ("Gpps", 1e9, 1)])
        add(.frequency, [("Hz", 1, 1), ("kHz", 1e3, 1), ("KHz", 1e3, 1), ("MHz", 1e6, 1), ("GHz", 1e9, 1)])
        add(
            .bytes,
            [
                ("B", 1, 1), ("KB", 1e3, 1), ("kB", 1e3, 1), ("MB", 1e6, 1), ("GB", 1e9, 1), ("TB", 1e12, 1),
                ("KiB", 1024, 1), ("MiB", 1_048_576, 1), ("GiB", 1_073_741_824, 1),
            ])
        return u
    }()

    /// `unitList` by suffix.
    static let units: [String: Unit] = Dictionary(unitList, uniquingKeysWith: { a, _ in a })

    /// The catalog's units that are not suffixes above (`packets`, `cycles/packet`, `cores`, …): a number may carry
    /// them too (`10packets`), as an `.other` quantity.
    static let catalogUnits: Set<String> = Set(
        MetricCatalog.all.map(\.unit).filter { units[$0] == nil && !["percent", "fraction", "bytes"].contains($0) })

    static func quantity(number: Substring, unit: String) -> Quantity? {
        guard let x = Double(String(number.filter { $0 != "_" })), x.isFinite else { return nil }
        if unit.isEmpty { return Quantity(x) }
        if let u = units[unit] { return Quantity(x * u.multiplier / u.divisor, u.dimension) }
        if catalogUnits.contains(unit) { return Quantity(x, .other(unit)) }
        return nil
    }

    /// Splits "1.5us" into ("1.5", "us") as the scenario format does (`UnitParser.split`: digits, `.` and `_`, an
    /// optional exponent); nil without a digit before the unit.
    static func splitNumber(_ s: Substring) -> (number: Substring, unit: Substring)? { UnitParser.split(String(s)) }

    // MARK: - Tokens

    enum TokenKind: Equatable {
        case number(Quantity)
        case reference(String)
        case arithmetic(ArithmeticOperator)
        /// A `-` glued to the word after it: only a unary minus.
        case attachedMinus
        case comparison(ComparisonOperator)
        case open, close
    }

    struct Token: Equatable {
        var kind: TokenKind
        var text: String
        /// 1-based, in characters.
        var column: Int
    }

    /// Splits `text` into tokens (see the grammar at the top of this file).
    static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "(" || c == ")" {
                tokens.append(Token(kind: c == "(" ? .open : .close, text: String(c), column: i + 1))
                i += 1
                continue
            }
            var j = i
            while j < chars.count, !chars[j].isWhitespace, chars[j] != "(", chars[j] != ")" { j += 1 }
            try classify(chars[i..<j], column: i + 1, into: &tokens)
            i = j
        }
        return tokens
    }

    static func classify(_ word: ArraySlice<Character>, column: Int, into tokens: inout [Token]) throws(ExpressionError) {
        let text = String(word)
        if let op = ArithmeticOperator(rawValue: text) {
            tokens.append(Token(kind: .arithmetic(op), text: text, column: column))
            return
        }
        if let op = ComparisonOperator(rawValue: text) {
            tokens.append(Token(kind: .comparison(op), text: text, column: column))
            return
        }
        if word.first == "-" {
            tokens.append(Token(kind: .attachedMinus, text: "-", column: column))
            try classify(word.dropFirst(), column: column + 1, into: &tokens)
            return
        }
        if let k = word.firstIndex(where: { "<>=!".contains($0) }) {
            let at = column + (k - word.startIndex)
            throw ExpressionError(
                column: at, message: "'\(text)' has an operator inside it",
                fix: "separate operators from their operands with spaces, e.g. 'host.root_cpu_utilization <= 80%'")
        }
        let first = word.first!
        let second = word.dropFirst().first
        if first.isASCII && first.isNumber || first == "." && second.map({ $0.isASCII && $0.isNumber }) == true {
            guard let (number, unit) = splitNumber(Substring(text)), let q = quantity(number: number, unit: String(unit))
            else {
                let unit = splitNumber(Substring(text)).map { String($0.unit) } ?? ""
                let all = unitList.map(\.0) + catalogUnits.sorted()
                let fix: String
                if let s = Suggestions.closest(to: unit, among: all, caseInsensitive: true), !unit.isEmpty {
                    fix = "did you mean '\(text.dropLast(unit.count))\(s)'?"
                } else if unit.contains("+") || unit.contains("*") || unit.contains("/") || unit.contains("-") {
                    fix = "separate operators from their operands with spaces, e.g. '2 * 10Gbps'"
                } else {
                    fix = "write a number with a known unit, e.g. 80%, 1ms, 250us, 10Gbps, 64KiB, 3GHz, 50kpps"
                }
                throw ExpressionError(
                    column: column, message: unit.isEmpty ? "'\(text)' is not a number" : "unknown unit '\(unit)' in '\(text)'",
                    fix: fix)
            }
            tokens.append(Token(kind: .number(q), text: text, column: column))
            return
        }
        tokens.append(Token(kind: .reference(text), text: text, column: column))
    }

    // MARK: - Parser

    /// Recursive descent over the tokens, one function per grammar rule.
    struct Parser {
        var tokens: [Token]
        /// The column just past the text, for errors at its end.
        var end: Int
        var index = 0

        var peek: Token? { index < tokens.count ? tokens[index] : nil }

        func unexpected(expecting what: String) -> ExpressionError {
            guard let t = peek else {
                return ExpressionError(
                    column: end, message: "the text ends where \(what) is expected",
                    fix: "complete it, e.g. 'host.root_cpu_utilization <= 80%'")
            }
            if t.kind == .attachedMinus {
                return ExpressionError(
                    column: t.column, message: "'-' is glued to the operand after it",
                    fix: "write a subtraction with spaces around '-', e.g. 'a - b'")
            }
            return ExpressionError(
                column: t.column, message: "expected \(what), found '\(t.text)'",
                fix: "write operands and operators separated by spaces, e.g. 'vms.web.count * 2 <= 64'")
        }

        mutating func expression() throws(ExpressionError) -> Expr {
            var e = try term()
            while let t = peek, case .arithmetic(let op) = t.kind, op == .plus || op == .minus {
                index += 1
                e = .binary(op, e, try term(), column: t.column)
            }
            return e
        }

        mutating func term() throws(ExpressionError) -> Expr {
            var e = try factor()
            while let t = peek, case .arithmetic(let op) = t.kind, op == .times || op == .divide {
                index += 1
                e = .binary(op, e, try factor(), column: t.column)
            }
            return e
        }

        mutating func factor() throws(ExpressionError) -> Expr {
            guard let t = peek else { throw unexpected(expecting: "a number, a name or '('") }
            switch t.kind {
            case .number(let q):
                index += 1
                return .quantity(q)
            case .reference(let name):
                index += 1
                return .reference(name, column: t.column)
            case .attachedMinus, .arithmetic(.minus):
                index += 1
                return .negate(try factor())
            case .open:
                index += 1
                let e = try expression()
                guard peek?.kind == .close else {
                    if peek == nil {
                        throw ExpressionError(
                            column: t.column, message: "'(' is never closed", fix: "add a ')' after the expression it opens")
                    }
                    throw unexpected(expecting: "')'")
                }
                index += 1
                return e
            case .close:
                throw ExpressionError(column: t.column, message: "')' without a matching '('", fix: "remove it or add a '(' before it")
            case .arithmetic, .comparison:
                throw ExpressionError(
                    column: t.column, message: "'\(t.text)' has no operand before it",
                    fix: "write a number or a name before '\(t.text)'")
            }
        }
    }
}

extension StudyExpression {
    /// A quantity's value in a metric's catalog unit (the inverse of `quantity(metricValue:unit:)`).
    public static func value(_ q: Quantity, inUnit unit: String) -> Double {
        switch unit {
        case "percent": return q.value * 100
        default:
            if let u = units[unit] { return q.value * u.divisor / u.multiplier }
            return q.value
        }
    }
}
