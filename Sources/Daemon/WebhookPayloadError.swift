import Core

/// A payload that is not what the help desk documents: the path names the field.
struct WebhookPayloadError: Error, Sendable {
    var path: String
    var message: String
}
