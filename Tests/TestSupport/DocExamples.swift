import Foundation

/// The repository's root (this file is Tests/TestSupport/DocExamples.swift).
public let testRepositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The marked blocks of a documentation page, shared by the tests that check docs/scenarios.md
/// (ScenarioTests/DocsTests) and those that run its examples (GoldenTests).
///
/// A block is a line `<!-- MARKER: NAME -->` followed by a fenced code block; its text is the fence's content.
public enum DocExamples {
    /// (name, text) of each `<!-- MARKER: NAME -->` block, in page order, each text ending in a newline.
    public static func blocks(_ text: String, marker: String) -> [(String, String)] {
        var out: [(String, String)] = []
        let lines = text.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if l.hasPrefix("<!-- \(marker): "), let end = l.range(of: " -->") {
                let name = String(l[l.index(l.startIndex, offsetBy: marker.count + 7)..<end.lowerBound])
                var j = i + 1
                while j < lines.count && !lines[j].hasPrefix("```") { j += 1 }
                var body: [String] = []
                j += 1
                while j < lines.count && lines[j] != "```" { body.append(lines[j]); j += 1 }
                out.append((name, body.joined(separator: "\n") + "\n"))
                i = j
            }
            i += 1
        }
        return out
    }

    /// (name, yaml) of each `<!-- example: NAME -->` block that is meant to run: every example
    /// except the broken ones, which the page follows with an `<!-- output: NAME -->` block.
    public static func runnableExamples(_ text: String) -> [(String, String)] {
        let broken = Set(blocks(text, marker: "output").map(\.0))
        return blocks(text, marker: "example").filter { !broken.contains($0.0) }
    }
}
