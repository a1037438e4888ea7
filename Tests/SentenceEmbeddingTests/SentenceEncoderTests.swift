import Foundation
import ModelTestSupport
import Testing

@testable import SentenceEmbedding

@Suite("Sentence encoder")
struct SentenceEncoderTests {
    @Test("matches the reference implementation's vector for a fixed text (BERT)", .enabled(if: ModelFolder.shouldRunBERT))
    func referenceVector() throws {
        let encoder = try #require(ModelFolder.bert, "no model at \(ModelFolder.bertPath): run scripts/fetch-model")
        let vector = encoder.encode("My password-reset link does not work!")
        #expect(vector.count == 384)
        // From a NumPy forward pass of the same weights, mean-pooled and normalised.
        let expected: [Float] = [-0.05347, -0.09137, -0.02267, -0.0179, 0.00711, 0.04129]
        for (index, value) in expected.enumerated() {
            #expect(abs(vector[index] - value) < 2e-4, "dimension \(index): \(vector[index]) vs \(value)")
        }
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(length - 1) < 1e-4)
    }

    @Test("places a paraphrase nearer than an unrelated text (BERT)", .enabled(if: ModelFolder.shouldRunBERT))
    func paraphraseIsNearer() throws {
        let encoder = try #require(ModelFolder.bert, "no model at \(ModelFolder.bertPath): run scripts/fetch-model")
        let text = encoder.encode("My password-reset link does not work!")
        let paraphrase = encoder.encode("the reset email link says expired")
        let unrelated = encoder.encode("charts are blank in the pdf")
        let near = SentenceEncoder.similarity(text, paraphrase)
        let far = SentenceEncoder.similarity(text, unrelated)
        #expect(abs(near - 0.5876) < 1e-3)
        #expect(abs(far - 0.0898) < 1e-3)
    }

    @Test("matches the reference implementation's vectors and cosines (MPNet)", .enabled(if: ModelFolder.shouldRunMPNet))
    func referenceVectorMPNet() throws {
        let encoder = try #require(ModelFolder.mpnet, "no model at \(ModelFolder.mpnetPath): run scripts/fetch-model")
        #expect(encoder.architecture == .mpnet && encoder.dimensions == 768)
        #expect(encoder.maximumTokens == 384)
        // From a NumPy forward pass of the same weights (relative attention
        // bias included), mean-pooled and normalised.
        let text = encoder.encode("My password-reset link does not work!")
        let expected: [Float] = [-0.04028, 0.0281, 0.00348, -0.00307, 0.03059, 0.02157]
        for (index, value) in expected.enumerated() {
            #expect(abs(text[index] - value) < 2e-4, "dimension \(index): \(text[index]) vs \(value)")
        }
        let paraphrase = encoder.encode("the reset email link says expired")
        let unrelated = encoder.encode("charts are blank in the pdf")
        #expect(abs(SentenceEncoder.similarity(text, paraphrase) - 0.6656) < 1e-3)
        #expect(abs(SentenceEncoder.similarity(text, unrelated) - 0.0746) < 1e-3)
        // 212 tokens: distances past 128 fall in the last buckets.
        let long = encoder.encode(Array(repeating: "the export never finishes and times out", count: 30).joined(separator: " "))
        let expectedLong: [Float] = [-0.03158, 0.03682, -0.03814, 0.00316]
        for (index, value) in expectedLong.enumerated() {
            #expect(abs(long[index] - value) < 2e-4, "long, dimension \(index): \(long[index]) vs \(value)")
        }
    }

    @Test("buckets relative distances as MPNet does: exact near, logarithmic far, one half per direction")
    func relativeBuckets() {
        // From a Python copy of MPNet's relative_position_bucket (32 buckets, max_distance 128).
        let expected: [Int: Int] = [
            0: 0, -1: 1, 1: 17, -7: 7, 7: 23, -8: 8, 8: 24, -12: 9, -16: 10, -20: 10, -32: 12, -64: 14, -127: 15,
            -128: 15, -500: 15, 16: 26, 127: 31, 1000: 31,
        ]
        for (distance, bucket) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(SentenceEncoder.bucket(distance: distance, buckets: 32) == bucket, "distance \(distance)")
        }
        for buckets in stride(from: 4, through: 256, by: 4) {
            for distance in -600...600 {
                #expect((0..<buckets).contains(SentenceEncoder.bucket(distance: distance, buckets: buckets)))
            }
        }
    }

    @Test("refuses an MPNet config whose relative buckets would fall outside the bias table", .enabled(if: ModelFolder.shouldRunMPNet))
    func refusesHostileBuckets() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mpnet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["model.safetensors", "vocab.txt"] {
            try FileManager.default.createSymbolicLink(atPath: folder + "/" + name, withDestinationPath: ModelFolder.mpnetPath + "/" + name)
        }
        let config = try String(contentsOfFile: ModelFolder.mpnetPath + "/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "\"relative_attention_num_buckets\": 32", with: "\"relative_attention_num_buckets\": 512")
            .write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        #expect(throws: SentenceEncoderError.unreadable(
            path: folder + "/config.json", reason: "relative_attention_num_buckets 512 is not a multiple of 4 in 4…256")
        ) { try SentenceEncoder(directory: folder) }
    }

    @Test("gives the same vector every time and from several threads", .enabled(if: ModelFolder.shouldRun))
    func deterministic() async throws {
        let encoder = try #require(ModelFolder.encoder)
        let first = encoder.encode("export stops at ten thousand rows")
        let vectors = await withTaskGroup(of: [Float].self) { group in
            for _ in 0..<4 { group.addTask { encoder.encode("export stops at ten thousand rows") } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for vector in vectors { #expect(vector == first) }
    }

    @Test("encodes texts stacked in one pass as one by one, with MPNet and BERT", .enabled(if: ModelFolder.shouldRun))
    func stackedPassMatchesSingle() throws {
        let encoders = [ModelFolder.mpnet, ModelFolder.bert].compactMap { $0 }
        try #require(encoders.count == 2 || !ModelFolder.isRequired)
        try #require(!encoders.isEmpty)
        let texts = [
            "export stops at ten thousand rows", "", "the board pack pdf has a big white rectangle where our map should be",
            "export stops at ten thousand rows!", "2FA",
        ]
        for encoder in encoders {
            let stacked = encoder.computeVectors(texts)
            let batched = encoder.encode(texts, cache: nil)
            for (index, text) in texts.enumerated() {
                let single = encoder.computeVectors([text])[0]
                #expect(zip(stacked[index], single).allSatisfy { abs($0 - $1) < 1e-5 }, "\(encoder.directory): \(text)")
                #expect(zip(batched[index], single).allSatisfy { abs($0 - $1) < 1e-5 }, "\(encoder.directory): \(text), batched")
            }
        }
    }

    @Test("reports how many of the texts the cache lacked are encoded, up to all of them", .enabled(if: ModelFolder.shouldRun))
    func encodeReportsProgress() throws {
        let encoder = try #require(ModelFolder.encoder)
        let folder = EncodingCacheTests.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = EncodingCache(directory: folder, encoder: encoder)
        let texts = (1...40).map { "report \($0) arrives twice" }
        _ = encoder.encode(Array(texts.prefix(8)), cache: cache)
        let heard = Heard()

        _ = encoder.encode(texts + [texts[9]], cache: cache) { done, total in heard.add(done, total) }

        let calls = heard.calls.sorted { $0.done < $1.done }
        #expect(calls.allSatisfy { $0.total == 32 }, "\(calls)")
        #expect(calls.last?.done == 32)
        #expect(calls.count == 2, "32 texts in passes of \(SentenceEncoder.textsPerPass)")
    }

    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [(done: Int, total: Int)] = []
        func add(_ done: Int, _ total: Int) { lock.withLock { list.append((done, total)) } }
        var calls: [(done: Int, total: Int)] { lock.withLock { list } }
    }

    @Test("encodes a batch ahead on every core, bit for bit as one by one", .enabled(if: ModelFolder.shouldRun))
    func preparedVectorsAreTheOnesEncodeComputes() throws {
        let encoder = try #require(ModelFolder.encoder)
        // Texts no other test encodes, so that none is remembered already.
        let run = UUID().uuidString
        let texts = (1...6).map { "map \($0) is blank in the pdf export, run \(run)" }
        encoder.prepare(texts + [texts[0]])
        for text in texts {
            #expect(encoder.recent[text] != nil, "encoded ahead: \(text)")
            #expect(encoder.encode(text) == encoder.computeVectors([text])[0], "the same bits: \(text)")
        }
    }

    @Test("reads at most its token limit of a long text", .enabled(if: ModelFolder.shouldRun))
    func truncatesLongText() throws {
        let encoder = try #require(ModelFolder.encoder)
        let long = String(repeating: "the export never finishes and times out ", count: 200)
        #expect(encoder.tokenizer.ids(long, limit: encoder.maximumTokens).count == encoder.maximumTokens)
        #expect(encoder.encode(long).count == encoder.dimensions)
        #expect(encoder.encode("").count == encoder.dimensions)
    }

    @Test("names the missing file of a model folder")
    func missingFolder() {
        #expect(throws: SentenceEncoderError.missingFile(path: "/nonexistent/model/config.json")) {
            try SentenceEncoder(directory: "/nonexistent/model")
        }
    }
}
