import Foundation
import Testing

@Suite("vnetsim schema")
struct SchemaCommandTests {
    @Test func printsTheCommittedSchema() throws {
        let r = try CLI.run(["schema"])
        #expect(r.status == 0, "\(r.stderr)")
        let committed = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/scenario.schema.json"), encoding: .utf8)
        #expect(r.stdout == committed, "vnetsim schema differs from docs/scenario.schema.json")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(json?["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect(r.stderr.isEmpty)
    }

    @Test func helpSaysHowEditorsUseIt() throws {
        let r = try CLI.run(["schema", "--help"])
        #expect(r.status == 0)
        let words = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("# yaml-language-server: $schema="))
    }
}
