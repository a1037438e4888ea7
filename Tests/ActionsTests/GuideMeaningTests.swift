import Core
import Foundation
import ModelTestSupport
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
        // A guide's own title: the soft maximum over its passages would pass 1.
        let exact = try #require(mixed.search("Reset your password", minimumScore: 0).first)
        #expect(exact.guide.id == "reset-password")
        #expect(exact.score <= 1)
        #expect(exact.explanation.contains("meaning 1.00"))
    }

    @Test("gives a text with no letter or digit no meaning, so such texts are not grouped", .enabled(if: ModelFolder.shouldRun))
    func noWordsNoMeaning() throws {
        let encoder = try #require(ModelFolder.encoder)
        let mixed = KnowledgeBase(guides: Self.guides, encoder: encoder)
        #expect(mixed.meaningVector(for: "!!! ... ???") == nil)
        #expect(mixed.meaningVector(for: "Ünïcode 42") != nil)
        #expect(TextGrouping.group(["!!!", "...", "???"], knowledgeBase: mixed) == [0, 1, 2])
    }

    @Test("groups two descriptions of one problem that share no word, and ranks them above a look-alike by meaning", .enabled(if: ModelFolder.shouldRun))
    func groupsParaphrases() throws {
        let encoder = try #require(ModelFolder.encoder)
        let mixed = KnowledgeBase(guides: Self.guides, encoder: encoder)
        let a = "the six digit number from my authenticator app is never accepted"
        let b = "2FA code rejected every time I try to sign in"
        let lookAlike = "two-factor reminder email arrives every time I sign in"
        // Words alone rate the look-alike closer than the same problem ...
        let words = TextSimilarity(knowledgeBase: KnowledgeBase(guides: Self.guides))
        #expect(words.similarity(lookAlike, b) > words.similarity(a, b))
        // ... meaning alone the other way round ...
        var meaningOnly = TextSimilarity.Parameters()
        meaningOnly.meaningShare = 1
        let meaning = TextSimilarity(knowledgeBase: mixed, parameters: meaningOnly)
        #expect(meaning.similarity(a, b) - meaning.similarity(lookAlike, b) > 0.1)
        // ... and the standard mix groups the two descriptions.
        #expect(TextSimilarity(knowledgeBase: mixed).similarity(a, b) >= TextSimilarity.threshold(for: mixed))
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
        #expect(TextGroupIndex.decode(TextGroupIndex.encode([1, .nan])).isEmpty)
    }

    @Test("averages meaning over the members that had it, for groups begun on words only")
    func groupsBegunOnWords() {
        var index = TextGroupIndex(threshold: 0.5)
        index.parameters.meaningShare = 1
        let time = Core.Timestamp(millisecondsSinceEpoch: 1_000)
        let words = TextSimilarity.Signature(terms: SparseVector(["export": 1]), guides: SparseVector())
        let key = index.assign(ticketID: "T1", signature: words, at: time, since: time)
        _ = index.assign(ticketID: "T2", signature: words, at: time, since: time)
        // The third member is the first with meaning; the fourth means the same.
        let meaning: [Float] = [1, 0]
        let first = TextSimilarity.Signature(terms: SparseVector(["export": 1]), guides: SparseVector(), meaning: meaning)
        #expect(index.assign(ticketID: "T3", signature: first, at: time, since: time) == key)
        let same = TextSimilarity.Signature(terms: SparseVector(["slow": 1]), guides: SparseVector(), meaning: meaning)
        // Mean cosine 1 over the one member with meaning, not 1/3 over all three.
        var restored = TextGroupIndex(state: index.state)
        restored.parameters.meaningShare = 1
        #expect(restored.assign(ticketID: "T4", signature: same, at: time, since: time) == key)
    }

    @Test("drops meaning sums of another model and keeps the groups' words")
    func dropsAnotherModelsMeaning() throws {
        var index = TextGroupIndex(threshold: 0.5)
        index.use(model: "old-model")
        let time = Core.Timestamp(millisecondsSinceEpoch: 1_000)
        let signature = TextSimilarity.Signature(terms: SparseVector(["export": 1]), guides: SparseVector(), meaning: [1, 0])
        let key = index.assign(ticketID: "T1", signature: signature, at: time, since: time)
        #expect(index.state["model"]?.stringValue == "old-model")
        var restored = TextGroupIndex(state: index.state)
        #expect(restored.model == "old-model")
        restored.use(model: "new-model")
        let group = try #require(restored.state["groups"]?.arrayValue?.first)
        #expect(group["meaning"]?.stringValue == "")
        #expect(group["meaning_members"]?.intValue == 0)
        #expect(group["terms"] == index.state["groups"]?.arrayValue?.first?["terms"])
        #expect(restored.state["model"]?.stringValue == "new-model")
        // Same model again: nothing is dropped.
        var same = TextGroupIndex(state: index.state)
        same.use(model: "old-model")
        #expect(same.state == index.state)
        #expect(restored.tickets(inGroup: key) == ["T1"])
    }

    @Test("compares a ticket read with meaning to a group without comparable meaning on the words threshold")
    func wordsThresholdForGroupsWithoutMeaning() {
        let time = Core.Timestamp(millisecondsSinceEpoch: 1_000)
        // Terms cosine 1/3: below the meaning threshold, above the words one.
        let onWords = TextSimilarity.Signature(
            terms: SparseVector(["export": 1, "slow": 1, "excel": 1]).normalised(), guides: SparseVector())
        let withMeaning = TextSimilarity.Signature(
            terms: SparseVector(["export": 1, "hangs": 1, "sheet": 1]).normalised(), guides: SparseVector(), meaning: [1, 0])
        for words in [0.25, 0.5] {
            var index = TextGroupIndex(threshold: 0.375)
            index.wordsThreshold = words
            let key = index.assign(ticketID: "T1", signature: onWords, at: time, since: time)
            let joined = index.assign(ticketID: "T2", signature: withMeaning, at: time, since: time) == key
            #expect(joined == (words < 1.0 / 3), "words threshold \(words)")
        }
    }
}
