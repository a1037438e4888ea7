import Foundation

/// Tells people on standard error that a new guide set's passages are being
/// encoded, which takes minutes once and never again (the encoding cache
/// keeps them): a line after the first few, and on a terminal a count as it goes.
final class EncodingProgress: @unchecked Sendable {
    /// Fewer passages than this take seconds; saying so would be noise.
    static let worthSaying = 100

    private let folder: String
    private let lock = NSLock()
    private let line = ProgressLine()
    private var started = false

    init(folder: String) {
        self.folder = folder
    }

    func report(done: Int, total: Int) {
        guard total >= Self.worthSaying else { return }
        lock.withLock {
            if !started {
                started = true
                Output.standardError.line(
                    "reading the meaning of \(total) guide passages in \(folder), once: later runs find them in the encoding cache")
                Output.standardError.flush()
            }
            if done >= total { line.finish() } else { line.update("guide passages read: \(done) of \(total)") }
        }
    }
}
