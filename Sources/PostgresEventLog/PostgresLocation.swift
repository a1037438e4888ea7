import Foundation
import PostgresNIO

/// Where a PostgreSQL event log lives, parsed from a URL:
/// `postgres://user[:password]@host[:port]/database[?sslmode=disable|prefer|require]`.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Whether `text` names a PostgreSQL store rather than an SQLite file.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(url text: String) throws {
        let redacted = Self.redacted(text)
        func invalid(_ problem: String) -> PostgresEventStoreError {
            .invalidURL(redacted, problem: problem)
        }
        guard Self.isPostgresURL(text) else { throw invalid("it must start with postgres://") }
        guard let components = URLComponents(string: text) else { throw invalid("it cannot be parsed as a URL") }
        guard let host = components.host, !host.isEmpty else { throw invalid("the host is missing") }
        guard let user = components.user, !user.isEmpty else { throw invalid("the user is missing") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw invalid("the database name is missing") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw invalid("sslmode must be disable, prefer or require")
                }
                tls = mode
            default:
                throw invalid("unknown parameter \(item.name) (only sslmode is understood)")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? user
        self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
    }

    /// The URL without the password, for messages.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)"
    }

    /// This location with another database, e.g. a scratch database on the same server.
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// A client configuration for this location (TLS as `sslmode` says).
    public func clientConfiguration(readOnly: Bool = false) -> PostgresClient.Configuration {
        let tlsSetting: PostgresClient.Configuration.TLS = switch tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
        configuration.options.additionalStartupParameters = [("application_name", "ticketflow")]
        if readOnly {
            // The server refuses writes too, not only this store.
            configuration.options.additionalStartupParameters.append(("default_transaction_read_only", "on"))
        }
        return configuration
    }

    /// A configuration for one connection outside a client's pool.
    func connectionConfiguration(readOnly: Bool) throws -> PostgresConnection.Configuration {
        let tlsSetting: PostgresConnection.Configuration.TLS = switch tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = clientConfiguration(readOnly: readOnly)
            .options.additionalStartupParameters
        return configuration
    }

    /// A URL with its password, if any, replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
