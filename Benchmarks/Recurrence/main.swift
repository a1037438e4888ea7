// What the recurrence state of `file_product_recommendation` costs per event
// once the log holds many tickets. Events take the path of `ticketflow run`:
// appended to a fresh SQLite log in a temporary folder, then processed and
// committed by a LogConsumer in batches, so each figure includes loading the
// shared state, updating it and committing it with the batch.
//
// Three workflows, each on its own log, over tickets made the same way:
//
//   key       file_product_recommendation keyed on product area and first tag
//             (200 keys; at_least 5 within 7d), then a tag;
//   baseline  the same workflow without the recommendation step;
//   text      the recommendation step with `by: text`, then a tag. Its state
//             holds every live group with all its tickets, so it is measured
//             at a few sizes (--text-sizes), smaller than TICKETS by default.
//
// At each size the log is first filled through the engine, then SAMPLE more
// tickets are appended and processed in batches as `run` does, and timed.
//
//     ticketflow-bench-recurrence [TICKETS] [SAMPLE] [--batch N] [--text-sizes N,N,...]
//                                 [--text-sample N] [--text-days D] [--root DIR] [--model DIR]
//
// TICKETS (default 100000) and the tickets of the text section at its largest
// size (default 10000) each span three days of event time, all within the
// window; --text-days spreads the text tickets over more days, to see the
// index keep tickets older than the window. SAMPLE defaults to 2000 (the
// text section takes at most 500 unless --text-sample says). --batch is the
// batch size of the samples (default 500, as `run`).
//
// ROOT (default: the current folder) holds guides/ and
// Benchmarks/quality/groups.jsonl, whose texts the tickets say. The knowledge
// base is built on words only, as with TICKETFLOW_MODEL=off, unless --model
// names a sentence encoder's folder.
import Actions
import Core
import Engine
import EventLog
import Foundation
import SQLiteEventLog
import SentenceEmbedding
import Workflows

/// The command line, read once.
struct Options {
    var tickets = 100_000
    var sample = 2_000
    var batch = 500
    var textSizes = [1_000, 3_000, 10_000]
    var textSample: Int?
    var textDays = 3.0
    var root = "."
    var model: String?

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var positional: [Int] = []
        var rest = arguments[...]
        func value(_ flag: String) -> String {
            guard let next = rest.popFirst() else { usage("\(flag) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--batch": options.batch = Int(value(argument)) ?? 0
            case "--text-sizes": options.textSizes = value(argument).split(separator: ",").compactMap { Int($0) }
            case "--text-sample": options.textSample = Int(value(argument))
            case "--text-days": options.textDays = Double(value(argument)) ?? 0
            case "--root": options.root = value(argument)
            case "--model": options.model = value(argument)
            default:
                guard let number = Int(argument), !argument.hasPrefix("-") else { usage("unknown argument \(argument)") }
                positional.append(number)
            }
        }
        if positional.count > 0 { options.tickets = positional[0] }
        if positional.count > 1 { options.sample = positional[1] }
        guard positional.count <= 2, options.tickets > 0, options.sample > 0, options.batch > 0,
            options.textSizes.allSatisfy({ $0 > 0 }), options.textSample ?? 1 > 0, options.textDays > 0
        else { usage("TICKETS, SAMPLE, --batch, --text-sizes, --text-sample and --text-days must be positive numbers") }
        return options
    }

    static func usage(_ problem: String) -> Never {
        FileHandle.standardError.write(Data("""
            \(problem)
            usage: ticketflow-bench-recurrence [TICKETS] [SAMPLE] [--batch N] [--text-sizes N,N,...] [--text-sample N] [--text-days D] [--root DIR] [--model DIR]

            """.utf8))
        exit(64)
    }
}

/// SplitMix64: a small deterministic generator, so every log gets the same tickets.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Makes ticket number N's `ticket.created` event, the same in every log:
/// one of 200 product-area/tag keys, a text from the labelled grouping set
/// with a workspace reference of its own, one ticket every `spacing` of
/// event time from a fixed start.
struct TicketMaker {
    static let areas = [
        "accounts", "billing", "reports", "exports", "imports", "dashboards", "charts", "sharing", "mobile", "api",
        "integrations", "notifications", "permissions", "sso", "search", "forms", "automations", "calendar", "files",
        "admin",
    ]
    static let tags = ["error", "slow", "missing-data", "crash", "login", "export", "sync", "limit", "ui", "email"]
    static let openers = ["", "Hi team, ", "Hello, ", "Urgent: ", "Since this morning ", "Quick question: "]
    static var keys: Int { areas.count * tags.count }

    let texts: [String]
    let start = Timestamp.parse("2026-01-05T08:00:00Z")!
    let spacing: Int64

    func time(_ number: Int) -> Timestamp { start.adding(TimeSpan(milliseconds: spacing * Int64(number))) }

    func event(_ number: Int) -> Event {
        var random = SplitMix(state: UInt64(number) &* 0x2545_F491_4F6C_DD1D &+ 17)
        let key = random.below(Self.keys)
        let text = texts[random.below(texts.count)]
        let opener = Self.openers[random.below(Self.openers.count)]
        let workspace = 10_000 + random.below(90_000)
        let time = time(number)
        let payload: Value = [
            "id": .string("e\(number)"), "type": "ticket.created", "occurred_at": .string(time.description),
            "ticket": [
                "id": .string("T-\(number)"), "subject": .string(text),
                "description": .string("\(opener)\(text). Workspace ws-\(workspace)."),
                "status": "new", "priority": "normal", "channel": "email",
                "tags": .array([.string(Self.tags[key % Self.tags.count])]),
                "product_area": .string(Self.areas[key / Self.tags.count]),
                "requester": ["id": .string("U-\(workspace)"), "email": .string("user\(workspace)@example.com"), "plan": "pro"],
            ],
        ]
        return try! EventDecoder.decode(payload).get()
    }
}

/// What one timed sample cost.
struct Sample {
    var events = 0
    var append: Duration = .zero
    var process: Duration = .zero
    var followUps = 0
    /// CPU time of the whole process (every thread, SQLite's writer included):
    /// less disturbed than wall time when other work shares the machine.
    var cpu: Duration = .zero

    var microsecondsPerEvent: Double { Measure.seconds(append + process) * 1e6 / Double(events) }
    var appendMicroseconds: Double { Measure.seconds(append) * 1e6 / Double(events) }
    var processMicroseconds: Double { Measure.seconds(process) * 1e6 / Double(events) }
    var cpuMicroseconds: Double { Measure.seconds(cpu) * 1e6 / Double(events) }
}

enum Measure {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// CPU time used so far by the process, every thread.
    static func processCPU() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    static func statusMiB(_ field: String) -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }

    /// Peak resident memory since the start, or since the last `resetPeak`.
    static func peakMiB() -> Double { statusMiB("VmHWM") }

    /// Starts a new peak at the present resident size (Linux: writing 5 to
    /// clear_refs resets VmHWM) and returns the peak it ended; where that is
    /// not allowed, `resets` is false and every peak is the whole run's so far.
    static func resetPeak() -> (ended: Double, resets: Bool) {
        let ended = peakMiB()
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return (ended, false) }
        defer { try? handle.close() }
        return (ended, (try? handle.write(contentsOf: Data("5".utf8))) != nil)
    }

    static let wallClock: @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) }
}

/// One workflow's log: a fresh SQLite file and the consumer `run` would use on it.
struct BenchLog {
    let name: String
    let store: SQLiteEventStore
    var consumer: LogConsumer
    var statistics = LogConsumer.Statistics()
    /// Tickets appended so far; the next one's number.
    var tickets = 0

    init(name: String, folder: String, workflow: Workflow, actions: ActionRegistry, batch: Int) throws {
        self.name = name
        store = try SQLiteEventStore(path: folder + "/\(name).sqlite")
        let engine = Engine(
            workflows: WorkflowSet([workflow]), actions: actions, options: Engine.Options(explainNonMatches: true))
        consumer = LogConsumer(engine: engine, store: store, now: Measure.wallClock, batchSize: batch)
    }

    /// Appends events and processes them as `run` does: the appended records
    /// handed to the consumer, which commits effects, follow-ups, ticket and
    /// shared state and its checkpoint in one transaction per batch.
    mutating func run(_ events: [Event]) async throws -> (append: Duration, process: Duration) {
        let clock = ContinuousClock()
        let began = clock.now
        let recordedAt = Measure.wallClock()
        let outcomes = try await store.append(events, recordedAt: recordedAt)
        var appended: [LogRecord] = []
        for (event, outcome) in zip(events, outcomes) {
            guard case .appended(let position) = outcome else { fatalError("\(event.id) was not appended: \(outcome)") }
            appended.append(LogRecord(position: position, event: event, recordedAt: recordedAt, causation: nil))
        }
        let stored = clock.now
        try await consumer.drain(into: &statistics, known: appended)
        tickets += events.count
        return (stored - began, clock.now - stored)
    }

    /// Fills the log up to `count` tickets in large batches; returns the time taken.
    mutating func fill(to count: Int, maker: TicketMaker) async throws -> Duration {
        let clock = ContinuousClock()
        let began = clock.now
        let saved = consumer.batchSize
        consumer.batchSize = 5_000
        defer { consumer.batchSize = saved }
        while tickets < count {
            _ = try await run((tickets..<min(count, tickets + 5_000)).map(maker.event))
        }
        return clock.now - began
    }

    /// Appends and processes one batch, timed, adding it to `sample`.
    mutating func timed(_ events: [Event], into sample: inout Sample) async throws {
        let followUpsBefore = statistics.followUpEvents
        let cpuBefore = Measure.processCPU()
        let (append, process) = try await run(events)
        sample.cpu += Measure.processCPU() - cpuBefore
        sample.events += events.count
        sample.append += append
        sample.process += process
        sample.followUps += statistics.followUpEvents - followUpsBefore
    }

    /// The shared state stored under `prefix`: how many entries, how many bytes of JSON.
    func sharedState(_ prefix: String) async throws -> (entries: [String: Value], bytes: Int) {
        let entries = try await store.tickets(withPrefix: prefix)
        return (entries, entries.values.reduce(0) { $0 + JSONWriter.string($1).utf8.count })
    }
}

@main
struct RecurrenceBenchmark {
    static func main() async throws {
        try await measure()
    }

    static func workflow(_ yaml: String, file: String) -> Workflow {
        let (workflow, diagnostics) = WorkflowLoader(catalog: BuiltinActions.registry.catalog).loadText(Array(yaml.utf8), file: file)
        guard let workflow, !diagnostics.hasErrors else {
            for diagnostic in diagnostics { FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8)) }
            exit(1)
        }
        return workflow
    }

    static let keyed = workflow("""
        workflow: recurring-by-key
        on: ticket.created
        steps:
          - file_product_recommendation:
              title: "Recurring: {{ ticket.product_area }} / {{ ticket.tags.0 }}"
              when_recurs: { key: "{{ ticket.product_area }}/{{ ticket.tags.0 }}", at_least: 5, within: 7d }
          - tag: triaged
        """, file: "recurring-by-key.yaml")

    static let baseline = workflow("""
        workflow: recurring-by-key
        on: ticket.created
        steps:
          - tag: triaged
        """, file: "recurring-by-key.yaml")

    static let byText = workflow("""
        workflow: recurring-by-text
        on: ticket.created
        steps:
          - file_product_recommendation:
              title: "Recurring problem: {{ ticket.subject }}"
              when_recurs: { by: text, at_least: 5, within: 7d }
          - tag: triaged
        """, file: "recurring-by-text.yaml")

    /// Written at once, unbuffered, so progress shows while the run goes on.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func describe(_ sample: Sample) -> String {
        String(
            format: "%7.1f µs/event (append %.1f, process and commit %.1f; CPU %.1f), %d follow-up events",
            sample.microsecondsPerEvent, sample.appendMicroseconds, sample.processMicroseconds, sample.cpuMicroseconds,
            sample.followUps)
    }

    static func kilobytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / 1_048_576) : String(format: "%.0f KB", Double(bytes) / 1024)
    }

    /// Not on the main actor: the consumer's async work runs where it is called.
    nonisolated static func measure() async throws {
        let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
        let texts = try readTexts(options.root + "/Benchmarks/quality/groups.jsonl")

        var encoder: SentenceEncoder?
        if let model = options.model {
            do {
                encoder = try SentenceEncoder(directory: model)
            } catch {
                FileHandle.standardError.write(Data("cannot load the sentence encoder from \(model): \(error)\n".utf8))
                exit(1)
            }
        }
        let (knowledgeBase, problems) = KnowledgeBase.load(
            directory: options.root + "/guides", encoder: encoder, cache: encoder.map { EncodingCache(encoder: $0) })
        guard !problems.hasErrors, !knowledgeBase.guides.isEmpty else {
            for problem in problems { FileHandle.standardError.write(Data((problem.description + "\n").utf8)) }
            FileHandle.standardError.write(Data("no guides under \(options.root)/guides: run from the repository root or pass --root\n".utf8))
            exit(1)
        }
        let actions = BuiltinActions.registry(knowledgeBases: [SuggestGuideAction.defaultFolder: knowledgeBase])
        let meaning = encoder.map { "words and meaning (sentence encoder \($0.directory))" }
            ?? "words only, no sentence encoder (as TICKETFLOW_MODEL=off; --model DIR to use one)"

        // TICKETS over three days of event time: all within the 7-day window.
        let maker = TicketMaker(texts: texts, spacing: max(1, 3 * 86_400_000 / Int64(options.tickets)))
        let textSample = options.textSample ?? min(options.sample, 500)
        let textTickets = (options.textSizes.max() ?? 0) + textSample
        let textMaker = TicketMaker(
            texts: texts, spacing: max(1, Int64(options.textDays * 86_400_000) / Int64(max(1, textTickets))))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ticketflow-bench-recurrence-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        /// The whole run's peak, kept across the resets that give each sample its own.
        var overallPeak = 0.0
        func startPeak() -> Bool {
            let (ended, resets) = Measure.resetPeak()
            overallPeak = max(overallPeak, ended)
            return resets
        }
        func finish() {
            _ = startPeak()
            line("")
            line(String(format: "peak RSS: %.0f MiB over the whole run (VmHWM)", overallPeak))
        }
        let peakResets = startPeak()
        line("knowledge base: \(knowledgeBase.guides.count) guides, \(meaning)")
        line(String(
            format: "tickets: %d keys (%d product areas x %d tags), texts from %d labelled tickets, one ticket every %.1f s of event time",
            TicketMaker.keys, TicketMaker.areas.count, TicketMaker.tags.count, texts.count, Double(maker.spacing) / 1000))
        line("each sample: new tickets appended and processed in batches of \(options.batch), as `ticketflow run` does (SQLite log, synchronous=FULL)")
        if !peakResets { line("note: the peak RSS cannot be reset here, so every peak is the whole run's so far") }

        // Key and baseline, at a few sizes up to TICKETS.
        let sizes = Set([1_000, 10_000, options.tickets].filter { $0 <= options.tickets }).sorted()
        var keyed = try BenchLog(name: "key", folder: folder, workflow: Self.keyed, actions: actions, batch: options.batch)
        var plain = try BenchLog(name: "baseline", folder: folder, workflow: Self.baseline, actions: actions, batch: options.batch)
        line("")
        line("(a) key: \(TicketMaker.keys) keys, at_least 5 within 7d; (b) baseline: the same workflow without the recommendation step")
        var shares: [(tickets: Int, wall: Double, cpu: Double)] = []
        for size in sizes {
            let filledKeyed = try await keyed.fill(to: size, maker: maker)
            let filledPlain = try await plain.fill(to: size, maker: maker)
            let inLog = keyed.tickets
            // The same new tickets for both logs, batch by batch in turn, so
            // that whatever else the machine does weighs on both alike.
            let events = (inLog..<(inLog + options.sample)).map(maker.event)
            var samples = [Sample(), Sample()]
            _ = startPeak()
            for first in stride(from: 0, to: events.count, by: options.batch) {
                let batch = Array(events[first..<min(events.count, first + options.batch)])
                try await keyed.timed(batch, into: &samples[0])
                try await plain.timed(batch, into: &samples[1])
            }
            let peak = Measure.peakMiB()
            let (entries, bytes) = try await keyed.sharedState("~recurrence/")
            line(String(
                format: "key      %6d tickets in log (filled in %.1f s): %@; state: %d keys, %@",
                inLog, Measure.seconds(filledKeyed), describe(samples[0]), entries.count, kilobytes(bytes)))
            line(String(
                format: "baseline %6d tickets in log (filled in %.1f s): %@",
                inLog, Measure.seconds(filledPlain), describe(samples[1])))
            line(String(format: "         peak RSS while sampling both: %.0f MiB", peak))
            shares.append((
                inLog, samples[0].microsecondsPerEvent - samples[1].microsecondsPerEvent,
                samples[0].cpuMicroseconds - samples[1].cpuMicroseconds))
        }
        for share in shares {
            line(String(
                format: "recurrence share (key - baseline) with %d tickets in log: %.1f µs/event (CPU %.1f)",
                share.tickets, share.wall, share.cpu))
        }
        try keyed.store.close()
        try plain.store.close()

        // Text: the index of live groups is rebuilt from state and written back on every event.
        guard !options.textSizes.isEmpty else { return finish() }
        line("")
        line(String(
            format: "(c) text: by: text, at_least 5 within 7d; %d tickets per sample; one ticket every %.1f s of event time (%d over %.1f days)",
            textSample, Double(textMaker.spacing) / 1000, textTickets, options.textDays))
        let window = Int(7 * 86_400_000 / textMaker.spacing)
        var text = try BenchLog(name: "text", folder: folder, workflow: byText, actions: actions, batch: options.batch)
        for size in options.textSizes.sorted() where size >= text.tickets {
            let before = text.tickets
            let filled = try await text.fill(to: size, maker: textMaker)
            let inLog = text.tickets
            let events = (inLog..<(inLog + textSample)).map(textMaker.event)
            var sample = Sample()
            _ = startPeak()
            for first in stride(from: 0, to: events.count, by: options.batch) {
                try await text.timed(Array(events[first..<min(events.count, first + options.batch)]), into: &sample)
            }
            let peak = Measure.peakMiB()
            let (entries, bytes) = try await text.sharedState("~text-groups/")
            let groups = entries.values.reduce(0) { $0 + ($1["groups"]?.arrayValue?.count ?? 0) }
            let grouped = entries.values.reduce(0) { total, state in
                total + (state["groups"]?.arrayValue ?? []).reduce(0) { $0 + ($1["tickets"]?.arrayValue?.count ?? 0) }
            }
            line(String(
                format: "text     %6d tickets in log (filled in %.1f s, %.0f µs/ticket): %@; index after: %d groups holding %d tickets (%d within the window), %@; peak RSS %.0f MiB",
                inLog, Measure.seconds(filled), Measure.seconds(filled) * 1e6 / Double(max(1, inLog - before)),
                describe(sample), groups, grouped, min(text.tickets, window), kilobytes(bytes), peak))
        }
        try text.store.close()
        finish()
    }

    static func readTexts(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("cannot read \(path): run from the repository root or pass --root\n".utf8))
            exit(1)
        }
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            try JSONReader.read(String(line))["text"]?.stringValue
        }
    }
}
