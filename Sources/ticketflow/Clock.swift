import ArgumentParser
import Core

/// Reads the `--now` option: an RFC 3339 time, or `now` for the wall clock.
enum Clock {
    static func parse(_ text: String?) throws -> Timestamp? {
        guard let text else { return nil }
        if text == "now" { return Composition.now() }
        guard let time = Timestamp.parse(text) else {
            throw ValidationError("--now must be an RFC 3339 time such as 2026-11-23T09:00:00Z, or `now`")
        }
        return time
    }
}
