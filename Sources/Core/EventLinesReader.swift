#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a JSON Lines file (or standard input) one event at a time, so a
/// file of any size is read in constant memory.
///
/// Each line yields a decoded event or a diagnostic naming the line and the
/// field path; a bad line never stops the good ones after it.
public final class EventLinesReader: Sequence, IteratorProtocol, @unchecked Sendable {
    public typealias Element = Result<Event, Diagnostic>

    /// Lines longer than this are refused instead of being parsed.
    public static let maxLineBytes = 4 << 20

    private let file: UnsafeMutablePointer<FILE>
    private let closesFile: Bool
    public let path: String
    public private(set) var lineNumber = 0
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0

    /// Opens `path`, or standard input when `path` is `-`.
    public init(path: String) throws(Diagnostic) {
        self.path = path == "-" ? "<stdin>" : path
        if path == "-" {
            guard let standardInput = fdopen(0, "r") else {
                throw Diagnostic(.unreadableFile, "cannot read standard input", at: nil)
            }
            file = standardInput
            closesFile = false
        } else {
            guard let opened = fopen(path, "r") else {
                throw Diagnostic(
                    .unreadableFile, "cannot open \(path): \(String(cString: strerror(errno)))",
                    at: nil)
            }
            file = opened
            closesFile = true
        }
    }

    deinit {
        free(buffer)
        if closesFile { fclose(file) }
    }

    public func next() -> Result<Event, Diagnostic>? {
        while true {
            let length = getline(&buffer, &capacity, file)
            guard length >= 0, let buffer else { return nil }
            lineNumber += 1
            var count = length
            while count > 0, buffer[count - 1] == 0x0A || buffer[count - 1] == 0x0D { count -= 1 }
            var start = UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
            // Some editors start a UTF-8 file with a byte order mark; it is not part of the JSON.
            if lineNumber == 1, count >= 3, start[0] == 0xEF, start[1] == 0xBB, start[2] == 0xBF {
                start += 3
                count -= 3
            }
            let bytes = UnsafeBufferPointer(start: start, count: count)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return Self.decodeLine(bytes, file: path, line: lineNumber)
        }
    }

    /// Decodes one line of JSON into an event; shared with other line sources.
    public static func decodeLine(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int) -> Result<Event, Diagnostic> {
        guard bytes.count <= maxLineBytes else {
            return .failure(Diagnostic(
                .eventSyntax, "line is \(bytes.count) bytes, more than the \(maxLineBytes) allowed",
                at: SourceLocation(file: file, line: line, column: 1)))
        }
        let value: Value
        do {
            value = try JSONReader.read(bytes)
        } catch {
            return .failure(Diagnostic(
                .eventSyntax, "invalid JSON: \(error.message)",
                at: SourceLocation(file: file, line: line, column: error.column)))
        }
        switch EventDecoder.decode(value) {
        case .success(let event):
            return .success(event)
        case .failure(let problem):
            return .failure(Diagnostic(
                .eventField, (problem.path.isEmpty ? "" : "\(problem.path): ") + problem.message,
                at: SourceLocation(file: file, line: line, column: 1), hint: problem.hint))
        }
    }
}
