/// "Did you mean …?" suggestions by edit distance.
public enum Suggestions {
    /// The Damerau–Levenshtein (optimal string alignment) distance between two strings.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }

    /// The candidate closest to `word`, if it is close enough to be a likely typo:
    /// within a third of the word's length (at least 1, at most 3 edits), or
    /// equal ignoring case, `-`/`_` and spaces.
    ///
    /// Bounded, so that a file with many names and many errors stays fast: only the first
    /// `maxCandidates` candidates are examined, words longer than `maxWordLength` get no suggestion,
    /// and a candidate whose length differs by more than the edit limit is skipped unmeasured.
    public static func closest(to word: String, among allCandidates: [String], caseInsensitive: Bool = false) -> String? {
        guard word.count <= maxWordLength else { return nil }
        let candidates = allCandidates.prefix(maxCandidates)
        func norm(_ s: String) -> String { s.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " } }
        let normWord = norm(word)
        if let exact = candidates.first(where: { norm($0) == normWord }) { return exact }
        let w = caseInsensitive ? word.lowercased() : word
        let limit = Swift.min(3, Swift.max(1, w.count / 3))
        let length = w.count
        var best: (String, Int)?
        for c in candidates where abs(c.count - length) <= limit {
            let d = distance(w, caseInsensitive ? c.lowercased() : c)
            if d <= limit, d < (best?.1 ?? .max) { best = (c, d) }
        }
        // A prefix or suffix slip ("vcpu" for "vcpus", "ext" for "external") counts too.
        if best == nil, w.count >= 3,
            let p = candidates.first(where: {
                $0.lowercased().hasPrefix(w.lowercased()) || w.lowercased().hasPrefix($0.lowercased()) && $0.count >= 3
            })
        {
            return p
        }
        return best?.0
    }

    /// At most this many candidates are compared with a word.
    public static let maxCandidates = 10_000
    /// Words longer than this get no suggestion (the distance is quadratic in the length).
    public static let maxWordLength = 64

    /// "; did you mean 'x'?" or a list of the valid choices.
    public static func fix(for word: String, among candidates: [String], noun: String) -> String {
        if let c = closest(to: word, among: candidates) { return "did you mean '\(c)'?" }
        if candidates.isEmpty { return "no \(noun) is defined" }
        let shown = candidates.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
        return "valid \(noun)s: \(shown)\(candidates.count > 12 ? ", …" : "")"
    }
}
