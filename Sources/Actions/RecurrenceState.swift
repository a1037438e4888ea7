import Core

/// The tickets seen for one recurrence key within the window, and the
/// recommendation filed for it, stored as a `Value` in the log.
struct RecurrenceState {
    struct Recommendation {
        var id: String
        var title: String
        var filedAt: Timestamp
        /// Until then, more tickets update this recommendation instead of filing a new one.
        var windowEnds: Timestamp
        var updatedAt: Timestamp
        var updates: Int
        /// The tickets behind it, oldest first: those counted when it was
        /// filed, then at most `evidenceLimit` in all.
        var tickets: [String]
        /// How many tickets it counts, listed or not.
        var count: Int
        /// Whether its tickets report a problem or ask for something, when
        /// they all read the same way; nil when they may be mixed.
        var intent: TicketIntent?

        static let evidenceLimit = 200

        mutating func add(_ ticket: String) {
            count += 1
            if tickets.count < Self.evidenceLimit { tickets.append(ticket) }
        }

        /// As stored in the state.
        var value: Value {
            var stored = Value.Object([
                ("id", .string(id)), ("title", .string(title)), ("filed_at", .string(filedAt.description)),
                ("window_ends", .string(windowEnds.description)), ("updated_at", .string(updatedAt.description)),
                ("updates", .int(updates)), ("tickets", .array(tickets.map(Value.string))),
                ("count", .int(count)),
            ])
            if let intent { stored["intent"] = .string(intent.rawValue) }
            return .object(stored)
        }

        init(
            id: String, title: String, filedAt: Timestamp, windowEnds: Timestamp, updatedAt: Timestamp, updates: Int,
            tickets: [String], count: Int, intent: TicketIntent?
        ) {
            (self.id, self.title, self.filedAt, self.windowEnds, self.updatedAt) = (id, title, filedAt, windowEnds, updatedAt)
            (self.updates, self.tickets, self.count, self.intent) = (updates, tickets, count, intent)
        }

        init?(_ rec: Value?) {
            guard let rec, let id = rec["id"]?.stringValue,
                let filed = rec["filed_at"]?.stringValue.flatMap(Timestamp.parse),
                let ends = rec["window_ends"]?.stringValue.flatMap(Timestamp.parse),
                let updated = rec["updated_at"]?.stringValue.flatMap(Timestamp.parse)
            else { return nil }
            self.init(
                id: id, title: rec["title"]?.stringValue ?? "", filedAt: filed, windowEnds: ends, updatedAt: updated,
                updates: rec["updates"]?.intValue ?? 0,
                tickets: (rec["tickets"]?.arrayValue ?? []).compactMap(\.stringValue),
                count: rec["count"]?.intValue ?? (rec["tickets"]?.arrayValue?.count ?? 0),
                intent: rec["intent"]?.stringValue.flatMap(TicketIntent.init(rawValue:)))
        }

        func details(key: String) -> Value.Object {
            var details = Value.Object([
                ("recommendation", .string(id)), ("title", .string(title)), ("key", .string(key)),
                ("tickets", .array(tickets.map(Value.string))), ("count", .int(count)),
                ("filed_at", .string(filedAt.description)), ("window_ends", .string(windowEnds.description)),
                ("updates", .int(updates)),
            ])
            if let intent { details["intent"] = .string(intent.rawValue) }
            return details
        }
    }

    var key: String
    /// Ticket id → when it was last seen with this key, oldest first.
    var seen: [(ticket: String, at: Timestamp)] = []
    var recommendation: Recommendation?
    /// Recommendations filed for this key before `recommendation`, newest
    /// first: at most `pastKept`, each listing at most `pastEvidence`
    /// tickets (the log keeps their events in full).
    var past: [Recommendation] = []
    static let pastKept = 10
    static let pastEvidence = 20
    /// The longest window and the highest threshold of the rules that count
    /// this key. Several rules may share a key ("{{ticket.product_area}}" in
    /// two workflows); each counts within its own window, so the state keeps
    /// what the most demanding of them needs. Both only grow: after a rule is
    /// edited down, the state keeps more than it needs, which costs space,
    /// not correct counts.
    var longestWindow = TimeSpan(milliseconds: 0)
    var highestThreshold = 0

    init(key: String) { self.key = key }

    init?(_ value: Value?) {
        guard let value, let key = value["key"]?.stringValue else { return nil }
        self.key = key
        for entry in value["seen"]?.arrayValue ?? [] {
            if let ticket = entry["ticket"]?.stringValue, let at = entry["at"]?.stringValue.flatMap(Timestamp.parse) {
                seen.append((ticket, at))
            }
        }
        // Clamped: a damaged row must not overflow the clock.
        let window = Int64(value["longest_window_ms"]?.intValue ?? 0)
        longestWindow = TimeSpan(milliseconds: min(max(window, 0), TimeSpan.longest.milliseconds))
        highestThreshold = max(value["highest_threshold"]?.intValue ?? 0, 0)
        recommendation = Recommendation(value["recommendation"])
        past = (value["past"]?.arrayValue ?? []).compactMap(Recommendation.init)
    }

    /// Records the ticket for a rule counting `threshold` tickets within
    /// `window`, and forgets what no rule of this key can count any more.
    ///
    /// Only the most recent tickets are kept, as many as the highest
    /// threshold: whether at least that many distinct tickets arrived within
    /// the window is all the filing rule needs, so the state (and the cost of
    /// each event) stays bounded however many tickets a storm brings.
    mutating func observe(_ ticket: String, at time: Timestamp, window: TimeSpan, threshold: Int) {
        longestWindow = max(longestWindow, window)
        highestThreshold = max(highestThreshold, threshold)
        let oldest = time.adding(TimeSpan(milliseconds: -longestWindow.milliseconds))
        seen.removeAll { $0.ticket == ticket || $0.at < oldest }
        seen.append((ticket, time))
        if seen.count > highestThreshold { seen.removeFirst(seen.count - highestThreshold) }
    }

    /// Makes `filed` the open recommendation; the one it follows is kept in `past`.
    mutating func file(_ filed: Recommendation) {
        if var previous = recommendation {
            previous.tickets = Array(previous.tickets.prefix(Self.pastEvidence))
            past.insert(previous, at: 0)
            if past.count > Self.pastKept { past.removeLast(past.count - Self.pastKept) }
        }
        recommendation = filed
    }

    /// The tickets seen at or after `since`, oldest first.
    func tickets(since: Timestamp) -> [String] { seen.filter { $0.at >= since }.map(\.ticket) }

    var value: Value {
        var object = Value.Object([
            ("key", .string(key)),
            ("seen", .array(seen.map { .object(Value.Object([("ticket", .string($0.ticket)), ("at", .string($0.at.description))])) })),
            ("longest_window_ms", .int(Int(longestWindow.milliseconds))), ("highest_threshold", .int(highestThreshold)),
        ])
        if let recommendation { object["recommendation"] = recommendation.value }
        if !past.isEmpty { object["past"] = .array(past.map(\.value)) }
        return .object(object)
    }
}
