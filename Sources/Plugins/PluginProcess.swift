import CPluginSpawn
import Core
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One running plugin process: its pipes, the thread that moves bytes
/// between them and the host, and the requests in flight, matched by id.
///
/// All I/O happens on one dedicated thread per process that waits in
/// `poll`, so a plugin that stops reading, floods its output or hangs never
/// blocks the engine's tasks. Whatever ends the process (a timeout, a crash,
/// an overlong line, a protocol violation, shutdown) kills its whole process
/// group, fails every request still in flight and reaps the child.
final class PluginProcess: @unchecked Sendable {
    typealias Reply = Result<Value.Object, PluginFailure>

    private struct Waiter {
        var continuation: CheckedContinuation<Reply, Never>
        var deadline: ContinuousClock.Instant
        var timeout: Duration
    }

    let plugin: String
    let pid: pid_t
    private let limits: PluginLimits
    private let lock = NSLock()
    private var stdinFD: Int32
    private let stdoutFD: Int32
    private var stderrFD: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var waiters: [Int: Waiter] = [:]
    private var outgoing: [UInt8] = []
    private var lineBuffer: [UInt8] = []
    private var stderrTail: [UInt8] = []
    private var stopRequested: ContinuousClock.Instant?
    private var killRequested = false
    private var ended: PluginFailure?
    private var endedAt: ContinuousClock.Instant?
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []

    /// Starts `executable` with `arguments` (argv, its first item included)
    /// in `folder` with exactly `environment` (`NAME=value` items).
    init(plugin: String, executable: String, arguments: [String], environment: [String], folder: String, limits: PluginLimits) throws(PluginFailure) {
        self.plugin = plugin
        self.limits = limits
        var wake: [Int32] = [0, 0]
        guard tf_wake_pipe(&wake) == 0 else {
            throw PluginFailure(plugin: plugin, reason: .startFailed, message: "cannot create a pipe: \(String(cString: strerror(errno)))", retryable: true)
        }
        wakeRead = wake[0]
        wakeWrite = wake[1]
        var child = tf_plugin_child()
        var cLimits = tf_plugin_limits(
            cpu_seconds: UInt64(limits.cpuSeconds), memory_bytes: UInt64(limits.memoryBytes), processes: UInt64(limits.processes),
            file_size_bytes: UInt64(limits.fileSizeBytes), open_files: UInt64(limits.openFiles))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        let status = argv.withUnsafeBufferPointer { argvBuffer in
            envp.withUnsafeBufferPointer { envBuffer in
                tf_plugin_spawn(executable, argvBuffer.baseAddress, envBuffer.baseAddress, folder, &cLimits, &child)
            }
        }
        guard status == 0 else {
            close(wakeRead)
            close(wakeWrite)
            throw PluginFailure(
                plugin: plugin, reason: .startFailed,
                message: "cannot start \(executable): \(String(cString: strerror(status)))", retryable: true)
        }
        pid = child.pid
        stdinFD = child.stdin_fd
        stdoutFD = child.stdout_fd
        stderrFD = child.stderr_fd
        let thread = Thread { [self] in loop() }
        thread.name = "plugin-\(plugin)"
        thread.start()
    }

    /// Whether the process has ended (and why).
    var endReason: PluginFailure? {
        lock.withLock { ended }
    }

    /// When the process ended, if it has.
    var endTime: ContinuousClock.Instant? {
        lock.withLock { endedAt }
    }

    /// What the plugin last wrote to standard error, for messages.
    var recentStandardError: String {
        lock.withLock { String(decoding: stderrTail, as: UTF8.self) }
    }

    /// Sends one message line and waits for the response with the same id,
    /// at most `timeout`; past it the process group is killed.
    func send(_ message: Value, id: Int, timeout: Duration) async -> Reply {
        var line: [UInt8] = []
        JSONWriter.write(message, to: &line)
        line.append(0x0A)
        return await withCheckedContinuation { continuation in
            let failure: PluginFailure? = lock.withLock {
                if let ended { return ended }
                waiters[id] = Waiter(continuation: continuation, deadline: .now + timeout, timeout: timeout)
                outgoing += line
                return nil
            }
            if let failure {
                continuation.resume(returning: .failure(failure))
            } else {
                wake()
            }
        }
    }

    /// Closes the plugin's input (its cue to exit), waits `grace` for it to
    /// exit, then sends SIGTERM to its group, and SIGKILL a second later.
    func stop(grace: Duration) async {
        let alreadyEnded: Bool = lock.withLock {
            if ended == nil, stopRequested == nil { stopRequested = .now + grace }
            return ended != nil
        }
        if alreadyEnded { return }
        wake()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done: Bool = lock.withLock {
                if ended != nil { return true }
                exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Kills the process group now.
    func kill() {
        lock.withLock { killRequested = true }
        wake()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite, &byte, 1)
    }

    // MARK: - The I/O thread

    private func loop() {
        var stdoutOpen = true
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var ending: PluginFailure?
        var gracefulStop = false
        var terminated = false
        var termDeadline: ContinuousClock.Instant?
        while ending == nil {
            let (wantWrite, nearest, stopAt, stdinOpen, stderrOpen, killNow) = lock.withLock {
                (!outgoing.isEmpty, waiters.values.map(\.deadline).min(), stopRequested, stdinFD >= 0, stderrFD >= 0, killRequested)
            }
            if killNow {
                ending = failure(.shutDown, "the plugin was killed", retryable: true)
                break
            }
            if stopAt != nil, stdinOpen {
                // A stop: the plugin's cue is the end of its input.
                lock.withLock {
                    close(stdinFD)
                    stdinFD = -1
                    outgoing = []
                }
                gracefulStop = true
                failAll(PluginFailure(plugin: plugin, reason: .shutDown, message: "the plugin is being stopped", retryable: true))
                continue
            }
            var fds: [pollfd] = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if stdoutOpen { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrOpen { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if wantWrite, stdinOpen { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            // Wake at the nearest deadline, and at least every 100 ms to notice
            // an exited process whose output a grandchild still holds open.
            var wait = Duration.milliseconds(100)
            for deadline in [nearest, stopAt, termDeadline].compactMap({ $0 }) {
                wait = min(wait, max(.zero, deadline - .now))
            }
            let waitMilliseconds = Int32(clamping: (wait + .microseconds(999)).wholeMilliseconds)
            let ready = poll(&fds, nfds_t(fds.count), waitMilliseconds)
            if ready < 0, errno != EINTR { ending = failure(.crashed, "poll failed: \(String(cString: strerror(errno)))"); break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == wakeRead {
                    while read(wakeRead, &buffer, buffer.count) > 0 {}
                } else if entry.fd == stdoutFD {
                    if let problem = readOutput(&buffer, stdoutOpen: &stdoutOpen) { ending = problem }
                } else if entry.fd == stderrFD {
                    readStandardError(&buffer)
                } else if entry.fd == stdinFD {
                    if let problem = writeInput() { ending = problem }
                }
            }
            if ending != nil { break }
            // Has the process itself exited?
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                Glibc.kill(-pid, SIGKILL)
                if stderrOpen { readStandardError(&buffer) }
                ending = gracefulStop
                    ? failure(.shutDown, "the plugin stopped", retryable: true)
                    : failure(.crashed, "the plugin exited (\(Self.describe(status: status)))\(stderrNote())")
                finish(ending!, reaped: true)
                return
            }
            if !stdoutOpen, !gracefulStop {
                // Output closes as the process exits: give the exit a moment to
                // show, so the message can say how it ended.
                for _ in 0..<100 {
                    if waitpid(pid, &status, WNOHANG) == pid {
                        if stderrOpen { readStandardError(&buffer) }
                        let ended = failure(.crashed, "the plugin exited (\(Self.describe(status: status)))\(stderrNote())")
                        finish(ended, reaped: true)
                        return
                    }
                    usleep(5000)
                }
                ending = failure(.crashed, "the plugin closed its output\(stderrNote())")
                break
            }
            let now = ContinuousClock.now
            if gracefulStop, let stopAt {
                if !terminated, now >= stopAt {
                    Glibc.kill(-pid, SIGTERM)
                    terminated = true
                    termDeadline = now + .seconds(1)
                } else if terminated, let termDeadline, now >= termDeadline {
                    ending = failure(.shutDown, "the plugin did not stop in time and was killed", retryable: true)
                    break
                }
            }
            if let nearest, now >= nearest {
                let expired: (Int, Waiter)? = lock.withLock {
                    waiters.first { $0.value.deadline <= now }.map { ($0.key, $0.value) }
                }
                if let (id, waiter) = expired {
                    lock.withLock { waiters[id] = nil }
                    let timeout = failure(
                        .timeout, "no answer within \(waiter.timeout.shortDescription); the plugin's process group was killed")
                    ending = failure(.crashed, "the plugin was killed because another request timed out", retryable: true)
                    // Answered only once the process is killed and reaped: a
                    // caller that sees the timeout never sees the process.
                    finish(ending!, reaped: false)
                    waiter.continuation.resume(returning: .failure(timeout))
                    return
                }
            }
        }
        finish(ending!, reaped: false)
    }

    /// Kills the group, reaps the child, closes everything and fails what is left.
    private func finish(_ reason: PluginFailure, reaped: Bool) {
        Glibc.kill(-pid, SIGKILL)
        if !reaped {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
        // Members of the group forked after the first signal, if any.
        Glibc.kill(-pid, SIGKILL)
        let exitWaiters: [CheckedContinuation<Void, Never>] = lock.withLock {
            ended = reason
            endedAt = .now
            if stdinFD >= 0 { close(stdinFD) }
            stdinFD = -1
            if stderrFD >= 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                readStandardError(&buffer, locked: true)
                close(stderrFD)
            }
            stderrFD = -1
            close(stdoutFD)
            close(wakeRead)
            close(wakeWrite)
            let waiting = self.exitWaiters
            self.exitWaiters = []
            return waiting
        }
        failAll(reason)
        for waiter in exitWaiters { waiter.resume() }
    }

    private func failAll(_ reason: PluginFailure) {
        let failed = lock.withLock {
            let all = waiters.values
            waiters = [:]
            return Array(all)
        }
        for waiter in failed { waiter.continuation.resume(returning: .failure(reason)) }
    }

    private func failure(_ reason: PluginFailure.Reason, _ message: String, retryable: Bool = true) -> PluginFailure {
        PluginFailure(plugin: plugin, reason: reason, message: message, retryable: retryable)
    }

    private func stderrNote() -> String {
        let text = recentStandardError.split(separator: "\n").last.map(String.init) ?? ""
        return text.isEmpty ? "" : "; it said: \(text.prefix(300))"
    }

    /// Reads what is there; returns a failure when the plugin broke the protocol.
    private func readOutput(_ buffer: inout [UInt8], stdoutOpen: inout Bool) -> PluginFailure? {
        while true {
            let count = read(stdoutFD, &buffer, buffer.count)
            if count == 0 {
                stdoutOpen = false
                return nil
            }
            if count < 0 { return errno == EAGAIN || errno == EINTR ? nil : failure(.crashed, "cannot read the plugin's output") }
            var start = 0
            for index in 0..<count where buffer[index] == 0x0A {
                lineBuffer.append(contentsOf: buffer[start..<index])
                start = index + 1
                let line = lineBuffer
                lineBuffer.removeAll(keepingCapacity: true)
                if let problem = handle(line) { return problem }
            }
            lineBuffer.append(contentsOf: buffer[start..<count])
            if lineBuffer.count > limits.maxLineBytes {
                return failure(.outputTooLong, "the plugin wrote a line longer than \(limits.maxLineBytes) bytes; it was killed")
            }
        }
    }

    private func handle(_ line: [UInt8]) -> PluginFailure? {
        if line.count > limits.maxLineBytes {
            return failure(.outputTooLong, "the plugin wrote a line longer than \(limits.maxLineBytes) bytes; it was killed")
        }
        let text = String(decoding: line, as: UTF8.self)
        if text.allSatisfy(\.isWhitespace) { return nil }
        guard let value = try? JSONReader.read(text), let object = value.objectValue else {
            return failure(.protocolViolation, "the plugin wrote a line that is not a JSON object: \(text.prefix(120))")
        }
        guard case .int(let id) = object["id"] ?? .null else {
            return failure(.protocolViolation, "the plugin wrote a response without a numeric `id`: \(text.prefix(120))")
        }
        guard let waiter = lock.withLock({ waiters.removeValue(forKey: id) }) else {
            return failure(.protocolViolation, "the plugin answered request \(id), which is not in flight")
        }
        waiter.continuation.resume(returning: .success(object))
        return nil
    }

    private func readStandardError(_ buffer: inout [UInt8], locked: Bool = false) {
        while true {
            let count = read(locked ? stderrFD : lock.withLock({ stderrFD }), &buffer, buffer.count)
            if count == 0 {
                if !locked {
                    lock.withLock {
                        close(stderrFD)
                        stderrFD = -1
                    }
                }
                return
            }
            if count < 0 { return }
            // Only the tail is kept: a plugin logging without end costs reads, not memory.
            let chunk = buffer[0..<count]
            if !locked { lock.lock() }
            stderrTail.append(contentsOf: chunk)
            if stderrTail.count > limits.stderrTailBytes {
                stderrTail.removeFirst(stderrTail.count - limits.stderrTailBytes)
            }
            if !locked { lock.unlock() }
        }
    }

    private func writeInput() -> PluginFailure? {
        lock.lock()
        defer { lock.unlock() }
        while !outgoing.isEmpty {
            let written = outgoing.withUnsafeBytes { Glibc.write(stdinFD, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EAGAIN || errno == EINTR { return nil }
                return failure(.crashed, "the plugin closed its input")
            }
            outgoing.removeFirst(written)
        }
        return nil
    }

    static func describe(status: Int32) -> String {
        if tf_exited(status) != 0 { return "exit status \(tf_exit_status(status))" }
        if tf_signaled(status) != 0 {
            let signal = tf_term_signal(status)
            let name = [SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGSEGV: "SIGSEGV", SIGXCPU: "SIGXCPU (CPU limit)", SIGABRT: "SIGABRT", SIGXFSZ: "SIGXFSZ (file size limit)"][signal]
            return "killed by \(name ?? "signal \(signal)")"
        }
        return "status \(status)"
    }
}
