import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that a reader never sees a half-written one.
///
/// The bytes go to a temporary file in the same directory, are flushed to
/// disk (`fsync`), and the file is then renamed over the destination with
/// rename(2), which replaces it atomically. A crash or Ctrl-C before the
/// rename leaves the old file (or none) and a stray `.*.tmp-*` file, never a
/// truncated result.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var operation: String
        public var code: Int32
        public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
    }

    /// Replaces the file at `url` with `bytes`, atomically.
    public static func write(_ bytes: [UInt8], to url: URL) throws(WriteError) {
        let dir = url.deletingLastPathComponent().path
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(path: tmp, operation: "create", code: errno) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in systemWrite(fd, raw.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd); unlink(tmp)
                throw WriteError(path: tmp, operation: "write", code: e)
            }
            offset += n
        }
        if fsync(fd) != 0 {
            let e = errno
            close(fd); unlink(tmp)
            throw WriteError(path: tmp, operation: "flush", code: e)
        }
        close(fd)
        if rename(tmp, url.path) != 0 {
            let e = errno
            unlink(tmp)
            throw WriteError(path: url.path, operation: "rename onto", code: e)
        }
    }

    public static func write(_ text: String, to url: URL) throws(WriteError) {
        try write(Array(text.utf8), to: url)
    }

    /// Creates `url` and its parents if needed.
    public static func makeDirectory(_ url: URL) throws(WriteError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: url.path, operation: "create directory", code: EACCES)
        }
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
