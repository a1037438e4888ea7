import Core
import EventLog
import HTTPTypes
import Hummingbird

/// `POST /v1/events` and the webhook adapters: read the body within its
/// limit, check who sent it, turn it into events, and answer only once the
/// events are durably in the log (202), or say precisely why not.
struct IngestEndpoints: Sendable {
    let queue: IngestQueue
    let authenticator: RequestAuthenticator
    let metrics: DaemonMetrics
    let maxBodyBytes: Int

    static let gitHubEvent = HTTPField.Name("X-GitHub-Event")!

    func events(_ request: Request) async -> Response {
        let started = ContinuousClock.now
        let body: [UInt8]
        switch await authenticatedBody(request, check: authenticator.checkAPI) {
        case .success(let bytes): body = bytes
        case .failure(let refused): return refused.response
        }
        switch EventBatchDecoder.decode(body) {
        case .failure(let refusal):
            let problems = refusal.problems
            metrics.rejectedInvalid.increment()
            let shown = problems.prefix(EventBatchDecoder.reportedProblems)
            let first = problems[0]
            let place = "event \(first.index)" + (first.line.map { " (line \($0))" } ?? "") + (first.path.isEmpty ? "" : ", field \(first.path)")
            return JSONResponse.error(
                .badRequest, "invalid_events", "\(place): \(first.message); nothing was stored",
                extra: [("problems", .array(shown.map(\.json))), ("problem_count", .int(problems.count))])
        case .success(let events):
            return await store(events, started: started)
        }
    }

    func gitHub(_ request: Request) async -> Response {
        let started = ContinuousClock.now
        let body: [UInt8]
        switch await authenticatedBody(request, check: authenticator.checkGitHub) {
        case .success(let bytes): body = bytes
        case .failure(let refused): return refused.response
        }
        guard let kind = request.headers[Self.gitHubEvent] else {
            metrics.rejectedInvalid.increment()
            return JSONResponse.error(.badRequest, "invalid_webhook", "missing X-GitHub-Event header")
        }
        return await translate(body, started: started) { payload throws(WebhookPayloadError) in
            try GitHubAdapter.translate(kind: kind, body: body, payload: payload)
        }
    }

    func zendesk(_ request: Request) async -> Response {
        let started = ContinuousClock.now
        let body: [UInt8]
        switch await authenticatedBody(request, check: authenticator.checkZendesk) {
        case .success(let bytes): body = bytes
        case .failure(let refused): return refused.response
        }
        return await translate(body, started: started) { payload throws(WebhookPayloadError) in
            try ZendeskAdapter.translate(payload: payload)
        }
    }

    private func translate(
        _ body: [UInt8], started: ContinuousClock.Instant, _ adapter: (Value) throws(WebhookPayloadError) -> WebhookTranslation
    ) async -> Response {
        let payload: Value
        do {
            payload = try body.withUnsafeBufferPointer { buffer throws(JSONReader.Error) in try JSONReader.read(buffer) }
        } catch {
            metrics.rejectedInvalid.increment()
            return JSONResponse.error(.badRequest, "invalid_webhook", "not valid JSON: \(error)")
        }
        let translation: WebhookTranslation
        do {
            translation = try adapter(payload)
        } catch {
            metrics.rejectedInvalid.increment()
            return JSONResponse.error(
                .badRequest, "invalid_webhook", (error.path.isEmpty ? "" : "\(error.path): ") + error.message,
                extra: [("path", .string(error.path))])
        }
        switch translation {
        case .ignored(let reason):
            return JSONResponse.make(.ok, .object(Value.Object([("ignored", .string(reason))])))
        case .events(let values):
            var events: [Event] = []
            for value in values {
                switch EventDecoder.decode(value) {
                case .success(let event): events.append(event)
                case .failure(let error):
                    metrics.rejectedInvalid.increment()
                    return JSONResponse.error(
                        .badRequest, "invalid_webhook", "the payload makes an invalid event: \(error)", extra: [("path", .string(error.path))])
                }
            }
            return await store(events, started: started)
        }
    }

    /// Hands the events to the group commit and reports each one's fate.
    private func store(_ events: [Event], started: ContinuousClock.Instant) async -> Response {
        metrics.eventsReceived.increment(by: events.count)
        let outcomes: [AppendOutcome]
        do {
            outcomes = try await queue.submit(events)
        } catch IngestQueue.Refusal.full {
            metrics.rejectedOverload.increment()
            return JSONResponse.error(.tooManyRequests, "overloaded", "too many events are waiting to be stored; retry shortly", retryAfter: 1)
        } catch IngestQueue.Refusal.stopping {
            return JSONResponse.error(.serviceUnavailable, "stopping", "the server is shutting down", retryAfter: 5)
        } catch {
            return JSONResponse.error(.serviceUnavailable, "store_unavailable", "the event log cannot be written right now; nothing was stored", retryAfter: 1)
        }
        metrics.ingestDuration.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        var results: [Value] = []
        var stored = 0
        var duplicates = 0
        var conflicts = 0
        for (event, outcome) in zip(events, outcomes) {
            var result = Value.Object([("id", .string(event.id))])
            switch outcome {
            case .appended(let position):
                stored += 1
                result["status"] = .string("stored")
                result["position"] = .int(Int(position))
            case .duplicate(let position):
                duplicates += 1
                result["status"] = .string("duplicate")
                result["position"] = .int(Int(position))
            case .conflict(let position):
                conflicts += 1
                result["status"] = .string("conflict")
                result["position"] = .int(Int(position))
                result["message"] = .string("this id is already in the log with a different body; not stored")
            }
            results.append(.object(result))
        }
        if conflicts > 0 { metrics.conflicts.increment(by: conflicts) }
        let summary = Value.Object([
            ("stored", .int(stored)), ("duplicates", .int(duplicates)), ("conflicts", .int(conflicts)), ("events", .array(results)),
        ])
        if conflicts > 0 {
            var object = summary
            object["error"] = .string("conflict")
            object["message"] = .string("\(counted(conflicts, "event id")) already in the log with a different body; the other events were stored")
            return JSONResponse.make(.conflict, .object(object))
        }
        return JSONResponse.make(.accepted, .object(summary))
    }

    /// The body of a request whose credentials pass `check`: asked once on
    /// the headers alone (so an unauthenticated client cannot make the
    /// server buffer a body), then with the body, for the MAC.
    private func authenticatedBody(
        _ request: Request, check: (HTTPFields, [UInt8]?) -> String?
    ) async -> Result<[UInt8], Refused> {
        func unauthorized(_ problem: String) -> Result<[UInt8], Refused> {
            metrics.rejectedUnauthorized.increment()
            return .failure(Refused(response: JSONResponse.error(.unauthorized, "unauthorized", problem)))
        }
        if let problem = check(request.headers, nil) { return unauthorized(problem) }
        var request = request
        let body: [UInt8]
        switch await readBody(&request) {
        case .success(let bytes): body = bytes
        case .failure(let refused): return .failure(refused)
        }
        if let problem = check(request.headers, body) { return unauthorized(problem) }
        return .success(body)
    }

    /// The error response when the body cannot be read within the limit.
    struct Refused: Error { var response: Response }

    /// The body, refused with 413 before reading when its declared length
    /// is over the limit, and as soon as it grows past it otherwise.
    private func readBody(_ request: inout Request) async -> Result<[UInt8], Refused> {
        let tooLarge = Refused(response: JSONResponse.error(
            .contentTooLarge, "too_large", "the body is larger than the limit of \(maxBodyBytes) bytes"))
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            metrics.rejectedTooLarge.increment()
            return .failure(tooLarge)
        }
        do {
            let buffer = try await request.collectBody(upTo: maxBodyBytes)
            return .success(Array(buffer.readableBytesView))
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            metrics.rejectedTooLarge.increment()
            return .failure(tooLarge)
        } catch {
            return .failure(Refused(response: JSONResponse.error(.badRequest, "unreadable_body", "the body could not be read: \(error)")))
        }
    }
}
