import Core

/// An action with costly work per ticket (reading the meaning of a ticket's
/// text) that it can do for a whole batch of events at once, on every core,
/// before the engine processes them one by one.
public protocol PreparingAction: Action {
    /// Called before a batch is processed with, for each step of this
    /// action that the batch's events look likely to run, its parameters
    /// and the ticket it will find: the events' triggers and conditions are
    /// checked against the tickets with each event's fields merged in. It
    /// must not change what `apply` decides; `apply` works the same whether
    /// it was called or not.
    func prepare(_ steps: [(parameters: Value.Object, ticket: Value)])
}
