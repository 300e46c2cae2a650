/// A run's deterministic id, and the name of its results folder: `seed<N>-r<replication>-<16 hex>`,
/// e.g. `seed1-r0-3f2a0c5e9b7d1e44`.
///
/// The hex is a 64-bit FNV-1a hash (`RunID.fnv1a64`) of a canonical encoding of the run's inputs:
/// the scenario text, the overrides in order, the capture ports in order, the seed the run uses (the
/// override, or the scenario's own), the replication, the duration override and the warm-up override. The same inputs
/// give the same id on any machine and in any process (no wall clock, host name, path or Swift
/// hash seed takes part), so a rerun of the same inputs finds — and replaces — its earlier folder.
///
/// The encoding is injective: a version tag, then each field with its length (strings as UTF-8
/// bytes, lists as a count then each element, numbers as fixed-width little-endian integers, the
/// duration as a presence byte then picoseconds, the warm-up — only when given — as a byte 1 then
/// picoseconds), so two different inputs never encode alike.
/// FNV-1a is **not a cryptographic hash**: two different inputs of the same length that differ in
/// one byte always hash apart, but otherwise different inputs collide with a chance of about 2^-64
/// per pair — a safe name for honest runs, no defence against inputs crafted to collide.
/// The scenario text is hashed byte for byte (a file saved with CRLF line ends is another run).
public struct RunID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The seed the run uses.
    public let seed: UInt64
    public let replication: UInt32
    /// FNV-1a 64 of the canonical encoding of the inputs.
    public let digest: UInt64

    /// The id of `spec` run with `seed` (the spec's override if it has one, else the scenario's own
    /// seed: so `--seed 1` on a file whose seed is 1 is the same run as no `--seed`).
    public init(spec: RunSpec, seed: UInt64) {
        precondition(spec.seed == nil || spec.seed == seed, "the seed of a run with a seed override is the override")
        self.seed = seed
        self.replication = spec.replication
        self.digest = Self.fnv1a64(Self.canonicalEncoding(spec, seed: seed))
    }

    /// `seed<N>-r<replication>-<16 lowercase hex digits>`.
    public var description: String {
        let hex = String(digest, radix: 16)
        return "seed\(seed)-r\(replication)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func < (a: RunID, b: RunID) -> Bool { a.description < b.description }

    /// Identifies the encoding; a change to it must change this tag, so no old id is reused — except a new
    /// optional field encoded only when given (as the warm-up is), which leaves every earlier input's bytes as they were.
    static let encodingTag = "vnetsim-run-id/1"

    /// The bytes the id hashes (see the type's documentation).
    static func canonicalEncoding(_ spec: RunSpec, seed: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        func integer<T: FixedWidthInteger>(_ x: T) { withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) } }
        func string(_ s: String) { integer(UInt64(s.utf8.count)); out.append(contentsOf: s.utf8) }
        func list(_ l: [String]) { integer(UInt64(l.count)); l.forEach(string) }
        string(encodingTag)
        string(spec.scenarioText)
        list(spec.overrides)
        list(spec.captures)
        integer(seed)
        integer(spec.replication)
        if let d = spec.duration {
            out.append(1)
            integer(d.picoseconds)
        } else {
            out.append(0)
        }
        // Added after the first release of the encoding, so only when given: a run without a warm-up
        // override keeps the id it had, and one with it encodes longer, so it reuses no earlier id.
        if let w = spec.warmup {
            out.append(1)
            integer(w.picoseconds)
        }
        return out
    }

    /// The 64-bit FNV-1a hash of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3;
    /// http://www.isthe.com/chongo/tech/comp/fnv/). Not cryptographic.
    public static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
