import Core

extension Duration {
    /// Whole milliseconds, for timestamps and messages.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// `200ms`, `2s`, `1m30s`: how manifests and messages write a duration.
    public var shortDescription: String {
        let ms = wholeMilliseconds
        if ms < 1000 || ms % 1000 != 0 { return "\(ms)ms" }
        return TimeSpan(milliseconds: ms).description
    }

    /// Parses `200ms` as well as everything `TimeSpan` reads (`30s`, `5m`, `1h30m`).
    public static func parseSpan(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let ms = Int64(text.dropLast(2)), ms > 0 { return .milliseconds(ms) }
        guard let span = TimeSpan.parse(text), span.milliseconds > 0 else { return nil }
        return .milliseconds(span.milliseconds)
    }
}
