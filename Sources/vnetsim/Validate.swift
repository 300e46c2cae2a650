import ArgumentParser
import Scenario

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenario files without running them.",
        discussion: """
            Prints every problem of every file as FILE:LINE:COL: error: what is wrong; how to fix it. \
            Exits 0 when no file has an error (warnings allowed), 65 otherwise.
            """
    )

    @Argument(help: "Scenario files.", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one scenario file, e.g. vnetsim validate Scenarios/*.yaml") }
    }

    func run() throws {
        let diagnostics = ScenarioLoader.validate(paths: files)
        for d in diagnostics { printStderr(d.description) }
        let errors = diagnostics.filter { $0.severity == .error }
        let failedFiles = Set(errors.map(\.location.file))
        for f in files where !failedFiles.contains(f) { print("\(f): ok") }
        if !errors.isEmpty {
            printStderr(
                "\(errors.count) error\(errors.count == 1 ? "" : "s") in \(failedFiles.count) of \(files.count) file\(files.count == 1 ? "" : "s")"
            )
            throw ExitCode(65)
        }
    }
}
