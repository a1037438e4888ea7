import Core

/// What a commit did.
public struct CommitOutcome: Sendable, Hashable {
    public var effectsRecorded: Int
    /// Effects whose key was already in the log (a replay after a crash).
    public var effectsAlreadyRecorded: Int
    public var followUpsAppended: Int
    /// The position of the last record of the log after the commit. When it
    /// is `toPosition + followUpsAppended`, the records right after the batch
    /// are exactly its follow-ups, and a consumer may step over them unread.
    public var lastPosition: Int64

    public init(effectsRecorded: Int, effectsAlreadyRecorded: Int, followUpsAppended: Int, lastPosition: Int64) {
        self.effectsRecorded = effectsRecorded
        self.effectsAlreadyRecorded = effectsAlreadyRecorded
        self.followUpsAppended = followUpsAppended
        self.lastPosition = lastPosition
    }
}
