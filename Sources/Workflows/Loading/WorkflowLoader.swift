import Core
import Foundation

/// Loads every workflow file under a folder (sub-folders included) and
/// reports every problem in every file at once.
///
/// Workflow files end in `.yaml` or `.yml`; files ending in `.test.yaml` or
/// `.test.yml` are test cases for `ticketflow test`, not workflows.
public struct WorkflowLoader {
    public var catalog: ActionCatalog
    public var limits: YAMLLimits

    public init(catalog: ActionCatalog, limits: YAMLLimits = .default) {
        self.catalog = catalog
        self.limits = limits
    }

    public struct Outcome: Sendable {
        public var workflows: WorkflowSet
        /// Sorted by file and position.
        public var diagnostics: [Diagnostic]
        public var filesRead: Int
    }

    /// Loads a folder, or a single file when `path` names one.
    public func load(_ path: String) -> Outcome {
        var diagnostics: [Diagnostic] = []
        let files: [String]
        switch Self.workflowFiles(at: path) {
        case .success(let found): files = found
        case .failure(let problem): return Outcome(workflows: WorkflowSet([]), diagnostics: [problem], filesRead: 0)
        }
        var workflows: [Workflow] = []
        for file in files {
            let (workflow, problems) = loadFile(file)
            diagnostics += problems
            if let workflow { workflows.append(workflow) }
        }
        var firstByName: [String: Workflow] = [:]
        for workflow in workflows.sorted(by: { $0.file < $1.file }) {
            if let first = firstByName[workflow.name] {
                diagnostics.append(Diagnostic(
                    .duplicateWorkflow, "workflow `\(workflow.name)` is already defined in \(first.file)",
                    at: workflow.location))
            } else {
                firstByName[workflow.name] = workflow
            }
        }
        if files.isEmpty {
            diagnostics.append(Diagnostic(.noWorkflows, "no workflow files (*.yaml, *.yml) in \(path)", at: nil, severity: .warning))
        }
        return Outcome(workflows: WorkflowSet(workflows), diagnostics: diagnostics.sortedByLocation(), filesRead: files.count)
    }

    public func loadFile(_ file: String) -> (Workflow?, [Diagnostic]) {
        guard let data = FileManager.default.contents(atPath: file) else {
            return (nil, [Diagnostic(.unreadableFile, "cannot read \(file)", at: nil)])
        }
        return loadText([UInt8](data), file: file)
    }

    /// Decodes one workflow from bytes; `file` is only used in locations.
    public func loadText(_ bytes: [UInt8], file: String) -> (Workflow?, [Diagnostic]) {
        let root: YAMLNode
        do {
            root = try YAMLReader.read(bytes, file: file, limits: limits)
        } catch {
            return (nil, error.diagnostics.map { Self.explainQuotedCondition($0, in: bytes) })
        }
        var decoder = WorkflowDecoder(
            catalog: catalog, file: file, text: String(decoding: bytes, as: UTF8.self), version: Self.version(of: bytes))
        return decoder.decode(root)
    }

    /// `if: "billing" in ticket.tags` is not valid YAML: the scalar ends at
    /// the closing quote. libyaml's message says nothing of that, so the
    /// likely cause is added when the failing line is such a condition.
    static func explainQuotedCondition(_ diagnostic: Diagnostic, in bytes: [UInt8]) -> Diagnostic {
        guard diagnostic.code == .yamlSyntax, diagnostic.hint == nil, let location = diagnostic.location else { return diagnostic }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard location.line >= 1, location.line <= lines.count else { return diagnostic }
        var line = lines[location.line - 1].drop { $0 == " " }
        if line.hasPrefix("- ") { line = line.dropFirst(2).drop { $0 == " " } }
        guard line.hasPrefix("if:") else { return diagnostic }
        let value = line.dropFirst(3).drop { $0 == " " }
        guard let quote = value.first, quote == "\"" || quote == "'" else { return diagnostic }
        var explained = diagnostic
        explained.hint = quote == "\""
            ? "a condition that starts with a quoted string must be quoted as a whole: if: '\(value)'"
            : "a condition that starts with a quoted string must be quoted as a whole: if: \"\(value.replacingOccurrences(of: "\"", with: "\\\""))\""
        return explained
    }

    public static func isTestFile(_ path: String) -> Bool {
        path.hasSuffix(".test.yaml") || path.hasSuffix(".test.yml")
    }

    public static func isYAMLFile(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    }

    /// Workflow files under `path`, sorted; `path` itself if it is a file.
    public static func workflowFiles(at path: String) -> Result<[String], Diagnostic> {
        yamlFiles(at: path).map { $0.filter { !isTestFile($0) } }
    }

    /// Test files under `path`, sorted.
    public static func testFiles(at path: String) -> Result<[String], Diagnostic> {
        yamlFiles(at: path).map { $0.filter(isTestFile) }
    }

    static func yamlFiles(at path: String) -> Result<[String], Diagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Diagnostic(.unreadableFile, "\(path) does not exist", at: nil))
        }
        guard isDirectory.boolValue else { return .success([path]) }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            return .failure(Diagnostic(.unreadableFile, "cannot list \(path)", at: nil))
        }
        var files: [String] = []
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        while let relative = enumerator.nextObject() as? String {
            let last = relative.split(separator: "/").last.map(String.init) ?? relative
            if last.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            if isYAMLFile(relative) { files.append(base + "/" + relative) }
        }
        return .success(files.sorted())
    }

    /// A short, stable hash of a file's bytes (64-bit FNV-1a, hex).
    public static func version(of bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
