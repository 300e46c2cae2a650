import Foundation
import Testing

/// Runs the built `vnetsim` binary (the one `swift test` just built beside the test bundle).
struct CLI {
    /// A new, empty folder under the system's temporary directory, named `PREFIX-<uuid>`.
    static func temporaryDirectory(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: URL = {
        let fm = FileManager.default
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vnetsim")
        if fm.isExecutableFile(atPath: besideTests.path) { return besideTests }
        // Fall back to the package's default debug build folder.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/vnetsim")
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A started `vnetsim`: both pipes are drained concurrently from the start, so neither a full
    /// stdout nor a full stderr can block the child.
    final class Running: @unchecked Sendable {
        let process: Process
        private let group = DispatchGroup()
        private var out = Data()
        private var err = Data()

        init(_ args: [String], in directory: URL?, environment: [String: String]) throws {
            process = Process()
            process.executableURL = CLI.binary
            process.arguments = args
            process.currentDirectoryURL = directory ?? CLI.packageRoot
            if !environment.isEmpty {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            }
            let o = Pipe(), e = Pipe()
            process.standardOutput = o
            process.standardError = e
            try process.run()
            group.enter()
            DispatchQueue.global().async {
                self.out = o.fileHandleForReading.readDataToEndOfFile()
                self.group.leave()
            }
            group.enter()
            DispatchQueue.global().async {
                self.err = e.fileHandleForReading.readDataToEndOfFile()
                self.group.leave()
            }
        }

        /// Sends `signo` to the child.
        func send(_ signo: Int32) { kill(process.processIdentifier, signo) }

        /// Waits for the child to exit and both pipes to close.
        func wait() -> Result {
            process.waitUntilExit()
            group.wait()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                stderr: String(decoding: err, as: UTF8.self))
        }
    }

    static func start(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Running {
        try Running(args, in: directory, environment: environment)
    }

    @discardableResult
    static func run(_ args: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        try start(args, in: directory, environment: environment).wait()
    }
}
