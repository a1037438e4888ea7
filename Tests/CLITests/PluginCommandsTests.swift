import Foundation
import Testing

/// A local HTTP server for the example plugins to talk to: it records each
/// request (path, idempotency key, JSON body) and answers 503 to the first
/// `failing` requests, 201 after that.
final class LocalHTTPServer {
    let process = Process()
    let log: URL
    let port: Int

    init(in scratch: Scratch, failing: Int = 0) throws {
        log = scratch.root.appendingPathComponent("received.jsonl")
        try scratch.write("server.py", """
            import http.server, json, sys
            failing = int(sys.argv[2])
            count = [0]
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    count[0] += 1
                    with open(sys.argv[1], "a", encoding="utf-8") as f:
                        f.write(json.dumps({"path": self.path, "key": self.headers.get("Idempotency-Key"),
                                            "auth": self.headers.get("Authorization"),
                                            "body": json.loads(body.decode("utf-8"))}) + "\\n")
                    status = 503 if count[0] <= failing else 201
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps({"id": "ISS-%d" % count[0], "url": "http://tracker.test/ISS-%d" % count[0]}).encode())
                def log_message(self, *args):
                    pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """)
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scratch.root.appendingPathComponent("server.py").path, log.path, String(failing)]
        process.standardOutput = output
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw CLIError(message: "the test HTTP server did not say its port: \(line)")
        }
        self.port = port
    }

    deinit {
        // SIGKILL: the test process may run with SIGTERM blocked, and a child inherits that.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far.
    func received() throws -> [[String: Any]] {
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        return try jsonObjects(String(decoding: try Data(contentsOf: log), as: UTF8.self))
    }

    struct CLIError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

extension Scratch {
    /// Copies the repository's example plugins in, with retries made fast for tests.
    func copyExamplePlugins(attempts: Int = 5) throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["chat-notify", "issue-tracker"] {
            let source = repository.appendingPathComponent("plugins/\(name)")
            for file in try FileManager.default.contentsOfDirectory(atPath: source.path) where !file.hasPrefix(".") && file != "__pycache__" {
                var text = try String(contentsOf: source.appendingPathComponent(file), encoding: .utf8)
                if file == "plugin.yaml" {
                    text = text.replacingOccurrences(
                        of: #"retry: \{ attempts: \d+, backoff: \w+, max_backoff: \w+ \}"#,
                        with: "retry: { attempts: \(attempts), backoff: 100ms, max_backoff: 200ms }", options: .regularExpression)
                }
                try write("plugins/\(name)/\(file)", text)
            }
        }
    }
}

@Suite("Plugins from the command line: the example plugins against a local HTTP server")
struct PluginCommandsTests {
    let workflow = """
        workflow: notify
        on: ticket.created
        if: ticket.priority == "urgent"
        steps:
          - tag: notified
          - chat-notify.post:
              channel: "#support"
              text: "{{ ticket.subject }}"
          - issue-tracker.file_issue:
              project: REPORTS
              title: "Urgent: {{ ticket.subject }}"
              labels: [support, urgent]
        """

    func events(subject: String) -> String {
        let encoded = String(decoding: try! JSONSerialization.data(withJSONObject: subject, options: .fragmentsAllowed), as: UTF8.self)
        return #"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-22T10:00:00Z","ticket":{"id":"T-1","subject":\#(encoded),"priority":"urgent","status":"new"}}"# + "\n"
    }

    @Test func run_sendsHostileTicketTextThroughBothPlugins_byteForByte_andRecordsTheResults() async throws {
        let scratch = try Scratch()
        try scratch.copyExamplePlugins()
        try scratch.write("workflows/notify.yaml", workflow)
        let server = try LocalHTTPServer(in: scratch)
        let subject = "$(reboot) `id`; rm -rf / --force --help {{ ticket.id }}\r\nline two é 漢字 " + String(repeating: "x", count: 1 << 20)
        try scratch.write("events.jsonl", events(subject: subject))
        let result = try await scratch.run(
            ["run", "--workflows", "workflows", "--log", "t.sqlite", "events.jsonl"],
            environment: ["CHAT_WEBHOOK_URL": server.url + "/hook", "ISSUE_TRACKER_URL": server.url + "/api", "ISSUE_TRACKER_TOKEN": "s3cret"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines == [
            "run: 1 event read, 1 stored; 1 event processed, 1 workflow run, 3 effects recorded → t.sqlite",
            "plugin calls: 2 succeeded, 0 parked, 0 waiting",
        ])
        let received = try server.received().sorted { ($0["path"] as! String) < ($1["path"] as! String) }
        #expect(received.count == 2)
        let issue = try #require(received.first)
        #expect(issue["path"] as? String == "/api/issues")
        #expect(issue["key"] as? String == "e1/notify/3")
        #expect(issue["auth"] as? String == "Bearer s3cret")
        #expect((issue["body"] as? [String: Any])?["title"] as? String == "Urgent: " + subject)
        #expect((issue["body"] as? [String: Any])?["labels"] as? [String] == ["support", "urgent"])
        let message = try #require(received.last)
        #expect(message["key"] as? String == "e1/notify/2")
        #expect((message["body"] as? [String: Any])?["text"] as? String == subject)

        let log = try await scratch.run("log", "ticket", "--log", "t.sqlite", "--format", "json", "T-1")
        let types = try jsonObjects(log.stdout).compactMap { ($0["event"] as? [String: Any])?["type"] as? String }
        #expect(types.filter { $0.hasPrefix("plugin.") }.sorted() == ["plugin.requested", "plugin.requested", "plugin.succeeded", "plugin.succeeded"])
    }

    @Test func run_whenTheEndpointKeepsFailing_parksTheCall_andRetryByHandSendsItAgain() async throws {
        let scratch = try Scratch()
        try scratch.copyExamplePlugins(attempts: 2)
        try scratch.write("workflows/notify.yaml", """
            workflow: notify
            on: ticket.created
            steps:
              - chat-notify.post: { channel: "#support", text: "{{ ticket.subject }}" }
            """)
        let server = try LocalHTTPServer(in: scratch, failing: 3)
        try scratch.write("events.jsonl", events(subject: "Export fails"))
        let environment = ["CHAT_WEBHOOK_URL": server.url + "/hook"]
        let first = try await scratch.run(["run", "--log", "t.sqlite", "events.jsonl"], environment: environment)
        #expect(first.stdoutLines.last == "plugin calls: 0 succeeded, 1 failed try, 1 parked, 0 waiting")

        let explain = try await scratch.run("explain", "--log", "t.sqlite", "e1")
        #expect(explain.stdoutLines.contains("        plugin call e1/notify/1: parked after 2 tries: the webhook answered HTTP 503"))
        #expect(explain.stdoutLines.contains { $0.hasPrefix("      step 1#attempt-2: chat-notify.post {\"idempotency_key\":\"e1/notify/1\",\"attempt\":2} → parked (the webhook answered HTTP 503; parked after 2 tries") })

        let retry = try await scratch.run("retry", "--log", "t.sqlite", "e1/notify/1")
        #expect(retry.status == 0)
        #expect(retry.stdoutLines == ["retry of e1/notify/1 requested; the next `ticketflow run` (or the daemon) sends it"])
        let again = try await scratch.run(["run", "--log", "t.sqlite", "-"], environment: environment)
        #expect(again.stdoutLines.last == "plugin calls: 1 succeeded, 1 failed try, 0 parked, 0 waiting")
        let keys = try server.received().compactMap { $0["key"] as? String }
        #expect(keys == Array(repeating: "e1/notify/1", count: 4))

        let refused = try await scratch.run("retry", "--log", "t.sqlite", "e1/notify/1")
        #expect(refused.status == 1)
        #expect(refused.stderrLines == ["error: plugin call e1/notify/1 is not parked: it succeeded, or the dispatcher has not picked it up yet"])
    }

    @Test func dryRun_showsTheRequestItWouldSend_andCallsNoPlugin() async throws {
        let scratch = try Scratch()
        try scratch.copyExamplePlugins()
        try scratch.write("workflows/notify.yaml", workflow)
        let server = try LocalHTTPServer(in: scratch)
        try scratch.write("events.jsonl", events(subject: "Export \"fails\" --now"))
        let result = try await scratch.run(
            ["dry-run", "--workflows", "workflows", "events.jsonl"], environment: ["CHAT_WEBHOOK_URL": server.url + "/hook"])
        #expect(result.status == 0)
        #expect(result.stdoutLines.contains(
            ##"      would send to chat-notify: {"id":1,"type":"call","action":"post","idempotency_key":"e1/notify/2","attempt":1,"params":{"channel":"#support","text":"Export \"fails\" --now","urgency":"normal"},"context":{"ticket_id":"T-1","event_id":"e1","workflow":"notify","step":"2"}}"##))
        let json = try await scratch.run("dry-run", "--format", "json", "events.jsonl")
        let effects = try jsonObjects(json.stdout).first?["workflows"] as? [[String: Any]]
        let request = (effects?.first?["effects"] as? [[String: Any]])?[1]["request"] as? [String: Any]
        #expect(request?["idempotency_key"] as? String == "e1/notify/2")
        try await Task.sleep(for: .milliseconds(200))
        #expect(try server.received().isEmpty)
    }

    @Test func validate_checksPluginStepsAgainstTheManifest() async throws {
        let scratch = try Scratch()
        try scratch.copyExamplePlugins()
        try scratch.write("workflows/notify.yaml", """
            workflow: notify
            on: ticket.created
            steps:
              - chat-notify.post:
                  channel: 42
                  txt: hi
                  urgency: loud
            """)
        let result = try await scratch.run("validate", "workflows")
        #expect(result.status == 1)
        #expect(result.stdoutLines == [
            "workflows/notify.yaml:5:7: error[E0211]: `chat-notify.post` needs parameter `text`",
            "workflows/notify.yaml:6:7: error[E0210]: `chat-notify.post` has no parameter `txt`; did you mean `text`?",
            "workflows/notify.yaml:7:16: error[E0212]: `chat-notify.post.urgency` must be one of low, normal, high, got \"loud\"",
            "3 errors in 1 file",
        ])
    }

    @Test func pluginsList_showsActionsAndParameters_andCheckStartsEachPlugin() async throws {
        let scratch = try Scratch()
        try scratch.copyExamplePlugins()
        let list = try await scratch.run("plugins", "list")
        #expect(list.status == 0)
        #expect(Array(list.stdoutLines.prefix(10)) == [
            "chat-notify 1.0.0 (protocol 1): Posts a message as JSON to a webhook URL.",
            "  command: python3 notify.py  (in plugins/chat-notify)",
            "  environment: CHAT_WEBHOOK_URL",
            "  tries: 5, backoff 100ms up to 200ms; in flight: 4",
            "  chat-notify.post — Posts one message to the channel.",
            "    timeout 10s, errors retried",
            "    channel: string, required — Where the message goes, e.g. #support",
            "    text: string, required — The message",
            "    urgency: one of low, normal, high, default \"normal\" — How loudly to post",
            "    mentions: list of string — People or groups to mention",
        ])
        let check = try await scratch.run("plugins", "check")
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdoutLines.last == "2 passed, 0 failed")
        try scratch.write("plugins/broken/plugin.yaml", """
            name: broken
            version: 1.0.0
            protocol: 1
            command: [./missing]
            actions: { go: }
            """)
        let broken = try await scratch.run("plugins", "check")
        #expect(broken.status == 1)
        #expect(broken.stdoutLines.first == "plugins/broken/plugin.yaml:1:1: error[E0805]: plugins/broken/./missing is not an executable file")
    }
}
