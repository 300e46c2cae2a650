import ArgumentParser
import Scenario

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of the scenario format.",
        discussion: """
            The schema (draft-07) is generated from the same tables as docs/scenarios.md's reference and is committed as \
            docs/scenario.schema.json. Editors use it to check and complete scenario files: with the YAML language server \
            (VS Code's YAML extension, Neovim, Helix…), put '# yaml-language-server: $schema=PATH/docs/scenario.schema.json' \
            on a scenario's first line. It checks keys, types, units and choices; 'vnetsim validate' checks everything.
            """
    )

    func run() throws {
        print(ScenarioSchema.jsonSchema(), terminator: "")
    }
}
