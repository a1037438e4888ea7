import Core
import Engine
import Workflows

/// Suggests the help-center guides that best answer the ticket, and
/// remembers them on the ticket so the same guide is never suggested twice.
public struct SuggestGuideAction: PreparingAction {
    /// Knowledge bases by the folder they were loaded from (the `from` parameter).
    let knowledgeBases: [String: KnowledgeBase]

    public init(knowledgeBases: [String: KnowledgeBase] = [:]) {
        self.knowledgeBases = knowledgeBases
    }

    public static let defaultFolder = "guides"

    public let spec = ActionSpec(
        name: "suggest_guide", summary: "Suggest the help-center guides that best answer the ticket.",
        parameters: [
            ParameterSpec("from", .string, default: .string(SuggestGuideAction.defaultFolder), summary: "The folder of guides."),
            ParameterSpec("min_score", .number, summary: "Suggest only guides scoring at least this (0 to 1)."),
            ParameterSpec("limit", .int, default: 1, summary: "How many guides to suggest at most."),
            ParameterSpec("product_area", .string, summary: "Only guides of this product area."),
        ],
        emits: "guide.suggested",
        checks: [.folderInsideProject(path: "from"), .between(path: "min_score", low: 0, high: 1)])

    /// The folder a `from` value names, as the knowledge bases are keyed.
    public static func folderKey(_ from: String) -> String {
        var folder = from
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        return folder
    }

    /// The folder a step ranks from (`from`, else `guides`), as its knowledge base is keyed.
    static func folder(of parameters: Value.Object) -> String {
        folderKey(parameters["from"]?.stringValue ?? defaultFolder)
    }

    /// Reads the meaning of the tickets' texts ahead, all at once, with
    /// the guides each step ranks from.
    public func prepare(_ steps: [(parameters: Value.Object, ticket: Value)]) {
        let byFolder = Dictionary(grouping: steps) { Self.folder(of: $0.parameters) }
        for (folder, steps) in byFolder.sorted(by: { $0.key < $1.key }) {
            knowledgeBases[folder]?.prepareMeanings(steps.map { KnowledgeBase.text(of: $0.ticket) })
        }
    }

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        let folder = Self.folder(of: parameters)
        guard let knowledgeBase = knowledgeBases[folder] else {
            return .failed(message: "no guides were loaded from \(folder)", retryable: false)
        }
        let text = KnowledgeBase.text(of: ticket)
        guard !text.trimmingWhitespace.isEmpty else { return .unchanged(reason: "the ticket has no text") }
        guard knowledgeBase.saysEnough(text) else {
            return .unchanged(reason: "the ticket says too little to choose a guide (fewer than \(KnowledgeBase.minimumKnownWords) words the guides know)")
        }
        let minimum = parameters["min_score"]?.doubleValue ?? KnowledgeBase.defaultMinimumScore
        let limit = max(1, parameters["limit"]?.intValue ?? 1)
        let area = parameters["product_area"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let already = Set((ticket["suggested_guides"]?.arrayValue ?? []).compactMap(\.stringValue))
        // Only the best `limit` guides are candidates: once they were suggested,
        // weaker ones are not offered instead.
        let matches = knowledgeBase.search(text, limit: limit, minimumScore: minimum, productArea: area)
        let fresh = matches.filter { !already.contains($0.guide.id) }
        guard !fresh.isEmpty else {
            if let best = matches.first {
                return .unchanged(reason: "\(best.guide.id) was already suggested")
            }
            if let area, !knowledgeBase.productAreas.contains(area) {
                return .unchanged(reason: "no guide has product_area \"\(area)\"")
            }
            return .unchanged(reason: "no guide scored at least \(minimum)")
        }
        ticket.setField(
            "suggested_guides", .array((Array(already).sorted() + fresh.map(\.guide.id)).map(Value.string)))
        context.details["guides"] = .array(fresh.map { match in
            .object(Value.Object([
                ("id", .string(match.guide.id)), ("title", .string(match.guide.title)),
                ("score", .double((match.score * 1000).rounded() / 1000)),
                ("matched", .array(match.matchedTerms.map(Value.string))),
            ]))
        })
        context.details["summary"] = .string("suggested " + fresh.map {
            "\($0.guide.id) (\(String(format: "%.2f", $0.score)))"
        }.joined(separator: ", "))
        return .applied
    }
}
