import Actions
import Core
import Engine
import EventLog
import Foundation
import SQLiteEventLog
import Workflows

/// The one place where the program's parts are put together.
enum Composition {
    /// The actions' specs, for checking workflows before anything is loaded.
    static var actions: ActionRegistry { BuiltinActions.registry }

    /// The actions that run a workflow set, with the guides it reads loaded.
    /// Prints problems in guide files; returns `nil` if there were errors.
    static func actions(for workflows: WorkflowSet, guides: String = SuggestGuideAction.defaultFolder) -> ActionRegistry? {
        let (actions, diagnostics) = loadActions(for: workflows, guides: guides)
        for diagnostic in diagnostics { Output.standardError.line(diagnostic.description) }
        Output.standardError.flush()
        return actions
    }

    /// The actions for a workflow set and the problems found loading the
    /// guides they read; `nil` actions when there were errors.
    static func loadActions(for workflows: WorkflowSet, guides: String = SuggestGuideAction.defaultFolder) -> (ActionRegistry?, [Diagnostic]) {
        let unsafe = guideFolderProblems(in: workflows)
        guard !unsafe.hasErrors else { return (nil, unsafe) }
        var diagnostics = unsafe
        var folders = Set(BuiltinActions.guideFolders(in: workflows))
        var knowledgeBases: [String: KnowledgeBase] = [:]
        let defaultFolder = SuggestGuideAction.folderKey(guides)
        if FileManager.default.fileExists(atPath: defaultFolder) { folders.insert(defaultFolder) }
        for folder in folders.sorted() {
            let (knowledgeBase, problems) = KnowledgeBase.load(directory: folder)
            diagnostics += problems
            knowledgeBases[folder] = knowledgeBase
        }
        if defaultFolder != SuggestGuideAction.defaultFolder, let chosen = knowledgeBases[defaultFolder] {
            knowledgeBases[SuggestGuideAction.defaultFolder] = chosen
        }
        return (diagnostics.hasErrors ? nil : BuiltinActions.registry(knowledgeBases: knowledgeBases), diagnostics)
    }

    /// An engine for the workflows at `path` as the files are now, or every
    /// problem that stops it: what the daemon calls on start-up and reload.
    static func engine(workflows path: String, guides: String = SuggestGuideAction.defaultFolder) -> (Engine?, [Diagnostic]) {
        let outcome = loader().load(path)
        let (config, configProblems) = ProjectConfig.load()
        var diagnostics = configProblems + outcome.diagnostics + config.problems(with: outcome.workflows)
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        let (actions, actionProblems) = loadActions(for: outcome.workflows, guides: guides)
        diagnostics += actionProblems
        guard let actions else { return (nil, diagnostics) }
        return (Engine(workflows: outcome.workflows, actions: actions, options: Engine.Options(explainNonMatches: true, calendar: config.businessCalendar)), diagnostics)
    }

    static func loader() -> WorkflowLoader { WorkflowLoader(catalog: actions.catalog) }

    /// The wall clock, read here and nowhere in the engine.
    @Sendable static func now() -> Timestamp {
        Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
    }

    /// Opens the log; prints the problem and returns `nil` when it cannot.
    static func openLog(_ path: String, readOnly: Bool = false) -> SQLiteEventStore? {
        guard !path.isEmpty else {
            Output.standardError.line(Diagnostic(.unreadableFile, "--log needs a file path", at: nil).description)
            Output.standardError.flush()
            return nil
        }
        do {
            return try SQLiteEventStore(path: path, readOnly: readOnly)
        } catch {
            Output.standardError.line(Diagnostic(.unreadableFile, "cannot open the event log \(path): \(error)", at: nil).description)
            Output.standardError.flush()
            return nil
        }
    }

    /// Loads and validates workflows; prints diagnostics to standard error.
    /// Returns `nil` when there were errors.
    static func loadWorkflows(_ path: String) -> WorkflowSet? {
        loadProject(path)?.workflows
    }

    /// Everything a command needs to run workflows: the set, the project's
    /// configuration, and the actions with the guides they read. Prints
    /// every problem; `nil` when there were errors.
    static func loadRunnable(_ path: String) -> (workflows: WorkflowSet, config: ProjectConfig, actions: ActionRegistry)? {
        guard let (workflows, config) = loadProject(path), let actions = actions(for: workflows) else { return nil }
        return (workflows, config, actions)
    }

    /// Opens an events file (`-` for standard input); prints the problem and returns `nil` when it cannot.
    static func openEvents(_ path: String) -> EventLinesReader? {
        do {
            return try EventLinesReader(path: path)
        } catch {
            Output.standardError.line(error.description)
            Output.standardError.flush()
            return nil
        }
    }

    /// Loads the workflows and `ticketflow.yaml`, checks them against each
    /// other, and prints every problem; `nil` when there were errors.
    static func loadProject(_ path: String) -> (workflows: WorkflowSet, config: ProjectConfig)? {
        let outcome = loader().load(path)
        let (config, configProblems) = ProjectConfig.load()
        let diagnostics = configProblems + outcome.diagnostics + config.problems(with: outcome.workflows)
        for diagnostic in diagnostics { Output.standardError.line(diagnostic.description) }
        Output.standardError.flush()
        return diagnostics.hasErrors ? nil : (outcome.workflows, config)
    }

    /// Guide folders named by `from:` must be inside the project: a relative
    /// path without `..`, so a workflow cannot make the engine read (or walk)
    /// the whole file system.
    static func guideFolderProblems(in workflows: WorkflowSet) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for workflow in workflows.workflows {
            for step in workflow.steps where step.action == "suggest_guide" {
                guard let binding = step.parameters.first(where: { $0.name == "from" }),
                    case .constant(.string(let from)) = binding.value
                else { continue }
                if from.hasPrefix("/") || from.split(separator: "/").contains("..") {
                    problems.append(Diagnostic(
                        .invalidParameter, "`suggest_guide.from` must be a folder inside the project (a relative path without `..`), got \"\(from)\"",
                        at: binding.location))
                }
            }
        }
        return problems
    }
}
