import Foundation
import ModelTestSupport
import SentenceEmbedding
import Testing

/// `ticketflow guides search` and `guides list` on a folder of guides.
@Suite struct GuidesCommandTests {
    @Test func search_ranksTheGuides_andExplainsTheMatch() async throws {
        let scratch = try GroupCommandTests.scratch()
        let json = try await scratch.run(
            ["guides", "search", "--guides", "guides", "--format", "json", "forgot my pasword, the reset email never comes"],
            environment: GroupCommandTests.words)
        #expect(json.status == 0, "\(json.stderr)")
        let matches = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(matches.first?["id"] as? String == "reset-password", "\(json.stdout)")
        #expect(matches.first?["file"] as? String == "guides/reset-password.md")
        #expect((matches.first?["matched"] as? [String])?.contains("reset") == true, "\(json.stdout)")

        let text = try await scratch.run(["guides", "search", "--guides", "guides", "forgot my pasword, the reset email never comes"], environment: GroupCommandTests.words)
        #expect(text.stdoutLines.first?.hasPrefix("1. Reset your password  [reset-password]  score ") == true, "\(text.stdout)")
    }

    /// One broken guide is reported, and the others still answer.
    @Test func search_withABrokenGuide_stillSearchesTheOthers_andExits1() async throws {
        let scratch = try GroupCommandTests.scratch()
        try scratch.write("guides/broken.md", "---\ntitel: Change your plan\n---\nbody\n")
        let result = try await scratch.run(["guides", "search", "--guides", "guides", "forgot my pasword, the reset email never comes"], environment: GroupCommandTests.words)
        #expect(result.status == 1)
        #expect(result.stderrLines.contains("guides/broken.md:2:1: error[E0702]: front matter has no `title`"), "\(result.stderr)")
        #expect(result.stdoutLines.first?.hasPrefix("1. Reset your password") == true, "\(result.stdout)")

        let missing = try await scratch.run(["guides", "search", "--guides", "nosuch", "reset"], environment: GroupCommandTests.words)
        #expect(missing.status == 1)
        #expect(missing.stdout == "")
        #expect(missing.stderrLines == ["error[E0001]: nosuch is not a folder of guides"])
    }

    /// A product area no guide has is named as the reason, with did-you-mean.
    @Test func search_inAProductAreaNoGuideHas_saysSo() async throws {
        let scratch = try GroupCommandTests.scratch()
        let result = try await scratch.run(
            ["guides", "search", "--guides", "guides", "--product-area", "acount", "forgot my password"],
            environment: GroupCommandTests.words)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines == ["no guide has product_area \"acount\"; did you mean `account`?"], "\(result.stdout)")

        // An empty area keeps every guide, as in suggest_guide.
        let any = try await scratch.run(
            ["guides", "search", "--guides", "guides", "--product-area", "", "forgot my pasword, the reset email never comes"],
            environment: GroupCommandTests.words)
        #expect(any.stdoutLines.first?.hasPrefix("1. Reset your password") == true, "\(any.stdout)")
    }

    /// The adapter in `tuning/` is applied and named; one learned on another
    /// model is left out with a note; a broken one named in
    /// `TICKETFLOW_ADAPTER` is an error, and ranking falls back to words.
    @Test(.enabled(if: ModelFolder.shouldRunBERT && ModelFolder.shouldRunMPNet))
    func search_appliesTheAdapter_andLeavesOutOneThatDoesNotFit() async throws {
        let scratch = try GroupCommandTests.scratch()
        try FileManager.default.createDirectory(at: scratch.root.appendingPathComponent("tuning"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: ModelFolder.exampleAdapterPath,
            toPath: scratch.root.appendingPathComponent(SentenceEncoder.defaultAdapter).path)
        let cache = scratch.root.appendingPathComponent("cache").path
        let query = ["guides", "search", "--guides", "guides", "the reset email never comes"]

        let tuned = try await scratch.run(query, environment: ["TICKETFLOW_MODEL": ModelFolder.mpnetPath, "TICKETFLOW_CACHE": cache])
        #expect(tuned.status == 0, "\(tuned.stderr)")
        #expect(tuned.stderr.contains("on words and meaning (\(ModelFolder.mpnetPath), tuned by tuning/adapter.safetensors)"), "\(tuned.stderr)")

        let other = try await scratch.run(query, environment: ["TICKETFLOW_MODEL": ModelFolder.bertPath, "TICKETFLOW_CACHE": cache])
        #expect(other.status == 0, "\(other.stderr)")
        #expect(other.stderr.contains("note: adapter left out: tuning/adapter.safetensors: was learned on another model"), "\(other.stderr)")
        #expect(other.stderr.contains("on words and meaning (\(ModelFolder.bertPath))"), "\(other.stderr)")

        let off = try await scratch.run(
            query, environment: ["TICKETFLOW_MODEL": ModelFolder.mpnetPath, "TICKETFLOW_ADAPTER": "off", "TICKETFLOW_CACHE": cache])
        #expect(off.stderr.contains("on words and meaning (\(ModelFolder.mpnetPath))"), "\(off.stderr)")

        // Named, an adapter that does not fit is an error, not left out.
        let named = try await scratch.run(
            query, environment: ["TICKETFLOW_MODEL": ModelFolder.bertPath, "TICKETFLOW_ADAPTER": "tuning/adapter.safetensors", "TICKETFLOW_CACHE": cache])
        #expect(named.stderr.contains("on words only: tuning/adapter.safetensors: was learned on another model"), "\(named.stderr)")
        #expect(named.stderr.contains("(TICKETFLOW_ADAPTER=off reads without it)"), "\(named.stderr)")
        #expect(!named.stderr.contains("adapter left out"), "\(named.stderr)")

        try scratch.write("broken.safetensors", "not a safetensors file")
        let broken = try await scratch.run(
            query, environment: ["TICKETFLOW_MODEL": ModelFolder.mpnetPath, "TICKETFLOW_ADAPTER": "broken.safetensors", "TICKETFLOW_CACHE": cache])
        #expect(broken.status == 0, "\(broken.stderr)")
        #expect(broken.stderr.contains("on words only: broken.safetensors: header length"), "\(broken.stderr)")
    }
}
