import CGSL

/// An error status returned by a GSL routine.
public struct GSLError: Error, CustomStringConvertible, Sendable {
    public let status: Int32
    public let operation: String
    public init(status: Int32, operation: String) { self.status = status; self.operation = operation }
    public var description: String {
        let reason = gsl_strerror(status).map { String(cString: $0) } ?? "unknown error"
        return "GSL \(operation) failed: \(reason) (status \(status))"
    }
}

/// The one place GSL statuses are checked, and where GSL's default
/// abort-on-error handler is switched off (so a bad argument becomes a Swift
/// error instead of killing the process).
public enum GSL {
    /// Switches off GSL's abort-on-error handler. Idempotent; called before
    /// any GSL use by every entry point of this module.
    public static let initialize: Void = {
        vnetsim_gsl_disable_abort()
    }()

    /// Throws if `status` is not `GSL_SUCCESS`.
    @inlinable
    public static func check(_ status: Int32, _ operation: @autoclosure () -> String) throws(GSLError) {
        if status != GSL_SUCCESS { throw GSLError(status: status, operation: operation()) }
    }

    /// The GSL library version string, e.g. "2.7.1".
    public static var version: String { String(cString: vnetsim_gsl_version()) }
}
