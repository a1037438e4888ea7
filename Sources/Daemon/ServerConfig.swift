import Core
import Foundation
import Workflows

/// The `server:` section of `ticketflow.yaml`: where the daemon listens,
/// which log it writes, which folders it loads, its limits, and which
/// environment variables hold its secrets. Secrets themselves never sit in
/// the file: the file names the variables, so it can be committed.
///
/// ```yaml
/// server:
///   listen: 127.0.0.1:8080
///   store: ticketflow.sqlite
///   auth:
///     bearer_tokens_env: [TICKETFLOW_TOKEN, TICKETFLOW_TOKEN_NEXT]
///     hmac_secrets_env: [TICKETFLOW_HMAC_SECRET]
///   webhooks:
///     zendesk_secrets_env: [ZENDESK_WEBHOOK_SECRET]
///     github_secrets_env: [GITHUB_WEBHOOK_SECRET]
/// ```
public struct ServerConfig: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// An SQLite file path (the default) or a database URL.
    public var store = "ticketflow.sqlite"
    public var workflows = "workflows"
    public var guides = "guides"
    public var plugins = "plugins"
    /// Largest request body accepted; larger ones get 413 before the body is read.
    public var maxBodyBytes = 4 * 1024 * 1024
    /// Events waiting to be stored; past this, ingest answers 429.
    public var maxQueuedEvents = 20_000
    /// Events written per group commit.
    public var maxBatchEvents = 2_000
    /// How far a signed request's timestamp may be from the server's clock.
    public var replayWindow = TimeSpan.minutes(5)
    /// How often the workflow files are checked for changes (0: only on SIGHUP).
    public var watchInterval = TimeSpan.seconds(2)
    /// Shards of the log for daemons sharing it (a PostgreSQL store); `nil`
    /// runs one engine over the whole log, as a single daemon does.
    public var shards: Int?
    /// How long a daemon holds a shard without renewing it: a dead daemon's
    /// shards are taken over after at most this long.
    public var leaseDuration = TimeSpan.seconds(10)
    /// Runs without credentials; only for a daemon nobody else can reach.
    public var allowUnauthenticated = false
    public var credentials = Credentials()

    /// The secrets, read from the environment variables the file names.
    public struct Credentials: Sendable {
        public var bearerTokens: [String] = []
        public var hmacSecrets: [String] = []
        public var zendeskSecrets: [String] = []
        public var githubSecrets: [String] = []
        public init() {}
        var protectsIngest: Bool { !bearerTokens.isEmpty || !hmacSecrets.isEmpty }
    }

    public init() {}

    static let keys = ["listen", "store", "workflows", "guides", "plugins", "max_body", "max_queue", "max_batch", "watch", "shards", "lease", "auth", "webhooks"]
    static let authKeys = ["bearer_tokens_env", "hmac_secrets_env", "replay_window", "allow_unauthenticated"]
    static let webhookKeys = ["zendesk_secrets_env", "github_secrets_env"]

    /// Reads the section; every problem comes back with its place in the file.
    /// An environment variable that is named but unset is a problem too: a
    /// daemon that silently starts without its secret would refuse every call.
    public static func parse(_ node: YAMLNode?, environment: [String: String]) -> (ServerConfig, [Diagnostic]) {
        var config = ServerConfig()
        var problems: [Diagnostic] = []
        guard let node else { return (config, [noCredentials(at: nil)]) }
        guard let pairs = node.pairs else {
            return (config, [Diagnostic(.wrongType, "`server` must be a mapping", at: node.location)])
        }
        func problem(_ message: String, _ at: YAMLNode) {
            problems.append(Diagnostic(.invalidConfig, message, at: at.location))
        }
        func text(_ value: YAMLNode, _ key: String) -> String? {
            guard let text = value.scalarText, !text.isEmpty else {
                problem("`server.\(key)` must be a non-empty string", value)
                return nil
            }
            return text
        }
        func secrets(_ value: YAMLNode, _ key: String) -> [String] {
            let names = value.items ?? (value.scalarText.map { _ in [value] } ?? [])
            guard !names.isEmpty else {
                problem("`server.\(key)` must list environment variable names", value)
                return []
            }
            var found: [String] = []
            for name in names {
                guard let variable = name.scalarText, !variable.isEmpty else {
                    problem("`server.\(key)` entries must be environment variable names", name)
                    continue
                }
                guard let secret = environment[variable], !secret.isEmpty else {
                    problem("environment variable \(variable) (named in `server.\(key)`) is not set", name)
                    continue
                }
                found.append(secret)
            }
            return found
        }
        func size(_ value: YAMLNode, _ key: String) -> Int? {
            guard let text = value.scalarText, let bytes = ByteSize.parse(text), bytes > 0 else {
                problem("`server.\(key)` must be a size such as 4MB or 512KB", value)
                return nil
            }
            return bytes
        }
        func count(_ value: YAMLNode, _ key: String) -> Int? {
            guard let text = value.scalarText, let number = Int(text), number > 0 else {
                problem("`server.\(key)` must be a positive whole number", value)
                return nil
            }
            return number
        }
        func span(_ value: YAMLNode, _ key: String) -> TimeSpan? {
            guard let text = value.scalarText, let span = TimeSpan.parse(text) else {
                problem("`server.\(key)` must be a duration such as 5m or 30s", value)
                return nil
            }
            return span
        }
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            let value = pair.value
            switch key {
            case "listen":
                guard let listen = text(value, key) else { continue }
                guard let (host, port) = parseListen(listen) else {
                    problem("`server.listen` must be HOST:PORT, e.g. 127.0.0.1:8080 or 0.0.0.0:8080", value)
                    continue
                }
                config.host = host
                config.port = port
            case "store": if let text = text(value, key) { config.store = text }
            case "workflows": if let text = text(value, key) { config.workflows = text }
            case "guides": if let text = text(value, key) { config.guides = text }
            case "plugins": if let text = text(value, key) { config.plugins = text }
            case "max_body": if let bytes = size(value, key) { config.maxBodyBytes = bytes }
            case "max_queue": if let number = count(value, key) { config.maxQueuedEvents = number }
            case "max_batch": if let number = count(value, key) { config.maxBatchEvents = number }
            case "shards":
                if let number = count(value, key) {
                    if number > 1024 { problem("`server.shards` must be at most 1024", value) } else { config.shards = number }
                }
            case "lease":
                if let span = span(value, key) {
                    if span < .seconds(3) { problem("`server.lease` must be at least 3s (leases are renewed every third of it)", value) } else { config.leaseDuration = span }
                }
            case "watch":
                if value.scalarText == "off" {
                    config.watchInterval = TimeSpan(milliseconds: 0)
                } else if let span = span(value, key) {
                    config.watchInterval = span
                }
            case "auth":
                guard let authPairs = value.pairs else {
                    problem("`server.auth` must be a mapping", value)
                    continue
                }
                for auth in authPairs {
                    let authKey = auth.key.scalarText ?? ""
                    switch authKey {
                    case "bearer_tokens_env": config.credentials.bearerTokens = secrets(auth.value, "auth.\(authKey)")
                    case "hmac_secrets_env": config.credentials.hmacSecrets = secrets(auth.value, "auth.\(authKey)")
                    case "replay_window": if let span = span(auth.value, "auth.\(authKey)") { config.replayWindow = span }
                    case "allow_unauthenticated":
                        switch auth.value.scalarText {
                        case "true": config.allowUnauthenticated = true
                        case "false": config.allowUnauthenticated = false
                        default: problem("`server.auth.allow_unauthenticated` must be true or false", auth.value)
                        }
                    default:
                        problems.append(Diagnostic(
                            .unknownKey, "unknown key `\(authKey)` in `server.auth`", at: auth.key.location,
                            hint: Suggestion.hint(for: authKey, in: authKeys)))
                    }
                }
            case "webhooks":
                guard let webhookPairs = value.pairs else {
                    problem("`server.webhooks` must be a mapping", value)
                    continue
                }
                for webhook in webhookPairs {
                    let webhookKey = webhook.key.scalarText ?? ""
                    switch webhookKey {
                    case "zendesk_secrets_env": config.credentials.zendeskSecrets = secrets(webhook.value, "webhooks.\(webhookKey)")
                    case "github_secrets_env": config.credentials.githubSecrets = secrets(webhook.value, "webhooks.\(webhookKey)")
                    default:
                        problems.append(Diagnostic(
                            .unknownKey, "unknown key `\(webhookKey)` in `server.webhooks`", at: webhook.key.location,
                            hint: Suggestion.hint(for: webhookKey, in: webhookKeys)))
                    }
                }
            default:
                problems.append(Diagnostic(
                    .unknownKey, "unknown key `\(key)` in `server`", at: pair.key.location,
                    hint: Suggestion.hint(for: key, in: keys)))
            }
        }
        if problems.isEmpty, !config.credentials.protectsIngest, !config.allowUnauthenticated {
            problems.append(noCredentials(at: node.location))
        }
        return (config, problems)
    }

    private static func noCredentials(at location: SourceLocation?) -> Diagnostic {
        Diagnostic(
            .invalidConfig,
            "the daemon has no credentials for its API: name them in `server.auth.bearer_tokens_env` or `server.auth.hmac_secrets_env` of ticketflow.yaml, or set `server.auth.allow_unauthenticated: true`",
            at: location)
    }

    /// `HOST:PORT`, with `[::1]:PORT` for IPv6.
    public static func parseListen(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        return (host, port)
    }
}
