import Core
import Foundation
import Testing

@testable import Actions
@testable import SentenceEmbedding

/// Ranking and grouping with a sentence encoder: texts that share no word
/// with what they mean.
@Suite struct GuideMeaningTests {
    static let guides = KnowledgeBaseTests.guides + [
        Guide(
            id: "two-factor", title: "Sign in when two-factor codes are rejected", productArea: "accounts",
            body: "Codes depend on the time of your phone. Turn on automatic date and time, then try a new code."),
    ]

    @Test("finds the guide for a text that shares no word with it", .enabled(if: ModelFolder.shouldRun))
    func findsGuideWithoutSharedWords() throws {
        let encoder = try #require(ModelFolder.encoder, "no model at \(ModelFolder.path): run scripts/fetch-model")
        let text = "the app on my mobile gives digits but they never work"
        let wordsOnly = KnowledgeBase(guides: Self.guides)
        let mixed = KnowledgeBase(guides: Self.guides, encoder: encoder)
        #expect(wordsOnly.search(text, minimumScore: 0).first?.guide.id != "two-factor")
        let best = try #require(mixed.search(text).first)
        #expect(best.guide.id == "two-factor")
        #expect(best.explanation.contains("meaning"))
        #expect(best.explanation.contains("closest to \""))
        #expect(mixed.minimumScore == KnowledgeBase.defaultMinimumMixedScore)
    }

    @Test("scores every guide from 0 to 1 and keeps the minimum score", .enabled(if: ModelFolder.shouldRun))
    func scoresAreBounded() throws {
        let encoder = try #require(ModelFolder.encoder)
        let mixed = KnowledgeBase(guides: Self.guides, encoder: encoder)
        let all = mixed.search("I want my money back for last month", limit: 10, minimumScore: 0)
        #expect(all.count == Self.guides.count)
        for match in all { #expect((0...1).contains(match.score)) }
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(mixed.search("I want my money back for last month", limit: 10, minimumScore: 0.99).isEmpty)
        #expect(mixed.search("   ", minimumScore: 0).isEmpty)
    }

    @Test("groups two descriptions of one problem that share no word, and not a look-alike", .enabled(if: ModelFolder.shouldRun))
    func groupsParaphrases() throws {
        let encoder = try #require(ModelFolder.encoder)
        let mixed = KnowledgeBase(guides: Self.guides, encoder: encoder)
        let a = "the six digit number from my authenticator app is never accepted"
        let b = "2FA code rejected every time I try to sign in"
        let lookAlike = "how do I turn on two-factor for my whole team"
        // Words alone rate the look-alike about as close as the same problem.
        let words = TextSimilarity(knowledgeBase: KnowledgeBase(guides: Self.guides))
        #expect(abs(words.similarity(a, b) - words.similarity(lookAlike, b)) < 0.05)
        let meaning = TextSimilarity(knowledgeBase: mixed)
        #expect(meaning.similarity(a, b) >= TextSimilarity.defaultThreshold)
        #expect(meaning.similarity(a, b) - meaning.similarity(lookAlike, b) > 0.1)
    }

    @Test("cuts a Markdown body into sentences without its markup")
    func sentences() {
        let body = "## How long it lasts\n\nThe lock ends after **30 minutes**. You do not need anyone!\n- Ask an admin to unlock it\n- Wait\n"
        #expect(GuideMeanings.sentences(body) == [
            "How long it lasts", "The lock ends after 30 minutes.", "You do not need anyone!", "Ask an admin to unlock it",
        ])
        let guide = Guide(id: "g", title: "Locked out", phrases: ["too many attempts", "too many attempts"], body: body)
        #expect(GuideMeanings.passages(of: guide).prefix(3) == ["Locked out", "too many attempts", "Locked out. How long it lasts"])
    }
}

@Suite struct EncodingCacheTests {
    @Test("keeps vectors across instances and ignores a torn last record")
    func persists() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)").path
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
}

@Suite struct TextGroupIndexMeaningTests {
    @Test("keeps group meanings in its state, exactly")
    func stateKeepsMeaning() {
        var index = TextGroupIndex(threshold: 0.5)
        let time = Core.Timestamp(millisecondsSinceEpoch: 1_000)
        let meaning: [Float] = [0.6, 0.8, -0.0, 1e-7]
        let signature = TextSimilarity.Signature(terms: SparseVector(["export": 1]), guides: SparseVector(), meaning: meaning)
        let key = index.assign(ticketID: "T1", signature: signature, at: time, since: time)
        let restored = TextGroupIndex(state: index.state)
        #expect(restored.state == index.state)
        var again = restored
        // Same meaning, no shared word: joins through meaning alone.
        let other = TextSimilarity.Signature(terms: SparseVector(["slow": 1]), guides: SparseVector(), meaning: meaning)
        #expect(again.assign(ticketID: "T2", signature: other, at: time, since: time) == key)
        #expect(TextGroupIndex.decode(TextGroupIndex.encode(meaning)) == meaning)
        #expect(TextGroupIndex.decode("not base64!").isEmpty)
    }
}
