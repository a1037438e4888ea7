/// The event types the plugin machinery appends to the log.
public enum PluginEvents {
    /// A plugin step ran: its request waits in the outbox (the engine appends it).
    public static let requested = "plugin.requested"
    /// The plugin answered with a result.
    public static let succeeded = "plugin.succeeded"
    /// One try failed; another follows at `retry_at`.
    public static let failed = "plugin.failed"
    /// The last allowed try failed (or the failure is not retryable): the
    /// call waits for `ticketflow retry`.
    public static let parked = "plugin.parked"
    /// Someone asked for a parked call to be tried again.
    public static let retryRequested = "plugin.retry_requested"

    public static let all = [requested, succeeded, failed, parked, retryRequested]
}
