import Foundation
import SentenceEmbedding

/// The models `scripts/fetch-model` puts in the package's `models/` folder.
/// Tests that need one are skipped when it is missing, except under
/// `CI=true`, where a missing model fails them: CI fetches them first.
public enum ModelFolder {
    /// The model Ticketflow uses (`TICKETFLOW_MODEL` when set).
    public static let path: String = {
        if let path = ProcessInfo.processInfo.environment["TICKETFLOW_MODEL"] { return path }
        return inPackage(SentenceEncoder.defaultDirectory)
    }()

    /// The BERT model, for tests of the BERT code path.
    public static let bertPath = inPackage("models/all-MiniLM-L6-v2")
    /// The MPNet model, for tests of the MPNet code path.
    public static let mpnetPath = inPackage("models/all-mpnet-base-v2")

    public static var isPresent: Bool { FileManager.default.fileExists(atPath: path + "/model.safetensors") }
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    /// Whether model tests run: present, or required (and then failing).
    public static var shouldRun: Bool { isPresent || isRequired }
    /// The same for the BERT model.
    public static var shouldRunBERT: Bool {
        FileManager.default.fileExists(atPath: bertPath + "/model.safetensors") || isRequired
    }

    /// The same for the MPNet model.
    public static var shouldRunMPNet: Bool {
        FileManager.default.fileExists(atPath: mpnetPath + "/model.safetensors") || isRequired
    }

    /// The example adapter learned from `tuning/resolved-tickets.jsonl`, with
    /// the vectors PyTorch computed with it (in git, not fetched).
    public static let exampleAdapterPath = inPackage("tuning/example-adapter.safetensors")
    public static let exampleReferencePath = inPackage("tuning/example-reference-vectors.json")

    public static let encoder: SentenceEncoder? = try? SentenceEncoder(directory: path)
    public static let bert: SentenceEncoder? = try? SentenceEncoder(directory: bertPath)
    public static let mpnet: SentenceEncoder? = try? SentenceEncoder(directory: mpnetPath)

    /// A path relative to the package folder, made absolute.
    public static func inPackage(_ relative: String) -> String {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return package.appendingPathComponent(relative).path
    }
}
