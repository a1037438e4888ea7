import EventLog

/// Records the writer has just appended, handed to the engine so it need
/// not read them back from the store (and parse their JSON again). Bounded:
/// past `limit` the oldest are dropped, and the engine reads those from the
/// store as usual — the hand-off is a shortcut, never the source of truth.
actor AppendedRecords {
    private var records: [LogRecord] = []
    let limit: Int

    init(limit: Int = 20_000) { self.limit = limit }

    func add(_ new: [LogRecord]) {
        records.append(contentsOf: new)
        if records.count > limit { records.removeFirst(records.count - limit) }
    }

    /// Everything waiting, in position order; the buffer is emptied.
    func take() -> [LogRecord] {
        defer { records = [] }
        return records
    }
}
