import Core

/// One workflow, as loaded from one YAML file.
///
/// A class so that the engine can hand it around without copying (and
/// retaining) each of its fields per event; it never changes once loaded.
public final class Workflow: Sendable {
    public let name: String
    public let description: String?
    /// The file it came from, as given to the loader.
    public let file: String
    public let location: SourceLocation
    /// A short hash of the file's bytes, so effects can name the version that produced them.
    public let version: String
    public let triggers: [Trigger]
    public let condition: Condition?
    public let steps: [Step]
    /// Explicit position in the run order; workflows without one run after, by file name.
    public let order: Int?
    /// When this workflow fires, later workflows do not run for the same event.
    public let stopsLaterWorkflows: Bool
    public let enabled: Bool

    public init(
        name: String, description: String? = nil, file: String, location: SourceLocation, version: String,
        triggers: [Trigger], condition: Condition?, steps: [Step], order: Int? = nil,
        stopsLaterWorkflows: Bool = false, enabled: Bool = true
    ) {
        self.name = name
        self.description = description
        self.file = file
        self.location = location
        self.version = version
        self.triggers = triggers
        self.condition = condition
        self.steps = steps
        self.order = order
        self.stopsLaterWorkflows = stopsLaterWorkflows
        self.enabled = enabled
    }
}
