/// A problem with an SQLite event log file itself, rather than with the
/// events offered to it. SQLite's own errors (a locked or corrupt file, a
/// full disk) come through as GRDB's `DatabaseError`.
public struct SQLiteEventStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case missingFile
        case notAnEventLog
        case openedReadOnly
        case unreadableRow(table: String, key: String, problem: String)
    }

    private var kind: Kind
    /// The path of the log file.
    public var path: String

    private init(_ kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// A read-only open of a file that does not exist.
    public static func missingFile(_ path: String) -> Self { Self(.missingFile, path: path) }

    /// A read-only open of a file without the current schema.
    public static func notAnEventLog(_ path: String) -> Self { Self(.notAnEventLog, path: path) }

    /// A write to a store opened read-only.
    public static func openedReadOnly(_ path: String) -> Self { Self(.openedReadOnly, path: path) }

    /// A stored row that cannot be turned back into a value, e.g. a payload
    /// that is not JSON: only another program writing to the file does that.
    public static func unreadableRow(_ path: String, table: String, key: String, problem: String) -> Self {
        Self(.unreadableRow(table: table, key: key, problem: problem), path: path)
    }

    public var description: String {
        switch kind {
        case .missingFile:
            "no event log at \(path)"
        case .notAnEventLog:
            "\(path) is not a Ticketflow event log of this version "
                + "(an older log is upgraded the first time it is opened for writing)"
        case .openedReadOnly:
            "the event log at \(path) was opened read-only"
        case .unreadableRow(let table, let key, let problem):
            "the event log at \(path) has an unreadable row in \(table) (\(key)): \(problem)"
        }
    }
}
