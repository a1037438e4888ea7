import Core
import Foundation
import Testing

@Suite struct EventDecoderTests {
    static let valid = #"{"id":"evt-1","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","source":"zendesk","x_extra":{"keep":true},"ticket":{"id":"T-1","priority":"urgent","tags":["billing"],"custom":{"region":"eu"}}}"#

    @Test func decode_keepsUnknownFields() throws {
        let event = try EventDecoder.decode(JSONReader.read(Self.valid)).get()
        #expect(event.id == "evt-1")
        #expect(event.ticketID == "T-1")
        #expect(event.payload["x_extra"] == ["keep": true])
        #expect(JSONWriter.string(event.payload) == Self.valid)
    }

    @Test(arguments: [
        (#"{"type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1"}}"#, "id: is required"),
        (#"{"id":"e","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1","priority":"urgnt"}}"#,
         #"ticket.priority: "urgnt" is not one of "low", "normal", "high", "urgent"; did you mean `urgent`?"#),
        (#"{"id":"e","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1","tags":["a",3]}}"#,
         "ticket.tags[1]: expected string, got integer"),
        (#"{"id":"e","type":"ticket.created","occurred_at":"22/11/2026","ticket":{"id":"T-1"}}"#,
         #"occurred_at: "22/11/2026" is not an RFC 3339 time (e.g. 2026-11-22T10:00:00Z)"#),
        (#"{"id":"e","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{}}"#, "ticket.id: is required"),
        (#"{"id":"e","type":"Ticket Created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T"}}"#,
         #"type: "Ticket Created" is not an event type (expected a dotted name such as ticket.created); did you mean `ticket.created`?"#),
        (#"{"id":"e","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T","requester":{"email":5}}}"#,
         "ticket.requester.email: expected string, got integer"),
        (#"[1]"#, "an event must be a JSON object, got array"),
        (#"{"id":"e","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"~recurrence/x"}}"#,
         "ticket.id: must not start with `~` (reserved for the engine's own state)"),
        (#"{"id":"","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T"}}"#, "id: must not be empty"),
        (#"{"id":"e1/urgent-billing/2","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T"}}"#,
         "id: must not contain `/` (reserved for events the engine appends)"),
        (#"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1\u0000"}}"#,
         "ticket.id: must not contain control characters"),
        (#"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-e\u0301"}}"#,
         "ticket.id: must be in Unicode normalization form C (NFC)"),
        (#"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"~\u0301x"}}"#,
         "ticket.id: must not start with `~` (reserved for the engine's own state)"),
    ])
    func decode_whenFieldIsWrong_namesItsPath(json: String, message: String) throws {
        let result = EventDecoder.decode(try JSONReader.read(json))
        guard case .failure(let error) = result else {
            Issue.record("expected a failure for \(json)")
            return
        }
        #expect(error.description == message)
    }

    @Test func linesReader_reportsBadLinesAndKeepsGoodOnes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).jsonl").path
        let lines = [
            Self.valid,
            "{not json",
            "",
            #"{"id":"e2","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-2","status":"closd"}}"#,
            Self.valid.replacingOccurrences(of: "evt-1", with: "evt-3"),
        ]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try EventLinesReader(path: path)
        let results = Array(reader)
        #expect(results.count == 4)
        let messages = results.map { result -> String in
            switch result {
            case .success(let event): event.id
            case .failure(let diagnostic): diagnostic.description.replacingOccurrences(of: path, with: "F")
            }
        }
        #expect(messages == [
            "evt-1",
            "F:2:2: error[E0501]: invalid JSON: expected a string key",
            #"F:4:1: error[E0502]: ticket.status: "closd" is not one of "new", "open", "pending", "hold", "solved", "closed"; did you mean `closed`?"#,
            "evt-3",
        ])
    }

    @Test func linesReader_skipsAByteOrderMarkAtTheStartOfTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bom-\(UUID().uuidString).jsonl").path
        try Data([0xEF, 0xBB, 0xBF] + Array(Self.valid.utf8) + [0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let results = Array(try EventLinesReader(path: path))
        #expect(results.count == 1)
        #expect((try? results.first?.get().id) == "evt-1")
    }

    @Test func suggestion_findsTyposButNotStrangers() {
        #expect(Suggestion.closest(to: "escalte", in: ["escalate", "tag"]) == "escalate")
        #expect(Suggestion.closest(to: "stpes", in: ["steps", "on"]) == "steps")
        #expect(Suggestion.closest(to: "banana", in: ["steps", "on"]) == nil)
    }
}
