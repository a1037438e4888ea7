import Core
import EventLog
import Foundation
import Hummingbird

/// `GET /v1/tickets/{id}` (the ticket's state and its timeline) and
/// `GET /v1/events/{id}/explain` (what the engine decided for an event and
/// what its effects were), read from the log.
struct ReadEndpoints: Sendable {
    let store: any EventStore
    let authenticator: RequestAuthenticator

    func ticket(_ request: Request, id rawID: String) async -> Response {
        if let problem = authenticator.checkRead(request.headers) {
            return JSONResponse.error(.unauthorized, "unauthorized", problem)
        }
        let id = rawID.removingPercentEncoding ?? rawID
        do {
            let state = try await store.tickets([id])[id]
            let records = try await store.records(ticket: id)
            guard state != nil || !records.isEmpty else {
                return JSONResponse.error(.notFound, "not_found", "no ticket \"\(id)\" in the log")
            }
            let effects = try await store.effects(ticket: id)
            return JSONResponse.make(.ok, .object(Value.Object([
                ("id", .string(id)), ("ticket", state ?? .null),
                ("timeline", .array(records.map(\.json))), ("effects", .array(effects.map(\.json))),
            ])))
        } catch {
            return JSONResponse.error(.serviceUnavailable, "store_unavailable", "the event log cannot be read: \(error)", retryAfter: 1)
        }
    }

    func explain(_ request: Request, eventID rawID: String) async -> Response {
        if let problem = authenticator.checkRead(request.headers) {
            return JSONResponse.error(.unauthorized, "unauthorized", problem)
        }
        let id = rawID.removingPercentEncoding ?? rawID
        do {
            guard let record = try await store.record(eventID: id) else {
                return JSONResponse.error(.notFound, "not_found", "no event \"\(id)\" in the log")
            }
            let evaluation = try await store.evaluation(eventID: id)
            let effects = try await store.effects(eventID: id)
            let processed = try await store.checkpoint(consumer: "engine") >= record.position
            return JSONResponse.make(.ok, .object(Value.Object([
                ("record", record.json), ("processed", .bool(processed)),
                ("evaluation", evaluation?.json ?? .null), ("effects", .array(effects.map(\.json))),
            ])))
        } catch {
            return JSONResponse.error(.serviceUnavailable, "store_unavailable", "the event log cannot be read: \(error)", retryAfter: 1)
        }
    }
}
