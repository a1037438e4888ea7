import Core
import Foundation

/// `ticketflow.yaml`: settings shared by every command. Optional; it holds
/// the business-hours calendar used by `business_hours_since`, and the
/// daemon's `server:` section, which the daemon reads itself.
///
/// ```yaml
/// business_hours:
///   time_zone: Europe/Berlin
///   weekly: { mon-fri: "09:00-17:00" }
///   holidays: ["2026-12-24", "2026-12-25"]
/// ```
public struct ProjectConfig: Sendable {
    public static let defaultPath = "ticketflow.yaml"
    static let keys = ["business_hours", "server"]

    public var businessCalendar: BusinessCalendar?
    /// The `server:` section as written, with its source marks; only `serve` reads it.
    public var server: YAMLNode?

    public init(businessCalendar: BusinessCalendar? = nil) {
        self.businessCalendar = businessCalendar
    }

    /// Reads the file; a missing file is an empty configuration.
    public static func load(_ path: String = defaultPath) -> (ProjectConfig, [Diagnostic]) {
        guard FileManager.default.fileExists(atPath: path) else { return (ProjectConfig(), []) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return (ProjectConfig(), [Diagnostic(.unreadableFile, "cannot read \(path)", at: nil)])
        }
        let root: YAMLNode
        do {
            root = try YAMLReader.read([UInt8](data), file: path)
        } catch {
            return (ProjectConfig(), error.diagnostics)
        }
        var diagnostics: [Diagnostic] = []
        guard let pairs = root.pairs else {
            return (ProjectConfig(), [Diagnostic(.wrongType, "\(path) must be a mapping", at: root.location)])
        }
        var config = ProjectConfig()
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            switch key {
            case "business_hours":
                switch BusinessCalendar.parse(pair.value.jsonValue(), path: "business_hours") {
                case .success(let calendar): config.businessCalendar = calendar
                case .failure(let error):
                    for problem in error.problems {
                        diagnostics.append(Diagnostic(.invalidConfig, problem.description, at: pair.value.location))
                    }
                }
            case "server":
                config.server = pair.value
            default:
                diagnostics.append(Diagnostic(
                    .unknownKey, "unknown key `\(key)` in \(path)", at: pair.key.location,
                    hint: Suggestion.hint(for: key, in: keys)))
            }
        }
        return (config, diagnostics)
    }

    /// Workflows whose conditions need a calendar this configuration lacks.
    public func problems(with workflows: WorkflowSet) -> [Diagnostic] {
        guard businessCalendar == nil else { return [] }
        var problems: [Diagnostic] = []
        for workflow in workflows.workflows {
            let conditions = [workflow.condition].compactMap { $0 } + workflow.steps.compactMap(\.condition)
            if conditions.contains(where: \.needsBusinessCalendar) {
                problems.append(Diagnostic(
                    .invalidConfig,
                    "workflow `\(workflow.name)` counts business hours, but \(Self.defaultPath) has no `business_hours` calendar",
                    at: workflow.location))
            }
        }
        return problems
    }
}
