import ArgumentParser
import Core
import Plugins

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue a parked plugin call for another round of tries.",
        discussion: """
            EFFECT_ID is the call's effect key, `EVENT/WORKFLOW/STEP`, as `log` and `explain` show \
            it. The request is recorded in the log; the next `ticketflow run` (or the daemon) sends \
            it, with the same idempotency key, and a fresh budget of tries.
            """
    )

    @Option(name: .long, help: "The event log (an SQLite file).")
    var log: String = "ticketflow.sqlite"

    @Argument(help: "The effect id of a parked plugin call, e.g. evt-1/notify-support/1.")
    var effectID: String

    func run() async throws {
        guard let store = await Composition.openStore(log) else { throw ExitCode.problemsFound }
        do {
            let message = try await PluginDispatcher.requestRetry(of: effectID, store: store, now: Composition.now())
            let output = Output()
            output.line(message)
            output.flush()
        } catch let refused as PluginDispatcher.RetryRefused {
            Output.standardError.line("error: \(refused.message)")
            Output.standardError.flush()
            throw ExitCode.problemsFound
        }
    }
}
