import Foundation
import Testing

/// What one run of the `ticketflow` binary produced.
struct CLIResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).droppingTrailingEmpty }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).droppingTrailingEmpty }
}

extension [String] {
    fileprivate var droppingTrailingEmpty: [String] {
        var lines = self
        while lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// A unique temporary folder for one test: files are written into it and the
/// binary runs with it as the working directory, so reported paths are
/// relative (`wf/bad.yaml:4:5`) and can be pinned exactly.
final class Scratch {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("ticketflow-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes `contents` to `path` (relative to the scratch folder), creating folders.
    func write(_ path: String, _ contents: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Runs `ticketflow` with `arguments` in the scratch folder, feeding
    /// `input` on standard input, and waits for it to exit.
    func run(_ arguments: String..., input: String = "") async throws -> CLIResult {
        try await run(arguments, input: input)
    }

    func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) async throws -> CLIResult {
        let executable = try TicketflowBinary.url()
        let id = UUID().uuidString
        let inputURL = root.appendingPathComponent(".stdin-\(id)")
        let outputURL = root.appendingPathComponent(".stdout-\(id)")
        let errorURL = root.appendingPathComponent(".stderr-\(id)")
        try Data(input.utf8).write(to: inputURL)
        // Files rather than pipes: a child that fills a pipe nobody drains yet would block.
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let stdin = try FileHandle(forReadingFrom: inputURL)
        let stdout = try FileHandle(forWritingTo: outputURL)
        let stderr = try FileHandle(forWritingTo: errorURL)
        defer {
            try? stdin.close()
            try? stdout.close()
            try? stderr.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = root
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return CLIResult(
            status: status,
            stdout: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }
}

/// Finds the `ticketflow` executable that SwiftPM built next to the test bundle.
enum TicketflowBinary {
    struct NotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "the ticketflow binary was not found; run `swift build --build-tests` first. Looked in: "
                + searched.joined(separator: ", ")
        }
    }

    static func url() throws -> URL {
        let folders = candidateFolders()
        for folder in folders {
            let candidate = folder.appendingPathComponent("ticketflow")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw NotFound(searched: folders.map(\.path))
    }

    /// The products folder (`.build/<triple>/debug`) holds both the test bundle
    /// and the executable; `.build/debug` under the package root is the fallback.
    private static func candidateFolders() -> [URL] {
        var places: [URL] = Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }
        places.append(Bundle.main.bundleURL)
        if let first = CommandLine.arguments.first {
            places.append(URL(fileURLWithPath: first).resolvingSymlinksInPath())
        }
        var folders: [URL] = []
        for place in places {
            // A bundle (macOS) is a folder inside the products folder; an
            // executable (Linux `.xctest`) is a file in it.
            if place.pathExtension == "xctest" || !place.hasDirectoryPath {
                folders.append(place.deletingLastPathComponent())
            } else {
                folders.append(place)
            }
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // CLITests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()
        folders.append(packageRoot.appendingPathComponent(".build/debug", isDirectory: true))
        var unique: [URL] = []
        for folder in folders where !unique.contains(folder.standardizedFileURL) {
            unique.append(folder.standardizedFileURL)
        }
        return unique
    }
}

/// Parses each line of JSON Lines output into an object.
func jsonObjects(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { line in
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(parsed as? [String: Any], "not a JSON object: \(line)", sourceLocation: sourceLocation)
    }
}
