@testable import Actions
import Core
import Foundation
import Testing

/// Guide loading, ranking, explanations and the minimum score.
@Suite struct KnowledgeBaseTests {
    static let guides = [
        Guide(
            id: "export-csv", title: "Export a sheet to CSV", productArea: "reports", tags: ["export"],
            phrases: ["get my data out"], body: "Click Export and choose CSV. The file downloads straight away."),
        Guide(
            id: "reset-password", title: "Reset your password", productArea: "accounts", tags: ["login"],
            phrases: ["forgot my password"], body: "Use the reset link on the sign-in page. The link works for one hour."),
        Guide(
            id: "invoices", title: "Download invoices", productArea: "billing", tags: ["billing"],
            phrases: ["where is my receipt"], body: "Invoices are under Settings > Billing. You can export them as PDF."),
    ]
    let knowledgeBase = KnowledgeBase(guides: KnowledgeBaseTests.guides)

    func withGuides(_ files: [String: String], _ body: (String) -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guides-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        body(folder)
    }

    @Test func load_whenValid_readsFrontMatterAndBody() throws {
        try withGuides([
            "export.md": "---\ntitle: Export a sheet\nproduct_area: reports\ntags: [export, csv]\nphrases:\n  - get my data out\n---\nBody text.\n",
        ]) { folder in
            let (knowledgeBase, diagnostics) = KnowledgeBase.load(directory: folder)
            #expect(diagnostics.isEmpty)
            #expect(knowledgeBase.guides == [Guide(
                id: "export", title: "Export a sheet", productArea: "reports", tags: ["export", "csv"],
                phrases: ["get my data out"], body: "Body text.\n", file: folder + "/export.md")])
        }
    }

    @Test func load_whenFrontMatterHasProblems_reportsEachAtItsPlace() throws {
        try withGuides([
            "a.md": "No front matter here.\n",
            "b.md": "---\ntitle: Unclosed\n",
            "c.md": "---\nproduct_area: reports\n---\nbody\n",
            "d.md": "---\ntitle: Tags\ntags: {a: 1}\nphrase:\n  - x\n---\n",
            "e.md": "---\ntitle: [not, text]\n---\n",
            "f.md": "---\ntitle: \"unterminated\n---\n",
        ]) { folder in
            let (knowledgeBase, diagnostics) = KnowledgeBase.load(directory: folder)
            let lines = diagnostics.map { $0.description.replacingOccurrences(of: folder + "/", with: "") }
            #expect(lines.count == 7)
            #expect(lines[0] == "a.md:1:1: error[E0701]: guide has no front matter; start the file with a line `---`, then `title: …`, then a closing `---`")
            #expect(lines[1] == "b.md:1:1: error[E0701]: front matter is not closed; end the front matter with a line `---`")
            #expect(lines[2] == "c.md:2:1: error[E0702]: front matter has no `title`")
            #expect(lines[3] == "d.md:3:7: error[E0703]: `tags` must be a list of text, not a mapping")
            #expect(lines[4] == "d.md:4:1: error[E0704]: unknown front matter field `phrase`; did you mean `phrases`?")
            #expect(lines[5] == "e.md:2:8: error[E0703]: `title` must be text, not a sequence")
            #expect(lines[6] == "f.md:3:1: error[E0101]: invalid YAML: found unexpected end of stream (while scanning a quoted scalar that started at line 2, column 8)")
            // Only the guide with a lesser problem (d.md) is kept.
            #expect(knowledgeBase.guides.map(\.id) == ["d"])
        }
    }

    @Test func search_ranksTitleMatchAboveBodyMatch() {
        let ids = knowledgeBase.search("export", limit: 3, minimumScore: 0).map(\.guide.id)
        #expect(ids == ["export-csv", "invoices"])
    }

    @Test func search_whenWordsDifferButMeanTheSame_usesLexiconAndPhrases() {
        #expect(knowledgeBase.search("how do I download my sheet as a spreadsheet file").first?.guide.id == "export-csv")
        #expect(knowledgeBase.search("I was charged, where can I find the bill?", minimumScore: 0).first?.guide.id == "invoices")
    }

    @Test func search_whenWordIsMisspelt_readsItAsTheClosestKnownWord() throws {
        let match = try #require(knowledgeBase.search("pasword resset please").first)
        #expect(match.guide.id == "reset-password")
        #expect(match.matchedTerms == ["pasword", "resset"])
        #expect(match.explanation.contains("\"pasword\" (read as \"password\") in title, phrases"))
    }

    @Test func search_explainsWhichWordsMatchedWhere() throws {
        let match = try #require(knowledgeBase.search("export to csv").first)
        // "csv" is rarer among the guides than "export", so it tells more and comes first.
        #expect(match.matchedTerms == ["csv", "export"])
        #expect(match.explanation
            == "matched \"csv\" (≈ file) in title, body; \"export\" in title, phrases, tags, body")
    }

    @Test func search_whenNothingScoresEnough_returnsNothing() {
        #expect(knowledgeBase.search("the weather in Lisbon is lovely").isEmpty)
        #expect(!knowledgeBase.search("export csv", minimumScore: 0.1).isEmpty)
        #expect(knowledgeBase.search("export csv", minimumScore: 0.999).isEmpty)
    }

    @Test func search_scoresAreBetweenZeroAndOneAndDecrease() {
        let scores = knowledgeBase.search("export invoices as pdf", limit: 3, minimumScore: 0).map(\.score)
        #expect(scores.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(scores == scores.sorted(by: >))
    }

    @Test func search_withProductArea_keepsThatAreaOnly() {
        #expect(knowledgeBase.search("export", minimumScore: 0, productArea: "billing").map(\.guide.id) == ["invoices"])
    }

    @Test func stem_sendsFormsOfAWordToOneKey() {
        #expect(Set(["export", "exports", "exported", "exporting"].map(TextNormalizer.stem)).count == 1)
        #expect(Set(["bill", "billed", "billing", "bills"].map(TextNormalizer.stem)).count == 1)
        #expect(Set(["copy", "copies", "copied"].map(TextNormalizer.stem)).count == 1)
        #expect(TextNormalizer.words("Can't open Café's CSV-file") == ["cant", "open", "cafes", "csv", "file"])
    }

    @Test func guide_startingWithAByteOrderMark_isRead() {
        let (guide, problems) = GuideLoader.parse(
            [0xEF, 0xBB, 0xBF] + Array("---\ntitle: Reset your password\n---\nUse the link.\n".utf8), file: "g/reset.md", id: "reset")
        #expect(problems.isEmpty, "\(problems)")
        #expect(guide?.title == "Reset your password")
    }

    /// A word that matched in several ways (as written, read as another
    /// word, through a concept) is explained once, with every way.
    @Test func explanation_namesEachWordOfTheTicketOnce() throws {
        let best = try #require(knowledgeBase.search("cant dwonload the csv", limit: 1, minimumScore: 0).first)
        #expect(best.guide.id == "export-csv")
        #expect(best.explanation.components(separatedBy: "\"dwonload\"").count == 2, "\(best.explanation)")
        #expect(best.explanation.contains("\"dwonload\" (read as \"download\"; ≈ export) in "), "\(best.explanation)")
    }

    /// YAML's null is no text: a `title: null` is an empty title, not the word "null".
    @Test func guide_withNullFields_readsThemAsEmpty() {
        let (untitled, problems) = GuideLoader.parse(
            Array("---\ntitle: null\n---\nbody\n".utf8), file: "g/x.md", id: "x")
        #expect(untitled == nil)
        #expect(problems.map(\.message) == ["`title` is empty"])

        let (guide, none) = GuideLoader.parse(
            Array("---\ntitle: Reset\nproduct_area: ~\ntags: [null, login]\nphrases: null\n---\nbody\n".utf8),
            file: "g/reset.md", id: "reset")
        #expect(none.isEmpty, "\(none)")
        #expect(guide?.productArea == nil)
        #expect(guide?.tags == ["login"])
        #expect(guide?.phrases == [])
        let (quoted, _) = GuideLoader.parse(Array("---\ntitle: \"null\"\n---\n".utf8), file: "g/n.md", id: "n")
        #expect(quoted?.title == "null")
    }

    @Test func guideFile_withoutAName_isReported_hiddenOnesSkipped_upperCaseRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guides-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "---\ntitle: Nameless\n---\n".write(toFile: folder + "/.md", atomically: true, encoding: .utf8)
        try "---\ntitle: Blank\n---\n".write(toFile: folder + "/ .md", atomically: true, encoding: .utf8)
        try "---\ntitle: Draft\n---\n".write(toFile: folder + "/.draft.md", atomically: true, encoding: .utf8)
        try "---\ntitle: Reset\n---\n".write(toFile: folder + "/reset.md", atomically: true, encoding: .utf8)
        try "---\ntitle: Upper\n---\n".write(toFile: folder + "/Upper.MD", atomically: true, encoding: .utf8)

        let (guides, problems) = GuideLoader.load(directory: folder)

        #expect(guides.map(\.id) == ["Upper", "reset"])
        #expect(problems.map(\.message) == [
            "a guide's file name is its id, and \(folder)/ .md has none",
            "a guide's file name is its id, and \(folder)/.md has none",
        ])
        #expect(problems.allSatisfy { $0.code == .guideFileName })
    }

    @Test func plainText_dropsLinkTargetsAndCode_inOnePass() {
        let markdown = "See [Export](export.md) or [Billing](https://x.example/b?q=1) (then retry).\n```\ncode here\n```\n[open](no close"
        #expect(GuideIndex.plainText(markdown) == "See [Export] or [Billing] (then retry).\n[open](no close\n")
        let many = String(repeating: "[x](y)", count: 20_000)
        #expect(GuideIndex.plainText(many) == String(repeating: "[x]", count: 20_000) + "\n")
    }

    /// Accents typed as a letter and a combining mark (as some systems paste
    /// them) fold like precomposed ones; a run of letters longer than any
    /// word is cut, so folding stays cheap whatever a ticket holds.
    @Test func words_foldDecomposedAccents_andCutEndlessWords() {
        #expect(TextNormalizer.words("Cafe\u{301} CRE\u{300}ME ｅｘｐｏｒｔ") == ["cafe", "creme", "export"])
        #expect(TextNormalizer.words("\u{301}alone") == ["alone"])
        let endless = String(repeating: "e\u{301}", count: 10_000) + " done"
        #expect(TextNormalizer.words(endless) == [String(repeating: "e", count: TextNormalizer.longestWord), "done"])
    }

    /// A pasted log after the complaint is not read past `readLimit`, and
    /// the cut falls between words.
    @Test func ticketText_isReadUpToTheLimit_cutBetweenWords() {
        let log = String(repeating: "GET /api/v2/boards 200 ", count: 250_000)
        let ticket: Value = .object(Value.Object([
            ("subject", "Export fails"), ("description", .string("the csv export breaks. log: " + log)),
        ]))
        let text = KnowledgeBase.text(of: ticket)
        #expect(text.unicodeScalars.count <= KnowledgeBase.readLimit)
        #expect(text.unicodeScalars.count > KnowledgeBase.readLimit - 20)
        #expect(("Export fails\nthe csv export breaks. log: " + log).hasPrefix(text + " "))

        let short = "my report is blank"
        #expect(KnowledgeBase.readable(short) == short)
        let unbroken = String(repeating: "x", count: KnowledgeBase.readLimit + 5)
        #expect(KnowledgeBase.readable(unbroken).unicodeScalars.count == KnowledgeBase.readLimit)
        // An endless run after a short start keeps its head, not only "Export".
        let run = "Export\n" + String(repeating: "A", count: 30_000)
        #expect(KnowledgeBase.readable(run).unicodeScalars.count == KnowledgeBase.readLimit)
        // A word that ends exactly at the limit is whole, and kept.
        let exact = String(repeating: "abcd ", count: 3_999) + "abcde" + " tail"
        #expect(KnowledgeBase.readable(exact) == String(repeating: "abcd ", count: 3_999) + "abcde")
    }
}
