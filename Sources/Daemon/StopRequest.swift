/// Set when a service's own graceful shutdown begins. Each service keeps
/// its own: a service must not stop because another one is stopping, or the
/// service group sees it finish out of turn.
actor StopRequest {
    private(set) var isSet = false
    func set() { isSet = true }
}
