import Core
import Workflows

/// What `plugins/NAME/plugin.yaml` declares: how to start the plugin, what it
/// may receive, how long it may take and what it offers. Its actions become
/// `ActionSpec`s, so plugin steps are validated exactly like built-in ones.
public struct PluginManifest: Sendable, Hashable {
    /// One action the plugin offers, named `plugin.action` in workflows.
    public struct Action: Sendable, Hashable {
        /// The spec workflows are checked against; its name is `plugin.action`.
        public var spec: ActionSpec
        /// The name the plugin itself knows (the part after the dot).
        public var name: String
        /// How long one request may take before the plugin is killed.
        public var timeout: Duration
        /// Whether a failure (an error reply, a timeout, a crash) is retried,
        /// unless the plugin's error reply says otherwise.
        public var retryable: Bool
    }

    /// The protocol versions this host speaks.
    public static let supportedProtocols = [1]

    public var name: String
    public var version: String
    public var protocolVersion: Int
    public var summary: String
    /// The program and its arguments: the first item is a path relative to
    /// the plugin folder (`./notify.py`) or a program found on `PATH`.
    /// Never passed through a shell; no step value ever goes here.
    public var command: [String]
    /// Names of the engine's environment variables the plugin may receive.
    /// Nothing else is passed (but `PATH`, set to a fixed safe value unless listed).
    public var environment: [String]
    public var actions: [Action]
    public var limits: PluginLimits
    public var retry: RetryPolicy
    /// How many requests may be in flight to this plugin at once.
    public var maxInFlight: Int
    /// How long the plugin has to start and answer the handshake.
    public var startupTimeout: Duration
    /// The plugin's folder, where the command runs.
    public var folder: String
    /// The manifest file, for messages.
    public var file: String

    public func action(named name: String) -> Action? {
        actions.first { $0.name == name }
    }
}
