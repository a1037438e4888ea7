import Foundation
import Testing

/// `ticketflow group`: grouping a file of tickets by what they describe.
@Suite struct GroupCommandTests {
    static let words = ["TICKETFLOW_MODEL": "off"]

    static func scratch() throws -> Scratch {
        let scratch = try Scratch()
        try scratch.write("guides/export-garbled.md", """
            ---
            title: Exported file has columns in the wrong place
            product_area: reports
            tags: [export, csv]
            ---

            When the columns of an exported CSV are shifted, check the delimiter and the header row.
            """)
        try scratch.write("guides/reset-password.md", """
            ---
            title: Reset your password
            product_area: account
            tags: [login]
            ---

            Use the reset link on the sign-in page; the email arrives within a minute.
            """)
        try scratch.write("tickets.jsonl", """
            {"id":"A","text":"csv export columns are shifted, the header row is in the wrong place"}
            {"id":"B","text":"exported csv has its columns shifted from the header row"}
            {"id":"C","text":"the password reset email never arrives"}

            """)
        return scratch
    }

    static func groups(_ stdout: String) throws -> [[String: Any]] {
        try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]])
    }

    @Test func readsTheProjectGuidesByDefault_andNamesTheGuideOfEachGroup() async throws {
        let scratch = try Self.scratch()
        let result = try await scratch.run(["group", "--by", "text", "--format", "json", "tickets.jsonl"], environment: Self.words)
        #expect(result.status == 0, "\(result.stderr)")
        let groups = try Self.groups(result.stdout)
        #expect(groups.count == 2)
        #expect(groups.first?["tickets"] as? [String] == ["A", "B"])
        #expect(groups.first?["guide"] as? String == "export-garbled", "the guides folder was read without --guides")
        #expect(groups.last?["tickets"] as? [String] == ["C"])
    }

    @Test func noGuidesComparesWordsAlone() async throws {
        let scratch = try Self.scratch()
        let result = try await scratch.run(
            ["group", "--by", "text", "--no-guides", "--format", "json", "tickets.jsonl"], environment: Self.words)
        #expect(result.status == 0, "\(result.stderr)")
        let groups = try Self.groups(result.stdout)
        #expect(groups.allSatisfy { $0["guide"] == nil }, "no guide is named without guides")
        #expect(groups.first?["tickets"] as? [String] == ["A", "B"])
        let both = try await scratch.run(["group", "--guides", "guides", "--no-guides", "tickets.jsonl"], environment: Self.words)
        #expect(both.status != 0)
        #expect(both.stderr.contains("--guides and --no-guides contradict each other"))
    }

    @Test func aBadLineIsReportedWithItsPlace_andTheOthersAreStillGrouped() async throws {
        let scratch = try Self.scratch()
        try scratch.write("mixed.jsonl", """
            {"id":"A","text":"csv export columns are shifted, the header row is in the wrong place"}
            {"id":"X","txt":"misspelled field"}
            {"id":"B","text":"exported csv has its columns shifted from the header row"}
            {"id":
            """)
        let result = try await scratch.run(["group", "--by", "text", "mixed.jsonl"], environment: Self.words)
        #expect(result.status == 1)
        #expect(result.stderr.contains("mixed.jsonl:2:1"), "\(result.stderr)")
        #expect(result.stderr.contains("mixed.jsonl:4:"), "\(result.stderr)")
        #expect(result.stdout.contains("group 1: 2 problem reports"), "\(result.stdout)")
    }

    /// Each unusable line names the field at fault; a reused id does not
    /// silently replace the first ticket's text; bytes that are not UTF-8
    /// are named where they are. A byte-order mark and CRLF line ends (as
    /// some editors write) are read.
    @Test func eachUnusableLineNamesTheField_andAReusedIdKeepsTheFirstText() async throws {
        let scratch = try Self.scratch()
        let lines = [
            #"{"id":"A","text":"csv export columns are shifted, the header row is in the wrong place"}"#,
            #"{"id":"X2","text":42}"#,
            #"{"id":"A","text":"the password reset email never arrives"}"#,
            #"{"type":"ticket.created","ticket":{"id":"T-5","subject":5}}"#,
            #"{"id":"B","text":"exported csv has its columns shifted from the header row"}"#,
            #"{"type":"ticket.created","ticket":{"id":"T-9"}}"#,
            #"{"type":"ticket.updated","ticket":{"id":"T-9","subject":"dark mode for boards please"}}"#,
        ]
        var data = Data([0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8))
        data.append(contentsOf: Array(#"{"id":"C","text":"caf"#.utf8) + [0xE9] + Array("\"}\n".utf8))
        try data.write(to: scratch.root.appendingPathComponent("odd.jsonl"))

        let result = try await scratch.run(["group", "--by", "text", "--format", "json", "odd.jsonl"], environment: Self.words)
        #expect(result.status == 1)
        #expect(result.stderrLines == [
            "odd.jsonl:2:1: error[E0502]: `text` must be text",
            "odd.jsonl:3:1: error[E0502]: `id` \"A\" is already used at line 1",
            "odd.jsonl:4:1: error[E0502]: `ticket.subject` must be text",
            "odd.jsonl:8:18: error[E0501]: invalid JSON: string is not valid UTF-8",
        ], "\(result.stderr)")
        let groups = try Self.groups(result.stdout)
        // A ticket whose first event has no text is still one ticket.
        #expect(groups.map { $0["tickets"] as? [String] ?? [] } == [["A", "B"], ["T-9"]], "\(result.stdout)")
    }

    @Test func requestsAreGroupedApartFromProblemsInTheSameWords() async throws {
        let scratch = try Self.scratch()
        try scratch.write("asked.jsonl", """
            {"id":"A","text":"csv export columns are shifted, the header row is in the wrong place"}
            {"id":"Q1","text":"how do I move the header row of a csv export?"}
            {"id":"B","text":"exported csv has its columns shifted from the header row"}
            {"id":"Q2","text":"can I move the header row in the csv export"}

            """)
        let json = try await scratch.run(["group", "--by", "text", "--format", "json", "asked.jsonl"], environment: Self.words)
        #expect(json.status == 0, "\(json.stderr)")
        let groups = try Self.groups(json.stdout)
        #expect(groups.map { $0["tickets"] as? [String] ?? [] } == [["A", "B"], ["Q1", "Q2"]])
        #expect(groups.map { $0["intent"] as? String ?? "" } == ["problem", "request"])
        let text = try await scratch.run(["group", "--by", "text", "asked.jsonl"], environment: Self.words)
        #expect(text.stdout.contains("group 2: 2 requests"), "\(text.stdout)")
    }
}
