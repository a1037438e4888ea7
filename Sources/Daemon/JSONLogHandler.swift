import Core
import Foundation
import Logging

/// Structured logs: one JSON object per line on standard error, with the
/// time, level, message, the logger's label and every metadata value, so
/// a log shipper can index them without parsing prose.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let now: @Sendable () -> Timestamp

    public init(label: String, now: @escaping @Sendable () -> Timestamp) {
        self.label = label
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object = Value.Object([
            ("time", .string(now().description)), ("level", .string(event.level.rawValue)),
            ("message", .string(event.message.description)), ("logger", .string(label)),
        ])
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            if let value = merged[key] { object[key] = Self.json(value) }
        }
        var line = JSONWriter.string(.object(object))
        line.append("\n")
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func json(_ value: Logger.MetadataValue) -> Value {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let items): .array(items.map(json))
        case .dictionary(let entries):
            .object(Value.Object(entries.keys.sorted().map { ($0, json(entries[$0]!)) }))
        }
    }
}
