import Foundation
import Core

/// Groups tickets that describe the same problem as they arrive, for a
/// workflow step that counts recurring problems.
///
/// Each group keeps the sum of its members' signatures (a centroid); a new
/// ticket joins the live group whose centroid is most similar to it, if that
/// similarity reaches `threshold` and it is also alike enough to the ticket
/// that began the group (`TextSimilarity.Parameters.founderShare`, so a
/// centroid cannot drift from problem to problem), and otherwise starts a
/// group keyed by its own ticket id. Candidates come from an inverted index over the groups'
/// terms and guides, so a ticket is compared with the groups that share its
/// most telling features, not with every group. Groups with no member seen
/// after `since` are dropped, so the index only holds the current window.
///
/// - Important: The index is a value: store `state` after `assign` (the
///   engine keeps it in the event log) and rebuild with `init(state:)`.
public struct TextGroupIndex: Sendable {
    public var threshold: Double
    /// The mix of terms, guides and meaning; not stored in `state`.
    public var parameters = TextSimilarity.Parameters.standard

    struct Group: Sendable {
        var key: String
        var last: Timestamp
        var tickets: [String]
        var terms: SparseVector
        var guides: SparseVector
        /// Sum of the members' meaning vectors; empty without an encoder.
        var meaning: [Float]
        /// How many members `meaning` sums: fewer than `tickets` when the
        /// group began before meaning vectors were read.
        var meaningMembers: Int
        /// The intent of the ticket that began the group. Nil for a group
        /// stored before intents were read: any ticket may join it, and the
        /// first to join gives it its intent.
        var intent: TicketIntent?
        /// The ticket that began the group, as it read then (terms cut like
        /// the centroid's); nil for a group stored before founders were kept.
        var founder: TextSimilarity.Signature?
    }

    /// Centroids keep their heaviest terms only, so state stays small.
    static let centroidTerms = 64
    /// A new ticket looks up groups through its heaviest terms (and all its guides).
    static let lookupTerms = 8
    /// From this many live groups on, terms most of them share are not looked up.
    static let manyGroups = 200

    private var groups: [String: Group] = [:]
    private var groupOfTicket: [String: String] = [:]
    private var postings: [String: Set<String>] = [:]
    /// (time, key) in arrival order: the front holds the oldest activity, for pruning.
    private var activity: [(Timestamp, String)] = []
    private var activityStart = 0

    /// Names the index's content: a hash of the previous revision and of
    /// everything `assign` was given, so equal revisions mean equal indexes
    /// (in any process, on any shard). It lets a caller keep the decoded
    /// index between events instead of rebuilding it from `state` each time.
    public private(set) var revision = "0"

    /// A group keeps its most recent tickets only, so a problem that keeps
    /// recurring does not grow the index without bound.
    static let ticketsKept = 1_000

    public init(threshold: Double = TextSimilarity.defaultThreshold) {
        self.threshold = threshold
    }

    /// Fingerprint of the sentence model whose vectors the groups' meaning
    /// sums hold; empty when none.
    public private(set) var model = ""
    /// The threshold for a ticket read with meaning against a group with no
    /// meaning it can compare (begun on words only, or with another model):
    /// only words compare, so the words threshold applies. Not stored.
    public var wordsThreshold = TextSimilarity.defaultThreshold

    /// Reads meaning with the model of fingerprint `fingerprint` (empty: none)
    /// from now on. Meaning sums of another model live in another vector
    /// space, so they are dropped and the groups keep their words.
    public mutating func use(model fingerprint: String) {
        guard fingerprint != model else { return }
        for key in groups.keys {
            groups[key]?.meaning = []
            groups[key]?.meaningMembers = 0
            groups[key]?.founder?.meaning = []
        }
        model = fingerprint
    }

    /// Number of live groups.
    public var groupCount: Int { groups.count }

    /// The tickets of a live group, in the order they joined.
    public func tickets(inGroup key: String) -> [String] { groups[key]?.tickets ?? [] }

    /// Returns the key of the group the text joins (an existing group's key,
    /// or, for a new group, the ticket id after `newGroupPrefix`) and records it. A ticket already in a
    /// live group keeps its group. Only groups with a member seen after
    /// `since` are candidates; older ones are pruned first.
    ///
    /// - Parameter newGroupPrefix: put before the ticket id to name a new group.
    public mutating func assign(
        ticketID: String, text: String, at time: Timestamp, since: Timestamp, knowledgeBase: KnowledgeBase?,
        newGroupPrefix: String = ""
    ) -> String {
        let signature = TextSimilarity(knowledgeBase: knowledgeBase).signature(text)
        return assign(ticketID: ticketID, signature: signature, at: time, since: since, newGroupPrefix: newGroupPrefix)
    }

    /// `assign` for a signature already computed.
    public mutating func assign(
        ticketID: String, signature: TextSimilarity.Signature, at time: Timestamp, since: Timestamp,
        newGroupPrefix: String = ""
    ) -> String {
        revision = Self.revision(
            after: revision, ticketID: ticketID, signature: signature, at: time, since: since, threshold: threshold)
        prune(before: since)
        if let key = groupOfTicket[ticketID], var group = groups[key] {
            if group.last < time { group.last = time }
            groups[key] = group
            activity.append((time, key))
            return key
        }
        var best: (key: String, similarity: Double)?
        for key in candidates(for: signature) {
            // Checked here as well as in `similarity`, so a threshold of 0 still keeps them apart.
            guard let group = groups[key], TicketIntent.compatible(group.intent, signature.intent) else { continue }
            let similarity = TextSimilarity.similarity(
                signature,
                TextSimilarity.Signature(terms: group.terms, guides: group.guides, meaning: group.meaning, intent: group.intent),
                parameters: parameters, members: group.meaningMembers)
            let comparable = signature.meaning.isEmpty || signature.meaning.count == group.meaning.count
            let needed = comparable ? threshold : wordsThreshold
            guard similarity >= needed, similarity > best?.similarity ?? -1
                || (similarity == best?.similarity && key < best!.key)
            else { continue }
            // Checked only where the founder reads as this ticket does (both
            // with meaning, or both without): words alone would part tickets
            // that meaning joins. So a group begun before the model was
            // turned on or changed is not checked against its founder.
            if parameters.founderShare > 0, group.tickets.count > 1, let founder = group.founder,
                founder.meaning.count == signature.meaning.count,
                TextSimilarity.similarity(signature, founder, parameters: parameters) < needed * parameters.founderShare
            {
                continue
            }
            best = (key, similarity)
        }
        let key: String
        if let best, var group = groups[best.key] {
            key = best.key
            unindex(group)
            group.tickets.append(ticketID)
            if group.tickets.count > Self.ticketsKept {
                for dropped in group.tickets.prefix(group.tickets.count - Self.ticketsKept) where groupOfTicket[dropped] == key {
                    groupOfTicket[dropped] = nil
                }
                group.tickets.removeFirst(group.tickets.count - Self.ticketsKept)
            }
            group.terms = group.terms.adding(signature.terms).keepingLargest(Self.centroidTerms)
            group.guides = group.guides.adding(signature.guides)
            if group.intent == nil { group.intent = signature.intent }
            if !signature.meaning.isEmpty, group.meaning.count == signature.meaning.count {
                for index in group.meaning.indices { group.meaning[index] += signature.meaning[index] }
                group.meaningMembers += 1
            } else if !signature.meaning.isEmpty {
                group.meaning = signature.meaning
                group.meaningMembers = 1
            }
            if group.last < time { group.last = time }
            groups[key] = group
            index(group)
        } else {
            let terms = signature.terms.keepingLargest(Self.centroidTerms)
            let named = newGroupPrefix + ticketID
            key = groups[named] == nil ? named : named + "#" + String(time.millisecondsSinceEpoch)
            let group = Group(
                key: key, last: time, tickets: [ticketID],
                terms: terms, guides: signature.guides,
                meaning: signature.meaning, meaningMembers: signature.meaning.isEmpty ? 0 : 1, intent: signature.intent,
                founder: TextSimilarity.Signature(
                    terms: terms, guides: signature.guides,
                    meaning: signature.meaning, intent: signature.intent))
            groups[key] = group
            index(group)
        }
        groupOfTicket[ticketID] = key
        activity.append((time, key))
        return key
    }

    /// Groups sharing a heavy term or a guide with the signature; every live
    /// group when it has a meaning vector (meaning needs no shared word, and
    /// one dot product per group is cheap), in no particular order: `assign` breaks ties by key.
    ///
    /// Among many groups, a term that more than half of them share tells
    /// nothing and is not looked up: otherwise a flood of tickets sharing one
    /// word would make each new ticket cost a comparison with every group.
    private func candidates(for signature: TextSimilarity.Signature) -> [String] {
        if !signature.meaning.isEmpty { return Array(groups.keys) }
        var found: Set<String> = []
        for term in signature.terms.keysByWeight().prefix(Self.lookupTerms) {
            guard let posted = postings[term] else { continue }
            if groups.count > Self.manyGroups, posted.count > groups.count / 2 { continue }
            found.formUnion(posted)
        }
        for guide in signature.guides.keys { found.formUnion(postings["#guide:" + guide] ?? []) }
        return found.sorted()
    }

    private mutating func index(_ group: Group) {
        for term in group.terms.keys { postings[term, default: []].insert(group.key) }
        for guide in group.guides.keys { postings["#guide:" + guide, default: []].insert(group.key) }
    }

    private mutating func unindex(_ group: Group) {
        for feature in group.terms.keys + group.guides.keys.map({ "#guide:" + $0 }) {
            postings[feature]?.remove(group.key)
            if postings[feature]?.isEmpty == true { postings[feature] = nil }
        }
    }

    private mutating func prune(before since: Timestamp) {
        while activityStart < activity.count, activity[activityStart].0 < since {
            let key = activity[activityStart].1
            activityStart += 1
            if let group = groups[key], group.last < since {
                unindex(group)
                groups[key] = nil
                for ticket in group.tickets where groupOfTicket[ticket] == key { groupOfTicket[ticket] = nil }
            }
        }
        if activityStart > 1024, activityStart * 2 > activity.count {
            activity.removeFirst(activityStart)
            activityStart = 0
        }
    }

    // MARK: - State

    /// The index as JSON, to store between runs: live groups with their
    /// tickets, last activity (milliseconds since the epoch), centroids and
    /// the signature of the ticket that began them (`founder`).
    public var state: Value {
        let sorted = groups.values.sorted { $0.last != $1.last ? $0.last < $1.last : $0.key < $1.key }
        func object(_ vector: SparseVector) -> Value {
            .object(Value.Object(distinctKeys: vector.keys, values: vector.values.map(Value.double)))
        }
        let items: [Value] = sorted.map { group in
            let item: Value = [
                "key": .string(group.key),
                "last": .int(Int(group.last.millisecondsSinceEpoch)),
                "tickets": .array(group.tickets.map(Value.string)),
                "terms": object(group.terms),
                "guides": object(group.guides),
                "meaning": .string(Self.encode(group.meaning)),
                "meaning_members": .int(group.meaningMembers),
            ]
            guard case .object(var fields) = item else { return item }
            if let intent = group.intent { fields["intent"] = .string(intent.rawValue) }
            if let founder = group.founder {
                fields["founder"] = [
                    "terms": object(founder.terms), "guides": object(founder.guides),
                    "meaning": .string(Self.encode(founder.meaning)),
                ]
            }
            return .object(fields)
        }
        let stored: Value = [
            "version": 1, "revision": .string(revision), "threshold": .double(threshold), "groups": .array(items),
        ]
        guard !model.isEmpty, case .object(var fields) = stored else { return stored }
        fields["model"] = .string(model)
        return .object(fields)
    }

    /// Rebuilds an index from `state`; anything unreadable in it is skipped.
    public init(state: Value) {
        threshold = state["threshold"]?.doubleValue ?? TextSimilarity.defaultThreshold
        revision = state["revision"]?.stringValue ?? "0"
        model = state["model"]?.stringValue ?? ""
        func vector(_ value: Value?) -> SparseVector {
            var weights: [String: Double] = [:]
            for (key, weight) in value?.objectValue?.pairs ?? Value.Object().pairs {
                if let weight = weight.doubleValue { weights[key] = weight }
            }
            return SparseVector(weights)
        }
        var loaded: [Group] = []
        for item in state["groups"]?.arrayValue ?? [] {
            guard let key = item["key"]?.stringValue, let last = item["last"]?.intValue else { continue }
            let tickets = item["tickets"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let meaning = Self.decode(item["meaning"]?.stringValue ?? "")
            let intent = item["intent"]?.stringValue.flatMap(TicketIntent.init(rawValue:))
            let founder = item["founder"].map { stored in
                TextSimilarity.Signature(
                    terms: vector(stored["terms"]), guides: vector(stored["guides"]),
                    meaning: Self.decode(stored["meaning"]?.stringValue ?? ""), intent: intent)
            }
            loaded.append(Group(
                key: key, last: Timestamp(millisecondsSinceEpoch: Int64(last)), tickets: tickets,
                terms: vector(item["terms"]), guides: vector(item["guides"]),
                meaning: meaning, meaningMembers: meaning.isEmpty ? 0 : max(1, item["meaning_members"]?.intValue ?? tickets.count),
                intent: intent, founder: founder))
        }
        for group in loaded.sorted(by: { $0.last != $1.last ? $0.last < $1.last : $0.key < $1.key }) {
            groups[group.key] = group
            for ticket in group.tickets { groupOfTicket[ticket] = group.key }
            index(group)
            activity.append((group.last, group.key))
        }
    }

    /// A meaning vector as Base64 of little-endian 32-bit floats: exact and a
    /// third the size of JSON numbers.
    static func encode(_ vector: [Float]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        return Data(bytes).base64EncodedString()
    }

    static func decode(_ text: String) -> [Float] {
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else { return [] }
        let values = stride(from: 0, to: data.count, by: 4).map { offset in
            var bits: UInt32 = 0
            for shift in 0..<4 { bits |= UInt32(data[data.startIndex + offset + shift]) << (8 * shift) }
            return Float(bitPattern: bits)
        }
        return values.allSatisfy(\.isFinite) ? values : []
    }

    /// FNV-1a over the previous revision and an `assign` call's inputs.
    static func revision(
        after previous: String, ticketID: String, signature: TextSimilarity.Signature, at time: Timestamp,
        since: Timestamp, threshold: Double
    ) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func add<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01B3
        }
        func add(_ number: UInt64) { withUnsafeBytes(of: number.littleEndian) { add($0) } }
        add(previous.utf8)
        add(ticketID.utf8)
        add(UInt64(bitPattern: time.millisecondsSinceEpoch))
        add(UInt64(bitPattern: since.millisecondsSinceEpoch))
        add(threshold.bitPattern)
        for (key, value) in zip(signature.terms.keys, signature.terms.values) {
            add(key.utf8)
            add(value.bitPattern)
        }
        for (key, value) in zip(signature.guides.keys, signature.guides.values) {
            add(key.utf8)
            add(value.bitPattern)
        }
        for value in signature.meaning { add(UInt64(value.bitPattern)) }
        if let intent = signature.intent { add(intent.rawValue.utf8) }
        return String(hash, radix: 16)
    }
}
