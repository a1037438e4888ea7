import Core

/// An event store that several daemons can share: the log's tickets are
/// split into shards, each shard is processed by whoever holds its lease,
/// and a commit is accepted only from the current holder.
///
/// A daemon drives it in a loop: `acquireLease` for the shards it wants,
/// `renewLease` well before `expiresAt`, read a shard with
/// `records(after:shard:limit:)` from `checkpoint(consumer:shard:)`, and
/// `commit(_:lease:)` what the engine decided. `ShardLogView` wraps one
/// lease as an ordinary `EventStore`, so the engine's `LogConsumer` runs on
/// a shard unchanged.
///
/// - Important: Safety comes from the fencing token, not from the clock.
///   Every acquisition hands out a larger token, and a commit checks the
///   token in the same transaction that records effects and moves the
///   shard's checkpoint, so a daemon that paused past its lease (a GC stop,
///   a network partition) and resumes cannot commit over its successor.
public protocol ShardedEventStore: EventStore {
    /// Takes the lease of one shard for `duration`, or returns `nil` while
    /// another owner holds an unexpired lease on it. Taking it (even back,
    /// by the same owner after it lapsed) increments the fencing token.
    ///
    /// Throws `ShardCountMismatch` when the consumer's shards were set up
    /// with another count: changing the count needs a fresh consumer name.
    func acquireLease(consumer: String, shard: ShardID, owner: String, duration: TimeSpan) async throws -> ShardLease?

    /// Extends a lease still held, keeping its token; throws `LeaseLost`
    /// when it expired or was taken over meanwhile.
    func renewLease(_ lease: ShardLease, duration: TimeSpan) async throws -> ShardLease

    /// Gives a lease up so another owner can take it at once. Does nothing
    /// when the lease was already taken over.
    func releaseLease(_ lease: ShardLease) async throws

    /// The current leases of a consumer's shards (expired ones included), by shard.
    func leases(consumer: String) async throws -> [ShardLease]

    /// How far a consumer has processed one shard; 0 if never.
    func checkpoint(consumer: String, shard: ShardID) async throws -> Int64

    /// Up to `limit` records of the shard's tickets after `position`, in position order.
    func records(after position: Int64, shard: ShardID, limit: Int) async throws -> [LogRecord]

    /// Commits a batch computed from one shard, atomically, as
    /// `commit(_:)` does, but against the shard's checkpoint, and only if
    /// `lease` is still the shard's current, unexpired lease: otherwise it
    /// throws `LeaseLost` and applies nothing. `batch.consumer` must be
    /// the lease's consumer.
    ///
    /// Several shards write the same shared states (a recurrence count
    /// gathers tickets of every shard), so the commit also checks
    /// `batch.sharedBasis`: if any of those states is no longer the value
    /// the batch was computed from, it throws `SharedStateMoved` and applies
    /// nothing. The check and the write are atomic across shards.
    func commit(_ batch: ConsumerBatch, lease: ShardLease) async throws -> CommitOutcome
}

/// One shard out of `count`: the tickets whose `ShardID.hash` modulo
/// `count` is `index`.
public struct ShardID: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(_ index: Int, of count: Int) {
        precondition(count > 0 && index >= 0 && index < count, "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// The shard of a ticket.
    public static func of(ticket ticketID: String, count: Int) -> ShardID {
        ShardID(Int(hash(ticketID) % UInt32(count)), of: count)
    }

    public func contains(ticket ticketID: String) -> Bool {
        Int(Self.hash(ticketID) % UInt32(count)) == index
    }

    /// 32-bit FNV-1a of the ticket id's UTF-8 bytes. Stored with every
    /// event, so it must never change: every daemon, of every version,
    /// has to put a ticket in the same shard.
    public static func hash(_ ticketID: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in ticketID.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    public var description: String { "\(index)/\(count)" }
}

/// The right to process one shard of a consumer until `expiresAt`.
public struct ShardLease: Sendable, Hashable {
    public var consumer: String
    public var shard: ShardID
    public var owner: String
    /// Larger on every acquisition of this shard; a commit must carry the current one.
    public var fencingToken: Int64
    /// On the store's clock (the database's, for PostgreSQL).
    public var expiresAt: Timestamp

    public init(consumer: String, shard: ShardID, owner: String, fencingToken: Int64, expiresAt: Timestamp) {
        self.consumer = consumer
        self.shard = shard
        self.owner = owner
        self.fencingToken = fencingToken
        self.expiresAt = expiresAt
    }
}

/// A store refused a renewal or a commit: the lease expired, or another
/// owner holds the shard now (with a larger fencing token).
public struct LeaseLost: Error, Sendable, Hashable, CustomStringConvertible {
    public var consumer: String
    public var shard: ShardID
    public var fencingToken: Int64
    /// The shard's current token and owner, when another acquisition happened.
    public var currentToken: Int64?
    public var currentOwner: String?

    public init(consumer: String, shard: ShardID, fencingToken: Int64, currentToken: Int64?, currentOwner: String?) {
        self.consumer = consumer
        self.shard = shard
        self.fencingToken = fencingToken
        self.currentToken = currentToken
        self.currentOwner = currentOwner
    }

    public var description: String {
        if let currentToken, currentToken != fencingToken {
            return "the lease of shard \(shard) of consumer \(consumer) (token \(fencingToken)) was taken over by \(currentOwner ?? "another owner") (token \(currentToken)); nothing was committed"
        }
        return "the lease of shard \(shard) of consumer \(consumer) (token \(fencingToken)) expired; nothing was committed"
    }
}

/// A consumer's shards were set up with one count and are asked for with another.
public struct ShardCountMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    public var consumer: String
    public var stored: Int
    public var requested: Int

    public init(consumer: String, stored: Int, requested: Int) {
        self.consumer = consumer
        self.stored = stored
        self.requested = requested
    }

    public var description: String {
        "consumer \(consumer) splits the log into \(stored) shards, not \(requested); to change the count, start a consumer under a new name"
    }
}
