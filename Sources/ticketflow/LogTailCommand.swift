import ArgumentParser
import Core
import EventLog

struct LogTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "Print the last records of the log.")

    @OptionGroup var options: LogOptions

    @Option(name: [.customShort("n"), .long], help: "How many records.")
    var count: Int = 20

    func run() async throws {
        guard let store = await Composition.openStore(options.log, readOnly: true) else { throw ExitCode.problemsFound }
        let output = Output()
        for record in try await store.tail(max(0, count)) {
            output.line(options.format == .json ? JSONWriter.string(record.json) : LogRendering.line(record))
        }
        output.flush()
    }
}
