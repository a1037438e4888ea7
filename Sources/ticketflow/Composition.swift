import Actions
import Core
import Engine
import EventLog
import Foundation
import Plugins
import PostgresEventLog
import SQLiteEventLog
import Workflows

/// The one place where the program's parts are put together.
enum Composition {
    /// The actions' specs, for checking workflows before anything is loaded.
    static var actions: ActionRegistry { BuiltinActions.registry }

    /// The actions that run a workflow set, with the guides it reads loaded.
    /// Prints problems in guide files; returns `nil` if there were errors.
    static func actions(
        for workflows: WorkflowSet, plugins: [PluginManifest] = [], guides: String = SuggestGuideAction.defaultFolder
    ) -> ActionRegistry? {
        let (actions, diagnostics) = loadActions(for: workflows, plugins: plugins, guides: guides)
        for diagnostic in diagnostics { Output.standardError.line(diagnostic.description) }
        // Ranking and grouping change without the model: say so, unless asked for.
        let readsMeaning = workflows.workflows.contains { workflow in
            workflow.steps.contains { step in
                step.action == "suggest_guide"
                    || (step.action == "file_product_recommendation" && step.parameters.contains { binding in
                        guard binding.name == "when_recurs", case .object(let fields) = binding.value else { return false }
                        return fields.contains { $0.name == "by" && $0.value != .constant(.string("key")) }
                    })
            }
        }
        if readsMeaning, SentenceModel.encoder == nil, SentenceModel.directory != "off" {
            Output.standardError.line("note: \(SentenceModel.note("guides ranked and tickets grouped")); TICKETFLOW_MODEL=off says this is meant")
        }
        Output.standardError.flush()
        return actions
    }

    /// The actions for a workflow set and the problems found loading the
    /// guides they read; `nil` actions when there were errors.
    static func loadActions(
        for workflows: WorkflowSet, plugins: [PluginManifest] = [], guides: String = SuggestGuideAction.defaultFolder
    ) -> (ActionRegistry?, [Diagnostic]) {
        var diagnostics = missingGuideFolders(in: workflows)
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        var folders = Set(BuiltinActions.guideFolders(in: workflows))
        var knowledgeBases: [String: KnowledgeBase] = [:]
        let defaultFolder = SuggestGuideAction.folderKey(guides)
        if FileManager.default.fileExists(atPath: defaultFolder) { folders.insert(defaultFolder) }
        for folder in folders.sorted() {
            let (knowledgeBase, problems) = SentenceModel.knowledgeBase(folder)
            diagnostics += problems
            knowledgeBases[folder] = knowledgeBase
        }
        if defaultFolder != SuggestGuideAction.defaultFolder, let chosen = knowledgeBases[defaultFolder] {
            knowledgeBases[SuggestGuideAction.defaultFolder] = chosen
        }
        let registry = ActionRegistry(BuiltinActions.all(knowledgeBases: knowledgeBases) + pluginActions(plugins))
        return (diagnostics.hasErrors ? nil : registry, diagnostics)
    }

    /// Each `suggest_guide` step whose folder (`from`, default `guides`) does
    /// not exist, at the step: found by `validate`, not by the first ticket.
    static func missingGuideFolders(in workflows: WorkflowSet) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for workflow in workflows.workflows {
            for step in workflow.steps where step.action == "suggest_guide" {
                guard let binding = step.parameters.first(where: { $0.name == "from" }),
                    case .constant(.string(let from)) = binding.value
                else { continue }
                var isFolder: ObjCBool = false
                guard !FileManager.default.fileExists(atPath: SuggestGuideAction.folderKey(from), isDirectory: &isFolder) || !isFolder.boolValue
                else { continue }
                problems.append(Diagnostic(
                    .invalidParameter, "`suggest_guide.from` names \"\(from)\", which is not a folder here",
                    at: binding.location))
            }
        }
        return problems
    }

    /// Problems in the guide files the workflows read, as `run` would find
    /// them, without reading the guides' meaning (`guides/` counts whenever
    /// it is there, as `loadActions` reads it for grouping by text too); and
    /// a `suggest_guide.product_area` that no guide of its folder has, which
    /// would quietly suggest nothing.
    static func guideFileProblems(in workflows: WorkflowSet) -> [Diagnostic] {
        let folders = Set(BuiltinActions.guideFolders(in: workflows) + [SuggestGuideAction.defaultFolder])
        var problems: [Diagnostic] = []
        var areas: [String: Set<String>] = [:]
        for folder in folders.sorted() where FileManager.default.fileExists(atPath: folder) {
            let (knowledgeBase, found) = KnowledgeBase.load(directory: folder)
            problems += found
            areas[folder] = knowledgeBase.productAreas
        }
        for workflow in workflows.workflows {
            for step in workflow.steps where step.action == "suggest_guide" {
                guard case .constant(.string(let from))? = step.parameters.first(where: { $0.name == "from" })?.value,
                    let known = areas[SuggestGuideAction.folderKey(from)],
                    let binding = step.parameters.first(where: { $0.name == "product_area" }),
                    case .constant(.string(let area)) = binding.value, !known.contains(area)
                else { continue }
                problems.append(Diagnostic(
                    .invalidParameter, "no guide in \(from) has product_area \"\(area)\", so this step suggests nothing",
                    at: binding.location, severity: .warning, hint: Suggestion.hint(for: area, in: known.sorted())))
            }
        }
        return problems
    }

    /// An engine for the workflows at `path` as the files are now (with the
    /// plugins under `plugins`), or every problem that stops it: what the
    /// daemon calls on start-up and reload.
    static func engine(
        workflows path: String, plugins folder: String = PluginManifestLoader.defaultFolder,
        guides: String = SuggestGuideAction.defaultFolder
    ) -> (Engine?, [Diagnostic]) {
        let (plugins, pluginProblems) = PluginManifestLoader.loadAll(folder: folder, reserved: actions.catalog.names)
        guard !pluginProblems.hasErrors else { return (nil, pluginProblems) }
        let outcome = loader(plugins: plugins).load(path)
        let (config, configProblems) = ProjectConfig.load()
        var diagnostics = pluginProblems + configProblems + outcome.diagnostics + config.problems(with: outcome.workflows)
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        let (actions, actionProblems) = loadActions(for: outcome.workflows, plugins: plugins, guides: guides)
        diagnostics += actionProblems
        guard let actions else { return (nil, diagnostics) }
        return (Engine(workflows: outcome.workflows, actions: actions, options: Engine.Options(explainNonMatches: true, calendar: config.businessCalendar)), diagnostics)
    }

    /// The engine's actions for the plugins' manifests.
    static func pluginActions(_ plugins: [PluginManifest]) -> [any Action] {
        plugins.flatMap { manifest in manifest.actions.map { PluginAction(plugin: manifest, action: $0) } }
    }

    /// Built-in and plugin actions' specs: what workflows are checked against.
    static func catalog(plugins: [PluginManifest]) -> ActionCatalog {
        var catalog = actions.catalog
        for manifest in plugins {
            for action in manifest.actions { catalog.add(action.spec) }
        }
        return catalog
    }

    static func loader(plugins: [PluginManifest] = []) -> WorkflowLoader { WorkflowLoader(catalog: catalog(plugins: plugins)) }

    /// Reads `plugin.yaml` under `folder` (a missing folder has no plugins);
    /// prints problems to standard error, `nil` when there were errors.
    static func loadPlugins(_ folder: String) -> [PluginManifest]? {
        let (plugins, diagnostics) = PluginManifestLoader.loadAll(folder: folder, reserved: actions.catalog.names)
        for diagnostic in diagnostics { Output.standardError.line(diagnostic.description) }
        Output.standardError.flush()
        return diagnostics.hasErrors ? nil : plugins
    }

    /// The wall clock, read here and nowhere in the engine.
    @Sendable static func now() -> Timestamp {
        Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970)
    }

    /// Opens the event log named by `--log`/`--store`: a `postgres://` (or
    /// `postgresql://`) URL opens the PostgreSQL store, which must have been
    /// made by `ticketflow migrate`; anything else is an SQLite file path,
    /// created and migrated if missing unless `readOnly`. Prints the
    /// problem and returns `nil` when it cannot.
    ///
    /// Every command that reads or writes the log comes through here, and so
    /// will the daemon (its `store:` setting).
    static func openStore(_ location: String, readOnly: Bool = false) async -> (any EventStore)? {
        guard !location.isEmpty else {
            report("--log needs a file path or a postgres:// URL")
            return nil
        }
        do {
            if PostgresLocation.isPostgresURL(location) {
                return try await PostgresEventStore.open(url: location, readOnly: readOnly)
            }
            return try SQLiteEventStore(path: location, readOnly: readOnly)
        } catch let error as PostgresEventStoreError {
            // It names the database already (without the password).
            report(error.description)
            return nil
        } catch {
            report("cannot open the event log \(storeName(location)): \(error)")
            return nil
        }
    }

    /// How to name a store in messages: a URL loses its password.
    static func storeName(_ location: String) -> String {
        PostgresLocation.isPostgresURL(location) ? PostgresLocation.redacted(location) : location
    }

    private static func report(_ message: String) {
        Output.standardError.line(Diagnostic(.unreadableFile, message, at: nil).description)
        Output.standardError.flush()
    }

    /// Loads and validates workflows; prints diagnostics to standard error.
    /// Returns `nil` when there were errors.
    static func loadWorkflows(_ path: String, plugins: [PluginManifest] = []) -> WorkflowSet? {
        loadProject(path, plugins: plugins)?.workflows
    }

    /// Everything a command needs to run workflows: the set, the project's
    /// configuration, and the actions with the guides they read. Prints
    /// every problem; `nil` when there were errors.
    static func loadRunnable(
        _ path: String, plugins folder: String = PluginManifestLoader.defaultFolder
    ) -> (workflows: WorkflowSet, config: ProjectConfig, actions: ActionRegistry)? {
        guard let plugins = loadPlugins(folder), let (workflows, config) = loadProject(path, plugins: plugins),
            let actions = actions(for: workflows, plugins: plugins)
        else { return nil }
        return (workflows, config, actions)
    }

    /// The manifests under `folder`, without printing anything: for a
    /// command that already loaded (and reported on) them through `loadRunnable`.
    static func installedPlugins(_ folder: String) -> [PluginManifest] {
        PluginManifestLoader.loadAll(folder: folder, reserved: actions.catalog.names).plugins
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
    static func loadProject(_ path: String, plugins: [PluginManifest] = []) -> (workflows: WorkflowSet, config: ProjectConfig)? {
        let outcome = loader(plugins: plugins).load(path)
        let (config, configProblems) = ProjectConfig.load()
        let diagnostics = configProblems + outcome.diagnostics + config.problems(with: outcome.workflows)
        for diagnostic in diagnostics { Output.standardError.line(diagnostic.description) }
        Output.standardError.flush()
        return diagnostics.hasErrors ? nil : (outcome.workflows, config)
    }
}
