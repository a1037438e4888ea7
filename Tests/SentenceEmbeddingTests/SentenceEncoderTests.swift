import Foundation
import ModelTestSupport
import Testing

@testable import SentenceEmbedding

@Suite("Sentence encoder")
struct SentenceEncoderTests {
    @Test("matches the reference implementation's vector for a fixed text", .enabled(if: ModelFolder.shouldRun))
    func referenceVector() throws {
        let encoder = try #require(ModelFolder.encoder, "no model at \(ModelFolder.path): run scripts/fetch-model")
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

    @Test("places a paraphrase nearer than an unrelated text", .enabled(if: ModelFolder.shouldRun))
    func paraphraseIsNearer() throws {
        let encoder = try #require(ModelFolder.encoder, "no model at \(ModelFolder.path): run scripts/fetch-model")
        let text = encoder.encode("My password-reset link does not work!")
        let paraphrase = encoder.encode("the reset email link says expired")
        let unrelated = encoder.encode("charts are blank in the pdf")
        let near = SentenceEncoder.similarity(text, paraphrase)
        let far = SentenceEncoder.similarity(text, unrelated)
        #expect(abs(near - 0.5876) < 1e-3)
        #expect(abs(far - 0.0898) < 1e-3)
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
