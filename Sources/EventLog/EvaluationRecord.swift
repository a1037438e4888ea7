import Core

/// Which workflows were considered for one event and how each came out,
/// kept for `ticketflow explain`. Stored compactly and may be pruned.
public struct EvaluationRecord: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var workflow: String
        public var version: String
        /// `fired`, `not_matched` or `skipped`.
        public var result: String
        /// For a non-match: the failing part of the condition and the values it saw.
        public var reason: String?

        public init(workflow: String, version: String, result: String, reason: String?) {
            self.workflow = workflow
            self.version = version
            self.result = result
            self.reason = reason
        }
    }

    public var eventID: String
    public var recordedAt: Timestamp
    public var entries: [Entry]

    public init(eventID: String, recordedAt: Timestamp, entries: [Entry]) {
        self.eventID = eventID
        self.recordedAt = recordedAt
        self.entries = entries
    }
}
