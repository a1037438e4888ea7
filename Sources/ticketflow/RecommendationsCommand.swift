import ArgumentParser
import Core
import EventLog

struct RecommendationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommendations",
        abstract: "List the product recommendations filed from recurring problems, newest first, with their evidence."
    )

    @Option(name: [.customLong("log"), .customLong("store")], help: "The event log: an SQLite file, or a postgres://user@host:port/database URL.")
    var log: String = "ticketflow.sqlite"

    @Option(help: "Output format: text, or json (one recommendation per line).")
    var format: OutputFormat = .text

    func run() async throws {
        guard let store = await Composition.openStore(log, readOnly: true) else { throw ExitCode.problemsFound }
        let states = try await store.tickets(withPrefix: "~recurrence/")
        // The latest recommendation of each key (open until its window ends), and those filed before it.
        let now = Composition.now()
        func time(_ recommendation: Value, _ field: String) -> Timestamp {
            recommendation[field]?.stringValue.flatMap(Timestamp.parse) ?? Timestamp(millisecondsSinceEpoch: 0)
        }
        var recommendations: [(key: Value?, recommendation: Value, open: Bool)] = []
        for state in states.values {
            if let latest = state["recommendation"], !latest.isNull {
                recommendations.append((state["key"], latest, now < time(latest, "window_ends")))
            }
            for closed in state["past"]?.arrayValue ?? [] { recommendations.append((state["key"], closed, false)) }
        }
        recommendations.sort {
            let (left, right) = (time($0.recommendation, "filed_at"), time($1.recommendation, "filed_at"))
            return left != right ? left > right : ($0.recommendation["id"]?.stringValue ?? "") < ($1.recommendation["id"]?.stringValue ?? "")
        }
        let output = Output()
        if recommendations.isEmpty, format == .text { output.line("no recommendations filed") }
        for (key, recommendation, open) in recommendations {
            let tickets = (recommendation["tickets"]?.arrayValue ?? []).compactMap(\.stringValue)
            let count = recommendation["count"]?.intValue ?? tickets.count
            if format == .json {
                var object = recommendation.objectValue ?? Value.Object()
                object["key"] = key
                object["open"] = .bool(open)
                output.line(JSONWriter.string(.object(object)))
                continue
            }
            let id = recommendation["id"]?.stringValue ?? "?"
            let title = recommendation["title"]?.stringValue ?? ""
            output.line("\(id)  \(title)")
            output.line("    key: \(key?.stringValue ?? "")")
            switch recommendation["intent"]?.stringValue {
            case "problem": output.line("    about: a recurring problem")
            case "request": output.line("    about: a recurring request (a question or wish)")
            default: break
            }
            let window = open ? "window until" : "closed, its window ended"
            output.line("    filed \(recommendation["filed_at"]?.stringValue ?? ""), \(window) \(recommendation["window_ends"]?.stringValue ?? ""), \(counted(recommendation["updates"]?.intValue ?? 0, "update"))")
            let more = count > tickets.count ? " and \(count - tickets.count) more" : ""
            output.line("    \(counted(count, "ticket")): \(tickets.joined(separator: ", "))\(more)")
        }
        output.flush()
    }
}
