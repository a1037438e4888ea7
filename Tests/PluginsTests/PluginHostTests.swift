import Core
import Foundation
import Plugins
import Testing

/// Serialized: each test starts Python processes and some measure time, so
/// they do not compete with each other for the machine.
@Suite("Plugin host: child processes that cannot take the engine with them", .serialized)
struct PluginHostTests {
    func request(_ action: String, _ parameters: [(String, Value)] = [], key: String = "e1/wf/1") -> PluginRequest {
        PluginRequest(
            action: action, idempotencyKey: key, parameters: Value.Object(parameters), ticketID: "T-1", eventID: "e1",
            workflow: "wf", step: "1")
    }

    @Test func call_echoesHostileTextByteForByte_asDataNeverArgv() async throws {
        let fixture = try FixturePlugin(timeout: "20s")
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        let megabyte = String(repeating: "Export fails; ", count: 75_000)
        let hostile = [
            "$(reboot) `id` ; rm -rf / && echo | cat > /etc/passwd",
            "--option=value -rf --help",
            "{{ ticket.subject }} {{{ raw }}} {% if %}",
            "line one\r\nline two\nthree\r",
            "quotes \" ' \\ and unicode é 漢字 \u{2028} \u{0}",
            megabyte,
        ]
        for text in hostile {
            let result = try await host.call(request("echo", [("text", .string(text))])).get()
            #expect(result["params"]?["text"]?.stringValue == text)
        }
        let inspect = try await host.call(request("inspect")).get()
        // The argv is exactly the manifest's command: nothing from any request.
        #expect(inspect["argv"]?.arrayValue?.compactMap(\.stringValue) == ["fixture.py", "--literal", "$HOME; echo"])
    }

    @Test func start_givesACleanEnvironment_ownProcessGroup_andTheManifestsLimits() async throws {
        setenv("FIXTURE_ALLOWED", "yes", 1)
        setenv("FIXTURE_SECRET", "must-not-leak", 1)
        let fixture = try FixturePlugin()
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        let inspect = try await host.call(request("inspect")).get()
        let environment = inspect["env"]?.objectValue
        #expect(environment?.keys.filter { $0 != "LC_CTYPE" }.sorted() == ["FIXTURE_ALLOWED", "PATH"])
        #expect(environment?["PATH"]?.stringValue == "/usr/local/bin:/usr/bin:/bin")
        #expect(environment?["FIXTURE_ALLOWED"]?.stringValue == "yes")
        #expect(inspect["pgid"] == inspect["pid"])
        #expect(inspect["pgid"] != .int(Int(getpgrp())))
        #expect(inspect["cwd"]?.stringValue == "fixture")
        let limits = try #require(inspect["limits"]?.objectValue)
        #expect(limits["RLIMIT_CPU"] == .int(77))
        #expect(limits["RLIMIT_AS"] == .int(2048 << 20))
        #expect(limits["RLIMIT_NPROC"] == .int(55))
        #expect(limits["RLIMIT_FSIZE"] == .int(3 << 20))
        #expect(limits["RLIMIT_NOFILE"] == .int(64))
    }

    @Test func call_whenPluginHangs_killsItsGroupWithinTimeoutPlusOneSecond() async throws {
        let fixture = try FixturePlugin(timeout: "1s")
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        _ = try await host.call(request("echo", [("text", "warm up")])).get()
        let started = ContinuousClock.now
        let result = await host.call(request("hang"))
        let elapsed = ContinuousClock.now - started
        guard case .failure(let failure) = result else { Issue.record("a hanging call succeeded"); return }
        #expect(failure.reason == .timeout)
        #expect(failure.retryable)
        #expect(elapsed < .seconds(2))
        for pid in recordedPIDs(fixture.pidFile) { #expect(!isRunning(pid)) }
    }

    @Test func call_whenPluginSpawnsChildren_leavesNoProcessBehind() async throws {
        let fixture = try FixturePlugin(timeout: "3s")
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        _ = try await host.call(request("echo", [("text", "warm up")])).get()
        let started = ContinuousClock.now
        let result = await host.call(request("spawn"))
        #expect(ContinuousClock.now - started < .seconds(4))
        guard case .failure(let failure) = result else { Issue.record("expected a timeout"); return }
        #expect(failure.reason == .timeout)
        let pids = recordedPIDs(fixture.pidFile)
        #expect(pids.count == 6)
        try await Task.sleep(for: .milliseconds(100))
        for pid in pids { #expect(!isRunning(pid), "process \(pid) survived") }
    }

    @Test func call_whenPluginForkBombs_isCutOffAndLeavesNothingBehind() async throws {
        let fixture = try FixturePlugin(timeout: "3s")
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        _ = try await host.call(request("echo", [("text", "warm up")])).get()
        let started = ContinuousClock.now
        let result = await host.call(request("fork_bomb"))
        #expect(ContinuousClock.now - started < .seconds(4))
        #expect((try? result.get()) == nil)
        try await Task.sleep(for: .milliseconds(100))
        let pids = recordedPIDs(fixture.pidFile)
        #expect(pids.count > 1)
        for pid in pids { #expect(!isRunning(pid), "process \(pid) survived") }
    }

    @Test func call_whenPluginFloodsOneEndlessLine_isKilledAtTheLineCap() async throws {
        let fixture = try FixturePlugin(timeout: "5s")
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        _ = try await host.call(request("echo", [("text", "warm up")])).get()
        let started = ContinuousClock.now
        let result = await host.call(request("flood_line"))
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.reason == .outputTooLong)
        #expect(failure.message == "the plugin wrote a line longer than 4194304 bytes; it was killed")
        // Cut off by the cap, not by the 5 s timeout.
        #expect(ContinuousClock.now - started < .seconds(5))
        // The host restarts it for the next call.
        #expect(try await host.call(request("echo", [("text", "after")])).get()["params"]?["text"] == "after")
        #expect(await host.starts == 2)
    }

    @Test func call_whenPluginFloodsLinesThatAreNotResponses_isKilledAsAProtocolViolation() async throws {
        let fixture = try FixturePlugin(timeout: "5s")
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        let result = await host.call(request("flood_lines"))
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.reason == .protocolViolation)
        #expect(failure.message == "the plugin wrote a line that is not a JSON object: noise")
    }

    @Test func call_whenPluginExitsMidRequest_failsRetryably_andTheNextCallRestartsIt() async throws {
        let fixture = try FixturePlugin()
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        let result = await host.call(request("crash"))
        guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
        #expect(failure.reason == .crashed)
        #expect(failure.message == "the plugin exited (exit status 3)")
        #expect(failure.retryable)
        #expect(try await host.call(request("echo", [("text", "again")])).get()["params"]?["text"] == "again")
        #expect(await host.starts == 2)
    }

    @Test func calls_manyInFlight_areMatchedByID_whateverOrderTheyAnswerIn() async throws {
        let fixture = try FixturePlugin(timeout: "5s")
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        let results = await withTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<16 {
                group.addTask {
                    let delay = (16 - index) * 15
                    let result = await host.call(
                        self.request("slow_echo", [("text", .string("call \(index)")), ("delay_ms", .int(delay))], key: "k\(index)"))
                    switch result { case .success(let value): return (index, value["text"]?.stringValue); case .failure(let failure): return (index, "failed: \(failure)") }
                }
            }
            var collected: [Int: String?] = [:]
            for await (index, text) in group { collected[index] = text }
            return collected
        }
        for index in 0..<16 { #expect(results[index] == "call \(index)") }
        #expect(await host.starts == 1)
    }

    @Test func otherPlugins_keepServing_whileOneHangs() async throws {
        let stuck = try FixturePlugin(name: "stuck", timeout: "60s")
        let healthy = try FixturePlugin(name: "healthy")
        let stuckHost = PluginHost(manifest: stuck.manifest)
        let healthyHost = PluginHost(manifest: healthy.manifest)
        _ = try await healthyHost.call(request("echo", [("text", "warm")])).get()
        let hangEnded = Flag()
        let hanging = Task {
            let result = await stuckHost.call(request("hang"))
            await hangEnded.set()
            return result
        }
        for index in 0..<20 {
            let text = "still here \(index)"
            #expect(try await healthyHost.call(request("echo", [("text", .string(text))])).get()["params"]?["text"]?.stringValue == text)
        }
        // All twenty answered while the other plugin was still hanging.
        #expect(await !hangEnded.isSet)
        await stuckHost.shutdown(grace: .milliseconds(100))
        #expect((try? await hanging.value.get()) == nil)
        await healthyHost.shutdown()
    }

    @Test func errorReply_carriesThePluginsMessageAndRetryability() async throws {
        let fixture = try FixturePlugin()
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        let result = await host.call(request("fail", [("retryable", false)]))
        #expect(result.failure == PluginFailure(plugin: "fixture", reason: .errorReply, message: "it failed", retryable: false))
    }

    @Test func handshake_withAnotherProtocolVersion_isRefused() async throws {
        let fixture = try FixturePlugin(protocolVersion: 2)
        let host = PluginHost(manifest: fixture.manifest)
        defer { Task { await host.shutdown() } }
        let result = await host.handshake()
        #expect(result.failure?.message == "the plugin speaks protocol 2, the manifest says 1")
        #expect(result.failure?.reason == .startFailed)
    }

    @Test func shutdown_closesInput_andThePluginExits() async throws {
        let fixture = try FixturePlugin()
        let host = PluginHost(manifest: fixture.manifest)
        _ = try await host.call(request("echo", [("text", "hi")])).get()
        let pid = try #require(await host.processID)
        let started = ContinuousClock.now
        await host.shutdown(grace: .seconds(2))
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(!isRunning(pid))
        #expect(await host.call(request("echo", [("text", "late")])).failure?.reason == .shutDown)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}

/// Set once, read by the test.
actor Flag {
    private(set) var isSet = false
    func set() { isSet = true }
}
