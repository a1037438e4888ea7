import ArgumentParser
import Core
import EventLog

struct RecommendationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommendations",
        abstract: "List the product recommendations filed from recurring problems, with their evidence."
    )

    @Option(name: [.customLong("log"), .customLong("store")], help: "The event log: an SQLite file, or a postgres://user@host:port/database URL.")
    var log: String = "ticketflow.sqlite"

    @Option(help: "Output format: text, or json (one recommendation per line).")
    var format: OutputFormat = .text

    func run() async throws {
        guard let store = await Composition.openStore(log, readOnly: true) else { throw ExitCode.problemsFound }
        let states = try await store.tickets(withPrefix: "~recurrence/")
        let recommendations = states.values.compactMap { state -> (Value, Value)? in
            guard let recommendation = state["recommendation"], !recommendation.isNull else { return nil }
            return (state, recommendation)
        }.sorted { ($0.1["filed_at"]?.stringValue ?? "") > ($1.1["filed_at"]?.stringValue ?? "") }
        let output = Output()
        if recommendations.isEmpty, format == .text { output.line("no recommendations filed") }
        for (state, recommendation) in recommendations {
            let tickets = (recommendation["tickets"]?.arrayValue ?? []).compactMap(\.stringValue)
            if format == .json {
                var object = recommendation.objectValue ?? Value.Object()
                object["key"] = state["key"]
                output.line(JSONWriter.string(.object(object)))
                continue
            }
            let id = recommendation["id"]?.stringValue ?? "?"
            let title = recommendation["title"]?.stringValue ?? ""
            output.line("\(id)  \(title)")
            output.line("    key: \(state["key"]?.stringValue ?? "")")
            switch recommendation["intent"]?.stringValue {
            case "problem": output.line("    about: a recurring problem")
            case "request": output.line("    about: a recurring request (a question or wish)")
            default: break
            }
            output.line("    filed \(recommendation["filed_at"]?.stringValue ?? ""), window until \(recommendation["window_ends"]?.stringValue ?? ""), \(counted(recommendation["updates"]?.intValue ?? 0, "update"))")
            output.line("    \(counted(tickets.count, "ticket")): \(tickets.joined(separator: ", "))")
        }
        output.flush()
    }
}
