import ArgumentParser

/// How a command prints its results: text for people, or JSON (one object
/// per line, stable field names) for scripts and CI.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
