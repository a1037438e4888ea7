import Foundation

/// Vectors already computed, kept on disk so that loading the same guides
/// again (every `validate`, `test` and daemon start) does not re-encode them.
///
/// One file per model, named by its fingerprint, under `directory`. Each
/// record is the text's UTF-8 length (4 bytes), the text, the vector, and a
/// 4-byte checksum of all that. Appends take an exclusive `flock` and write
/// whole records. Reading stops at the first record that is torn, fails its
/// checksum or holds a value that is not finite, and cuts the file there, so
/// a crash in the middle of an append costs only that append and later
/// appends are never read out of step. The text itself is the key.
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

    /// Records vectors for texts and appends them to the file. Best effort:
    /// a cache that cannot be written only costs time.
    public func store(_ entries: [(text: String, vector: [Float])]) {
        var bytes: [UInt8] = []
        lock.withLock {
            for (text, vector) in entries
            where vector.count == dimensions && vector.allSatisfy(\.isFinite) && vectors[text] == nil {
                vectors[text] = vector
                bytes += Self.record(text: text, vector: vector)
            }
        }
        guard !bytes.isEmpty else { return }
        withLockedFile { descriptor in
            guard lseek(descriptor, 0, SEEK_END) >= 0 else { return }
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
                guard result > 0 else { return }
                written += result
            }
        }
    }

    static func record(text: String, vector: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes += $0 }
        bytes += utf8
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        withUnsafeBytes(of: checksum(bytes[...]).littleEndian) { bytes += $0 }
        return bytes
    }

    /// The little-endian 32-bit word at `offset`.
    static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }

    /// FNV-1a, 32 bits: enough to tell a torn or overwritten record.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return hash
    }

    /// Runs `body` with the cache file open for reading and writing, under an exclusive lock.
    private func withLockedFile(_ body: (Int32) -> Void) {
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { return }
        defer { flock(descriptor, LOCK_UN) }
        body(descriptor)
    }

    private func read() {
        withLockedFile { descriptor in
            guard let data = try? FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readToEnd() else { return }
            let bytes = [UInt8](data)
            let vectorBytes = dimensions * 4
            var offset = 0
            while offset + 4 <= bytes.count {
                let length = Int(Self.word(bytes, at: offset))
                let end = offset + 4 + length + vectorBytes + 4
                guard length <= 1 << 20, end <= bytes.count else { break }
                guard Self.checksum(bytes[offset..<(end - 4)]) == Self.word(bytes, at: end - 4) else { break }
                let start = offset + 4 + length
                let vector = (0..<dimensions).map { Float(bitPattern: Self.word(bytes, at: start + $0 * 4)) }
                guard vector.allSatisfy(\.isFinite) else { break }
                vectors[String(decoding: bytes[(offset + 4)..<start], as: UTF8.self)] = vector
                offset = end
            }
            if offset < bytes.count { _ = ftruncate(descriptor, off_t(offset)) }
        }
    }
}
