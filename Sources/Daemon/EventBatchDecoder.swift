import Core

/// Reads a request body of events: one JSON object, a JSON array of them,
/// or JSON Lines (NDJSON). Every event is checked before any is accepted,
/// so a batch with one bad event is refused whole, and each problem says
/// which event (index from 0, and line for NDJSON) and which field.
enum EventBatchDecoder {
    struct Problem: Sendable, Hashable {
        /// Position of the event in the body, from 0.
        var index: Int
        /// Line of the body (JSON Lines only), from 1.
        var line: Int?
        /// Field path such as `ticket.priority`; empty for the event as a whole.
        var path: String
        var message: String

        var json: Value {
            var object = Value.Object()
            object["index"] = .int(index)
            if let line { object["line"] = .int(line) }
            object["path"] = .string(path)
            object["message"] = .string(message)
            return .object(object)
        }
    }

    /// Why a body was refused: every problem found, in body order.
    struct Refusal: Error {
        var problems: [Problem]
    }

    /// At most this many problems are reported; the rest are counted.
    static let reportedProblems = 50

    static func decode(_ body: [UInt8]) -> Result<[Event], Refusal> {
        var start = 0
        if body.starts(with: ByteOrderMark.utf8) { start = ByteOrderMark.utf8.count }
        guard let first = body[start...].firstIndex(where: { !isSpace($0) }) else {
            return .failure(Refusal(problems: [Problem(index: 0, line: nil, path: "", message: "the body holds no events")]))
        }
        let content = Array(body[first...])
        var values: [(value: Result<Value, JSONReader.Error>, line: Int?)] = []
        if content.first == UInt8(ascii: "[") {
            switch read(content) {
            case .success(.array(let items)):
                values = items.map { (.success($0), nil) }
            case .success:
                return .failure(Refusal(problems: [Problem(index: 0, line: nil, path: "", message: "expected an array of events")]))
            case .failure(let error):
                return .failure(Refusal(problems: [Problem(index: 0, line: nil, path: "", message: "not valid JSON: \(error)")]))
            }
            if values.isEmpty { return .failure(Refusal(problems: [Problem(index: 0, line: nil, path: "", message: "the array holds no events")])) }
        } else if case .success(let single) = read(content) {
            values = [(.success(single), nil)]
        } else {
            var lineNumber = 0
            for line in content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                lineNumber += 1
                var bytes = Array(line)
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                guard bytes.contains(where: { !isSpace($0) }) else { continue }
                values.append((read(bytes), lineNumber))
            }
        }
        var events: [Event] = []
        var problems: [Problem] = []
        events.reserveCapacity(values.count)
        for (index, entry) in values.enumerated() {
            switch entry.value {
            case .failure(let error):
                problems.append(Problem(index: index, line: entry.line, path: "", message: "not valid JSON: \(error)"))
            case .success(let value):
                switch EventDecoder.decode(value) {
                case .success(let event): events.append(event)
                case .failure(let error):
                    problems.append(Problem(
                        index: index, line: entry.line, path: error.path,
                        message: error.message + (error.hint.map { "; \($0)" } ?? "")))
                }
            }
        }
        var seen: [String: Int] = [:]
        for (index, event) in events.enumerated() where problems.isEmpty {
            if let earlier = seen[event.id], events[earlier].payload != event.payload {
                problems.append(Problem(
                    index: index, line: values[index].line, path: "id",
                    message: "\"\(event.id)\" is used by event \(earlier) of this batch with a different body"))
            }
            seen[event.id] = seen[event.id] ?? index
        }
        return problems.isEmpty ? .success(events) : .failure(Refusal(problems: problems))
    }

    private static func read(_ bytes: [UInt8]) -> Result<Value, JSONReader.Error> {
        bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONReader.Error) {
                return .success(try JSONReader.read(buffer))
            } catch {
                return .failure(error)
            }
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
