import ArgumentParser
import Scenario

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenario files without running them.",
        discussion: """
            Prints every problem of every file as FILE:LINE:COL: error: what is wrong; how to fix it. \
            Exits 0 when no file has an error (warnings allowed), 65 otherwise. With --set path=value, every file is \
            checked as changed (as `vnetsim run --set` would run it); a problem with a change is reported at its --set argument.
            """
    )

    @Argument(help: "Scenario files.", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String]

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp("Change each scenario before it is checked, as `vnetsim run --set` does (repeatable).", valueName: "path=value"))
    var overrides: [String] = []

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one scenario file, e.g. vnetsim validate Scenarios/*.yaml") }
    }

    func run() throws {
        var errors: [Diagnostic] = []
        var failedFiles: Set<String> = []
        for f in files {
            // File by file: a problem at a --set argument belongs to every file it is applied to.
            let diagnostics = ScenarioLoader.validate(paths: [f], overrides: overrides)
            for d in diagnostics { printStderr(d.description) }
            let fileErrors = diagnostics.filter { $0.severity == .error }
            errors += fileErrors
            if fileErrors.isEmpty { print("\(f): ok") } else { failedFiles.insert(f) }
        }
        if !errors.isEmpty {
            printStderr(
                "\(errors.count) error\(errors.count == 1 ? "" : "s") in \(failedFiles.count) of \(files.count) file\(files.count == 1 ? "" : "s")"
            )
            throw ExitCode(65)
        }
    }
}
