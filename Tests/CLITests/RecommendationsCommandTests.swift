import Foundation
import Testing

/// `ticketflow recommendations`: what `run` filed, read back from the log.
@Suite struct RecommendationsCommandTests {
    static let words = ["TICKETFLOW_MODEL": "off"]

    static let workflow = """
        workflow: recurring
        on: ticket.created
        steps:
          - file_product_recommendation:
              title: "Recurring: {{ ticket.subject }}"
              when_recurs: { by: text, at_least: 2, within: 7d }
              cooldown: 0m
        """

    static func event(_ number: Int, _ subject: String, date: String = "2026-11-16", area: String = "reports") -> String {
        #"{"id":"e\#(number)","type":"ticket.created","occurred_at":"\#(date)T09:0\#(number):00Z","ticket":{"id":"T-\#(number)","subject":"\#(subject)","product_area":"\#(area)"}}"#
    }

    @Test func listsWhatRunFiled_withItsTicketsAndWhetherItIsAProblemOrARequest() async throws {
        let scratch = try Scratch()
        try scratch.write("workflows/recurring.yaml", Self.workflow)
        try scratch.write("events.jsonl", [
            Self.event(1, "the csv export fails with a timeout error"),
            Self.event(2, "csv export fails with a timeout again"),
            Self.event(3, "can the csv export use semicolons?"),
            Self.event(4, "could the csv export use semicolons please?"),
            Self.event(5, "csv export keeps failing with a timeout"),
        ].joined(separator: "\n") + "\n")

        let run = try await scratch.run(["run", "--quiet", "events.jsonl"], environment: Self.words)
        #expect(run.status == 0, "\(run.stderr)")

        let json = try await scratch.run(["recommendations", "--format", "json"], environment: Self.words)
        #expect(json.status == 0, "\(json.stderr)")
        let filed = try json.stdoutLines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let byIntent = Dictionary(uniqueKeysWithValues: filed.map { ($0["intent"] as? String ?? "", $0) })
        #expect(Set(byIntent.keys) == ["problem", "request"], "\(json.stdout)")
        #expect(byIntent["problem"]?["tickets"] as? [String] == ["T-1", "T-2", "T-5"], "\(json.stdout)")
        #expect(byIntent["problem"]?["updates"] as? Int == 1)
        #expect(byIntent["problem"]?["key"] as? String == "text:recurring/1/T-1")
        #expect(byIntent["request"]?["tickets"] as? [String] == ["T-3", "T-4"], "\(json.stdout)")

        let text = try await scratch.run(["recommendations"], environment: Self.words)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("about: a recurring request (a question or wish)"), "\(text.stdout)")
        #expect(text.stdout.contains("3 tickets: T-1, T-2, T-5"), "\(text.stdout)")
    }

    @Test func aKeyThatRecursAfterItsWindow_filesAgain_andTheFirstIsStillListedAsClosed() async throws {
        let scratch = try Scratch()
        try scratch.write("workflows/recurring.yaml", """
            workflow: area-recurs
            on: ticket.created
            steps:
              - file_product_recommendation:
                  title: "Problems in {{ ticket.product_area }}"
                  when_recurs: { key: "{{ ticket.product_area }}", at_least: 2, within: 7d }
            """)
        // Reports recur in two weeks far ahead (the second still open whenever
        // this runs); billing recurred long ago, and its window is over.
        try scratch.write("week1.jsonl", [
            Self.event(5, "card declined", date: "2020-01-06", area: "billing"), Self.event(6, "charged twice", date: "2020-01-06", area: "billing"),
            Self.event(1, "export fails", date: "2099-03-02"), Self.event(2, "export broken", date: "2099-03-02"),
        ].joined(separator: "\n") + "\n")
        try scratch.write("week2.jsonl", [
            Self.event(3, "chart empty", date: "2099-03-10"), Self.event(4, "chart blank", date: "2099-03-10"),
        ].joined(separator: "\n") + "\n")
        for file in ["week1.jsonl", "week2.jsonl"] {
            let run = try await scratch.run(["run", "--quiet", file], environment: Self.words)
            #expect(run.status == 0, "\(run.stderr)")
        }

        let json = try await scratch.run(["recommendations", "--format", "json"], environment: Self.words)
        let filed = try json.stdoutLines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(filed.map { $0["tickets"] as? [String] ?? [] } == [["T-3", "T-4"], ["T-1", "T-2"], ["T-5", "T-6"]], "\(json.stdout)")
        #expect(filed.map { $0["open"] as? Bool } == [true, false, false])
        #expect(filed.map { $0["key"] as? String } == ["reports", "reports", "billing"])

        let text = try await scratch.run(["recommendations"], environment: Self.words)
        #expect(text.stdout.contains("closed, its window ended 2099-03-09T09:02:00Z"), "\(text.stdout)")
        #expect(text.stdout.contains("closed, its window ended 2020-01-13T09:06:00Z"), "\(text.stdout)")
        #expect(text.stdout.contains("window until 2099-03-17T09:04:00Z"), "\(text.stdout)")
    }
}
