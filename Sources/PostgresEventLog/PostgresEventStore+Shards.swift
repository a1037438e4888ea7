import Core
import EventLog
import PostgresNIO

/// Shards, leases and fencing tokens: how several daemons share the work.
///
/// A lease row is taken with one INSERT … ON CONFLICT DO UPDATE whose
/// condition (expired, or already ours) the server checks under the row's
/// lock, so two daemons racing for a shard cannot both win. A sharded
/// commit first locks the lease row (FOR UPDATE) and checks the token and
/// the expiry there: a takeover then waits for the commit to finish, and a
/// commit after a takeover finds the larger token and applies nothing.
extension PostgresEventStore {
    /// The time leases are measured against, in milliseconds.
    private func currentTime(on connection: PostgresConnection) async throws -> Int64 {
        if let leaseClock { return leaseClock().millisecondsSinceEpoch }
        let rows = try await connection.query(
            "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::int8", logger: logger)
        var time: Int64 = 0
        for try await value in rows.decode(Int64.self) { time = value }
        return time
    }

    /// Throws `ShardCountMismatch` if the consumer's shards were set up with another count.
    private func checkShardCount(consumer: String, count: Int, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("""
            SELECT shard_count FROM shard_leases WHERE consumer = \(consumer) AND shard_count <> \(count)
            UNION ALL
            SELECT shard_count FROM shard_checkpoints WHERE consumer = \(consumer) AND shard_count <> \(count)
            LIMIT 1
            """, logger: logger)
        for try await stored in rows.decode(Int32.self) {
            throw ShardCountMismatch(consumer: consumer, stored: Int(stored), requested: count)
        }
    }

    public func acquireLease(
        consumer: String, shard: ShardID, owner: String, duration: TimeSpan
    ) async throws -> ShardLease? {
        try requireWritable()
        precondition(duration.milliseconds > 0, "a lease needs a positive duration")
        return try await transaction { connection in
            try await self.checkShardCount(consumer: consumer, count: shard.count, on: connection)
            let now = try await self.currentTime(on: connection)
            let expires = now + duration.milliseconds
            let rows = try await connection.query("""
                INSERT INTO shard_leases (consumer, shard, shard_count, owner, expires_at, fencing_token)
                VALUES (\(consumer), \(Int32(shard.index)), \(Int32(shard.count)), \(owner), \(expires), 1)
                ON CONFLICT (consumer, shard) DO UPDATE
                    SET owner = excluded.owner, expires_at = excluded.expires_at,
                        fencing_token = shard_leases.fencing_token + 1
                    WHERE shard_leases.expires_at <= \(now) OR shard_leases.owner = excluded.owner
                RETURNING fencing_token
                """, logger: self.logger)
            var lease: ShardLease?
            for try await token in rows.decode(Int64.self) {
                lease = ShardLease(
                    consumer: consumer, shard: shard, owner: owner, fencingToken: token,
                    expiresAt: Timestamp(millisecondsSinceEpoch: expires))
            }
            return lease
        }
    }

    public func renewLease(_ lease: ShardLease, duration: TimeSpan) async throws -> ShardLease {
        try requireWritable()
        precondition(duration.milliseconds > 0, "a lease needs a positive duration")
        return try await transaction { connection in
            let now = try await self.currentTime(on: connection)
            let expires = now + duration.milliseconds
            let rows = try await connection.query("""
                UPDATE shard_leases SET expires_at = \(expires)
                WHERE consumer = \(lease.consumer) AND shard = \(Int32(lease.shard.index))
                    AND fencing_token = \(lease.fencingToken) AND expires_at > \(now)
                RETURNING fencing_token
                """, logger: self.logger)
            var renewed = false
            for try await _ in rows.decode(Int64.self) { renewed = true }
            guard renewed else { throw try await self.leaseLost(lease, on: connection) }
            var copy = lease
            copy.expiresAt = Timestamp(millisecondsSinceEpoch: expires)
            return copy
        }
    }

    public func releaseLease(_ lease: ShardLease) async throws {
        try requireWritable()
        // The row stays, with its token, so the next acquisition hands out a larger one.
        try await client.query("""
            UPDATE shard_leases SET expires_at = 0
            WHERE consumer = \(lease.consumer) AND shard = \(Int32(lease.shard.index))
                AND fencing_token = \(lease.fencingToken)
            """, logger: logger)
    }

    public func leases(consumer: String) async throws -> [ShardLease] {
        let rows = try await client.query("""
            SELECT shard, shard_count, owner, fencing_token, expires_at FROM shard_leases
            WHERE consumer = \(consumer) ORDER BY shard
            """, logger: logger)
        var leases: [ShardLease] = []
        for try await (shard, count, owner, token, expires) in rows.decode((Int32, Int32, String, Int64, Int64).self) {
            leases.append(ShardLease(
                consumer: consumer, shard: ShardID(Int(shard), of: Int(count)), owner: owner, fencingToken: token,
                expiresAt: Timestamp(millisecondsSinceEpoch: expires)))
        }
        return leases
    }

    public func checkpoint(consumer: String, shard: ShardID) async throws -> Int64 {
        let rows = try await client.query("""
            SELECT position, shard_count FROM shard_checkpoints
            WHERE consumer = \(consumer) AND shard = \(Int32(shard.index))
            """, logger: logger)
        var position: Int64 = 0
        for try await (stored, count) in rows.decode((Int64, Int32).self) {
            guard Int(count) == shard.count else {
                throw ShardCountMismatch(consumer: consumer, stored: Int(count), requested: shard.count)
            }
            position = stored
        }
        return position
    }

    public func records(after position: Int64, shard: ShardID, limit: Int) async throws -> [LogRecord] {
        guard limit > 0 else { return [] }
        return try await records("""
            SELECT \(unescaped: Self.recordColumns) FROM events
            WHERE position > \(position) AND ticket_hash % \(Int64(shard.count)) = \(Int64(shard.index))
            ORDER BY position LIMIT \(limit)
            """)
    }

    public func commit(_ batch: ConsumerBatch, lease: ShardLease) async throws -> CommitOutcome {
        try requireWritable()
        precondition(batch.consumer == lease.consumer, "a batch of \(batch.consumer) committed with a lease of \(lease.consumer)")
        let encoded = EncodedBatch(batch)
        let shard = Int32(lease.shard.index)
        return try await transaction { connection in
            let now = try await self.currentTime(on: connection)
            // The lease row stays locked until the commit ends: a takeover
            // waits for it. A batch that changes shared state first takes the
            // shared-state lock, in the same statement (see `checkSharedBasis`).
            let sharedLock = encoded.sharedBasis.isEmpty
                ? "" : "AND pg_advisory_xact_lock(\(Self.sharedStateLockKey))::text IS NOT NULL"
            let rows = try await connection.query("""
                SELECT fencing_token, expires_at, \(unescaped: Self.idleTimeoutSetting) FROM shard_leases
                WHERE consumer = \(lease.consumer) AND shard = \(shard) \(unescaped: sharedLock) FOR UPDATE
                """, logger: self.logger)
            var valid = false
            for try await (token, expires, _) in rows.decode((Int64, Int64, String).self) {
                valid = token == lease.fencingToken && expires > now
            }
            guard valid else { throw try await self.leaseLost(lease, on: connection) }

            try await connection.query("""
                INSERT INTO shard_checkpoints (consumer, shard, shard_count, position)
                VALUES (\(lease.consumer), \(shard), \(Int32(lease.shard.count)), 0)
                ON CONFLICT (consumer, shard) DO NOTHING
                """, logger: self.logger)
            let checkpoints = try await connection.query("""
                SELECT position, shard_count FROM shard_checkpoints
                WHERE consumer = \(lease.consumer) AND shard = \(shard) FOR UPDATE
                """, logger: self.logger)
            var current: Int64 = 0
            for try await (position, count) in checkpoints.decode((Int64, Int32).self) {
                guard Int(count) == lease.shard.count else {
                    throw ShardCountMismatch(consumer: lease.consumer, stored: Int(count), requested: lease.shard.count)
                }
                current = position
            }
            guard current == batch.fromPosition else {
                throw CheckpointMoved(
                    consumer: "\(batch.consumer) shard \(lease.shard)", expected: batch.fromPosition, found: current)
            }
            try await self.checkSharedBasis(encoded, on: connection)
            let outcome = try await self.apply(encoded, on: connection)
            try await connection.query("""
                UPDATE shard_checkpoints SET position = \(batch.toPosition)
                WHERE consumer = \(lease.consumer) AND shard = \(shard)
                """, logger: self.logger)
            return outcome
        }
    }

    /// Throws `SharedStateMoved` unless every shared state the batch changed
    /// is stored as the batch read it. Shards that change shared state take
    /// one lock in turn (with their lease row, the commit's first
    /// statement), held to the end of their transaction, so no other shard
    /// can write those states (or create them) between this check and this
    /// commit's write. It is taken before `apply` takes the append lock, in
    /// the same order by every commit.
    private func checkSharedBasis(_ encoded: EncodedBatch, on connection: PostgresConnection) async throws {
        guard !encoded.sharedBasis.isEmpty else { return }
        let rows = try await connection.query(
            "SELECT ticket_id, state FROM tickets WHERE ticket_id = ANY(\(encoded.sharedBasis.map(\.id)))", logger: logger)
        var stored: [String: String] = [:]
        for try await (id, state) in rows.decode((String, String).self) { stored[id] = state }
        let moved = encoded.sharedBasis.filter { !Self.holds(stored[$0.id], $0.state) }.map(\.id)
        guard moved.isEmpty else { throw SharedStateMoved(ids: moved) }
    }

    /// Whether the stored text is the basis: byte for byte as this store
    /// writes it, or else (a row another version of Ticketflow wrote, or
    /// edited by hand) once read and written again as the basis was.
    static func holds(_ stored: String?, _ basis: String?) -> Bool {
        guard let stored, let basis else { return stored == nil && basis == nil }
        if stored.utf8.elementsEqual(basis.utf8) { return true }
        guard let value = try? JSONReader.read(stored) else { return false }
        return JSONWriter.string(value).utf8.elementsEqual(basis.utf8)
    }

    /// Why a lease is no longer valid, from its row as it is now.
    private func leaseLost(_ lease: ShardLease, on connection: PostgresConnection) async throws -> LeaseLost {
        let rows = try await connection.query("""
            SELECT fencing_token, owner FROM shard_leases
            WHERE consumer = \(lease.consumer) AND shard = \(Int32(lease.shard.index))
            """, logger: logger)
        var lost = LeaseLost(
            consumer: lease.consumer, shard: lease.shard, fencingToken: lease.fencingToken, currentToken: nil,
            currentOwner: nil)
        for try await (token, owner) in rows.decode((Int64, String).self) {
            lost.currentToken = token
            lost.currentOwner = owner
        }
        return lost
    }
}
