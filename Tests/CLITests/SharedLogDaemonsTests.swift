import EventLog
import Foundation
import PostgresEventLog
import PostgresTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Three `ticketflow serve` processes on one PostgreSQL log, under load,
/// with one killed (SIGKILL) and one paused past its leases (SIGSTOP):
/// no event skipped, no effect applied twice, no ticket's events processed
/// out of order, and the killed daemon's shards taken over within its lease.
@Suite("Daemons sharing PostgreSQL", .enabled(if: PostgresScratch.isEnabled), .serialized)
struct SharedLogDaemonsTests {
    static let lease = 3.0

    /// A project whose daemons share the log at `url` in 8 shards.
    static func project(store url: String) throws -> Scratch {
        let scratch = try Scratch()
        try scratch.write("ticketflow.yaml", """
            server:
              listen: 127.0.0.1:0
              store: \(url)
              shards: 8
              lease: \(Int(lease))s
              watch: "off"
              auth:
                bearer_tokens_env: [TICKETFLOW_TOKEN]
            """)
        return scratch
    }

    @Test(.timeLimit(.minutes(3))) func threeDaemonsSurviveRepeatedKillsAndPauses() async throws {
        try await PostgresScratch.withDatabase { url in
            let scratch = try Self.project(store: url)
            // A note per event: every event has a follow-up, so order shows on every one.
            try scratch.write("workflows/note.yaml", """
                workflow: note-each
                on: ticket.updated
                if: ticket.priority == "urgent"
                steps:
                  - add_note: "seen {{ event.id }}"
                """)
            let token = UUID().uuidString
            var servers: [ServeCommandTests.Server] = []
            for _ in 0..<3 {
                let server = try ServeCommandTests.Server(scratch, token: token)
                try await server.start()
                servers.append(server)
            }
            var live = [0, 1, 2]
            var sent: [String] = []
            var sequence = 0
            func send(_ count: Int, to targets: [Int]) async throws {
                for _ in 0..<count {
                    let ticket = "T-\(sequence % 40)"
                    let id = "e\(sequence)"
                    // Each ticket's events in time order, so order inversions would show.
                    let time = String(format: "2026-11-22T10:%02d:%02dZ", (sequence / 60) % 60, sequence % 60)
                    let body = #"{"id":"\#(id)","type":"ticket.updated","occurred_at":"\#(time)","ticket":{"id":"\#(ticket)","subject":"Card declined","priority":"urgent"}}"#
                    let server = servers[targets[sequence % targets.count]]
                    let (status, text) = try await server.request("POST", "/v1/events", body: body, token: token)
                    #expect(status == 202, "\(text)")
                    sent.append(id)
                    sequence += 1
                }
            }
            let store = try await PostgresEventStore.open(url: url, readOnly: true)
            func processed(_ ids: some Collection<String>) async throws -> Bool {
                for id in ids where try await store.evaluation(eventID: id) == nil { return false }
                return true
            }

            // Twice: kill a daemon and start a replacement; pause another past its lease.
            for round in 0..<2 {
                try await send(60, to: live)
                let victim = live[0]
                // SIGKILL: no chance to give its leases back.
                kill(servers[victim].process.processIdentifier, SIGKILL)
                live.removeFirst()
                let killedAt = Date()
                try await send(40, to: live)
                let afterKill = sent.suffix(40)
                while try await !processed(afterKill), Date().timeIntervalSince(killedAt) < 30 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let takeover = Date().timeIntervalSince(killedAt)
                #expect(takeover <= Self.lease + 2, "round \(round): the killed daemon's shards were taken over after \(takeover) s")
                let replacement = try ServeCommandTests.Server(scratch, token: token)
                try await replacement.start()
                servers.append(replacement)
                live.append(servers.count - 1)

                // SIGSTOP past the lease: when it wakes, its commits are refused by the fencing token.
                let paused = live[0]
                kill(servers[paused].process.processIdentifier, SIGSTOP)
                let others = Array(live.dropFirst())
                try await send(30, to: others)
                try await Task.sleep(for: .seconds(Self.lease + 1))
                try await send(30, to: others)
                kill(servers[paused].process.processIdentifier, SIGCONT)
            }
            try await send(60, to: live)

            let deadline = Date().addingTimeInterval(60)
            while try await !processed(sent), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(try await processed(sent), "every acknowledged event is processed")

            // No effect twice, and each ticket's events in order: the tags an event
            // caused come after those of the ticket's earlier events.
            var lastFollowUp: [String: Int64] = [:]
            var inversions = 0
            for id in sent {
                let effects = try await store.effects(eventID: id)
                #expect(effects.count == 1, "\(id): \(effects.count) effects")
                guard let record = try await store.record(eventID: id),
                    let note = effects.first?.followUpEventID,
                    let followUp = try await store.record(eventID: note)
                else { continue }
                let ticket = record.event.ticketID
                if let previous = lastFollowUp[ticket], followUp.position < previous { inversions += 1 }
                lastFollowUp[ticket] = followUp.position
            }
            #expect(inversions == 0)
            await store.close()
            for server in servers where server.process.isRunning { server.process.terminate() }
        }
    }

    /// Tickets about one problem arrive at two daemons and fall in every
    /// shard; the problem must still be counted once, with all of them.
    @Test(.timeLimit(.minutes(2))) func twoDaemonsCountOneRecurringProblemTogether() async throws {
        try await PostgresScratch.withDatabase { url in
            let scratch = try Self.project(store: url)
            try scratch.write("workflows/recur.yaml", """
                workflow: export-failures-recur
                on: ticket.created
                steps:
                  - file_product_recommendation:
                      title: Customers keep failing to export reports
                      when_recurs: { key: "reports/export", at_least: 5, within: 7d }
                      cooldown: 1h
                """)
            let token = UUID().uuidString
            var servers: [ServeCommandTests.Server] = []
            for _ in 0..<2 {
                let server = try ServeCommandTests.Server(scratch, token: token)
                try await server.start()
                servers.append(server)
            }
            let tickets = (0..<24).map { "T-\($0)" }
            for (number, ticket) in tickets.enumerated() {
                let time = String(format: "2026-11-22T10:%02d:00Z", number)
                let body = #"{"id":"e\#(number)","type":"ticket.created","occurred_at":"\#(time)","ticket":{"id":"\#(ticket)","subject":"Export fails"}}"#
                let (status, text) = try await servers[number % 2].request("POST", "/v1/events", body: body, token: token)
                #expect(status == 202, "\(text)")
            }
            let store = try await PostgresEventStore.open(url: url, readOnly: true)
            let deadline = Date().addingTimeInterval(60)
            var evaluated = 0
            while evaluated < tickets.count, Date() < deadline {
                evaluated = 0
                for number in tickets.indices where try await store.evaluation(eventID: "e\(number)") != nil { evaluated += 1 }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(evaluated == tickets.count)

            let state = try await store.tickets(["~recurrence/reports/export"]).values.first
            let counted = state?["recommendation"]?["tickets"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(counted.sorted() == tickets.sorted(), "one recommendation lists every ticket")
            let filed = try await store.tail(1000).filter { $0.event.type == "recommendation.filed" }
            #expect(filed.count == 1, "filed once, not once per shard")
            await store.close()
            for server in servers where server.process.isRunning { server.process.terminate() }
        }
    }
}
