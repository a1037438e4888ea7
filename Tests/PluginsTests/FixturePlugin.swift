import Foundation
import Plugins

/// A plugin written for the tests, in Python: one action per way a plugin
/// can behave (or misbehave), in a fresh temporary folder.
final class FixturePlugin {
    let root: URL
    let manifest: PluginManifest

    /// - Parameters:
    ///   - name: the plugin's name (and folder).
    ///   - extraManifest: lines added to `plugin.yaml` (top-level keys).
    init(name: String = "fixture", timeout: String = "1s", extraManifest: String = "", protocolVersion: Int = 1) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ticketflow-plugins-\(UUID().uuidString)")
        let folder = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Self.script(protocolVersion: protocolVersion).utf8).write(to: folder.appendingPathComponent("fixture.py"))
        let manifestText = """
            name: \(name)
            version: 0.1.0
            protocol: 1
            command: [\(Self.python), fixture.py, "--literal", "$HOME; echo"]
            env: [FIXTURE_ALLOWED]
            timeout: \(timeout)
            startup_timeout: 10s
            retry: { attempts: 3, backoff: 100ms, max_backoff: 1s }
            limits: { cpu_seconds: 77, memory_mb: 2048, processes: 55, file_size_mb: 3, open_files: 64, output_line_kb: 4096 }
            max_in_flight: 8
            \(extraManifest)
            actions:
              echo:
                parameters:
                  text: { type: string, required: true }
              slow_echo:
                parameters:
                  text: { type: string, required: true }
                  delay_ms: int
              hang:
              flood_line:
              flood_lines:
              crash:
              spawn:
              fork_bomb:
              inspect:
              fail:
                retryable: true
                parameters:
                  retryable: bool
            """
        try Data(manifestText.utf8).write(to: folder.appendingPathComponent("plugin.yaml"))
        let (loaded, diagnostics) = PluginManifestLoader.load(file: folder.appendingPathComponent("plugin.yaml").path)
        guard let loaded else { throw FixtureError(message: diagnostics.map(\.description).joined(separator: "\n")) }
        manifest = loaded
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The Python interpreter itself (not a launcher script on PATH, which
    /// may set variables of its own), asked once.
    static let python: String = {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    /// A file the plugin writes process ids into.
    var pidFile: URL { root.appendingPathComponent("pids") }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func script(protocolVersion: Int) -> String {
        """
        import json, os, resource, sys, threading, time
        lock = threading.Lock()
        PIDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pids")
        def reply(message):
            with lock:
                sys.stdout.write(json.dumps(message) + "\\n")
                sys.stdout.flush()
        def note_pid(pid):
            with open(PIDS, "a") as f:
                f.write("%d\\n" % pid)
        def handle(request):
            action, params, rid = request["action"], request["params"], request["id"]
            if action == "echo":
                reply({"id": rid, "result": {"params": params, "request": request}})
            elif action == "slow_echo":
                time.sleep(params.get("delay_ms", 0) / 1000.0)
                reply({"id": rid, "result": {"text": params["text"]}})
            elif action == "hang":
                note_pid(os.getpid())
                time.sleep(10000)
            elif action == "flood_line":
                chunk = "x" * 65536
                while True:
                    sys.stdout.write(chunk)
            elif action == "flood_lines":
                while True:
                    sys.stdout.write("noise\\n" * 10000)
            elif action == "crash":
                os._exit(3)
            elif action == "spawn":
                note_pid(os.getpid())
                for _ in range(5):
                    pid = os.fork()
                    if pid == 0:
                        time.sleep(10000)
                        os._exit(0)
                    note_pid(pid)
                time.sleep(10000)
            elif action == "fork_bomb":
                note_pid(os.getpid())
                for _ in range(40):
                    try:
                        pid = os.fork()
                    except OSError:
                        break
                    if pid == 0:
                        time.sleep(10000)
                        os._exit(0)
                    note_pid(pid)
                time.sleep(10000)
            elif action == "inspect":
                limits = {name: resource.getrlimit(getattr(resource, name))[0] for name in
                          ["RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE"]}
                reply({"id": rid, "result": {"argv": sys.argv, "env": dict(os.environ), "limits": limits,
                       "pgid": os.getpgid(0), "pid": os.getpid(), "cwd": os.path.basename(os.getcwd())}})
            elif action == "fail":
                reply({"id": rid, "error": {"message": "it failed", "retryable": params.get("retryable", True)}})
        for line in sys.stdin:
            request = json.loads(line)
            if request["type"] == "handshake":
                reply({"id": request["id"], "result": {"protocol": \(protocolVersion), "actions": request["actions"]}})
            else:
                threading.Thread(target=handle, args=(request,), daemon=True).start()
        """
    }
}

/// Whether a process is still running (a zombie waiting to be reaped by init counts as gone).
func isRunning(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// The process ids a fixture wrote to its pid file.
func recordedPIDs(_ file: URL) -> [Int32] {
    ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
}
