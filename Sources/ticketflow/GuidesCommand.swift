import Actions
import ArgumentParser
import Core
import Foundation

struct GuidesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guides",
        abstract: "Search and list the help-center guides that suggest_guide ranks.",
        subcommands: [Search.self, List.self]
    )

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rank the guides against a text, as suggest_guide would, and say why.",
            discussion: "Exits 0 with or without results; 1 when a guide file has errors (the other guides are still searched)."
        )

        @Option(help: "Folder of guides (Markdown with front matter).")
        var guides = "guides"

        @Option(help: "Most results to show.")
        var limit = 3

        @Option(name: .customLong("min-score"), help: "Drop results scoring below this (0 to 1).")
        var minScore = KnowledgeBase.defaultMinimumScore

        @Option(help: "Only guides of this product area.")
        var productArea: String?

        @Option(help: "Output format: text for people, json (an array) for scripts.")
        var format: OutputFormat = .text

        @Argument(help: "The text to match: a ticket's subject and description.")
        var text: String

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
            guard minScore.isFinite, (0...1).contains(minScore) else {
                throw ValidationError("--min-score must be a number from 0 to 1")
            }
        }

        func run() throws {
            let (knowledgeBase, guideErrors) = try GuidesCommand.load(guides)
            if format == .text { Output.standardError.line(SentenceModel.note()) }
            Output.standardError.flush()
            // An empty area keeps every guide, as in suggest_guide.
            let area = productArea.flatMap { $0.isEmpty ? nil : $0 }
            let matches = knowledgeBase.search(text, limit: limit, minimumScore: minScore, productArea: area)
            let output = Output()
            switch format {
            case .json:
                output.line(JSONWriter.string(.array(matches.map(GuidesCommand.json))))
            case .text:
                if matches.isEmpty {
                    let areas = knowledgeBase.productAreas
                    if let area, !areas.contains(area) {
                        output.line("no guide has product_area \"\(area)\""
                            + (Suggestion.hint(for: area, in: areas.sorted()).map { "; \($0)" } ?? ""))
                    } else {
                        output.line("no guide scores \(GuidesCommand.score(minScore)) or more")
                    }
                }
                for (rank, match) in matches.enumerated() {
                    output.line("\(rank + 1). \(match.guide.title)  [\(match.guide.id)]  score \(GuidesCommand.score(match.score))")
                    output.line("   \(match.explanation)")
                }
            }
            output.flush()
            if guideErrors { throw ExitCode.problemsFound }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the guides with their product area and tags.",
            discussion: "Exits 1 when a guide file has errors (they are printed first)."
        )

        @Option(help: "Folder of guides (Markdown with front matter).")
        var guides = "guides"

        @Option(help: "Output format: text, or json (an array).")
        var format: OutputFormat = .text

        func run() throws {
            let (knowledgeBase, diagnostics) = KnowledgeBase.load(directory: guides)
            let output = Output()
            for diagnostic in diagnostics { output.line(diagnostic.description) }
            switch format {
            case .json:
                output.line(JSONWriter.string(.array(knowledgeBase.guides.map { guide in
                    [
                        "id": .string(guide.id), "title": .string(guide.title),
                        "product_area": guide.productArea.map(Value.string) ?? .null,
                        "tags": .array(guide.tags.map(Value.string)),
                        "phrases": .array(guide.phrases.map(Value.string)), "file": .string(guide.file),
                    ]
                })))
            case .text:
                for guide in knowledgeBase.guides {
                    var line = "\(guide.id)  \(guide.title)"
                    if let area = guide.productArea { line += "  (\(area))" }
                    if !guide.tags.isEmpty { line += "  tags: " + guide.tags.joined(separator: ", ") }
                    output.line(line)
                }
                output.line(counted(knowledgeBase.guides.count, "guide"))
            }
            output.flush()
            if diagnostics.hasErrors { throw ExitCode.problemsFound }
        }
    }

    /// Loads the guides that can be read, and prints the problems of the
    /// others to standard error; `hasErrors` tells the caller to exit 1 once
    /// it has shown what the readable guides give. A folder that is not
    /// there stops the command at once.
    static func load(_ folder: String) throws -> (knowledgeBase: KnowledgeBase, hasErrors: Bool) {
        let (knowledgeBase, diagnostics) = SentenceModel.knowledgeBase(folder)
        for diagnostic in diagnostics { Output.standardError.line(diagnostic.description) }
        Output.standardError.flush()
        // The loader names a folder that is not there; nothing can be searched then.
        if knowledgeBase.guides.isEmpty, diagnostics.contains(where: { $0.code == .unreadableFile }) { throw ExitCode.problemsFound }
        return (knowledgeBase, diagnostics.hasErrors)
    }

    static func score(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
    }

    static func json(_ match: GuideMatch) -> Value {
        [
            "id": .string(match.guide.id), "title": .string(match.guide.title),
            "score": .double((match.score * 10_000).rounded() / 10_000),
            "matched": .array(match.matchedTerms.map(Value.string)),
            "explanation": .string(match.explanation), "file": .string(match.guide.file),
        ]
    }
}
