import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `ticketflow serve` as an operator runs it: the real binary on a loopback
/// port, talked to over HTTP, reloaded by editing files, stopped by SIGTERM.
@Suite struct ServeCommandTests {
    static let config = """
        server:
          listen: 127.0.0.1:0
          store: log.sqlite
          watch: 1s
          auth:
            bearer_tokens_env: [TICKETFLOW_TOKEN]
        """
    static let workflow = """
        workflow: urgent-billing
        on: ticket.created
        if: ticket.priority == "urgent"
        steps:
          - tag: needs-tier2
        """

    /// A running daemon: its process, where it logs, and its address once it listens.
    final class Server {
        let process = Process()
        let logURL: URL
        var base = ""

        init(_ scratch: Scratch, token: String) throws {
            logURL = scratch.root.appendingPathComponent("serve.log")
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
            process.executableURL = try TicketflowBinary.url()
            process.arguments = ["serve"]
            process.currentDirectoryURL = scratch.root
            var environment = ProcessInfo.processInfo.environment
            environment["TICKETFLOW_TOKEN"] = token
            process.environment = environment
            process.standardError = try FileHandle(forWritingTo: logURL)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
        }

        var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

        /// Waits for a log line containing `text`; returns it. The limit is
        /// generous: a loaded machine (a build beside the tests) starts slowly.
        @discardableResult
        func waitForLog(_ text: String, seconds: Double = 60) async throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let line = log.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("no log line with \(text); log:\n\(log)")
            throw CancellationError()
        }

        func start() async throws {
            let line = try await waitForLog("\"listening\"")
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            base = try #require(object?["address"] as? String)
        }

        func request(_ method: String, _ path: String, body: String? = nil, token: String) async throws -> (Int, String) {
            var request = URLRequest(url: URL(string: base + path)!)
            request.httpMethod = method
            request.httpBody = body.map { Data($0.utf8) }
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
        }

        deinit { if process.isRunning { process.terminate() } }
    }

    static func event(_ id: String, ticket: String) -> String {
        #"{"id":"\#(id)","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"\#(ticket)","subject":"Card declined","priority":"urgent"}}"#
    }

    @Test func servesReloadsOnlyValidWorkflowsAndDrainsOnSIGTERM() async throws {
        let scratch = try Scratch()
        try scratch.write("ticketflow.yaml", Self.config)
        try scratch.write("workflows/urgent.yaml", Self.workflow)
        let token = UUID().uuidString
        let server = try Server(scratch, token: token)
        try await server.start()

        let (status, body) = try await server.request("POST", "/v1/events", body: Self.event("e1", ticket: "T-1"), token: token)
        #expect(status == 202, "\(body)")
        let (unauthorized, _) = try await server.request("POST", "/v1/events", body: Self.event("e0", ticket: "T-0"), token: "wrong")
        #expect(unauthorized == 401)

        // A broken edit is refused with its location; the running set stays.
        try scratch.write("workflows/urgent.yaml", Self.workflow.replacingOccurrences(of: "- tag:", with: "- tagg:"))
        let refused = try await server.waitForLog("reload refused")
        #expect(refused.contains("workflows/urgent.yaml:5:"))
        _ = try await server.request("POST", "/v1/events", body: Self.event("e2", ticket: "T-2"), token: token)

        // A valid edit is swapped in.
        try scratch.write("workflows/urgent.yaml", Self.workflow.replacingOccurrences(of: "needs-tier2", with: "tier3"))
        try await server.waitForLog("workflows reloaded")
        _ = try await server.request("POST", "/v1/events", body: Self.event("e3", ticket: "T-3"), token: token)

        // SIGTERM: everything acknowledged is processed before the process exits.
        server.process.terminate()
        let deadline = Date().addingTimeInterval(15)
        while server.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.process.isRunning)
        #expect(server.process.terminationStatus == 0, "\(server.log)")
        try await server.waitForLog("\"stopped\"")

        let t2 = try await scratch.run("log", "ticket", "T-2", "--log", "log.sqlite")
        #expect(t2.stdout.contains("needs-tier2"), "the old set ran while the broken edit was on disk")
        let t3 = try await scratch.run("log", "ticket", "T-3", "--log", "log.sqlite")
        #expect(t3.stdout.contains("tier3"), "\(t3.stdout)")
        #expect(!t3.stdout.contains("needs-tier2"))
    }

    @Test func refusesToStartWithoutCredentials() async throws {
        let scratch = try Scratch()
        try scratch.write("ticketflow.yaml", "server:\n  listen: 127.0.0.1:0\n  auth:\n    bearer_tokens_env: [NOT_SET_ANYWHERE]\n")
        try scratch.write("workflows/urgent.yaml", Self.workflow)
        let result = try await scratch.run("serve")
        #expect(result.status == 1)
        #expect(result.stderr.contains("ticketflow.yaml:4:25:"), "\(result.stderr)")
        #expect(result.stderr.contains("NOT_SET_ANYWHERE"))
    }
}
