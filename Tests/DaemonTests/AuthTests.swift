import Core
import EventLog
import Foundation
import HTTPTypes
import Testing

@testable import Daemon

@Suite struct AuthTests {
    /// The example from GitHub's documentation on validating webhook deliveries.
    @Test func gitHubsPublishedTestVector() {
        let body = Array("Hello, World!".utf8)
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(Signatures.gitHubMatches(header: header, body: body, secrets: ["It's a Secret to Everybody"]))
        #expect(!Signatures.gitHubMatches(header: header, body: body, secrets: ["It's a secret to everybody"]))
        #expect(!Signatures.gitHubMatches(header: header, body: Array("Hello, World?".utf8), secrets: ["It's a Secret to Everybody"]))
        // Either secret of a rotation pair is accepted.
        #expect(Signatures.gitHubMatches(header: header, body: body, secrets: ["new secret", "It's a Secret to Everybody"]))
    }

    static func authenticator(now: Timestamp = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)) -> RequestAuthenticator {
        RequestAuthenticator(
            credentials: DaemonHarness.config().credentials, allowUnauthenticated: false, replayWindow: .minutes(5), now: { now })
    }

    static func signed(_ body: [UInt8], secret: String = DaemonHarness.hmacSecret, at seconds: Int64 = 1_800_000_000) -> HTTPFields {
        var headers = HTTPFields()
        headers[RequestAuthenticator.timestampHeader] = String(seconds)
        headers[RequestAuthenticator.signatureHeader] = Signatures.ticketflowSignature(timestamp: String(seconds), body: body, secret: secret)
        return headers
    }

    @Test func bearerTokensAndSignaturesWithAReplayWindow() {
        let auth = Self.authenticator()
        let body = Array(#"{"x":1}"#.utf8)
        var bearer = HTTPFields()
        bearer[.authorization] = "Bearer \(DaemonHarness.token)"
        #expect(auth.checkAPI(bearer, body: body) == nil)
        bearer[.authorization] = "Bearer \(DaemonHarness.token)x"
        #expect(auth.checkAPI(bearer, body: body) == "invalid bearer token")
        #expect(auth.checkAPI(HTTPFields(), body: body) != nil, "no credentials at all")
        #expect(auth.checkAPI(Self.signed(body), body: body) == nil)
        #expect(auth.checkAPI(Self.signed(body, secret: "old-" + DaemonHarness.hmacSecret), body: body) == nil, "the previous secret during rotation")
        #expect(auth.checkAPI(Self.signed(body, secret: "other"), body: body) == "invalid signature")
        #expect(auth.checkAPI(Self.signed(body, at: 1_800_000_000 - 301), body: body)?.contains("replay window") == true)
        #expect(auth.checkAPI(Self.signed(body, at: 1_800_000_000 + 301), body: body)?.contains("replay window") == true)
        #expect(auth.checkAPI(Self.signed(body, at: 1_800_000_000 - 299), body: body) == nil)
        var huge = Self.signed(body)
        huge[RequestAuthenticator.timestampHeader] = "99999999999999999999"
        #expect(auth.checkAPI(huge, body: body) != nil)
    }

    /// Thousands of forgeries: every mutation of a valid signature, body or
    /// timestamp is refused, and the unmutated request is accepted.
    @Test func mutatedSignaturesBodiesAndTimestampsAreNeverAccepted() {
        var random = SystemRandomNumberGenerator()
        let auth = Self.authenticator()
        var accepted = 0
        var tried = 0
        for round in 0..<1_000 {
            let body = Array(DaemonHarness.event("f\(round)", ticket: "T-\(round)").utf8)
            let valid = Self.signed(body)
            #expect(auth.checkAPI(valid, body: body) == nil)
            // A flipped bit in the body.
            var body2 = body
            let index = Int.random(in: 0..<body2.count, using: &random)
            body2[index] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
            // A changed hex digit in the signature.
            var headers2 = valid
            var signature = Array(valid[RequestAuthenticator.signatureHeader]!.utf8)
            let position = Int.random(in: 7..<signature.count, using: &random)
            signature[position] = signature[position] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
            headers2[RequestAuthenticator.signatureHeader] = String(decoding: signature, as: UTF8.self)
            // The timestamp moved (signature kept), and truncated signatures.
            var headers3 = valid
            headers3[RequestAuthenticator.timestampHeader] = String(1_800_000_000 + Int64.random(in: 1...200, using: &random))
            var headers4 = valid
            headers4[RequestAuthenticator.signatureHeader] = String(valid[RequestAuthenticator.signatureHeader]!.dropLast(2))
            var headers5 = valid
            headers5[RequestAuthenticator.signatureHeader] = "sha1=" + valid[RequestAuthenticator.signatureHeader]!.dropFirst(7)
            for (headers, candidate) in [(valid, body2), (headers2, body), (headers3, body), (headers4, body), (headers5, body)] {
                tried += 1
                if auth.checkAPI(headers, body: candidate) == nil { accepted += 1 }
            }
            // GitHub and Zendesk signatures, mutated the same way.
            let gitHub = "sha256=" + Signatures.hex(hmac(body, DaemonHarness.gitHubSecret))
            var github = HTTPFields()
            github[RequestAuthenticator.gitHubSignature] = gitHub
            tried += 1
            if auth.checkGitHub(github, body: body2) == nil { accepted += 1 }
            #expect(auth.checkGitHub(github, body: body) == nil)
        }
        #expect(tried == 6_000)
        #expect(accepted == 0)
    }

    @Test func zendeskSignaturesCoverTheTimestamp() {
        let auth = Self.authenticator()
        let body = Array(#"{"type":"zen:event-type:ticket.created"}"#.utf8)
        let timestamp = "2027-01-15T08:00:00Z"
        var headers = HTTPFields()
        headers[RequestAuthenticator.zendeskTimestamp] = timestamp
        headers[RequestAuthenticator.zendeskSignature] = Data(hmac(Array(timestamp.utf8) + body, DaemonHarness.zendeskSecret)).base64EncodedString()
        #expect(auth.checkZendesk(headers, body: body) == nil)
        var moved = headers
        moved[RequestAuthenticator.zendeskTimestamp] = "2027-01-15T08:00:01Z"
        #expect(auth.checkZendesk(moved, body: body) == "invalid signature")
        let late = Self.authenticator(now: Timestamp.parse("2027-01-15T08:10:00Z")!)
        #expect(late.checkZendesk(headers, body: body)?.contains("replay window") == true)
    }

    func hmac(_ message: [UInt8], _ secret: String) -> [UInt8] { Signatures.mac(message, secret: secret) }
}
