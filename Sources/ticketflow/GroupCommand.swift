import Actions
import ArgumentParser
import Core
import Foundation

struct GroupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "Group tickets that describe the same problem, in whatever words.",
        discussion: """
            Reads JSON Lines: objects with `id` and `text`, or ticket events (the ticket's \
            subject and description, merged over the events of each ticket). Exits 1 when a \
            line cannot be read or a guide file has errors.
            """
    )

    enum Criterion: String, ExpressibleByArgument, CaseIterable {
        case text
    }

    @Option(help: "What tickets are grouped by.")
    var by: Criterion = .text

    @Option(
        help: """
            Folder of guides, used as a concept space and to read meaning with (default `guides` when it \
            exists, the folder the workflows' file_product_recommendation reads).
            """)
    var guides: String?

    @Flag(name: .customLong("no-guides"), help: "Compare words only, without guides or the sentence model.")
    var noGuides = false

    @Option(
        help: """
            Similarity (0 to 1) a ticket needs to join a group (default \(TextSimilarity.defaultThreshold) on words, \
            \(TextSimilarity.defaultThresholdWithMeaning) with the sentence model, which needs guides).
            """)
    var threshold: Double?

    @Option(help: "Output format: text for people, json (an array of groups) for scripts.")
    var format: OutputFormat = .text

    @Argument(help: "A JSON Lines file of tickets or ticket events.")
    var file: String

    func validate() throws {
        if noGuides, guides != nil { throw ValidationError("--guides and --no-guides contradict each other") }
        if let threshold, !threshold.isFinite || !(0...1).contains(threshold) {
            throw ValidationError("--threshold must be a number from 0 to 1")
        }
    }

    func run() throws {
        let loaded = try guideFolder.map(GuidesCommand.load)
        let knowledgeBase = loaded?.knowledgeBase
        if format == .text, knowledgeBase != nil { Output.standardError.line(SentenceModel.note("tickets compared")) }
        let (tickets, problems) = Self.read(file)
        for problem in problems { Output.standardError.line(problem.description) }
        Output.standardError.flush()
        let numbers = TextGrouping.group(tickets.map(\.text), knowledgeBase: knowledgeBase, threshold: threshold)
        var members: [[Int]] = []
        for (ticket, number) in numbers.enumerated() {
            while members.count <= number { members.append([]) }
            members[number].append(ticket)
        }
        // Largest first; among equals, the one whose first ticket came first.
        let ordered = members.filter { !$0.isEmpty }.sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
        let output = Output()
        switch format {
        case .json:
            let groups: [Value] = ordered.enumerated().map { rank, group in
                var object = Value.Object([
                    ("group", .int(rank + 1)), ("size", .int(group.count)),
                    ("intent", .string(TicketIntent(text: tickets[group[0]].text).rawValue)),
                    ("tickets", .array(group.map { .string(tickets[$0].id) })),
                ])
                if let guide = Self.commonGuide(group.map { tickets[$0].text }, knowledgeBase) {
                    object["guide"] = .string(guide.id)
                }
                return .object(object)
            }
            output.line(JSONWriter.string(.array(groups)))
        case .text:
            let repeated = ordered.filter { $0.count > 1 }
            for (rank, group) in repeated.enumerated() {
                let kind = TicketIntent(text: tickets[group[0]].text) == .request ? "request" : "problem report"
                var heading = "group \(rank + 1): " + counted(group.count, kind)
                if let guide = Self.commonGuide(group.map { tickets[$0].text }, knowledgeBase) {
                    heading += ", guide \"\(guide.title)\""
                }
                output.line(heading)
                for member in group { output.line("  \(tickets[member].id)  \(Self.excerpt(tickets[member].text))") }
            }
            let alone = ordered.count - repeated.count
            output.line(
                counted(tickets.count, "ticket") + " in " + counted(repeated.count, "group")
                    + (alone > 0 ? "; " + counted(alone, "ticket") + " alike no other" : ""))
        }
        output.flush()
        if !problems.isEmpty || loaded?.hasErrors == true { throw ExitCode.problemsFound }
    }

    /// The folder of guides to read: the one named, else `guides` when it
    /// exists, so that grouping here matches the daemon's by default.
    var guideFolder: String? {
        if noGuides { return nil }
        if let guides { return guides }
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: SuggestGuideAction.defaultFolder, isDirectory: &isFolder)
        return exists && isFolder.boolValue ? SuggestGuideAction.defaultFolder : nil
    }

    struct Ticket {
        var id: String
        var text: String
    }

    /// Tickets in the order first seen; events of one ticket are merged.
    /// A line that cannot be used is reported at its place, with the field
    /// at fault, and left out; the others are still read.
    static func read(_ path: String) -> ([Ticket], [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ([], [Diagnostic(.unreadableFile, "cannot read \(path)", at: nil)])
        }
        var order: [String] = []
        var firstLine: [String: Int] = [:]
        var subjects: [String: String] = [:]
        var descriptions: [String: String] = [:]
        var texts: [String: String] = [:]
        var problems: [Diagnostic] = []
        let bytes = ByteOrderMark.dropped(from: data)
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (offset, line) in lines.enumerated() where !line.allSatisfy({ [9, 10, 13, 32].contains($0) }) {
            let location = SourceLocation(file: path, line: offset + 1, column: 1)
            func problem(_ message: String) { problems.append(Diagnostic(.eventField, message, at: location)) }
            let value: Value
            do {
                // Bytes, not a decoded string: invalid UTF-8 is named where it is.
                value = try Array(line).withUnsafeBufferPointer { bytes throws(JSONReader.Error) in try JSONReader.read(bytes) }
            } catch {
                problems.append(Diagnostic(
                    .eventSyntax, "invalid JSON: \(error.message)", at: location.advanced(byColumns: error.column - 1)))
                continue
            }
            if let ticket = value["ticket"] {
                guard let id = ticket["id"]?.stringValue, !id.isEmpty else { problem("`ticket.id` must be non-empty text"); continue }
                var fields: [(name: String, text: String)] = []
                var wrong = false
                for name in ["subject", "description"] {
                    guard let field = ticket[name], !field.isNull else { continue }
                    guard let text = field.stringValue else { problem("`ticket.\(name)` must be text"); wrong = true; break }
                    fields.append((name, text))
                }
                if wrong { continue }
                if texts[id] != nil, let first = firstLine[id] {
                    problem("ticket \"\(id)\" was already read as a plain record at line \(first)")
                    continue
                }
                if firstLine[id] == nil {
                    firstLine[id] = offset + 1
                    order.append(id)
                }
                for (name, text) in fields {
                    if name == "subject" { subjects[id] = text } else { descriptions[id] = text }
                }
            } else {
                guard let id = value["id"]?.stringValue, !id.isEmpty else {
                    problem(value["id"] == nil
                        ? "expected an object with `id` and `text`, or an event with `ticket.id`"
                        : "`id` must be non-empty text")
                    continue
                }
                guard let text = value["text"]?.stringValue else {
                    problem(value["text"] == nil ? "`text` is missing" : "`text` must be text")
                    continue
                }
                // Events of one ticket merge; a plain record stands alone.
                if let first = firstLine[id] {
                    problem("`id` \"\(id)\" is already used at line \(first)")
                    continue
                }
                firstLine[id] = offset + 1
                order.append(id)
                texts[id] = text
            }
        }
        let tickets = order.map { id in
            Ticket(id: id, text: KnowledgeBase.readable(
                texts[id] ?? [subjects[id], descriptions[id]].compactMap { $0 }.joined(separator: "\n")))
        }
        return (tickets, problems)
    }

    /// The guide ranked first for most of the texts, if a knowledge base is given.
    static func commonGuide(_ texts: [String], _ knowledgeBase: KnowledgeBase?) -> Guide? {
        guard let knowledgeBase else { return nil }
        var votes: [String: (count: Int, guide: Guide)] = [:]
        for text in texts {
            if let best = knowledgeBase.search(text, limit: 1).first {
                votes[best.guide.id, default: (0, best.guide)].count += 1
            }
        }
        return votes.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.guide.id < $1.guide.id }.first?.guide
    }

    static func excerpt(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= 80 ? flat : String(flat.prefix(77)) + "..."
    }
}
