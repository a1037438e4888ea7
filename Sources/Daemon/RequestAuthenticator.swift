import Core
import Foundation
import HTTPTypes

/// Decides whether a request may use the API: a bearer token, or an
/// HMAC-SHA256 signature over the raw body with a timestamp inside the
/// replay window. Webhooks are checked by their own help desk's scheme.
/// Several secrets may be valid at once, so a secret can be rotated
/// without a moment where the sender's requests are refused.
struct RequestAuthenticator: Sendable {
    let credentials: ServerConfig.Credentials
    let allowUnauthenticated: Bool
    let replayWindow: TimeSpan
    let now: @Sendable () -> Timestamp

    static let signatureHeader = HTTPField.Name("X-Ticketflow-Signature")!
    static let timestampHeader = HTTPField.Name("X-Ticketflow-Timestamp")!
    static let gitHubSignature = HTTPField.Name("X-Hub-Signature-256")!
    static let zendeskSignature = HTTPField.Name("X-Zendesk-Webhook-Signature")!
    static let zendeskTimestamp = HTTPField.Name("X-Zendesk-Webhook-Signature-Timestamp")!

    /// `nil` when the request may go on; otherwise why not (sent back in the 401).
    ///
    /// Each check runs twice: with `body: nil` before the body is read (all
    /// that headers alone can decide: the token, the presence of a
    /// signature, its timestamp), so an unauthenticated client cannot make
    /// the server buffer bodies; then with the body, for the MAC.
    func checkAPI(_ headers: HTTPFields, body: [UInt8]?) -> String? {
        if let authorization = headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer ") else { return "the Authorization header must be `Bearer TOKEN`" }
            guard !credentials.bearerTokens.isEmpty else { return "bearer tokens are not accepted by this server" }
            let token = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
            return Signatures.tokenMatches(token, tokens: credentials.bearerTokens) ? nil : "invalid bearer token"
        }
        if let signature = headers[Self.signatureHeader] {
            guard !credentials.hmacSecrets.isEmpty else { return "signed requests are not accepted by this server" }
            guard let timestamp = headers[Self.timestampHeader] else { return "a signed request needs X-Ticketflow-Timestamp" }
            guard let seconds = Int64(timestamp), seconds.magnitude < 1 << 40 else { return "X-Ticketflow-Timestamp must be Unix seconds" }
            if let problem = outsideWindow(Timestamp(millisecondsSinceEpoch: seconds * 1000)) { return problem }
            guard let body else { return nil }
            return Signatures.ticketflowMatches(header: signature, timestamp: timestamp, body: body, secrets: credentials.hmacSecrets)
                ? nil : "invalid signature"
        }
        return allowUnauthenticated ? nil : "credentials required: `Authorization: Bearer TOKEN` or X-Ticketflow-Signature"
    }

    /// Reads take a bearer token only: a signature covers a body, and a GET
    /// has none, so a captured signed read could be replayed on any path.
    func checkRead(_ headers: HTTPFields) -> String? {
        if headers[.authorization] == nil, allowUnauthenticated { return nil }
        guard headers[Self.signatureHeader] == nil else { return "reads take `Authorization: Bearer TOKEN`, not a signature" }
        return checkAPI(headers, body: [])
    }

    func checkGitHub(_ headers: HTTPFields, body: [UInt8]?) -> String? {
        guard !credentials.githubSecrets.isEmpty else { return "GitHub webhooks are not configured (server.webhooks.github_secrets_env)" }
        guard let signature = headers[Self.gitHubSignature] else { return "missing X-Hub-Signature-256" }
        guard let body else { return nil }
        return Signatures.gitHubMatches(header: signature, body: body, secrets: credentials.githubSecrets) ? nil : "invalid signature"
    }

    func checkZendesk(_ headers: HTTPFields, body: [UInt8]?) -> String? {
        guard !credentials.zendeskSecrets.isEmpty else { return "Zendesk webhooks are not configured (server.webhooks.zendesk_secrets_env)" }
        guard let signature = headers[Self.zendeskSignature], let timestamp = headers[Self.zendeskTimestamp] else {
            return "missing X-Zendesk-Webhook-Signature or X-Zendesk-Webhook-Signature-Timestamp"
        }
        guard let time = Timestamp.parse(timestamp) else { return "X-Zendesk-Webhook-Signature-Timestamp is not an RFC 3339 time" }
        if let problem = outsideWindow(time) { return problem }
        guard let body else { return nil }
        return Signatures.zendeskMatches(signature: signature, timestamp: timestamp, body: body, secrets: credentials.zendeskSecrets)
            ? nil : "invalid signature"
    }

    private func outsideWindow(_ time: Timestamp) -> String? {
        let skew = abs(now().millisecondsSinceEpoch - time.millisecondsSinceEpoch)
        return skew > replayWindow.milliseconds ? "the signature's timestamp is outside the \(replayWindow) replay window" : nil
    }
}
