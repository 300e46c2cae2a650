/// The documentation of the scenario format, as data.
///
/// The decoder reads only keys listed here (an unlisted key is reported as
/// unknown, with a did-you-mean), and `docs/scenarios.md` embeds the tables
/// ``ScenarioSchema/markdownReference()`` renders, which a test compares with
/// the file, so the format, its decoder and its documentation cannot drift.
public struct FieldDoc: Sendable, Equatable {
    /// The YAML key.
    public var key: String
    /// The value's type as a reader sees it, e.g. "duration", "list of VM", "one of: synthetic, emulated".
    public var type: String
    /// The default when the key is absent, or "required".
    public var defaultValue: String
    /// One sentence: what it means.
    public var summary: String

    public init(_ key: String, _ type: String, _ defaultValue: String, _ summary: String) {
        self.key = key; self.type = type; self.defaultValue = defaultValue; self.summary = summary
    }

    public static let required = "required"
}

/// A mapping in the scenario format (the top level, a VM, an adapter, …).
public struct SectionDoc: Sendable, Equatable {
    /// Where the mapping sits, e.g. `vms[]`, `host.nics[]`.
    public var path: String
    /// What a message calls one of these, e.g. "a VM".
    public var noun: String
    public var summary: String
    public var fields: [FieldDoc]

    public init(path: String, noun: String, summary: String, fields: [FieldDoc]) {
        self.path = path; self.noun = noun; self.summary = summary; self.fields = fields
    }

    public var keys: [String] { fields.map(\.key) }
    public func field(_ key: String) -> FieldDoc? { fields.first { $0.key == key } }
}
