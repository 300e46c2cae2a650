import ArgumentParser
import Foundation
import Logging
import Scenario
import SimCore
import Studies

/// Parses a `--duration` value ("200ms", "5s"): nil when not given.
/// - Throws: exit 64 (after printing the message) for a bad value, one that rounds to 0 ps, or one longer than the longest run.
func parseDuration(_ duration: String?) throws -> SimTime? {
    guard let duration else { return nil }
    switch UnitParser.parse(duration, as: .time) {
    case .success(let ps) where ps < 1:
        throw usageError("--duration: '\(duration)' rounds to 0ps; a duration must be at least 1ps")
    case .success(let ps) where ps > ScenarioLoader.longestRun.picoseconds:
        throw usageError("--duration: '\(duration)' is longer than the longest run, 1000000s (about 11.6 days)")
    case .success(let ps): return SimTime(picoseconds: ps)
    case .failure(let e): throw usageError("--duration: \(e.message); \(e.fix)")
    }
}

/// A bad option value found while running (not in `validate()`): swift-argument-parser would print the
/// root command's usage after it, which names no option of this command, so print the message alone
/// and exit 64 (EX_USAGE), as for any other usage error.
func usageError(_ message: String) -> ExitCode {
    printStderr("Error: \(message)")
    return ExitCode(64)
}

/// Prints every diagnostic as `file:line:col` and returns the exit code of a scenario error (65).
func scenarioFailure(_ diagnostics: [Diagnostic]) -> ExitCode {
    for d in diagnostics { printStderr(d.description) }
    return ExitCode(65)  // EX_DATAERR
}

/// Loads a run through Studies for a command, mapping what is wrong to the command's messages and
/// exit codes: a scenario error prints its diagnostics (65; 64 when one is at a `--set` argument); a `--duration` that breaks a rule or a
/// `--pcap` port that names nothing is a usage error (64). `duration` is the option's text, for messages.
func loadRun(_ spec: RunSpec, duration: String?) throws -> LoadedRun {
    do {
        return try RunExecutor.load(spec)
    } catch {
        switch error {
        case .scenario(let diagnostics):
            let failure = scenarioFailure(diagnostics)
            // An error in a `--set` argument is the command line's (64), as a bad --duration is; the file's stay 65.
            let inArguments = diagnostics.contains { $0.severity == .error && $0.location.file.hasPrefix("--set ") }
            throw inArguments ? ExitCode(64) : failure
        case .duration(let path, let message): throw usageError("--duration: with '\(duration ?? "")', \(path): \(message)")
        case .runLength(let e): throw usageError(e.description)
        case .capture(let port, let message, let fix): throw usageError("--pcap \(port): \(message); \(fix)")
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP during a run (Ctrl-C, Slurm, systemd, `timeout`, a closed terminal).
///
/// The handler only records the signal in `sig_atomic_t`s (async-signal-safe); the run polls
/// `isSet` between slices, stops, and writes its partial, conservation-checked reports.
/// * While simulating, the first and second signals ask for the stop; a third one kills the
///   process at once with the default action (its `.partial` folder stays, marked `running`).
/// * While writing (`beginWriting()`), every signal is only counted, so the reports and the
///   rename that finishes the run folder are never cut short; SIGKILL still stops it, leaving the
///   `.partial` folder.
/// The process then exits with 128 + the first signal's number (130, 143, 129). A signal that was
/// ignored when the process started (SIGHUP under `nohup`) stays ignored; blocked ones are unblocked.
final class StopSignals: @unchecked Sendable {
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    nonisolated(unsafe) private static var first: sig_atomic_t = 0
    nonisolated(unsafe) private static var hits: sig_atomic_t = 0
    nonisolated(unsafe) private static var writing: sig_atomic_t = 0

    static func install() -> StopSignals {
        first = 0
        hits = 0
        writing = 0
        var installedNow: [Int32] = []
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for s in handled {
            var previous = sigaction()
            sigaction(s, nil, &previous)
            #if canImport(Glibc)
                let ignored = unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #else
                let ignored = unsafeBitCast(previous.__sigaction_u.__sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #endif
            if ignored { continue }  // e.g. SIGHUP under nohup: stays ignored
            sigaddset(&unblock, s)
            installedNow.append(s)
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = StopSignals.handle
            #else
                action.__sigaction_u.__sa_handler = StopSignals.handle
            #endif
            sigemptyset(&action.sa_mask)
            for t in handled { sigaddset(&action.sa_mask, t) }  // one handler at a time
            action.sa_flags = SA_RESTART  // no EINTR in the writes
            sigaction(s, &action, nil)
        }
        // A parent (a test runner, a job launcher) may have started us with them blocked.
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        return StopSignals(installed: installedNow)
    }

    private static let handle: @convention(c) (Int32) -> Void = { signo in
        if StopSignals.first == 0 { StopSignals.first = signo }
        StopSignals.hits += 1
        if StopSignals.hits >= 3 && StopSignals.writing == 0 {
            signal(signo, SIG_DFL)
            raise(signo)
        }
    }

    /// A stop was asked for.
    var isSet: Bool { Self.first != 0 }
    /// The first signal's number, 0 if none.
    var signalNumber: Int32 { Self.first }
    /// "SIGTERM" etc., nil if no signal came.
    var signalName: String? {
        switch Self.first {
        case 0: nil
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(Self.first)"
        }
    }
    /// From now on signals are only counted (the final write and rename must not be cut short).
    func beginWriting() { Self.writing = 1 }
    /// Restores the default actions.
    func uninstall() {
        for s in Self.handled where installed.contains(s) { signal(s, SIG_DFL) }
    }

    /// The signals whose handler was installed (not those inherited as ignored).
    let installed: [Int32]
    private init(installed: [Int32]) { self.installed = installed }
}

/// The files vnetsim needs at run time besides its binary — the plot scripts (`scripts/plot`) and the
/// shipped scenarios (`Scenarios/`, the default scenario) — found relative to the executable, never to the
/// current directory, so that `vnetsim run` and `--plots` work from anywhere:
/// * installed by `scripts/install PREFIX`: `PREFIX/bin/vnetsim` finds `PREFIX/share/vnetsim/`;
/// * in a build tree (`.build/release/vnetsim`, `.build/x86_64-unknown-linux-gnu/debug/vnetsim`): the
///   the source checkout above the binary (the folder with `Package.swift`).
/// Symbolic links to the binary are followed first, so a link in `~/bin` finds the real install.
enum Resources {
    /// The real (symlinks resolved) folder of the running executable.
    static let executableDirectory: URL? = {
        #if os(Linux)
            let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
            guard let path = Bundle.main.executablePath else { return nil }
            let exe = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        #endif
        return exe.deletingLastPathComponent()
    }()

    /// The folders searched, in order: `<bin>/../share/vnetsim` (an install), then the nearest folder above
    /// `<bin>` with a `Package.swift` (the source checkout the binary was built in).
    static var searchPath: [URL] {
        guard let bin = executableDirectory else { return [] }
        var out = [bin.deletingLastPathComponent().appendingPathComponent("share/vnetsim")]
        var dir = bin
        while dir.path != "/" && !dir.path.isEmpty {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                out.append(dir)
                break
            }
            dir = dir.deletingLastPathComponent()
        }
        return out
    }

    /// The first `folder/relative` of `searchPath` that exists, or nil.
    static func find(_ relative: String, executable: Bool = false) -> URL? {
        let fm = FileManager.default
        return searchPath.lazy.map { $0.appendingPathComponent(relative) }.first {
            executable ? fm.isExecutableFile(atPath: $0.path) : fm.fileExists(atPath: $0.path)
        }
    }

    /// The scenario `vnetsim run` runs without a file: the shipped `Scenarios/quickstart.yaml` found beside
    /// the executable; the relative path itself when there is none (the error then names it).
    static var defaultScenario: String { find("Scenarios/quickstart.yaml")?.path ?? "Scenarios/quickstart.yaml" }
}

/// Runs the plot script (`scripts/plot`, found by `Resources`) on a result directory.
enum PlotScript {
    /// The exit status of `vnetsim run --plots` when no plots could be drawn (EX_UNAVAILABLE): the plot
    /// script or gnuplot is missing, or the script failed. The results are written all the same.
    static let unavailable: Int32 = 69

    /// Draws the plots of `directory` with `script` (`scripts/plot` for a run, `scripts/plot-study` for a study);
    /// true if they were drawn. Every failure is a warning on stderr that says what is missing and how to get it.
    /// `quiet` keeps the script's list of written files off stdout.
    static func run(directory: URL, quiet: Bool, script name: String = "scripts/plot") -> Bool {
        guard let script = Resources.find(name, executable: true) else {
            let places = Resources.searchPath.map { $0.appendingPathComponent(name).path }
            printStderr(
                "warning: cannot draw the plots: no plot script beside vnetsim (looked for "
                    + places.joined(separator: ", ")
                    + "); install vnetsim with scripts/install, or run \(name) FOLDER in the repository")
            return false
        }
        let p = Process()
        p.executableURL = script
        p.arguments = (quiet ? ["--quiet"] : []) + [directory.path]
        do { try p.run() } catch {
            printStderr("warning: cannot draw the plots: cannot start \(script.path): \(error.localizedDescription)")
            return false
        }
        p.waitUntilExit()
        guard p.terminationReason == .exit, p.terminationStatus == 0 else {
            printStderr(
                "warning: no plots drawn: \(script.path) exited with status \(p.terminationStatus) (see above); the reports are written")
            return false
        }
        return true
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
