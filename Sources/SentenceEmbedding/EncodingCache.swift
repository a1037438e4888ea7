import Foundation

/// Vectors already computed, kept on disk so that loading the same guides
/// again (every `validate`, `test` and daemon start) does not re-encode them.
///
/// One file per model, named by its fingerprint, under `directory`. Each
/// record is the text's UTF-8 length (4 bytes), the text, and the vector;
/// new records are appended with one `write` each, so concurrent processes
/// only ever add whole records, and a torn record at the end (a crash) is
/// ignored when reading. The text itself is the key: no collisions.
public final class EncodingCache: @unchecked Sendable {
    public let path: String
    private let dimensions: Int
    private let lock = NSLock()
    private var vectors: [String: [Float]] = [:]

    /// Where caches go unless told: `$TICKETFLOW_CACHE`, else
    /// `$XDG_CACHE_HOME/ticketflow`, else `~/.cache/ticketflow`.
    public static var defaultDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["TICKETFLOW_CACHE"], !folder.isEmpty { return folder }
        if let folder = environment["XDG_CACHE_HOME"], !folder.isEmpty { return folder + "/ticketflow" }
        return NSHomeDirectory() + "/.cache/ticketflow"
    }

    public convenience init(directory: String = EncodingCache.defaultDirectory, encoder: SentenceEncoder) {
        self.init(directory: directory, name: encoder.fingerprint, dimensions: encoder.dimensions)
    }

    /// A cache file `vectors-NAME.bin` of `dimensions`-long vectors.
    init(directory: String, name: String, dimensions: Int) {
        path = directory + "/vectors-\(name).bin"
        self.dimensions = dimensions
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        read()
    }

    public subscript(text: String) -> [Float]? {
        lock.withLock { vectors[text] }
    }

    public var count: Int { lock.withLock { vectors.count } }

    /// Records vectors for texts; appends them to the file (best effort: a
    /// cache that cannot be written only costs time).
    public func store(_ entries: [(text: String, vector: [Float])]) {
        var bytes: [UInt8] = []
        lock.withLock {
            for (text, vector) in entries where vector.count == dimensions && vectors[text] == nil {
                vectors[text] = vector
                let utf8 = Array(text.utf8)
                withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes += $0 }
                bytes += utf8
                for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
            }
        }
        guard !bytes.isEmpty else { return }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    private func read() {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let record = dimensions * 4
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset + 4 <= raw.count {
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                guard offset + 4 + length + record <= raw.count else { break }
                let text = String(decoding: raw[(offset + 4)..<(offset + 4 + length)], as: UTF8.self)
                var vector = [Float](repeating: 0, count: dimensions)
                let start = offset + 4 + length
                for index in 0..<dimensions {
                    vector[index] = Float(
                        bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + index * 4, as: UInt32.self)))
                }
                vectors[text] = vector
                offset = start + record
            }
        }
    }
}

extension SentenceEncoder {
    /// Vectors for many texts, in order: from `cache` where it has them, the
    /// rest encoded on every core and then added to `cache`.
    public func encode(_ texts: [String], cache: EncodingCache?) -> [[Float]] {
        var results = texts.map { cache?[$0] }
        let missing = Array(Set(texts.indices.filter { results[$0] == nil }.map { texts[$0] })).sorted()
        if !missing.isEmpty {
            nonisolated(unsafe) let computed = UnsafeMutableBufferPointer<[Float]>.allocate(capacity: missing.count)
            computed.initialize(repeating: [])
            defer { computed.deinitialize(); computed.deallocate() }
            DispatchQueue.concurrentPerform(iterations: missing.count) { index in
                computed[index] = encode(missing[index])
            }
            let fresh = Dictionary(uniqueKeysWithValues: zip(missing, computed))
            for index in texts.indices where results[index] == nil { results[index] = fresh[texts[index]] }
            cache?.store(missing.map { ($0, fresh[$0]!) })
        }
        return results.map { $0 ?? [] }
    }
}
