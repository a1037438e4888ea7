import Core
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Keeps one plugin running: starts its process on first use, checks the
/// handshake, sends calls (several may be in flight; replies are matched by
/// id), restarts it with a growing delay when it dies, and stops it
/// gracefully at shutdown.
public actor PluginHost {
    private enum State {
        case idle
        case starting(Task<Result<PluginProcess, PluginFailure>, Never>)
        case running(PluginProcess)
        case shutDown
    }

    public let manifest: PluginManifest
    private var state = State.idle
    private var nextID = 1
    /// Deaths and failed starts in a row; reset by any reply.
    private var consecutiveFailures = 0
    private var nextStartAllowed = ContinuousClock.now
    /// How long to wait before starting again after a death: doubles from
    /// `restartBackoff` up to `maxRestartBackoff`.
    public let restartBackoff: Duration
    public let maxRestartBackoff: Duration = .seconds(10)
    /// How many processes were started, for tests and the benchmark.
    public private(set) var starts = 0

    public init(manifest: PluginManifest, restartBackoff: Duration = .milliseconds(100)) {
        self.manifest = manifest
        self.restartBackoff = restartBackoff
        // A write to a plugin that just died must be an error, not the end of the engine.
        signal(SIGPIPE, SIG_IGN)
    }

    /// The running process's id, if any (for tests).
    public var processID: Int32? {
        if case .running(let process) = state, process.endReason == nil { return process.pid }
        return nil
    }

    /// Starts the plugin if needed and returns the action names it declared in its handshake.
    public func handshake() async -> Result<[String], PluginFailure> {
        switch await running() {
        case .success: return .success(manifest.actions.map(\.name))
        case .failure(let failure): return .failure(failure)
        }
    }

    /// Sends one call and waits for its result: the reply's `result` value,
    /// or a failure (an error reply, a timeout, a crash).
    public func call(_ request: PluginRequest, attempt: Int = 1) async -> Result<Value, PluginFailure> {
        guard let action = manifest.action(named: request.action) else {
            return .failure(PluginFailure(
                plugin: manifest.name, reason: .errorReply,
                message: "the manifest declares no action `\(request.action)`", retryable: false))
        }
        let process: PluginProcess
        switch await running() {
        case .success(let started): process = started
        case .failure(let failure): return .failure(failure)
        }
        let id = nextID
        nextID += 1
        let reply = await process.send(request.message(id: id, attempt: attempt), id: id, timeout: action.timeout)
        switch reply {
        case .failure(var failure):
            if failure.reason != .shutDown { noteDeath(of: process) }
            if failure.reason == .timeout || failure.reason == .crashed { failure.retryable = action.retryable }
            return .failure(failure)
        case .success(let object):
            consecutiveFailures = 0
            if let result = object["result"] { return .success(result) }
            if let error = object["error"] {
                let message = error["message"]?.stringValue ?? error.stringValue ?? JSONWriter.string(error)
                let retryable = error["retryable"]?.boolValue ?? action.retryable
                return .failure(PluginFailure(plugin: manifest.name, reason: .errorReply, message: message, retryable: retryable))
            }
            noteDeath(of: process)
            process.kill()
            return .failure(PluginFailure(
                plugin: manifest.name, reason: .protocolViolation,
                message: "the response to request \(id) has neither `result` nor `error`", retryable: action.retryable))
        }
    }

    /// Kills the running process at once (for tests and the restart benchmark).
    public func kill() {
        if case .running(let process) = state { process.kill() }
    }

    /// Closes the plugin's input and waits `grace` for it to exit, then
    /// terminates its process group. Later calls fail with `shutDown`.
    public func shutdown(grace: Duration = .seconds(2)) async {
        let current = state
        state = .shutDown
        switch current {
        case .running(let process): await process.stop(grace: grace)
        case .starting(let task):
            if case .success(let process) = await task.value { await process.stop(grace: grace) }
        case .idle, .shutDown: break
        }
    }

    private func noteDeath(of process: PluginProcess) {
        guard case .running(let current) = state, current === process else { return }
        state = .idle
        recordFailure(at: process.endTime ?? .now)
    }

    /// The restart delay counts from the death, not from when a call noticed it.
    private func recordFailure(at time: ContinuousClock.Instant = .now) {
        consecutiveFailures += 1
        let exponent = min(consecutiveFailures - 1, 20)
        nextStartAllowed = time + min(restartBackoff * (1 << exponent), maxRestartBackoff)
    }

    /// The running process, started (after the restart delay) when there is none.
    private func running() async -> Result<PluginProcess, PluginFailure> {
        switch state {
        case .running(let process):
            if process.endReason == nil { return .success(process) }
            noteDeath(of: process)
            return await running()
        case .starting(let task):
            return await task.value
        case .shutDown:
            return .failure(PluginFailure(plugin: manifest.name, reason: .shutDown, message: "the plugin host is shut down", retryable: true))
        case .idle:
            let task = Task { await self.start() }
            state = .starting(task)
            let result = await task.value
            if case .shutDown = state {
                if case .success(let process) = result { await process.stop(grace: .milliseconds(500)) }
                return .failure(PluginFailure(plugin: manifest.name, reason: .shutDown, message: "the plugin host is shut down", retryable: true))
            }
            switch result {
            case .success(let process):
                state = .running(process)
            case .failure:
                state = .idle
                recordFailure()
            }
            return result
        }
    }

    private func start() async -> Result<PluginProcess, PluginFailure> {
        let wait = nextStartAllowed - .now
        if wait > .zero { try? await Task.sleep(for: wait) }
        let process: PluginProcess
        do {
            let executable = try PluginCommand.resolve(manifest)
            process = try PluginProcess(
                plugin: manifest.name, executable: executable, arguments: manifest.command,
                environment: PluginCommand.environment(for: manifest), folder: manifest.folder, limits: manifest.limits)
        } catch {
            return .failure(error)
        }
        starts += 1
        let names = manifest.actions.map(\.name)
        let hello = Value.object(Value.Object([
            ("id", .int(0)), ("type", "handshake"), ("protocol", .int(manifest.protocolVersion)),
            ("plugin", .string(manifest.name)), ("actions", .array(names.map { .string($0) })),
        ]))
        let failed = { (message: String) -> Result<PluginProcess, PluginFailure> in
            process.kill()
            return .failure(PluginFailure(plugin: self.manifest.name, reason: .startFailed, message: message, retryable: true))
        }
        switch await process.send(hello, id: 0, timeout: manifest.startupTimeout) {
        case .failure(let failure):
            return failed("handshake failed: \(failure.message)")
        case .success(let reply):
            guard let result = reply["result"] else {
                return failed("handshake refused: \(reply["error"].map { $0["message"]?.stringValue ?? JSONWriter.string($0) } ?? "no `result`")")
            }
            guard case .int(let version) = result["protocol"] ?? .null, version == manifest.protocolVersion else {
                return failed("the plugin speaks protocol \(result["protocol"].map(JSONWriter.string) ?? "?"), the manifest says \(manifest.protocolVersion)")
            }
            let offered = result["actions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let missing = names.filter { !offered.contains($0) }
            guard missing.isEmpty else {
                return failed("the plugin does not offer \(missing.map { "`\($0)`" }.joined(separator: ", ")), which the manifest declares")
            }
            return .success(process)
        }
    }
}
