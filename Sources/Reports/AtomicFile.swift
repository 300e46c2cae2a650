import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that a reader never sees a half-written one.
///
/// The bytes go to a temporary file `.<name>.tmp-<pid>` in the same directory, are flushed to
/// disk (`fsync`), and the file is then renamed over the destination with rename(2), which
/// replaces it atomically. A crash before the rename leaves the old file (or none) and the
/// temporary file, never a truncated result; `ReportWriter` writes only inside a run's
/// `.partial` folder, so such a leftover is never where a reader would take it for a result.
/// Every error carries the real errno and the path it is about.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible, Sendable, Equatable {
        /// The file or directory the operation was about (the destination, never the temporary name).
        public var path: String
        public var operation: String
        /// The errno of the failing call.
        public var code: Int32
        /// Replaces strerror's text when the cause is more specific (e.g. "/x is not a directory").
        public var reason: String?

        public init(path: String, operation: String, code: Int32, reason: String? = nil) {
            self.path = path; self.operation = operation; self.code = code; self.reason = reason
        }

        public var description: String { "cannot \(operation) \(path): \(reason ?? String(cString: strerror(code)))" }
    }

    /// A test-only limit on the bytes written, to simulate a full disk: once `remaining` bytes are
    /// used up, writes fail with ENOSPC. `nil` means no limit.
    public struct Budget: Sendable {
        public var remaining: Int?
        public init(remaining: Int? = nil) { self.remaining = remaining }
    }

    /// Replaces the file at `url` with `bytes`, atomically.
    public static func write(_ bytes: [UInt8], to url: URL) throws(WriteError) {
        var unlimited = Budget()
        try write(bytes, to: url, budget: &unlimited)
    }

    /// Replaces the file at `url` with `bytes`, atomically, charging them to `budget`.
    public static func write(_ bytes: [UInt8], to url: URL, budget: inout Budget) throws(WriteError) {
        let dir = url.deletingLastPathComponent().path
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(path: url.path, operation: "create", code: errno) }
        func fail(_ operation: String, _ e: Int32) -> WriteError {
            close(fd); unlink(tmp)
            return WriteError(path: url.path, operation: operation, code: e)
        }
        var offset = 0
        while offset < bytes.count {
            var count = bytes.count - offset
            if let r = budget.remaining {
                if r <= 0 { throw fail("write", ENOSPC) }
                count = Swift.min(count, r)
            }
            let n = bytes.withUnsafeBytes { raw in systemWrite(fd, raw.baseAddress! + offset, count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("write", errno)
            }
            offset += n
            if let r = budget.remaining { budget.remaining = r - n }
        }
        if fsync(fd) != 0 { throw fail("flush", errno) }
        close(fd)
        if rename(tmp, url.path) != 0 {
            let e = errno
            unlink(tmp)
            throw WriteError(path: url.path, operation: "rename a temporary file onto", code: e)
        }
    }

    public static func write(_ text: String, to url: URL) throws(WriteError) {
        try write(Array(text.utf8), to: url)
    }

    /// Creates `url` and its parents if needed, one mkdir(2) per component, so that an error names
    /// the component that failed and its real errno (ENOTDIR, ENAMETOOLONG, EACCES, ENOSPC…).
    /// A component that exists but is not a directory is reported as such.
    public static func makeDirectory(_ url: URL) throws(WriteError) {
        let path = url.path
        guard !path.isEmpty else { throw WriteError(path: "\"\"", operation: "create directory", code: ENOENT) }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, 0o755) == 0 { continue }
            let e = errno
            switch kind(prefix) {
            case .directory: continue
            case .other:
                throw WriteError(path: path, operation: "create directory", code: ENOTDIR, reason: "\(prefix) is not a directory")
            case .missing:
                throw WriteError(path: prefix, operation: "create directory", code: e)
            }
        }
    }

    /// Flushes a directory's entries (names created or renamed in it) to disk.
    public static func syncDirectory(_ url: URL) throws(WriteError) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw WriteError(path: url.path, operation: "open directory", code: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL { throw WriteError(path: url.path, operation: "flush directory", code: errno) }
    }

    enum Kind { case missing, directory, other }

    /// What is at `path`, following symbolic links.
    static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : .other
    }

    /// Whether anything (even a dangling symbolic link) is at `path`.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}

/// write(2), spelled so that it does not collide with other `write`s in scope.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
        return Glibc.write(fd, buffer, count)
    #else
        return Darwin.write(fd, buffer, count)
    #endif
}
