import Foundation
import SentenceEmbedding

/// The model `scripts/fetch-model` puts in the package's `models/` folder.
/// Tests that need it are skipped when it is missing, except under `CI=true`,
/// where a missing model fails them: CI fetches it first.
public enum ModelFolder {
    public static let path: String = {
        if let path = ProcessInfo.processInfo.environment["TICKETFLOW_MODEL"] { return path }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return package.appendingPathComponent(SentenceEncoder.defaultDirectory).path
    }()

    public static var isPresent: Bool { FileManager.default.fileExists(atPath: path + "/model.safetensors") }
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    /// Whether model tests run: present, or required (and then failing).
    public static var shouldRun: Bool { isPresent || isRequired }

    public static let encoder: SentenceEncoder? = try? SentenceEncoder(directory: path)
}
