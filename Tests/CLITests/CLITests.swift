import Foundation
import Testing

/// End-to-end tests: each runs the real `ticketflow` binary as a child process
/// in its own temporary folder and checks exit codes and user-facing text.
@Suite struct CLITests {
    // MARK: - Fixtures

    static let urgentWorkflow = """
        workflow: tag-urgent
        on: ticket.created
        if: ticket.priority == "urgent"
        steps:
          - tag: urgent
          - escalate:
              to: tier2
              reason: "From {{ ticket.requester.email }}: {{ ticket.subject }}"

        """

    static let tagOnlyWorkflow = """
        workflow: tag-urgent
        on: ticket.created
        if: ticket.priority == "urgent"
        steps:
          - tag: urgent

        """

    /// Two problems found by different phases (the condition's type check and
    /// the step's action lookup) and a third in the structure of a step.
    static let badWorkflow = """
        workflow: route-vip
        on: ticket.created
        if: ticket.requester.plann == "enterprise"
        steps:
          - escalte:
              to: vip
          - tag:
              tagz: vip

        """

    static func event(_ id: String, _ type: String = "ticket.created", minute: Int = 0, ticket: String) -> String {
        #"{"id":"\#(id)","type":"\#(type)","occurred_at":"2026-11-22T10:\#(minute < 10 ? "0" : "")\#(minute):00Z","ticket":\#(ticket)}"#
    }

    // MARK: - validate

    @Test func validate_whenFolderHasGoodAndBadWorkflows_listsSortedErrorsWithSuggestionsAndExits1() async throws {
        let scratch = try Scratch()
        // Names chosen so that directory order and sorted order may differ.
        try scratch.write("wf/z-bad.yaml", Self.badWorkflow)
        try scratch.write("wf/a-good.yaml", Self.tagOnlyWorkflow)
        try scratch.write("wf/m-bad.yaml", """
            workflow: Bad Name
            on: ticket.creatd
            steps:
              - tag: x

            """)

        let result = try await scratch.run("validate", "wf")

        #expect(result.status == 1)
        #expect(result.stdoutLines == [
            "wf/m-bad.yaml:1:11: error[E0206]: workflow name `Bad Name` must start with a lowercase letter or digit and use only a-z, 0-9, - and _",
            "wf/m-bad.yaml:2:5: error[E0204]: unknown event type `ticket.creatd`; did you mean `ticket.created`?",
            "wf/z-bad.yaml:3:22: error[E0302]: `ticket.requester` has no field `plann`; did you mean `plan`?",
            "wf/z-bad.yaml:5:5: error[E0205]: unknown action `escalte`; did you mean `escalate`?",
            "wf/z-bad.yaml:8:7: error[E0210]: `tag` has no parameter `tagz`; did you mean `tags`?",
            "wf/z-bad.yaml:8:7: error[E0211]: `tag` needs parameter `tags`",
            "6 errors in 3 files",
        ])
    }

    @Test func validate_whenEveryWorkflowIsValid_printsCountAndExits0() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/urgent.yaml", Self.urgentWorkflow)
        try scratch.write("wf/nested/other.yaml", """
            workflow: tag-billing
            on: [ticket.created, ticket.updated]
            if: ticket.product_area == "billing"
            steps:
              - tag: billing

            """)

        let result = try await scratch.run("validate", "wf")

        #expect(result.status == 0)
        #expect(result.stdout == "2 workflows valid in 2 files\n")
        #expect(result.stderr == "")
    }

    @Test func validate_quiet_printsOnlyTheProblems() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/a-good.yaml", Self.tagOnlyWorkflow)

        let result = try await scratch.run("validate", "--quiet", "wf")

        #expect(result.status == 0)
        #expect(result.stdout == "")
    }

    @Test func dryRun_withoutTheSentenceModel_saysItRanksOnWordsOnly_unlessTurnedOff() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/suggest.yaml", "workflow: suggest\non: ticket.created\nsteps:\n  - suggest_guide: { min_score: 0.01 }\n")
        try scratch.write("guides/invoices.md", "---\ntitle: Download invoices\n---\nOpen Billing.\n")
        try scratch.write("events.jsonl", #"{"id":"e1","type":"ticket.created","occurred_at":"2026-11-16T09:00:00Z","ticket":{"id":"T-1","subject":"where can I download my invoices"}}"# + "\n")

        let missing = try await scratch.run(["dry-run", "--workflows", "wf", "events.jsonl"], environment: ["TICKETFLOW_MODEL": "no-model-here"])
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stderrLines.contains { $0.hasPrefix("note: guides ranked and tickets grouped on words only: no-model-here") }, "\(missing.stderr)")

        // Recommendations by key read no meaning: nothing to say.
        try scratch.write("keys/recur.yaml", """
            workflow: recur
            on: ticket.created
            steps:
              - file_product_recommendation: { title: t, when_recurs: { key: k, at_least: 2, within: 1d } }
            """)
        let byKey = try await scratch.run(["dry-run", "--workflows", "keys", "events.jsonl"], environment: ["TICKETFLOW_MODEL": "no-model-here"])
        #expect(byKey.status == 0, "\(byKey.stderr)")
        #expect(!byKey.stderr.contains("note:"), "\(byKey.stderr)")

        let off = try await scratch.run(["dry-run", "--workflows", "wf", "events.jsonl"], environment: ["TICKETFLOW_MODEL": "off"])
        #expect(off.status == 0)
        #expect(!off.stderr.contains("note:"), "\(off.stderr)")
        // The text output names the guide suggested, not just the step's parameters.
        #expect(off.stdout.contains("suggest_guide from=\"guides\" min_score=0.01 limit=1  → suggested invoices ("), "\(off.stdout)")
    }

    /// What `run` would refuse, or fail on for every ticket, `validate` finds
    /// first, all at once, each at its place.
    @Test func validate_findsWhatRunWouldRefuse_inParametersAndInTheGuidesTheyName() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/steps.yaml", """
            workflow: steps
            on: ticket.created
            steps:
              - suggest_guide: { limit: 0, from: ../guides, min_score: 1.5 }
              - file_product_recommendation:
                  title: recurring
                  when_recurs: { at_least: 3, within: 7d }
              - file_product_recommendation:
                  title: recurring by text
                  when_recurs: { by: text, at_least: 3, within: 7d }
              - file_product_recommendation:
                  title: a key that by text ignores
                  when_recurs: { key: billing, by: text, at_least: 3, within: 7d }
            """)
        try scratch.write("badguides/good.md", "---\ntitle: Download invoices\n---\nbody\n")
        try scratch.write("badguides/bad.md", "---\ntitel: Reset\n---\nbody\n")

        let result = try await scratch.run("validate", "--quiet", "wf")

        #expect(result.status == 1)
        #expect(result.stdoutLines == [
            "wf/steps.yaml:4:29: error[E0212]: `suggest_guide.limit` must be a whole number of at least 1, got \"0\"",
            "wf/steps.yaml:4:38: error[E0212]: `suggest_guide.from` must be a folder inside the project (a relative path without `..`), got \"../guides\"",
            "wf/steps.yaml:4:60: error[E0212]: `suggest_guide.min_score` must be between 0 and 1, got 1.5",
            "wf/steps.yaml:7:20: error[E0211]: `file_product_recommendation.when_recurs` needs field `key` (or `by: text`)",
            "wf/steps.yaml:13:27: error[E0212]: `file_product_recommendation.when_recurs.key` is not used with `by: text`; remove one of them",
        ], "\(result.stdout)")

        // Once the file itself is valid, the guide folders it names are read:
        // one that is not there is named at its step, and guide files with errors are reported.
        try scratch.write("wf/steps.yaml", """
            workflow: steps
            on: ticket.created
            steps:
              - suggest_guide: { from: nosuch }
              - suggest_guide: { from: badguides }
            """)
        let guides = try await scratch.run("validate", "--quiet", "wf")
        #expect(guides.status == 1)
        #expect(guides.stdoutLines == [
            "wf/steps.yaml:4:28: error[E0212]: `suggest_guide.from` names \"nosuch\", which is not a folder here",
            "badguides/bad.md:2:1: error[E0704]: unknown front matter field `titel`; did you mean `title`?",
            "badguides/bad.md:2:1: error[E0702]: front matter has no `title`",
        ], "\(guides.stdout)")

        // A product area no guide has would quietly suggest nothing: a warning, with the likely one.
        try scratch.write("areas/invoices.md", "---\ntitle: Download invoices\nproduct_area: billing\n---\nbody\n")
        try scratch.write("wf/steps.yaml", """
            workflow: steps
            on: ticket.created
            steps:
              - suggest_guide: { from: areas, product_area: biling }
            """)
        let area = try await scratch.run("validate", "--quiet", "wf")
        #expect(area.status == 0)
        #expect(area.stdoutLines == [
            "wf/steps.yaml:4:49: warning[E0212]: no guide in areas has product_area \"biling\", so this step suggests nothing; did you mean `billing`?",
        ], "\(area.stdout)")
    }

    @Test func validate_whenYAMLExpandsAliasesExponentially_rejectsTheFileWithAnAliasLimitError() async throws {
        let scratch = try Scratch()
        // "Billion laughs": nine levels of nine aliases each, 9^9 strings if expanded.
        var lines = [#"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for level in 1...8 {
            let alias = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [" + Array(repeating: alias, count: 9).joined(separator: ",") + "]")
        }
        try scratch.write("lol.yaml", lines.joined(separator: "\n") + "\n")

        let result = try await scratch.run("validate", "lol.yaml")

        #expect(result.status == 1)
        let codes = ["E0105", "E0106", "E0111"]
        let first = try #require(result.stdoutLines.first)
        #expect(first.hasPrefix("lol.yaml:"))
        #expect(codes.contains { first.contains("error[\($0)]") }, "got: \(result.stdout)")
        #expect(result.stdoutLines.last == "1 error in 1 file")
    }

    // MARK: - dry-run

    @Test func dryRun_text_printsEachFiredWorkflowWithRenderedStepsAndASummary() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.urgentWorkflow)
        try scratch.write("events.jsonl", [
            Self.event("e1", ticket: #"{"id":"T-1","subject":"Export fails","priority":"urgent","requester":{"email":"ana@example.com"}}"#),
            Self.event("e2", minute: 1, ticket: #"{"id":"T-2","priority":"low"}"#),
            Self.event("e3", minute: 2, ticket: #"{"id":"T-3","subject":"Down","priority":"urgent","requester":{"email":"bo@example.com"}}"#),
        ].joined(separator: "\n") + "\n")

        let result = try await scratch.run("dry-run", "--workflows", "wf", "events.jsonl")

        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            e1  ticket.created  T-1  2026-11-22T10:00:00Z
              ✓ tag-urgent
                  tag tags=["urgent"]
                  escalate to="tier2" reason="From ana@example.com: Export fails"
            e3  ticket.created  T-3  2026-11-22T10:02:00Z
              ✓ tag-urgent
                  tag tags=["urgent"]
                  escalate to="tier2" reason="From bo@example.com: Down"
            dry-run: 3 events, 2 workflow runs, 4 effects, 4 follow-up events

            """)
    }

    @Test func dryRun_all_explainsWhyAWorkflowDidNotFire() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.tagOnlyWorkflow)
        try scratch.write("events.jsonl", Self.event("e2", ticket: #"{"id":"T-2","priority":"low"}"#) + "\n")

        let result = try await scratch.run("dry-run", "--all", "--workflows", "wf", "events.jsonl")

        #expect(result.status == 0)
        #expect(result.stdoutLines == [
            "e2  ticket.created  T-2  2026-11-22T10:00:00Z",
            #"  · tag-urgent: not matched: `ticket.priority == "urgent"` was false: ticket.priority is "low""#,
            "dry-run: 1 event, 0 workflow runs, 0 effects, 0 follow-up events",
        ])
    }

    @Test func dryRun_json_printsOneParsableObjectPerEventWithEffectsFollowUpsAndSummary() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.urgentWorkflow)
        try scratch.write("events.jsonl", [
            Self.event("e1", ticket: #"{"id":"T-1","subject":"Export fails","priority":"urgent","requester":{"email":"ana@example.com"}}"#),
            Self.event("e2", minute: 1, ticket: #"{"id":"T-2","priority":"low"}"#),
        ].joined(separator: "\n") + "\n")

        let result = try await scratch.run("dry-run", "--format", "json", "--workflows", "wf", "events.jsonl")

        #expect(result.status == 0)
        #expect(result.stderr == "")
        let objects = try jsonObjects(result.stdout)
        try #require(objects.count == 2)

        let event = objects[0]
        #expect(event["event"] as? String == "e1")
        #expect(event["type"] as? String == "ticket.created")
        #expect(event["ticket"] as? String == "T-1")
        #expect(event["occurred_at"] as? String == "2026-11-22T10:00:00Z")
        #expect(event["depth"] as? Int == 0)
        let workflows = try #require(event["workflows"] as? [[String: Any]])
        try #require(workflows.count == 1)
        #expect(workflows[0]["workflow"] as? String == "tag-urgent")
        #expect(workflows[0]["result"] as? String == "fired")
        let effects = try #require(workflows[0]["effects"] as? [[String: Any]])
        try #require(effects.count == 2)
        #expect(effects[0]["step"] as? String == "1")
        #expect(effects[0]["action"] as? String == "tag")
        #expect((effects[0]["params"] as? [String: Any])?["tags"] as? [String] == ["urgent"])
        #expect(effects[0]["outcome"] as? String == "applied")
        #expect(effects[0]["follow_up"] as? String == "e1/tag-urgent/1")
        #expect(effects[1]["action"] as? String == "escalate")
        let params = try #require(effects[1]["params"] as? [String: Any])
        #expect(params["to"] as? String == "tier2")
        #expect(params["reason"] as? String == "From ana@example.com: Export fails")
        #expect(effects[1]["follow_up"] as? String == "e1/tag-urgent/2")

        let cascade = try #require(event["cascade"] as? [[String: Any]])
        #expect(cascade.map { $0["event"] as? String } == ["e1/tag-urgent/1", "e1/tag-urgent/2"])
        #expect(cascade.map { $0["type"] as? String } == ["ticket.tagged", "ticket.escalated"])
        #expect(cascade.map { $0["depth"] as? Int } == [1, 1])

        let summary = try #require(objects[1]["summary"] as? [String: Int])
        #expect(summary == [
            "events": 2, "workflow_runs": 1, "effects": 2, "follow_up_events": 2, "timers_fired": 0, "failed_runs": 0,
            "duplicates": 0, "rejected": 0,
        ])
    }

    @Test func dryRun_whenSomeLinesAreBad_reportsEachWithLineAndFieldPathAndStillRunsTheGoodOnes() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.tagOnlyWorkflow)
        let first = Self.event("e1", ticket: #"{"id":"T-1","priority":"urgent"}"#)
        try scratch.write("events.jsonl", [
            first,
            #"{"id": "e2", oops}"#,
            Self.event("e3", "ticket.updated", minute: 2, ticket: #"{"id":"T-1","priority":"urgnt"}"#),
            Self.event("e4", minute: 3, ticket: #"{"subject":"no id"}"#),
            Self.event("e1", ticket: #"{"id":"T-1","priority":"low"}"#),
            first,
            "",
            first,
            Self.event("e5", minute: 5, ticket: #"{"id":"T-5","priority":"urgent"}"#),
        ].joined(separator: "\n") + "\n")

        let result = try await scratch.run("dry-run", "--workflows", "wf", "events.jsonl")

        #expect(result.status == 1)
        #expect(result.stderrLines == [
            "events.jsonl:2:14: error[E0501]: invalid JSON: expected a string key",
            #"events.jsonl:3:1: error[E0502]: ticket.priority: "urgnt" is not one of "low", "normal", "high", "urgent"; did you mean `urgent`?"#,
            "events.jsonl:4:1: error[E0502]: ticket.id: is required",
            #"events.jsonl:5:1: error[E0503]: event id "e1" was already used at line 1 with a different body"#,
        ])
        // The two exact redeliveries of line 1 are skipped without a word.
        #expect(result.stdout == """
            e1  ticket.created  T-1  2026-11-22T10:00:00Z
              ✓ tag-urgent
                  tag tags=["urgent"]
            e5  ticket.created  T-5  2026-11-22T10:05:00Z
              ✓ tag-urgent
                  tag tags=["urgent"]
            dry-run: 2 events, 2 workflow runs, 2 effects, 2 follow-up events, 2 duplicates skipped, 4 rejected

            """)
    }

    @Test func dryRun_json_whenALineIsBad_reportsItAsAnErrorObjectAndCountsItInTheSummary() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.tagOnlyWorkflow)
        let first = Self.event("e1", ticket: #"{"id":"T-1","priority":"urgent"}"#)
        try scratch.write("events.jsonl", [
            first,
            Self.event("e3", "ticket.updated", minute: 2, ticket: #"{"id":"T-1","priority":"urgnt"}"#),
            first,
        ].joined(separator: "\n") + "\n")

        let result = try await scratch.run("dry-run", "--format", "json", "--workflows", "wf", "events.jsonl")

        #expect(result.status == 1)
        let objects = try jsonObjects(result.stdout)
        try #require(objects.count == 3)
        #expect(objects[0]["event"] as? String == "e1")
        let error = try #require(objects[1]["error"] as? [String: Any])
        #expect(error["code"] as? String == "E0502")
        #expect(error["message"] as? String == #"ticket.priority: "urgnt" is not one of "low", "normal", "high", "urgent""#)
        #expect(error["hint"] as? String == "did you mean `urgent`?")
        #expect(error["file"] as? String == "events.jsonl")
        #expect(error["line"] as? Int == 2)
        let summary = try #require(objects[2]["summary"] as? [String: Int])
        #expect(summary["events"] == 1)
        #expect(summary["duplicates"] == 1)
        #expect(summary["rejected"] == 1)
    }

    @Test func dryRun_whenEventsPathIsDash_readsStandardInputAndNamesItInErrors() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.tagOnlyWorkflow)
        let input = [
            Self.event("e1", ticket: #"{"id":"T-1","priority":"urgent"}"#),
            Self.event("e2", minute: 1, ticket: #"{"id":"T-2","tags":["billing",7]}"#),
        ].joined(separator: "\n") + "\n"

        let result = try await scratch.run("dry-run", "--workflows", "wf", "-", input: input)

        #expect(result.status == 1)
        #expect(result.stdoutLines == [
            "e1  ticket.created  T-1  2026-11-22T10:00:00Z",
            "  ✓ tag-urgent",
            #"      tag tags=["urgent"]"#,
            "dry-run: 1 event, 1 workflow run, 1 effect, 1 follow-up event, 1 rejected",
        ])
        #expect(result.stderr == "<stdin>:2:1: error[E0502]: ticket.tags[1]: expected string, got integer\n")
    }

    @Test func dryRun_whenTicketTextLooksLikeATemplateOrHTML_rendersItLiterally() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.urgentWorkflow)
        let subject = #"Help {{ticket.requester.email}} <b>&'""#
        let subjectJSON = #"Help {{ticket.requester.email}} <b>&'\""#
        let events = Self.event(
            "e1", ticket: #"{"id":"T-1","subject":"\#(subjectJSON)","priority":"urgent","requester":{"email":"ana@example.com"}}"#)
        try scratch.write("events.jsonl", events + "\n")

        let text = try await scratch.run("dry-run", "--workflows", "wf", "events.jsonl")
        let json = try await scratch.run("dry-run", "--format", "json", "--workflows", "wf", "events.jsonl")

        #expect(text.status == 0)
        #expect(text.stdoutLines.contains(
            #"      escalate to="tier2" reason="From ana@example.com: Help {{ticket.requester.email}} <b>&'\"""#))
        #expect(json.status == 0)
        let objects = try jsonObjects(json.stdout)
        let workflows = try #require(objects.first?["workflows"] as? [[String: Any]])
        let effects = try #require(workflows.first?["effects"] as? [[String: Any]])
        let reason = (effects.last?["params"] as? [String: Any])?["reason"] as? String
        #expect(reason == "From ana@example.com: " + subject)
    }

    @Test func dryRun_whenEventsFileIsMissing_reportsItAndExits1() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.tagOnlyWorkflow)

        let result = try await scratch.run("dry-run", "--workflows", "wf", "missing.jsonl")

        #expect(result.status == 1)
        #expect(result.stderr == "error[E0001]: cannot open missing.jsonl: No such file or directory\n")
        #expect(result.stdout == "")
    }

    // MARK: - test

    static let passingTests = """
        tests:
          - name: an urgent ticket is tagged and escalated
            ticket: { id: T-1, subject: Export fails, priority: urgent, requester: { email: ana@example.com } }
            events:
              - type: ticket.created
            expect:
              - tag: urgent
              - escalate: { to: tier2, reason: "From ana@example.com: Export fails" }
          - name: a low ticket is left alone
            ticket: { id: T-2, priority: low }
            events:
              - type: ticket.created
            expect: []

        """

    @Test func test_whenEveryCasePasses_printsPassLinesAndExits0() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.urgentWorkflow)
        try scratch.write("wf/tag-urgent.test.yaml", Self.passingTests)

        let result = try await scratch.run("test", "--workflows", "wf")

        #expect(result.status == 0)
        #expect(result.stdout == """
            PASS wf/tag-urgent.test.yaml:2:5: an urgent ticket is tagged and escalated
            PASS wf/tag-urgent.test.yaml:9:5: a low ticket is left alone
            2 passed, 0 failed

            """)
    }

    @Test func test_whenACaseFails_printsExpectedAndActualEffectsAsADiffAndExits1() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/tag-urgent.yaml", Self.urgentWorkflow)
        try scratch.write("wf/tag-urgent.test.yaml", """
            tests:
              - name: expects the wrong queue
                ticket: { id: T-1, subject: Export fails, priority: urgent, requester: { email: ana@example.com } }
                events:
                  - type: ticket.created
                expect:
                  - tag: urgent
                  - escalate: { to: tier3 }

            """)

        let result = try await scratch.run("test", "--workflows", "wf")

        #expect(result.status == 1)
        #expect(result.stdout == """
            FAIL wf/tag-urgent.test.yaml:2:5: expects the wrong queue
              expected 2 effects, got 2:
                  tag-urgent: tag tags=["urgent"]
                - escalate to="tier3"
                + tag-urgent: escalate to="tier2" reason="From ana@example.com: Export fails"
            0 passed, 1 failed

            """)
    }

    static let recurringWorkflow = """
        workflow: recurring
        on: ticket.created
        steps:
          - file_product_recommendation:
              title: "Recurring in {{ticket.product_area}}"
              when_recurs: { key: "{{ticket.product_area}}", at_least: 2, within: 1d }

        """

    static func recurringCase(result: String) -> String {
        """
        tests:
          - name: the second report files a recommendation
            events:
              - { type: ticket.created, ticket: { id: T-1, product_area: reports } }
              - { type: ticket.created, ticket: { id: T-2, product_area: reports } }
            expect:
              - file_product_recommendation: {}
                result: \(result)

        """
    }

    @Test func test_whenAResultIsListed_comparesItWithWhatTheStepReported() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/recurring.yaml", Self.recurringWorkflow)
        try scratch.write("wf/recurring.test.yaml", Self.recurringCase(result: "{ count: 2, tickets: [T-1, T-2], key: reports }"))

        let passing = try await scratch.run("test", "--workflows", "wf")
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")

        try scratch.write("wf/recurring.test.yaml", Self.recurringCase(result: "{ count: 2, tickets: [T-2, T-1] }"))
        let failing = try await scratch.run("test", "--workflows", "wf")

        #expect(failing.status == 1)
        #expect(failing.stdout == """
            FAIL wf/recurring.test.yaml:2:5: the second report files a recommendation
              expected 1 effect, got 1:
                - file_product_recommendation result={"count":2,"tickets":["T-2","T-1"]}
                + recurring: file_product_recommendation title="Recurring in reports" \
            when_recurs={"key":"reports","at_least":2,"within":"1d"} cooldown="1h" \
            result={"count":2,"tickets":["T-1","T-2"]}
            0 passed, 1 failed

            """)
    }

    @Test func test_whenAResultIsNotAMapping_reportsWhereAndExits1() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/recurring.yaml", Self.recurringWorkflow)
        try scratch.write("wf/recurring.test.yaml", Self.recurringCase(result: "4"))

        let result = try await scratch.run("test", "--workflows", "wf")

        #expect(result.status == 1)
        #expect((result.stdout + result.stderr).contains(
            "wf/recurring.test.yaml:8:17: error[E0601]: `result` must be a mapping of what the step reported"),
            "\(result.stdout)\(result.stderr)")
    }

    @Test func test_whenAnExpectationHasAMisspeltKey_namesItWithADidYouMean() async throws {
        let scratch = try Scratch()
        try scratch.write("wf/recurring.yaml", Self.recurringWorkflow)
        try scratch.write("wf/recurring.test.yaml", Self.recurringCase(result: "{ count: 2 }")
            .replacingOccurrences(of: "result:", with: "reslt:"))

        let result = try await scratch.run("test", "--workflows", "wf")

        #expect(result.status == 1)
        #expect((result.stdout + result.stderr).contains(
            "wf/recurring.test.yaml:8:9: error[E0601]: `reslt` is neither an action nor `workflow` or `result`; did you mean `result`?"),
            "\(result.stdout)\(result.stderr)")
    }

    // MARK: - schema

    @Test func schema_printsAJSONSchemaRequiringTheMainKeysAndListingEveryBuiltinAction() async throws {
        let scratch = try Scratch()

        let result = try await scratch.run("schema")

        #expect(result.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let schema = try #require(parsed as? [String: Any])
        #expect(schema["required"] as? [String] == ["workflow", "on", "steps"])
        #expect(schema["additionalProperties"] as? Bool == false)
        let steps = try #require((schema["properties"] as? [String: Any])?["steps"] as? [String: Any])
        let alternatives = try #require((steps["items"] as? [String: Any])?["oneOf"] as? [[String: Any]])
        let actions = Set(alternatives.flatMap { Array(($0["properties"] as? [String: Any] ?? [:]).keys) })
        for action in ["tag", "untag", "set_priority", "assign", "escalate", "add_note"] {
            #expect(actions.contains(action), "schema does not describe `\(action)`")
        }
    }

    // MARK: - usage

    @Test(arguments: [["validate", "--bogus"], ["dry-run", "--bogus", "events.jsonl"], ["frobnicate"]])
    func anyCommand_whenUsageIsWrong_exits64(arguments: [String]) async throws {
        let scratch = try Scratch()

        let result = try await scratch.run(arguments)

        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderrLines.first?.hasPrefix("Error: ") == true, "got: \(result.stderr)")
    }

    @Test func validate_whenOptionIsUnknown_namesItInTheUsageError() async throws {
        let scratch = try Scratch()

        let result = try await scratch.run("validate", "--bogus")

        #expect(result.status == 64)
        #expect(result.stderrLines.prefix(2) == [
            "Error: Unknown option '--bogus'",
            "Usage: ticketflow validate [<paths> ...] [--plugins <plugins>] [--quiet]",
        ])
    }
}
