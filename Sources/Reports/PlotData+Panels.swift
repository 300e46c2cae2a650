import Models

extension PlotData {
    /// Up to this many entities a panel draws one bar each, named; past it, the entities ranked by value.
    public static let maxBars = 16
    /// Up to this many entities a plot draws one line each (latency CDFs, time series); past it, a
    /// distribution across them.
    public static let maxLines = 8

    /// One quantity of many entities (goodput per flow, utilization per core), drawn by `scripts/plot-panel.gp`
    /// as one panel that stays readable at any number of entities:
    /// * up to `maxBars` entities, a horizontal bar each, named, in the report's order;
    /// * past it, a sorted-rank curve: the entities ordered by value, highest first (rank 1), one point
    ///   each, with the spread across them (median, lowest and highest with their names) in the title —
    ///   no per-entity label, so nothing overlaps at 64 or 6,400 entities.
    /// Each entity's colour is its category's (`palette`), listed in the key.
    public struct Panel: Equatable, Sendable {
        /// The files' and variables' name, e.g. "flow_goodput".
        public var key: String
        /// What the panel shows, e.g. "goodput".
        public var quantity: String
        /// The entities' plural noun, e.g. "flows".
        public var noun: String
        /// The value axis: quantity and unit, e.g. "goodput (Mb/s)".
        public var axis: String
        /// The unit for the title's figures, e.g. "Mb/s" ("" for none).
        public var unit: String
        /// Whether the key lists the categories (adapter types of flows); not when the title or the bars'
        /// names already say it (cores, components).
        public var legend: Bool
        /// (entity, value, category) in the report's order; entities without a value are left out.
        public var entries: [(name: String, value: Double, category: String)]

        public static func == (a: Panel, b: Panel) -> Bool {
            a.key == b.key && a.axis == b.axis && a.entries.map(\.name) == b.entries.map(\.name)
                && a.entries.map(\.value) == b.entries.map(\.value) && a.entries.map(\.category) == b.entries.map(\.category)
        }

        public init(
            key: String, quantity: String, noun: String, axis: String, unit: String, legend: Bool = false,
            entries: [(String, Double?, String)]
        ) {
            self.key = key; self.quantity = quantity; self.noun = noun; self.axis = axis; self.unit = unit; self.legend = legend
            self.entries = entries.compactMap { e in e.1.flatMap { $0.isFinite ? (e.0, $0, e.2) : nil } }
        }

        /// Whether the panel ranks the entities instead of drawing a bar each.
        public var isRanked: Bool { entries.count > PlotData.maxBars }

        /// The rows drawn: the report's order for bars; highest value first for a ranking (ties by name).
        public var rows: [(name: String, value: Double, category: String)] {
            isRanked ? entries.sorted { $0.value != $1.value ? $0.value > $1.value : $0.name < $1.name } : entries
        }

        /// The categories present, in order of first appearance.
        public var categories: [String] {
            var seen: Set<String> = []
            return entries.map(\.category).filter { seen.insert($0).inserted }
        }

        /// The panel's title: its quantity per entity for bars; for a ranking, how many.
        public var title: String { isRanked ? "\(entries.count) \(noun), ranked by \(quantity)" : "\(quantity), per \(singular)" }

        /// The title's second line, for a ranking: the median and the lowest and highest with their names.
        public var subtitle: String {
            guard isRanked else { return "" }
            let r = rows
            let s = Spread(r.map(\.value))
            let u = unit.isEmpty ? "" : " " + unit
            return
                "median \(figure(s.median))\(u) · lowest \(figure(s.minimum)) (\(r.last!.name)) · highest \(figure(s.maximum)) (\(r.first!.name))"
        }

        var singular: String { noun.hasSuffix("s") ? String(noun.dropLast()) : noun }

        /// `<key>.dat` (rank, entity, value, colour as an integer) and the lines of `vars.gp` that describe it.
        func files() -> (data: String, vars: [String]) {
            var t = "rank entity value rgb\n"
            for (i, e) in rows.enumerated() {
                t += "\(i + 1) \(PlotData.sanitize(e.name)) \(PlotData.num(e.value)) \(PlotData.rgbValue(PlotData.colour(e.category)))\n"
            }
            let cats = categories
            let vars = [
                "\(key)_n = \(entries.count)", "\(key)_ranked = \(isRanked ? 1 : 0)", "\(key)_legend = \(legend ? 1 : 0)",
                "\(key)_axis = \(PlotData.quote(axis))",
                "\(key)_title = \(PlotData.quote(title))",
                "\(key)_subtitle = \(PlotData.quote(subtitle))",
                "\(key)_rank_label = \(PlotData.quote("\(noun), ranked by \(quantity) (1 = highest)"))",
                "\(key)_categories = \(PlotData.quote(cats.map(PlotData.sanitize).joined(separator: " ")))",
                "\(key)_category_colours = \(PlotData.quote(cats.map(PlotData.colour).joined(separator: " ")))",
            ]
            return (t, vars)
        }
    }

    /// The spread of values across entities: minimum, quartiles (linear interpolation between order
    /// statistics, R's type 7), maximum, mean.
    public struct Spread: Equatable, Sendable {
        public var minimum, p25, median, p75, maximum, mean: Double

        /// - Precondition: `values` is not empty.
        public init(_ values: [Double]) {
            precondition(!values.isEmpty, "the spread of no values")
            let v = values.sorted()
            func quantile(_ q: Double) -> Double {
                let h = q * Double(v.count - 1)
                let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
                return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
            }
            minimum = v[0]; maximum = v[v.count - 1]
            p25 = quantile(0.25); median = quantile(0.5); p75 = quantile(0.75)
            mean = v.reduce(0, +) / Double(v.count)
        }
    }

    /// A figure for a title: three significant digits, no grouping.
    static func figure(_ x: Double) -> String { NumberFormat.significant(x, 3).replacingOccurrences(of: ",", with: "") }
}
