import Core

/// What an adapter made of a help desk's webhook: ticket events in
/// Ticketflow's own format (checked by `EventDecoder` like any other), or
/// a reason the delivery carries nothing for the engine (a GitHub `ping`,
/// a Zendesk user event), which is acknowledged and dropped.
enum WebhookTranslation {
    case events([Value])
    case ignored(String)
}

/// A payload that is not what the help desk documents: the path names the field.
struct WebhookPayloadError: Error, Sendable {
    var path: String
    var message: String
}
