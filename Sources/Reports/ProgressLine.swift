/// The progress line a long run shows on a terminal's stderr:
/// `  simulated 0.512 s of 2 s · 25.6 % · 1.23 M events/s · ETA 0:12`.
///
/// Pure formatting plus a throttle; the CLI decides whether stderr is a
/// terminal (and `--quiet`), redraws with `\r` and clears the line at the end.
public struct ProgressLine: Sendable {
    /// Shortest wall-clock time between two redraws.
    public var minimumInterval: Double
    private var lastDraw: Double = -.infinity

    public init(minimumInterval: Double = 0.25) { self.minimumInterval = minimumInterval }

    /// The line for a run `simulated` seconds into `duration`, after `events` events and `wall` seconds of wall time.
    public static func render(simulated: Double, duration: Double, events: UInt64, wall: Double) -> String {
        let fraction = duration > 0 ? min(1, max(0, simulated / duration)) : 1
        var parts = [
            "simulated \(NumberFormat.duration(simulated)) of \(NumberFormat.duration(duration))",
            NumberFormat.fixed(100 * fraction, decimals: 1) + " %",
        ]
        if wall > 0 { parts.append(NumberFormat.human(Double(events) / wall, unit: "events/s")) }
        if fraction > 0.001 && wall > 0.5 {
            parts.append("ETA " + clock(wall * (1 - fraction) / fraction))
        }
        return "  " + parts.joined(separator: " · ")
    }

    /// `m:ss`, or `h:mm:ss` past an hour.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return s >= 3600 ? "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" : "\(s / 60):\(two(s % 60))"
    }

    /// The line to draw now, or nil if the last one is too recent (`force` draws anyway, e.g. at 100 %).
    public mutating func update(simulated: Double, duration: Double, events: UInt64, wall: Double, force: Bool = false) -> String? {
        guard force || wall - lastDraw >= minimumInterval else { return nil }
        lastDraw = wall
        return Self.render(simulated: simulated, duration: duration, events: events, wall: wall)
    }

    /// Carriage return + the line + erase to end of line: redraws in place on a terminal.
    public static func redraw(_ line: String) -> String { "\r" + line + "\u{1B}[K" }
    /// Erases the progress line (before the summary is printed).
    public static let clear = "\r\u{1B}[K"
}
