import Foundation

/// Turns a JSON value into an `Event`, checking every known field against
/// `EventSchema` and naming the field path of each problem.
public enum EventDecoder {
    /// A problem with one field of an event, e.g. `ticket.priority`.
    public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Dotted path of the field; empty for the event itself.
        public var path: String
        public var message: String
        public var hint: String?

        public var description: String {
            (path.isEmpty ? "" : "\(path): ") + message + (hint.map { "; \($0)" } ?? "")
        }
    }

    public static func decode(_ value: Value) -> Result<Event, FieldError> {
        guard case .object(let object) = value else {
            return .failure(FieldError(path: "", message: "an event must be a JSON object, got \(value.typeName)"))
        }
        var problems: [FieldError] = []
        var path = FieldPath()
        check(value, against: .object(EventSchema.event), path: &path, into: &problems)
        if problems.isEmpty, let type = object["type"]?.stringValue, !isValidTypeName(type) {
            problems.append(FieldError(
                path: "type", message: "\"\(type)\" is not an event type (expected a dotted name such as ticket.created)",
                hint: Suggestion.hint(for: type, in: EventSchema.knownTypes)))
        }
        if problems.isEmpty, let id = object["id"]?.stringValue {
            if let problem = idProblem(id) {
                problems.append(FieldError(path: "id", message: problem))
            } else if id.utf8.contains(UInt8(ascii: "/")) {
                // The engine names the events it derives EVENT/WORKFLOW/STEP.
                problems.append(FieldError(path: "id", message: "must not contain `/` (reserved for events the engine appends)"))
            }
        }
        if problems.isEmpty, let ticketID = object["ticket"]?["id"]?.stringValue {
            if let problem = idProblem(ticketID) {
                problems.append(FieldError(path: "ticket.id", message: problem))
            } else if ticketID.utf8.first == UInt8(ascii: "~") {
                // The log keeps state shared across tickets under `~…` ids.
                problems.append(FieldError(path: "ticket.id", message: "must not start with `~` (reserved for the engine's own state)"))
            }
        }
        if let first = problems.first { return .failure(first) }
        guard let id = object["id"]?.stringValue, let type = object["type"]?.stringValue,
            let occurred = object["occurred_at"]?.stringValue, let occurredAt = Timestamp.parse(occurred),
            let ticketID = object["ticket"]?["id"]?.stringValue
        else {
            return .failure(FieldError(path: "", message: "incomplete event"))
        }
        return .success(Event(id: id, type: type, occurredAt: occurredAt, ticketID: ticketID, payload: value))
    }

    /// Why an id cannot be used, or `nil`. Ids are compared byte for byte
    /// by the log and by canonical equivalence by Swift, so only ids on which
    /// both agree are accepted: no control characters, and Unicode in NFC.
    static func idProblem(_ id: String) -> String? {
        if id.isEmpty { return "must not be empty" }
        if id.utf8.count > 200 { return "is longer than 200 bytes" }
        if id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "must not contain control characters"
        }
        if id.utf8.contains(where: { $0 >= 0x80 }), !Array(id.unicodeScalars).elementsEqual(Array(id.precomposedStringWithCanonicalMapping.unicodeScalars)) {
            return "must be in Unicode normalization form C (NFC)"
        }
        return nil
    }

    /// `word.word[.word…]` in lowercase letters, digits and `_`.
    public static func isValidTypeName(_ type: String) -> Bool {
        var parts = 1
        var partLength = 0
        for byte in type.utf8 {
            if byte == 46 {
                guard partLength > 0 else { return false }
                parts += 1
                partLength = 0
            } else if (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95 {
                partLength += 1
            } else {
                return false
            }
        }
        return parts >= 2 && partLength > 0
    }

    /// The path of the field being checked, kept as a stack of segments and
    /// only turned into text when there is a problem to report.
    struct FieldPath {
        var segments: [String] = []
        var text: String {
            var result = ""
            for segment in segments {
                if segment.hasPrefix("[") || result.isEmpty { result += segment } else { result += "." + segment }
            }
            return result
        }
    }

    private static func check(_ value: Value, against type: FieldType, path: inout FieldPath, into problems: inout [FieldError]) {
        switch (type, value) {
        case (.any, _):
            return
        case (.string, .string):
            return
        case (.int, .int):
            return
        case (.number, .int), (.number, .double):
            return
        case (.bool, .bool):
            return
        case (.timestamp, .string(let text)):
            if Timestamp.parse(text) == nil {
                problems.append(FieldError(
                    path: path.text, message: "\"\(text)\" is not an RFC 3339 time (e.g. 2026-11-22T10:00:00Z)"))
            }
        case (.oneOf(let allowed), .string(let text)):
            if !allowed.contains(text) {
                problems.append(FieldError(
                    path: path.text,
                    message: "\"\(text)\" is not one of " + allowed.map { "\"\($0)\"" }.joined(separator: ", "),
                    hint: Suggestion.hint(for: text, in: allowed)))
            }
        case (.list(.string), .array(let items)) where items.allSatisfy({ $0.stringValue != nil }):
            return
        case (.list(let element), .array(let items)):
            for (index, item) in items.enumerated() {
                path.segments.append("[\(index)]")
                check(item, against: element, path: &path, into: &problems)
                path.segments.removeLast()
            }
        case (.object(let schema), .object(let object)):
            for field in schema.fields {
                guard let fieldValue = object[field.name], !fieldValue.isNull else {
                    if field.required {
                        path.segments.append(field.name)
                        problems.append(FieldError(path: path.text, message: "is required"))
                        path.segments.removeLast()
                    }
                    continue
                }
                path.segments.append(field.name)
                check(fieldValue, against: field.type, path: &path, into: &problems)
                path.segments.removeLast()
            }
        default:
            problems.append(FieldError(path: path.text, message: "expected \(type), got \(value.typeName)"))
        }
    }
}
