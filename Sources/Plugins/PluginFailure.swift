/// Why a plugin call got no result: an error as a value that says which
/// plugin, what went wrong, and whether trying again may help.
public struct PluginFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure; a struct so that kinds can be added without breaking callers.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The plugin answered with an error.
        public static let errorReply = Reason("error")
        /// No answer within the action's timeout: the process group was killed.
        public static let timeout = Reason("timeout")
        /// The process exited, or closed its output, with the request unanswered.
        public static let crashed = Reason("crashed")
        /// A line that is not a response to a request in flight.
        public static let protocolViolation = Reason("protocol")
        /// A line longer than the manifest allows.
        public static let outputTooLong = Reason("output_too_long")
        /// The command could not be started, or the handshake failed.
        public static let startFailed = Reason("start_failed")
        /// The host is shutting down.
        public static let shutDown = Reason("shut_down")
    }

    public var plugin: String
    public var reason: Reason
    public var message: String
    public var retryable: Bool

    public init(plugin: String, reason: Reason, message: String, retryable: Bool) {
        self.plugin = plugin
        self.reason = reason
        self.message = message
        self.retryable = retryable
    }

    public var description: String { "plugin `\(plugin)`: \(message)" }
}
