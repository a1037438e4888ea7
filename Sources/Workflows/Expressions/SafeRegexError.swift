/// Why a `matches` pattern was rejected, with the offset (in Unicode scalars
/// of the pattern) of the character at fault so the diagnostic can point at it.
public struct SafeRegexError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at pattern offset \(offset))" }
}
