import Core
import Engine
import Workflows

/// Files a product recommendation when enough distinct tickets share a
/// problem within a time window: once per key and window, listing the
/// tickets behind it, and updated — not duplicated — as more arrive.
///
/// The counts live in state shared across tickets (`~recurrence/KEY`), kept
/// in the log with the ticket projection: updated per event in time
/// proportional to the tickets in the window, never by scanning the log.
public struct FileProductRecommendationAction: PreparingAction {
    let knowledgeBase: KnowledgeBase?
    /// Shared by the copies of this action, so its engine's events reuse it.
    private let decodedGroups = DecodedTextGroups()

    public init(knowledgeBase: KnowledgeBase? = nil) {
        self.knowledgeBase = knowledgeBase
    }

    public let spec = ActionSpec(
        name: "file_product_recommendation",
        summary: "File (or update) a product recommendation when a problem keeps recurring.",
        parameters: [
            ParameterSpec("title", .string, required: true, summary: "The recommendation's title."),
            ParameterSpec(
                "when_recurs",
                .object([
                    ParameterSpec("key", .string, summary: "What tickets share, e.g. \"{{ ticket.product_area }}/export\"."),
                    ParameterSpec(
                        "by", .oneOf(["key", "text"]), default: "key",
                        summary: "`key`, or `text` to group tickets that describe the same problem in other words."),
                    ParameterSpec("at_least", .int, required: true, summary: "How many distinct tickets."),
                    ParameterSpec("within", .duration, required: true, summary: "The window, e.g. 7d."),
                    ParameterSpec(
                        "intent", .oneOf(["any", "problem", "request"]), default: "any",
                        summary: "Count only tickets whose text reports a problem, or only questions and wishes."),
                ]),
                required: true, summary: "When the problem counts as recurring."),
            ParameterSpec(
                "cooldown", .duration, default: "1h",
                summary: "At most one update event per recommendation in this time; tickets arriving meanwhile are still listed."),
        ],
        emits: "recommendation.filed",
        checks: [
            .needs(object: "when_recurs", field: "key", unlessField: "by", is: "text"),
            .excludes(object: "when_recurs", field: "key", whenField: "by", is: "text"),
        ])

    /// Reads the meaning of the tickets' texts ahead, all at once, for the
    /// steps that group `by: text`.
    public func prepare(_ steps: [(parameters: Value.Object, ticket: Value)]) {
        let grouping = steps.filter { $0.parameters["when_recurs"]?["by"]?.stringValue == "text" }
        knowledgeBase?.prepareMeanings(grouping.map { KnowledgeBase.text(of: $0.ticket) })
    }

    public func apply(_ parameters: Value.Object, to ticket: inout Value, context: inout ActionContext) -> ActionOutcome {
        guard let title = parameters["title"]?.stringValue?.trimmingWhitespace, !title.isEmpty else {
            return .failed(message: "`title` rendered empty", retryable: false)
        }
        let rule = parameters["when_recurs"]
        guard let threshold = rule?["at_least"]?.intValue, threshold >= 1,
            let window = rule?["within"]?.stringValue.flatMap(TimeSpan.parse)
        else {
            return .failed(message: "`when_recurs` needs `at_least` (1 or more) and `within`", retryable: false)
        }
        // What the recommendation is about, when its tickets read the same
        // way: the rule asks for one intent, or a text group keeps to one
        // (a group stored before intents were read may hold both).
        var intent: TicketIntent?
        if let given = rule?["intent"]?.stringValue, given != "any" {
            guard let wanted = TicketIntent(rawValue: given) else {
                return .failed(message: "`when_recurs.intent` is \"\(given)\"; use any, problem or request", retryable: false)
            }
            let read = TicketIntent(text: KnowledgeBase.text(of: ticket))
            guard read == wanted else {
                return .unchanged(reason: "the ticket reads as a \(read.rawValue), not a \(wanted.rawValue)")
            }
            intent = wanted
        }
        let cooldown = parameters["cooldown"]?.stringValue.flatMap(TimeSpan.parse) ?? .hours(1)
        let ticketID = context.event.ticketID
        let now = context.now
        let since = now.adding(TimeSpan(milliseconds: -window.milliseconds))

        let key: String
        if rule?["by"]?.stringValue == "text" {
            let text = KnowledgeBase.text(of: ticket)
            guard !text.trimmingWhitespace.isEmpty else { return .unchanged(reason: "the ticket has no text") }
            let indexKey = "~text-groups/\(context.workflow)/\(context.step)"
            var index = decodedGroups.take(indexKey, state: context.state(indexKey))
            index.threshold = TextSimilarity.threshold(for: knowledgeBase)
            index.use(model: knowledgeBase?.encoder?.fingerprint ?? "")
            // New groups are named after the step too: two steps may each begin a group with the same ticket.
            intent = intent ?? TicketIntent(text: text)
            key = "text:" + index.assign(
                ticketID: ticketID, text: text, at: now, since: since, knowledgeBase: knowledgeBase,
                newGroupPrefix: "\(context.workflow)/\(context.step)/")
            context.setState(indexKey, index.state)
            decodedGroups.keep(indexKey, index)
        } else {
            guard let given = rule?["key"]?.stringValue?.trimmingWhitespace, !given.isEmpty else {
                return .failed(message: "`when_recurs.key` rendered empty (or use `by: text`)", retryable: false)
            }
            key = given
        }

        let stateKey = "~recurrence/\(key)"
        var state = RecurrenceState(context.state(stateKey)) ?? RecurrenceState(key: key)
        state.observe(ticketID, at: now, window: window, threshold: threshold)
        defer { context.setState(stateKey, state.value) }

        if var open = state.recommendation, now < open.windowEnds {
            // The list stops at `evidenceLimit`; the ticket remembers the rest.
            let countedIn = (ticket["recommendations"]?.arrayValue ?? []).compactMap(\.stringValue)
            guard !open.tickets.contains(ticketID), !countedIn.contains(open.id) else {
                return .unchanged(reason: "already counted in \(open.id)")
            }
            open.add(ticketID)
            ticket.setField("recommendations", .array((countedIn + [open.id]).map(Value.string)))
            state.recommendation = open
            guard now.millisecondsSinceEpoch - open.updatedAt.millisecondsSinceEpoch >= cooldown.milliseconds else {
                return .unchanged(reason: "added to \(open.id); next update after the \(cooldown) cooldown")
            }
            open.updatedAt = now
            open.updates += 1
            state.recommendation = open
            context.emittedType = "recommendation.updated"
            context.details = open.details(key: key)
            context.details["summary"] = .string("updated \(open.id): \(counted(open.count, "ticket"))")
            return .applied
        }
        let recent = state.tickets(since: since)
        let count = recent.count
        guard count >= threshold else {
            return .unchanged(reason: "\(counted(count, "ticket")) of \(threshold) within \(window)")
        }
        let filed = RecurrenceState.Recommendation(
            id: "REC-" + WorkflowLoader.version(of: Array("\(key)|\(now)".utf8)).prefix(10),
            title: title, filedAt: now, windowEnds: now.adding(window), updatedAt: now, updates: 0,
            tickets: recent, count: count, intent: intent)
        state.file(filed)
        context.emittedType = "recommendation.filed"
        context.details = filed.details(key: key)
        let listed = recent.prefix(5).joined(separator: ", ") + (recent.count > 5 ? ", …" : "")
        context.details["summary"] = .string("filed \(filed.id): \(counted(count, "ticket")) (\(listed))")
        return .applied
    }
}
