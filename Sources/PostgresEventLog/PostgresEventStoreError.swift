/// A problem with a PostgreSQL event log itself, rather than with the
/// events offered to it. The server's own errors (a refused connection, a
/// violated constraint) come through as postgres-nio's `PSQLError`.
public struct PostgresEventStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case invalidURL(String)
        case unreachable(reason: String)
        case noSchema
        case schemaBehind(found: String)
        case schemaAhead(unknown: String)
        case openedReadOnly
        case unreadableRow(table: String, key: String, problem: String)
    }

    private var kind: Kind
    /// The database's URL, without its password.
    public var location: String

    private init(_ kind: Kind, location: String) {
        self.kind = kind
        self.location = location
    }

    /// A store URL that is not `postgres://user[:password]@host[:port]/database`.
    public static func invalidURL(_ url: String, problem: String) -> Self {
        Self(.invalidURL(problem), location: url)
    }

    /// The server could not be reached, or refused the connection.
    public static func unreachable(_ location: String, reason: String) -> Self {
        Self(.unreachable(reason: reason), location: location)
    }

    /// The database has no Ticketflow tables: `ticketflow migrate` creates them.
    public static func noSchema(_ location: String) -> Self { Self(.noSchema, location: location) }

    /// The database lacks migrations this version needs.
    public static func schemaBehind(_ location: String, found: String) -> Self {
        Self(.schemaBehind(found: found), location: location)
    }

    /// The database has a migration this version does not know: a newer Ticketflow migrated it.
    public static func schemaAhead(_ location: String, unknown: String) -> Self {
        Self(.schemaAhead(unknown: unknown), location: location)
    }

    /// A write to a store opened read-only.
    public static func openedReadOnly(_ location: String) -> Self { Self(.openedReadOnly, location: location) }

    /// A stored row that cannot be turned back into a value.
    public static func unreadableRow(_ location: String, table: String, key: String, problem: String) -> Self {
        Self(.unreadableRow(table: table, key: key, problem: problem), location: location)
    }

    public var description: String {
        switch kind {
        case .invalidURL(let problem):
            "\(location) is not a PostgreSQL URL (postgres://user[:password]@host[:port]/database): \(problem)"
        case .unreachable(let reason):
            "cannot connect to \(location): \(reason)"
        case .noSchema:
            "\(location) has no Ticketflow event log; create it with `ticketflow migrate --store \(location)`"
        case .schemaBehind(let found):
            "the event log at \(location) has schema \(found), not \(PostgresSchema.version); upgrade it with `ticketflow migrate --store \(location)`"
        case .schemaAhead(let unknown):
            "the event log at \(location) was migrated by a newer Ticketflow (migration \(unknown)); use that version"
        case .openedReadOnly:
            "the event log at \(location) was opened read-only"
        case .unreadableRow(let table, let key, let problem):
            "the event log at \(location) has an unreadable row in \(table) (\(key)): \(problem)"
        }
    }
}
