import Core
import Foundation
import Plugins

// Round trips to a trivial plugin (a Python loop that answers each line at
// once), with 1 and with 8 requests in flight, and what a restart costs.
//
//   ticketflow-bench-plugins [REQUESTS] [RESTART_DELAY_MS]      (defaults 20000, 100)

let requests = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000

/// The interpreter itself, not a launcher script that would add its own start-up time.
func pythonExecutable() -> String {
    let process = Process()
    let pipe = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
    process.standardOutput = pipe
    try? process.run()
    process.waitUntilExit()
    return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ticketflow-bench-plugins-\(getpid())/trivial")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
try Data("""
    import json, sys
    for line in sys.stdin:
        request = json.loads(line)
        if request["type"] == "handshake":
            answer = {"id": request["id"], "result": {"protocol": 1, "actions": ["echo"]}}
        else:
            answer = {"id": request["id"], "result": {"ok": True}}
        sys.stdout.write(json.dumps(answer) + "\\n")
        sys.stdout.flush()
    """.utf8).write(to: folder.appendingPathComponent("trivial.py"))
try Data("""
    name: trivial
    version: 1.0.0
    protocol: 1
    command: [\(pythonExecutable()), trivial.py]
    timeout: 10s
    actions:
      echo:
        parameters:
          text: string
    """.utf8).write(to: folder.appendingPathComponent("plugin.yaml"))
guard let manifest = PluginManifestLoader.load(file: folder.appendingPathComponent("plugin.yaml").path).0 else {
    fatalError("the benchmark's manifest is invalid")
}

func request(_ index: Int) -> PluginRequest {
    PluginRequest(
        action: "echo", idempotencyKey: "bench/\(index)", parameters: Value.Object([("text", .string("Export to CSV fails for ticket \(index)"))]),
        ticketID: "T-\(index)", eventID: "e\(index)", workflow: "bench", step: "1")
}

func percentile(_ sorted: [Duration], _ fraction: Double) -> Double {
    let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    return Double(value.wholeMilliseconds) + Double(value.components.attoseconds % 1_000_000_000_000_000) / 1e15
}

func measure(inFlight: Int, host: PluginHost) async -> (perSecond: Double, p50: Double, p99: Double) {
    let each = requests / inFlight
    let started = ContinuousClock.now
    let latencies = await withTaskGroup(of: [Duration].self) { group in
        for worker in 0..<inFlight {
            group.addTask {
                var times: [Duration] = []
                times.reserveCapacity(each)
                for index in 0..<each {
                    let sent = ContinuousClock.now
                    guard case .success = await host.call(request(worker * each + index)) else { fatalError("a call failed") }
                    times.append(ContinuousClock.now - sent)
                }
                return times
            }
        }
        var all: [Duration] = []
        for await part in group { all += part }
        return all.sorted()
    }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.wholeMilliseconds) / 1000
    return (Double(latencies.count) / seconds, percentile(latencies, 0.5), percentile(latencies, 0.99))
}

let restartDelay = CommandLine.arguments.count > 2 ? Int64(CommandLine.arguments[2]) ?? 100 : 100
let host = PluginHost(manifest: manifest, restartBackoff: .milliseconds(restartDelay))
let coldStart = ContinuousClock.now
guard case .success = await host.call(request(0)) else { fatalError("the trivial plugin did not start") }
let cold = ContinuousClock.now - coldStart
_ = await measure(inFlight: 1, host: host)  // warm-up
for inFlight in [1, 8] {
    let result = await measure(inFlight: inFlight, host: host)
    print(String(
        format: "plugin round trips, %d in flight      %8.0f requests/s  p50 %.3f ms  p99 %.3f ms  (%d requests)",
        inFlight, result.perSecond, result.p50, result.p99, requests))
}

// A restart: the process is killed; the next call starts a new one (after
// the host's restart delay, counted from the death) and does the handshake.
var restarts: [Duration] = []
for round in 0..<10 {
    await host.kill()
    try await Task.sleep(for: .milliseconds(300))  // past the restart delay: the cost measured is the start itself
    let started = ContinuousClock.now
    guard case .success = await host.call(request(round)) else { fatalError("no restart") }
    restarts.append(ContinuousClock.now - started)
}
restarts.sort()
print(String(format: "plugin cold start (spawn + handshake + first call)  %.1f ms", Double(cold.wholeMilliseconds)))
print(String(
    format: "plugin restart after a kill (spawn + handshake + call)  median %.1f ms  max %.1f ms  (10 restarts, each 300 ms after the kill, past the %d ms restart delay)",
    percentile(restarts, 0.5), percentile(restarts, 0.99), Int(restartDelay)))
print("plugin processes started: \(await host.starts)")
await host.shutdown()
