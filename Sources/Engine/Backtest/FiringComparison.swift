import Core

/// Pairs what the candidate workflows did with what the deployed ones did,
/// event by event, while both streams are read: a workflow's run on one
/// trigger event is a *firing*, keyed by (event id, workflow), and the two
/// sides key theirs alike because the engine derives the ids of the events
/// it appends (follow-ups, timers) from what caused them.
///
/// Memory is bounded: a firing seen on one side is kept until the other side
/// shows the same key, or until the reader is `reach` positions further on,
/// when it is settled as a difference.
struct FiringComparison {
    struct Key: Hashable {
        var eventID: String
        var workflow: String
    }

    struct Firing {
        var ticket: String
        /// The steps' actions and rendered parameters, in step order: two
        /// firings that would do the same thing have the same signature.
        var signature: String
        /// Where in the log it was seen, to know when to give up waiting.
        var position: Int64
    }

    enum Verdict {
        case same
        /// Both fired, with different actions or parameters.
        case changed
        case onlyCandidate
        case onlyDeployed
    }

    let reach: Int64
    private var candidate: [Key: Firing] = [:]
    private var deployed: [Key: Firing] = [:]

    init(reach: Int64) { self.reach = reach }

    var pending: Int { candidate.count + deployed.count }

    mutating func addCandidate(_ key: Key, _ firing: Firing) -> Verdict? {
        guard let other = deployed.removeValue(forKey: key) else {
            candidate[key] = firing
            return nil
        }
        return other.signature == firing.signature ? .same : .changed
    }

    mutating func addDeployed(_ key: Key, _ firing: Firing) -> Verdict? {
        guard let other = candidate.removeValue(forKey: key) else {
            deployed[key] = firing
            return nil
        }
        return other.signature == firing.signature ? .same : .changed
    }

    /// Firings still unpaired that were seen before `position`, as
    /// differences, oldest first; `nil` settles everything (end of input).
    mutating func settle(before position: Int64?) -> [(Key, Firing, Verdict)] {
        var settled: [(Key, Firing, Verdict)] = []
        for (key, firing) in candidate where position.map({ firing.position < $0 }) ?? true {
            settled.append((key, firing, .onlyCandidate))
        }
        for (key, firing) in deployed where position.map({ firing.position < $0 }) ?? true {
            settled.append((key, firing, .onlyDeployed))
        }
        for (key, _, verdict) in settled {
            if verdict == .onlyCandidate { candidate[key] = nil } else { deployed[key] = nil }
        }
        // Dictionary order is arbitrary: sort, so examples do not change from run to run.
        return settled.sorted { ($0.1.position, $0.0.eventID, $0.0.workflow) < ($1.1.position, $1.0.eventID, $1.0.workflow) }
    }
}
