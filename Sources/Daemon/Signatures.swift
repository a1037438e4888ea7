import Crypto
import Foundation

/// The signature schemes the daemon checks, as pure functions over bytes.
/// Every comparison of a secret-derived value is constant-time: MACs via
/// `HMAC.isValidAuthenticationCode`, tokens by comparing their SHA-256
/// digests, so neither the content nor the length of a secret leaks
/// through response times.
enum Signatures {
    /// GitHub's `X-Hub-Signature-256: sha256=HEX`, an HMAC-SHA256 of the raw body.
    static func gitHubMatches(header: String, body: some DataProtocol, secrets: [String]) -> Bool {
        guard header.hasPrefix("sha256="), let mac = hexBytes(header.dropFirst(7)), mac.count == 32 else { return false }
        return secrets.contains { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key($0)) }
    }

    /// Zendesk's `X-Zendesk-Webhook-Signature`: base64 of an HMAC-SHA256
    /// over the timestamp header's text followed by the raw body.
    static func zendeskMatches(signature: String, timestamp: String, body: some DataProtocol, secrets: [String]) -> Bool {
        guard let mac = Data(base64Encoded: signature), mac.count == 32 else { return false }
        var message = Data(timestamp.utf8)
        message.append(contentsOf: body)
        return secrets.contains { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: key($0)) }
    }

    /// Ticketflow's own `X-Ticketflow-Signature: sha256=HEX`, an HMAC-SHA256
    /// over `TIMESTAMP.BODY` where TIMESTAMP is `X-Ticketflow-Timestamp`
    /// (Unix seconds): signing the time makes an old request useless.
    static func ticketflowMatches(header: String, timestamp: String, body: some DataProtocol, secrets: [String]) -> Bool {
        guard header.hasPrefix("sha256="), let mac = hexBytes(header.dropFirst(7)), mac.count == 32 else { return false }
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        return secrets.contains { HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: key($0)) }
    }

    /// The header value a client sends for `body` at `timestamp`.
    static func ticketflowSignature(timestamp: String, body: some DataProtocol, secret: String) -> String {
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        return "sha256=" + hex(mac(message, secret: secret))
    }

    /// Whether `presented` is one of `tokens`, without an early exit on the first differing byte.
    static func tokenMatches(_ presented: String, tokens: [String]) -> Bool {
        let digest = Array(SHA256.hash(data: Data(presented.utf8)))
        var matched = false
        for token in tokens {
            let expected = Array(SHA256.hash(data: Data(token.utf8)))
            var difference: UInt8 = 0
            for index in 0..<expected.count { difference |= expected[index] ^ digest[index] }
            matched = matched || difference == 0
        }
        return matched
    }

    /// HMAC-SHA256 of `message` under `secret`.
    static func mac(_ message: some DataProtocol, secret: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: key(secret)))
    }

    static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Data(secret.utf8)) }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 97...102: byte - 87
            case 65...70: byte - 55
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
