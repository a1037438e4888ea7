import Core
import EventLog
import Foundation
import Testing

@testable import Daemon

@Suite struct WebhookTests {
    static func payload(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Payloads/\(name).json")
        return try Data(contentsOf: url)
    }

    static func gitHubHeaders(_ body: Data, event: String, delivery: String, secret: String = DaemonHarness.gitHubSecret) -> [String: String] {
        [
            "X-GitHub-Event": event, "X-GitHub-Delivery": delivery, "Content-Type": "application/json",
            "X-Hub-Signature-256": "sha256=" + Signatures.hex(Signatures.mac(body, secret: secret)),
        ]
    }

    @Test func gitHubIssuesBecomeTicketsAndCommentsBecomeTicketComments() async throws {
        let store = MemoryEventStore()
        try await DaemonHarness.withDaemon(store: store) { client, _ in
            let opened = try Self.payload("github-issues-opened")
            let reply = try await client.send(
                "POST", "/v1/webhooks/github", body: opened,
                headers: Self.gitHubHeaders(opened, event: "issues", delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958"))
            #expect(reply.status == 202, "\(reply.text)")
            let openedID = GitHubAdapter.eventID(kind: "issues", body: Array(opened))
            let record = try #require(try await store.record(eventID: openedID))
            #expect(record.event.type == "ticket.created")
            #expect(record.event.ticketID == "github:octo-org/billing-app#1347")
            #expect(record.event.ticket["tags"] == .array(["billing", "urgent"]))
            #expect(record.event.ticket["subject"] == .string("Card declined when upgrading to the annual plan"))
            let ticket = try await client.get("/v1/tickets/github%3Aocto-org%2Fbilling-app%231347")
            #expect(ticket.status == 200, "\(ticket.text)")
            #expect(ticket.json["id"] == .string("github:octo-org/billing-app#1347"))

            // A redelivery is stored once; so is a captured delivery replayed
            // under a new delivery id (the id is not covered by the signature).
            for delivery in ["72d3162e-cc78-11e3-81ab-4c9367dc0958", "forged-new-delivery-id"] {
                let again = try await client.send(
                    "POST", "/v1/webhooks/github", body: opened, headers: Self.gitHubHeaders(opened, event: "issues", delivery: delivery))
                #expect(again.json["duplicates"] == .int(1))
            }

            let comment = try Self.payload("github-issue-comment-created")
            let commented = try await client.send(
                "POST", "/v1/webhooks/github", body: comment, headers: Self.gitHubHeaders(comment, event: "issue_comment", delivery: "d2"))
            #expect(commented.status == 202)
            let event = try #require(try await store.record(eventID: GitHubAdapter.eventID(kind: "issue_comment", body: Array(comment)))).event
            #expect(event.type == "ticket.commented")
            #expect(event.payload["comment"]?["author_role"] == .string("agent"))
            #expect(event.ticket["assignee"] == .string("hubot"))

            let forged = try await client.send(
                "POST", "/v1/webhooks/github", body: opened,
                headers: Self.gitHubHeaders(opened, event: "issues", delivery: "d3", secret: "guess"))
            #expect(forged.status == 401)

            let ping = Data(#"{"zen":"Keep it logically awesome.","hook_id":1}"#.utf8)
            let pong = try await client.send("POST", "/v1/webhooks/github", body: ping, headers: Self.gitHubHeaders(ping, event: "ping", delivery: "d4"))
            #expect(pong.status == 200)
            #expect(pong.json["ignored"] == .string("ping"))
        }
    }

    @Test func zendeskTicketEventsBecomeTicketEvents() async throws {
        let store = MemoryEventStore()
        try await DaemonHarness.withDaemon(store: store) { client, _ in
            for (name, id) in [("zendesk-ticket-created", "cbe4028c-7239-495d-b020-f22348516046"), ("zendesk-comment-added", "5e3b2f1a-0b8a-4d0e-9a54-6f4f1a2b7c11")] {
                let body = try Self.payload(name)
                let timestamp = Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970).description
                let signature = Data(Signatures.mac(Data(timestamp.utf8) + body, secret: DaemonHarness.zendeskSecret)).base64EncodedString()
                let reply = try await client.send("POST", "/v1/webhooks/zendesk", body: body, headers: [
                    "Content-Type": "application/json", "X-Zendesk-Webhook-Signature": signature,
                    "X-Zendesk-Webhook-Signature-Timestamp": timestamp,
                ])
                #expect(reply.status == 202, "\(reply.text)")
                #expect(try await store.record(eventID: "zendesk-\(id)") != nil)
            }
            let created = try #require(try await store.record(eventID: "zendesk-cbe4028c-7239-495d-b020-f22348516046")).event
            #expect(created.type == "ticket.created")
            #expect(created.ticketID == "zendesk:35436")
            #expect(created.ticket["priority"] == .string("high"))
            #expect(created.ticket["status"] == .string("open"))
            #expect(created.ticket["tags"] == .array(["reports", "export"]))
            let comment = try #require(try await store.record(eventID: "zendesk-5e3b2f1a-0b8a-4d0e-9a54-6f4f1a2b7c11")).event
            #expect(comment.type == "ticket.commented")
            #expect(comment.payload["comment"]?["author_role"] == .string("end_user"))
            #expect(comment.payload["comment"]?["body"] == .string("Still broken after clearing my cache."))
            let unsigned = try await client.send("POST", "/v1/webhooks/zendesk", body: try Self.payload("zendesk-ticket-created"))
            #expect(unsigned.status == 401)
        }
    }

    @Test func aPayloadMissingWhatTheHelpDeskDocumentsIsA400WithThePath() throws {
        #expect(throws: WebhookPayloadError.self) {
            try GitHubAdapter.translate(kind: "issues", body: [], payload: .object(Value.Object([("action", "opened")])))
        }
        do {
            _ = try ZendeskAdapter.translate(payload: .object(Value.Object([("type", "zen:event-type:ticket.created"), ("id", "1"), ("time", "2026-11-22T10:00:00Z")])))
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "detail")
        }
    }
}
