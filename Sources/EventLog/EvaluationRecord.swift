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

extension EvaluationRecord {
    /// The entries as stored by the SQL stores:
    /// `[[workflow, version, result], [workflow, version, result, reason], …]`.
    /// An evaluation is written for every event, so it is kept small.
    public static func encodeEntries(_ entries: [Entry]) -> String {
        JSONWriter.string(.array(entries.map { entry in
            var fields: [Value] = [.string(entry.workflow), .string(entry.version), .string(entry.result)]
            if let reason = entry.reason { fields.append(.string(reason)) }
            return .array(fields)
        }))
    }

    /// The entries of `encodeEntries`' text, or `nil` when it is not such a list.
    public static func decodeEntries(_ text: String) -> [Entry]? {
        guard case .array(let items)? = try? JSONReader.read(text) else { return nil }
        var entries: [Entry] = []
        for item in items {
            guard case .array(let fields) = item, fields.count == 3 || fields.count == 4,
                let workflow = fields[0].stringValue, let version = fields[1].stringValue,
                let result = fields[2].stringValue
            else { return nil }
            let reason = fields.count == 4 ? fields[3].stringValue : nil
            if fields.count == 4, reason == nil { return nil }
            entries.append(Entry(workflow: workflow, version: version, result: result, reason: reason))
        }
        return entries
    }
}
