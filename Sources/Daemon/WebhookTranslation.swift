import Core

/// What an adapter made of a help desk's webhook: ticket events in
/// Ticketflow's own format (checked by `EventDecoder` like any other), or
/// a reason the delivery carries nothing for the engine (a GitHub `ping`,
/// a Zendesk user event), which is acknowledged and dropped.
enum WebhookTranslation {
    case events([Value])
    case ignored(String)
}
