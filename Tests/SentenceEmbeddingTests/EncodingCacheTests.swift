import Foundation
import Testing

@testable import SentenceEmbedding

@Suite struct EncodingCacheTests {
    /// A folder of its own for one test's cache file.
    static func scratchFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)").path
    }

    @Test("keeps vectors across instances and ignores a torn last record")
    func persists() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = EncodingCache(directory: folder, name: "test", dimensions: 3)
        first.store([("export is slow", [1, 2, 3]), ("ünïcode ✓", [0.5, -1, 0])])
        #expect(first["export is slow"] == [1, 2, 3])
        // A crash in the middle of an append leaves part of a record.
        let handle = try #require(FileHandle(forWritingAtPath: first.path))
        handle.seekToEndOfFile()
        handle.write(Data([9, 0, 0, 0, 65, 66]))
        try handle.close()
        let second = EncodingCache(directory: folder, name: "test", dimensions: 3)
        #expect(second.count == 2)
        #expect(second["ünïcode ✓"] == [0.5, -1, 0])
        #expect(second["export"] == nil)
        second.store([("wrong length", [1, 2])])
        #expect(second["wrong length"] == nil)
    }

    @Test("drops a torn record before appending, so later records stay readable")
    func tornThenAppend() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = EncodingCache(directory: folder, name: "test", dimensions: 2)
        first.store([("alpha", [1, 0])])
        // Half of a record, as a process killed in the middle of a write leaves it.
        let torn = EncodingCache.record(text: "beta", vector: [0.5, 0.5])
        let handle = try #require(FileHandle(forWritingAtPath: first.path))
        handle.seekToEndOfFile()
        handle.write(Data(torn.prefix(torn.count / 2)))
        try handle.close()
        EncodingCache(directory: folder, name: "test", dimensions: 2).store([("gamma", [0, 1])])
        let reread = EncodingCache(directory: folder, name: "test", dimensions: 2)
        #expect(reread["alpha"] == [1, 0])
        #expect(reread["beta"] == nil)
        #expect(reread["gamma"] == [0, 1])
        #expect(reread.count == 2)
    }

    @Test("skips a record whose bytes were changed, and what follows it")
    func corruptRecord() throws {
        let folder = Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = EncodingCache(directory: folder, name: "test", dimensions: 2)
        cache.store([("alpha", [1, 0])])
        cache.store([("beta", [0, 1])])
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: cache.path)))
        bytes[4] ^= 0x20  // "alpha" -> "Alpha", checksum unchanged
        try Data(bytes).write(to: URL(fileURLWithPath: cache.path))
        let reread = EncodingCache(directory: folder, name: "test", dimensions: 2)
        #expect(reread.count == 0)
    }
}
