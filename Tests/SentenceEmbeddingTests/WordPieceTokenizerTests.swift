import Foundation
import ModelTestSupport
import Testing

@testable import SentenceEmbedding

@Suite("WordPiece tokenizer")
struct WordPieceTokenizerTests {
    func tokenizer(_ tokens: [String]) throws -> WordPieceTokenizer {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString).txt").path
        try (["[PAD]", "[UNK]", "[CLS]", "[SEP]"] + tokens).joined(separator: "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        return try WordPieceTokenizer(vocabularyFile: path)
    }

    @Test("lowercases, strips accents and splits punctuation off words")
    func words() {
        #expect(
            WordPieceTokenizer.words("Café: DÉJÀ-vu, naïve 42%!") == ["cafe", ":", "deja", "-", "vu", ",", "naive", "42", "%", "!"])
        #expect(WordPieceTokenizer.words("tab\there\u{0}  \u{200B}x") == ["tab", "here", "x"])
    }

    @Test("cuts words into the longest known pieces, [UNK] when a part is unknown")
    func pieces() throws {
        let vocabulary = try tokenizer(["export", "##ed", "##s", "un", "##export", "csv"])
        #expect(vocabulary.ids("Exported CSVs", limit: 16) == [2, 4, 5, 9, 6, 3])
        #expect(vocabulary.ids("unexported", limit: 16) == [2, 7, 8, 5, 3])
        #expect(vocabulary.ids("xyz", limit: 16) == [2, 1, 3])
        #expect(vocabulary.ids(String(repeating: "e", count: 101), limit: 16) == [2, 1, 3])
    }

    @Test("keeps [CLS] and [SEP] within the limit")
    func limit() throws {
        let vocabulary = try tokenizer(["csv"])
        #expect(vocabulary.ids("csv csv csv csv csv", limit: 4) == [2, 4, 4, 3])
    }

    @Test("agrees with BERT's tokenizer on a mixed text", .enabled(if: ModelFolder.shouldRunBERT))
    func agreesWithReference() throws {
        let encoder = try #require(ModelFolder.bert)
        // Ids from the reference BasicTokenizer + WordPiece over the same vocabulary.
        #expect(
            encoder.tokenizer.ids("My password-reset link does not work! Café déjà vu, naïve ärger 42%", limit: 256) == [
                101, 2026, 20786, 1011, 25141, 4957, 2515, 2025, 2147, 999, 7668, 2139, 3900, 24728, 1010, 15743,
                12098, 4590, 4413, 1003, 102,
            ])
    }

    @Test("frames MPNet's text with <s> and </s>, as its tokenizer does", .enabled(if: ModelFolder.shouldRunMPNet))
    func mpnetFraming() throws {
        let encoder = try #require(ModelFolder.mpnet)
        #expect(encoder.architecture == .mpnet)
        // Ids from a Python reference of BERT's basic tokenizer and WordPiece over
        // all-mpnet-base-v2's vocabulary, framed by <s> (0) and </s> (2).
        #expect(
            encoder.tokenizer.ids("My password-reset link does not work!", limit: 384) == [
                0, 2030, 20790, 1015, 25145, 4961, 2519, 2029, 2151, 1003, 2,
            ])
    }
}
