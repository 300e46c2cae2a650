import ArgumentParser
import Foundation
import Logging
import Scenario
import SimCore

/// Loads a scenario for a command: prints every diagnostic as `file:line:col` and exits 65 on an
/// error; applies a `--duration` override (e.g. "200ms") when given.
func loadScenario(_ path: String, duration: String?) throws -> LoadedScenario {
    var loaded: LoadedScenario
    do {
        loaded = try ScenarioLoader.load(path: path)
    } catch {
        for d in error.diagnostics { printStderr(d.description) }
        throw ExitCode(65)  // EX_DATAERR
    }
    if let duration {
        switch UnitParser.parse(duration, as: .time) {
        case .success(let ps) where ps < 1:
            throw ValidationError("--duration: '\(duration)' rounds to 0ps; a duration must be at least 1ps")
        case .success(let ps) where ps > ScenarioLoader.longestRun.picoseconds:
            throw ValidationError("--duration: '\(duration)' is longer than the longest run, 1000000s (about 11.6 days)")
        case .success(let ps):
            loaded = loaded.shortened(to: SimTime(picoseconds: ps))
            // The new length may break a rule the file kept (e.g. the number of samples).
            if let p = loaded.config.validate().first {
                throw ValidationError("--duration: with '\(duration)', \(p.path): \(p.message)")
            }
        case .failure(let e): throw ValidationError("--duration: \(e.message); \(e.fix)")
        }
    }
    return loaded
}

/// Ctrl-C during a run: the first SIGINT asks the model to stop at the next
/// slice boundary (reports are still written); a second one kills the process.
final class InterruptFlag: @unchecked Sendable {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0
    nonisolated(unsafe) private static var hits: sig_atomic_t = 0

    static func install() -> InterruptFlag {
        flag = 0
        hits = 0
        signal(SIGINT) { _ in
            InterruptFlag.hits += 1
            InterruptFlag.flag = 1
            if InterruptFlag.hits > 1 { signal(SIGINT, SIG_DFL); raise(SIGINT) }
        }
        return InterruptFlag()
    }

    var isSet: Bool { Self.flag != 0 }
    var wasSet: Bool { Self.flag != 0 }
    func uninstall() { signal(SIGINT, SIG_DFL) }
}

/// Runs scripts/plot on a result directory.
enum PlotScript {
    static func run(directory: URL) -> Int32 {
        let script = URL(fileURLWithPath: "scripts/plot")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            printStderr("warning: scripts/plot not found (run from the repository root to draw plots)")
            return 127
        }
        let p = Process()
        p.executableURL = script
        p.arguments = [directory.path]
        do { try p.run() } catch { return 126 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}

/// Writes text to standard error without a newline.
func writeStderr(_ s: String) {
    s.withCString { p in _ = write(2, p, strlen(p)) }
}

/// The CLI's logger (swift-log, to stderr): warnings by default, the run's steps with `--verbose`.
func makeLogger(verbose: Bool) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .trace
        return handler
    }
    var logger = Logger(label: "vnetsim")
    logger.logLevel = verbose ? .info : .warning
    return logger
}
