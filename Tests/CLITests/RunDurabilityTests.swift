import Core
import EventLog
import Foundation
import SQLiteEventLog
import Testing

/// `run` against a real SQLite log: what it records must be what `dry-run`
/// plans, and a run killed at any moment and restarted must end with every
/// event stored once and every effect applied once.
@Suite(.serialized) struct RunDurabilityTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var exampleWorkflows: String { packageRoot.appendingPathComponent("workflows").path }
    static var exampleEvents: URL { packageRoot.appendingPathComponent("examples/events.jsonl") }

    /// A scratch folder where the example workflows find their guides
    /// (`from: guides/`) and the business-hours calendar (`ticketflow.yaml`).
    static func exampleScratch() throws -> Scratch {
        let scratch = try Scratch()
        for shared in ["guides", "ticketflow.yaml"] {
            try FileManager.default.createSymbolicLink(
                at: scratch.root.appendingPathComponent(shared),
                withDestinationURL: packageRoot.appendingPathComponent(shared))
        }
        return scratch
    }

    /// The example events, copied `copies` times with distinct event and ticket ids.
    static func events(copies: Int) throws -> String {
        let lines = try String(contentsOf: exampleEvents, encoding: .utf8).split(separator: "\n")
        var output = ""
        for copy in 0..<copies {
            for line in lines {
                output += line.replacingOccurrences(of: "\"evt-", with: "\"c\(copy)-evt-")
                    .replacingOccurrences(of: "\"T-", with: "\"C\(copy)-T-") + "\n"
            }
        }
        return output
    }

    /// (event, workflow, step) → (action, params, outcome) for every effect `dry-run --format json` plans.
    static func plannedEffects(_ output: String) throws -> [String: String] {
        var effects: [String: String] = [:]
        func walk(_ object: [String: Any]) {
            let event = object["event"] as? String ?? ""
            for workflow in object["workflows"] as? [[String: Any]] ?? [] {
                for effect in workflow["effects"] as? [[String: Any]] ?? [] {
                    let params = (try? JSONSerialization.data(withJSONObject: effect["params"] ?? [:], options: [.sortedKeys]))
                        .map { String(decoding: $0, as: UTF8.self) } ?? ""
                    let key = "\(event) \(workflow["workflow"] as? String ?? "") \(effect["step"] as? String ?? "")"
                    effects[key] = "\(effect["action"] as? String ?? "") \(params) \(effect["outcome"] as? String ?? "")"
                }
            }
            for child in object["cascade"] as? [[String: Any]] ?? [] { walk(child) }
        }
        for line in output.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["summary"] == nil
            else { continue }
            walk(object)
        }
        return effects
    }

    /// The same map read from the log.
    static func recordedEffects(_ store: SQLiteEventStore, eventIDs: [String]) async throws -> [String: String] {
        var effects: [String: String] = [:]
        for id in eventIDs {
            for effect in try await store.effects(eventID: id) {
                let data = try JSONSerialization.data(
                    withJSONObject: JSONSerialization.jsonObject(with: Data(JSONWriter.string(effect.parameters).utf8)),
                    options: [.sortedKeys])
                let key = "\(effect.eventID) \(effect.workflow) \(effect.step)"
                #expect(effects[key] == nil, "effect \(key) recorded twice")
                effects[key] = "\(effect.action) \(String(decoding: data, as: UTF8.self)) \(effect.outcome)"
            }
        }
        return effects
    }

    @Test func run_recordsExactlyWhatDryRunPlans() async throws {
        let scratch = try Self.exampleScratch()
        try scratch.write("events.jsonl", try String(contentsOf: Self.exampleEvents, encoding: .utf8))
        let planned = try await scratch.run("dry-run", "--format", "json", "--workflows", Self.exampleWorkflows, "events.jsonl")
        #expect(planned.status == 0)
        let ran = try await scratch.run("run", "--workflows", Self.exampleWorkflows, "--log", "log.sqlite", "events.jsonl")
        #expect(ran.status == 0, "\(ran.stderr)")
        let store = try SQLiteEventStore(path: scratch.root.appendingPathComponent("log.sqlite").path, readOnly: true)
        let all = try await store.records(after: 0, limit: 1_000_000)
        let expected = try Self.plannedEffects(planned.stdout)
        #expect(expected.count > 100)
        #expect(try await Self.recordedEffects(store, eventIDs: all.map(\.event.id)) == expected)
    }

    @Test func run_whenRunAgainOnTheSameFile_storesAndAppliesNothingNew() async throws {
        let scratch = try Self.exampleScratch()
        try scratch.write("events.jsonl", try String(contentsOf: Self.exampleEvents, encoding: .utf8))
        let first = try await scratch.run("run", "--workflows", Self.exampleWorkflows, "--log", "log.sqlite", "events.jsonl")
        #expect(first.status == 0)
        let second = try await scratch.run("run", "--workflows", Self.exampleWorkflows, "--log", "log.sqlite", "events.jsonl")
        #expect(second.status == 0)
        #expect(second.stdout.contains("377 events read, 0 stored, 377 already in the log; 0 events processed"))
    }

    @Test func run_whenKilledAtRandomPointsAndRestarted_losesNothingAndAppliesNothingTwice() async throws {
        let scratch = try Self.exampleScratch()
        let text = try Self.events(copies: 8)
        try scratch.write("events.jsonl", text)
        let eventCount = text.split(separator: "\n").count
        let planned = try await scratch.run("dry-run", "--format", "json", "--workflows", Self.exampleWorkflows, "events.jsonl")
        let expected = try Self.plannedEffects(planned.stdout)

        // Seeded, so a failing sequence of kill points can be replayed.
        var generator = SeededGenerator(seed: 1042)
        var kills = 0
        var finished = false
        // Twenty runs killed at random moments, then one left to finish.
        for cycle in 0...20 where !finished {
            let process = Process()
            process.executableURL = try TicketflowBinary.url()
            process.arguments = [
                "run", "--quiet", "--batch-size", "40", "--workflows", Self.exampleWorkflows, "--log", "log.sqlite",
                "events.jsonl",
            ]
            process.currentDirectoryURL = scratch.root
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            if cycle < 20 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...600, using: &generator)))
            }
            if cycle < 20, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            finished = process.terminationReason == .exit && process.terminationStatus == 0
        }
        #expect(finished, "run never completed")
        #expect(kills >= 5, "the run was too quick to be interrupted; the test proved little")

        let store = try SQLiteEventStore(path: scratch.root.appendingPathComponent("log.sqlite").path)
        #expect(try store.integrityCheck() == "ok")
        let all = try await store.records(after: 0, limit: 10_000_000)
        #expect(all.map(\.position) == Array(1...Int64(all.count)), "positions are not contiguous")
        #expect(Set(all.map(\.event.id)).count == all.count, "an event is stored twice")
        #expect(all.filter(\.isIncoming).count == eventCount)
        #expect(try await Self.recordedEffects(store, eventIDs: all.map(\.event.id)) == expected)
        // The checkpoint covers every incoming event (engine events after it were processed in their cascade).
        #expect(try await store.checkpoint(consumer: "engine") >= all.last(where: \.isIncoming)?.position ?? 0)
    }
}

/// A small deterministic generator (SplitMix64) for reproducible kill points.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
