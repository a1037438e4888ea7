import Foundation

/// A single self-overwriting status line on standard error, shown only when
/// standard error is a terminal and at most a few times a second.
final class ProgressLine {
    private let enabled = isatty(2) == 1
    private var lastUpdate = ContinuousClock.now
    private var shown = false

    func update(_ text: @autoclosure () -> String) {
        guard enabled, ContinuousClock.now - lastUpdate > .milliseconds(200) else { return }
        lastUpdate = ContinuousClock.now
        shown = true
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text()).utf8))
    }

    func finish() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
