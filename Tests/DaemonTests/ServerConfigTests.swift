import Core
import Testing
import Workflows

@testable import Daemon

@Suite struct ServerConfigTests {
    static func parse(_ yaml: String, environment: [String: String] = [:]) throws -> (ServerConfig, [Diagnostic]) {
        let root = try YAMLReader.read(Array(yaml.utf8), file: "ticketflow.yaml")
        return ServerConfig.parse(root.value(forKey: "server"), environment: environment)
    }

    @Test func readsSettingsAndSecretsFromTheNamedVariables() throws {
        let (config, problems) = try Self.parse("""
            server:
              listen: 0.0.0.0:9090
              store: data/log.sqlite
              max_body: 2MB
              max_queue: 500
              auth:
                bearer_tokens_env: [TOKEN_A, TOKEN_B]
                replay_window: 2m
              webhooks:
                github_secrets_env: [GH]
            """, environment: ["TOKEN_A": "a", "TOKEN_B": "b", "GH": "g"])
        #expect(problems.isEmpty, "\(problems)")
        #expect(config.host == "0.0.0.0" && config.port == 9090)
        #expect(config.store == "data/log.sqlite")
        #expect(config.maxBodyBytes == 2 << 20)
        #expect(config.maxQueuedEvents == 500)
        #expect(config.credentials.bearerTokens == ["a", "b"])
        #expect(config.credentials.githubSecrets == ["g"])
        #expect(config.replayWindow == .minutes(2))
    }

    @Test func problemsSayWhereAndWhat() throws {
        let (_, problems) = try Self.parse("""
            server:
              listen: nowhere
              max_body: lots
              auth:
                bearer_token_env: [X]
                hmac_secrets_env: [UNSET_SECRET]
            """)
        let texts = problems.map(\.description)
        #expect(texts.contains { $0.hasPrefix("ticketflow.yaml:2:11:") && $0.contains("HOST:PORT") })
        #expect(texts.contains { $0.hasPrefix("ticketflow.yaml:3:13:") && $0.contains("size") })
        #expect(texts.contains { $0.hasPrefix("ticketflow.yaml:5:5:") && $0.contains("bearer_tokens_env") })
        #expect(texts.contains { $0.hasPrefix("ticketflow.yaml:6:24:") && $0.contains("UNSET_SECRET") && $0.contains("not set") })
    }

    @Test func refusesToServeWithoutCredentialsUnlessToldTo() throws {
        let (_, problems) = try Self.parse("server:\n  listen: 127.0.0.1:8080\n")
        #expect(problems.count == 1)
        #expect(problems[0].message.contains("no credentials"))
        let (open, none) = try Self.parse("server:\n  auth: { allow_unauthenticated: true }\n")
        #expect(none.isEmpty)
        #expect(open.allowUnauthenticated)
    }
}
