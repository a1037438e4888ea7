import Foundation
import PostgresEventLog
import PostgresNIO

/// Scratch databases on the test cluster that `scripts/test` starts
/// (`scripts/postgres start`), named by `TICKETFLOW_TEST_POSTGRES_URL`.
///
/// Without that variable the PostgreSQL tests are left out, except under CI
/// (`CI=true`), where they run and fail: a CI run must never pass without
/// having tested the PostgreSQL store.
public enum PostgresScratch {
    public static let urlVariable = "TICKETFLOW_TEST_POSTGRES_URL"

    public static var serverURL: String? {
        ProcessInfo.processInfo.environment[urlVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["CI"].map { ["true", "1", "yes"].contains($0.lowercased()) } ?? false
    }

    /// Whether the PostgreSQL tests run: a server is named, or CI requires them.
    public static var isEnabled: Bool { serverURL != nil || isRequired }

    public struct NoServer: Error, CustomStringConvertible {
        public var description: String {
            "\(PostgresScratch.urlVariable) is not set, and CI=true requires the PostgreSQL tests: run them through scripts/test, which starts a throwaway cluster (scripts/postgres)"
        }
    }

    /// Runs `body` with the URL of a new, migrated database, dropped afterwards.
    public static func withDatabase(_ body: (String) async throws -> Void) async throws {
        guard let serverURL else { throw NoServer() }
        let server = try PostgresLocation(url: serverURL)
        let name = "tf_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await admin(server) { client in
            try await client.query("CREATE DATABASE \(unescaped: name)")
        }
        let url = "postgres://\(server.username)@\(server.host):\(server.port)/\(name)?sslmode=disable"
        do {
            _ = try await PostgresEventStore.migrate(url: url)
            try await body(url)
        } catch {
            try? await drop(name, on: server)
            throw error
        }
        try await drop(name, on: server)
    }

    private static func drop(_ name: String, on server: PostgresLocation) async throws {
        try await admin(server) { client in
            try await client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)")
        }
    }

    /// Runs `body` with a client of the server's own database.
    public static func admin(
        _ server: PostgresLocation, _ body: @Sendable @escaping (PostgresClient) async throws -> Void
    ) async throws {
        var configuration = server.clientConfiguration()
        configuration.tls = .disable
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await body(client)
        }
    }
}
