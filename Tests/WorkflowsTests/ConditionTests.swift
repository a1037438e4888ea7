import Core
import Testing
@testable import Workflows

@Suite struct ConditionTests {
    /// Offset k of the expression sits at column 5 + k of line 3, as if written after `if: `.
    static func locate(_ offset: Int) -> Core.SourceLocation {
        Core.SourceLocation(file: "w.yaml", line: 3, column: 5 + offset)
    }

    static func compile(_ source: String) -> Result<Condition, DiagnosticsError> {
        Condition.compile(source, locate: locate)
    }

    static func condition(_ source: String) throws -> Condition {
        try compile(source).get()
    }

    static let now = Timestamp.parse("2024-05-01T12:00:00Z")!

    static let ticket: Value = [
        "id": "T-1",
        "subject": "Refund for export failure",
        "status": "open",
        "priority": "urgent",
        "channel": "email",
        "tags": ["billing", "vip"],
        "product_area": "reports",
        "requester": ["email": "a@example.com", "plan": "enterprise"],
        "assignee": nil,
        "created_at": "2024-05-01T06:30:00Z",
        "custom": ["region": "eu", "seats": 40],
    ]

    static let previous: Value = [
        "id": "T-1", "status": "open", "priority": "normal", "tags": ["billing"], "subject": "Refund for export failure",
    ]

    static func context(ticket: Value = ticket, previous: Value? = previous) -> EvaluationContext {
        EvaluationContext(
            event: ["id": "E-1", "type": "ticket.updated", "comment": ["public": false, "body": "hi"], "ticket": ticket],
            previousTicket: previous, now: now)
    }

    static func evaluate(_ source: String, _ context: EvaluationContext = context()) throws -> Bool {
        try condition(source).evaluate(context)
    }

    // MARK: Evaluation

    @Test(arguments: [
        ("ticket.priority == \"urgent\" and \"billing\" in ticket.tags", true),
        ("ticket.product_area == \"reports\" and ticket.subject contains \"export\"", true),
        ("ticket.status in [\"open\", \"pending\"]", true),
        ("ticket.status not in [\"open\", \"pending\"]", false),
        ("not (ticket.channel == \"phone\") or len(ticket.tags) >= 3", true),
        ("lower(ticket.subject) matches \"^(refund|chargeback)\\\\b\"", true),
        ("ticket.subject matches \"^(refund|chargeback)\\\\b\"", false),
        ("ticket.subject matches \"(?i)^(refund|chargeback)\\\\b\"", true),
        ("changed(ticket.priority) and previous.ticket.priority == \"normal\" and ticket.priority == \"urgent\"", true),
        ("changed(ticket.status)", false),
        ("changed(ticket.tags)", true),
        ("ticket.priority >= \"high\"", true),
        ("ticket.priority < \"normal\"", false),
        ("hours_since(ticket.created_at) > 4", true),
        ("hours_since(ticket.created_at) > 6", false),
        ("minutes_since(ticket.created_at) == 330", true),
        ("days_since(ticket.created_at) < 1", true),
        ("ticket.requester.plan in [\"enterprise\", \"vip\"]", true),
        ("ticket.custom.region == \"eu\"", true),
        ("event.comment.public == false", true),
        ("ticket.assignee == null", true),
        ("ticket.assignee != null", false),
        ("ticket.tags[0] == \"billing\"", true),
        ("ticket.tags[5] == null", true),
        ("ticket.tags contains \"vip\"", true),
        ("\"export\" in ticket.subject", true),
        ("ticket.custom.seats > 39.5", true),
        ("ticket.custom.seats == 40.0", true),
        ("upper(ticket.channel) == \"EMAIL\" && !(ticket.status == \"closed\")", true),
        ("trim(\"  x \") == \"x\"", true),
        ("starts_with(ticket.subject, \"Refund\") || false", true),
        ("ends_with(ticket.subject, \"Refund\")", false),
        ("exists(ticket.custom.region) and not exists(ticket.custom.missing)", true),
        ("ticket.created_at < \"2024-05-01T07:00:00+00:00\"", true),
        ("ticket.created_at == \"2024-05-01T06:30:00.000Z\"", true),
        ("ticket.subject == 'Refund for export failure'", true),
        ("true", true),
    ])
    func evaluate_examples(source: String, expected: Bool) throws {
        #expect(try Self.evaluate(source) == expected, "\(source)")
    }

    @Test(arguments: [
        ("ticket.product_area == \"x\"", false),
        ("ticket.custom.nothing == \"x\"", false),
        ("ticket.custom.nothing != \"x\"", true),
        ("ticket.custom.nothing == null", true),
        ("ticket.custom.nothing > 3", false),
        ("ticket.custom.nothing <= 3", false),
        ("ticket.assignee in [\"a\", \"b\"]", false),
        ("ticket.assignee not in [\"a\", \"b\"]", true),
        ("\"x\" in ticket.custom.nothing", false),
        ("ticket.custom.nothing contains \"x\"", false),
        ("ticket.custom.nothing matches \".*\"", false),
        ("len(ticket.custom.nothing) >= 0", false),
        ("hours_since(ticket.custom.nothing) > 0", false),
        ("ticket.custom.org.name == \"x\"", false),
        ("previous.ticket.priority == \"normal\"", false),
        ("changed(ticket.priority)", false),
    ])
    func evaluate_withMissingOrNullValues_neverFails(source: String, expected: Bool) throws {
        let sparse: Value = ["id": "T-2", "assignee": nil, "custom": [:], "requester": ["organization": nil]]
        #expect(try Self.evaluate(source, Self.context(ticket: sparse, previous: nil)) == expected, "\(source)")
    }

    @Test func evaluate_enumComparisons_useDeclaredOrder() throws {
        for (priority, atLeastHigh) in [("low", false), ("normal", false), ("high", true), ("urgent", true)] {
            let ticket: Value = ["id": "T", "priority": .string(priority)]
            #expect(try Self.evaluate("ticket.priority >= \"high\"", Self.context(ticket: ticket)) == atLeastHigh)
        }
        // Lexicographic order would say "urgent" > "normal" too, but also "low" < "high" is false there.
        let low: Value = ["id": "T", "priority": "low"]
        #expect(try Self.evaluate("ticket.priority < \"high\"", Self.context(ticket: low)))
        // A value outside the enumeration (bad data) orders nothing.
        let odd: Value = ["id": "T", "priority": "weird"]
        #expect(try !Self.evaluate("ticket.priority < \"high\"", Self.context(ticket: odd)))
        #expect(try !Self.evaluate("ticket.priority >= \"high\"", Self.context(ticket: odd)))
    }

    @Test func evaluate_hoursSince_usesInjectedNow() throws {
        let condition = try Self.condition("hours_since(ticket.created_at) >= 4")
        var context = Self.context()
        context.now = Timestamp.parse("2024-05-01T10:29:59Z")!
        #expect(!condition.evaluate(context))
        context.now = Timestamp.parse("2024-05-01T10:30:00Z")!
        #expect(condition.evaluate(context))
    }

    @Test func evaluate_changed_isFalseWithoutPreviousTicket() throws {
        let condition = try Self.condition("changed(ticket.priority)")
        #expect(condition.evaluate(Self.context()))
        #expect(!condition.evaluate(Self.context(previous: nil)))
        #expect(!condition.evaluate(Self.context(previous: Self.ticket)))
    }

    @Test func evaluate_notEqual_isNegationOfEqual() throws {
        for source in ["ticket.assignee", "ticket.priority", "ticket.custom.none", "ticket.custom.seats"] {
            for literal in ["null", "\"urgent\"", "40"] {
                guard case .success(let equal) = Self.compile("\(source) == \(literal)"),
                      case .success(let notEqual) = Self.compile("\(source) != \(literal)")
                else { continue }
                #expect(equal.evaluate(Self.context()) != notEqual.evaluate(Self.context()), "\(source) \(literal)")
            }
        }
    }

    // MARK: Diagnostics

    @Test(arguments: [
        ("ticket.subjct == \"x\"",
         "w.yaml:3:12: error[E0302]: `ticket` has no field `subjct`; did you mean `subject`?"),
        ("tickt.priority == \"urgent\"",
         "w.yaml:3:5: error[E0302]: unknown name `tickt`; a field path starts with `event`, `ticket`, `previous`; did you mean `ticket`?"),
        ("ticket.priority == urgent",
         "w.yaml:3:24: error[E0302]: unknown name `urgent`; a field path starts with `event`, `ticket`, `previous`; write text in quotes, e.g. \"urgent\""),
        ("ticket.requester.plann == \"vip\"",
         "w.yaml:3:22: error[E0302]: `ticket.requester` has no field `plann`; did you mean `plan`?"),
        ("previous.ticket.prority == \"low\"",
         "w.yaml:3:21: error[E0302]: `previous.ticket` has no field `prority`; did you mean `priority`?"),
        ("ticket.subject.length > 3",
         "w.yaml:3:20: error[E0302]: `ticket.subject` is a string and has no field `length`"),
        ("ticket.priority == \"urgnt\"",
         "w.yaml:3:24: error[E0303]: \"urgnt\" is not a possible value of `ticket.priority` (one of \"low\", \"normal\", \"high\", \"urgent\"); did you mean `urgent`?"),
        ("ticket.status in [\"open\", \"pendng\"]",
         "w.yaml:3:31: error[E0303]: \"pendng\" is not a possible value of `ticket.status` (one of \"new\", \"open\", \"pending\", \"hold\", \"solved\", \"closed\"); did you mean `pending`?"),
        ("ticket.subject == 3",
         "w.yaml:3:20: error[E0303]: `==` cannot compare `ticket.subject` (string) with `3` (number)"),
        ("len(ticket.tags) contains \"x\"",
         "w.yaml:3:5: error[E0303]: `contains` needs a string or a list on the left, but `len(ticket.tags)` is a number"),
        ("len(ticket.tags) in 3",
         "w.yaml:3:25: error[E0303]: `in` needs a list or a string on the right, but `3` is a number"),
        ("ticket.subject matches ticket.channel",
         "w.yaml:3:28: error[E0303]: `matches` needs a pattern in quotes on the right, e.g. \"^refund\""),
        ("ticket.subject and true",
         "w.yaml:3:5: error[E0303]: `and` needs true or false, but `ticket.subject` is a string"),
        ("ticket.subject",
         "w.yaml:3:5: error[E0303]: a condition must be true or false, but this is a string; compare it, e.g. `... == \"value\"`"),
        ("lowr(ticket.subject) == \"x\"",
         "w.yaml:3:5: error[E0304]: unknown function `lowr`; did you mean `lower`?"),
        ("len(ticket.tags, 2) > 2",
         "w.yaml:3:5: error[E0306]: `len` takes 1 argument, but 2 were given"),
        ("changed(\"priority\")",
         "w.yaml:3:13: error[E0303]: `changed` takes a ticket field, e.g. `changed(ticket.priority)`"),
        ("ticket.subject matches \"(a)\\\\1\"",
         "w.yaml:3:32: error[E0305]: invalid pattern: backreferences are not supported (they need backtracking)"),
        ("ticket.subject matches \"x(?=y)\"",
         "w.yaml:3:30: error[E0305]: invalid pattern: lookaround assertions are not supported (they need backtracking)"),
        ("ticket.priority = \"urgent\"",
         "w.yaml:3:21: error[E0301]: `=` is not an operator; did you mean `==`?"),
        ("ticket.priority == \"urgent",
         "w.yaml:3:24: error[E0301]: unterminated string; add the closing \""),
        ("ticket.priority == \"urgent\" ticket.status == \"open\"",
         "w.yaml:3:33: error[E0301]: unexpected `ticket` after a complete expression; join conditions with `and` or `or`"),
        ("(ticket.priority == \"urgent\"",
         "w.yaml:3:33: error[E0301]: expected `)` to close the `(`, found the end of the expression"),
        ("ticket.priority == ",
         "w.yaml:3:24: error[E0301]: the condition ends where a value was expected"),
        ("1 == 1 == 1",
         "w.yaml:3:12: error[E0301]: `==` cannot follow `==` directly; join the comparisons with `and`, or add parentheses"),
        ("hours_since(ticket.created_at) > 4h",
         "w.yaml:3:39: error[E0301]: unexpected `h` after a number; durations are not values here; compare with a number, e.g. `hours_since(ticket.created_at) > 4`"),
        ("",
         "w.yaml:3:5: error[E0301]: the condition is empty"),
        ("ticket.created_at > \"yesterday\"",
         "w.yaml:3:25: error[E0303]: \"yesterday\" is not a timestamp; write it as RFC 3339, e.g. \"2024-05-01T09:00:00Z\""),
        ("ticket.tags.first == \"x\"",
         "w.yaml:3:17: error[E0302]: `ticket.tags` is a list and has no field `first`; to test membership write `\"first\" in ticket.tags`"),
    ])
    func compile_reportsExactDiagnostic(source: String, rendered: String) {
        switch Self.compile(source) {
        case .success: Issue.record("\(source) compiled")
        case .failure(let error): #expect(error.description == rendered)
        }
    }

    @Test func compile_whenFieldMisspelled_suggestsClosestName() {
        guard case .failure(let error) = Self.compile("ticket.prority == \"high\"") else {
            Issue.record("compiled")
            return
        }
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics[0].code == .unknownField)
        #expect(error.diagnostics[0].hint == "did you mean `priority`?")
        #expect(error.diagnostics[0].location == Core.SourceLocation(file: "w.yaml", line: 3, column: 12))
    }

    /// Templates write `tags.0`; a condition says how it writes a list item.
    @Test func compile_whenAListIsIndexedWithADot_pointsToBrackets() {
        guard case .failure(let error) = Self.compile("ticket.tags.0 == \"billing\"") else {
            Issue.record("compiled")
            return
        }
        #expect(error.diagnostics.first?.message == "expected a field name after `.`")
        #expect(error.diagnostics.first?.hint == "in a condition a list item is written `tags[0]`")
    }

    @Test func compile_withSeveralMistakes_reportsEachInOrder() {
        guard case .failure(let error) = Self.compile(
            "ticket.subjct == \"x\" and ticket.priority == \"hgh\" or lenn(ticket.tags) > 1")
        else {
            Issue.record("compiled")
            return
        }
        #expect(error.diagnostics.map(\.code) == [.unknownField, .typeMismatch, .unknownFunction])
        #expect(error.diagnostics.map { $0.location?.column } == [12, 49, 58])
    }

    @Test func compile_columnsCountUnicodeScalars() {
        guard case .failure(let error) = Self.compile("ticket.subject == \"héllo\" and ticket.sttus == \"x\"") else {
            Issue.record("compiled")
            return
        }
        #expect(error.diagnostics[0].location?.column == 5 + 37)
    }

    @Test func compile_withTooLongOrTooDeepExpression_reportsTooComplex() {
        let long = Array(repeating: "ticket.status == \"open\"", count: 200).joined(separator: " or ")
        guard case .failure(let tooLong) = Self.compile(long) else {
            Issue.record("compiled")
            return
        }
        #expect(tooLong.diagnostics[0].code == .expressionTooComplex)

        let deep = String(repeating: "(", count: 40) + "true" + String(repeating: ")", count: 40)
        guard case .failure(let tooDeep) = Self.compile(deep) else {
            Issue.record("compiled")
            return
        }
        #expect(tooDeep.description == "w.yaml:3:37: error[E0307]: the condition is nested more than 32 levels deep")

        let nots = String(repeating: "not ", count: 1000) + "true"
        guard case .failure(let tooManyNots) = Self.compile(nots) else {
            Issue.record("compiled")
            return
        }
        #expect(tooManyNots.diagnostics[0].code == .expressionTooComplex)

        let fine = String(repeating: "(", count: 32) + "true" + String(repeating: ")", count: 32)
        #expect((try? Self.compile(fine).get()) != nil)
    }

    @Test func compile_longFlatChains_doNotNest() throws {
        let chain = Array(repeating: "ticket.status == \"open\"", count: 120).joined(separator: " and ")
        #expect(try Self.evaluate(chain))
    }

    // MARK: Index hints and paths

    @Test func indexHints_comeFromTopLevelConjuncts() throws {
        let condition = try Self.condition(
            "ticket.priority == \"urgent\" and \"billing\" in ticket.tags and ticket.status in [\"open\", \"pending\"]"
                + " and \"eu\" == ticket.custom.region and ticket.tags contains \"vip\" and ticket.subject contains \"x\"")
        #expect(condition.indexHints == [
            .equals(path: ["ticket", "priority"], values: ["urgent"]),
            .listContains(path: ["ticket", "tags"], value: "billing"),
            .equals(path: ["ticket", "status"], values: ["open", "pending"]),
            .equals(path: ["ticket", "custom", "region"], values: ["eu"]),
            .listContains(path: ["ticket", "tags"], value: "vip"),
        ])
    }

    @Test func indexHints_ignoreDisjunctionsNegationsAndSubstrings() throws {
        #expect(try Self.condition("ticket.priority == \"urgent\" or ticket.status == \"open\"").indexHints.isEmpty)
        #expect(try Self.condition("not (ticket.priority == \"urgent\")").indexHints.isEmpty)
        #expect(try Self.condition("ticket.priority != \"urgent\"").indexHints.isEmpty)
        #expect(try Self.condition("\"bill\" in ticket.subject").indexHints.isEmpty)
        #expect(try Self.condition("ticket.status not in [\"open\"]").indexHints.isEmpty)
        #expect(try Self.condition("ticket.channel == \"email\"").indexHints
            == [.equals(path: ["ticket", "channel"], values: ["email"])])
    }

    @Test func indexHints_holdWheneverTheConditionHolds() throws {
        let condition = try Self.condition("ticket.priority == \"urgent\" and \"billing\" in ticket.tags")
        let context = Self.context()
        #expect(condition.evaluate(context))
        for hint in condition.indexHints {
            switch hint {
            case .equals(let path, let values): #expect(values.contains(context.value(at: path) ?? .null))
            case .listContains(let path, let value): #expect(context.value(at: path)?.arrayValue?.contains(value) == true)
            }
        }
    }

    @Test func referencedPaths_listEachFieldOnce() throws {
        let condition = try Self.condition(
            "changed(ticket.priority) and ticket.priority == \"urgent\" and hours_since(ticket.created_at) > 1 and event.comment.public")
        #expect(condition.referencedPaths == [
            ["ticket", "priority"], ["previous", "ticket", "priority"], ["ticket", "created_at"],
            ["event", "comment", "public"],
        ])
    }

    // MARK: Explain

    @Test func explain_whenFalse_showsFailingClauseAndValues() throws {
        let normal: Value = ["id": "T", "priority": "normal", "tags": ["billing"]]
        let explanation = try Self.condition("ticket.priority == \"urgent\" and \"billing\" in ticket.tags")
            .explain(Self.context(ticket: normal))
        #expect(!explanation.result)
        #expect(explanation.description == "`ticket.priority == \"urgent\"` was false: ticket.priority is \"normal\"")
    }

    @Test func explain_reportsMissingFieldsAndFunctionResults() throws {
        let explanation = try Self.condition(
            "ticket.assignee == \"bob\" or hours_since(ticket.created_at) > 8").explain(Self.context())
        #expect(!explanation.result)
        #expect(explanation.description == """
            `ticket.assignee == "bob"` was false: ticket.assignee is null
            `hours_since(ticket.created_at) > 8` was false: ticket.created_at is "2024-05-01T06:30:00Z", hours_since(ticket.created_at) is 5.5
            """)
        let sparse = try Self.condition("ticket.group == \"x\"").explain(Self.context(ticket: ["id": "T"]))
        #expect(sparse.description == "`ticket.group == \"x\"` was false: ticket.group is missing")
    }

    @Test func explain_whenTrue_showsDecidingClauses() throws {
        let explanation = try Self.condition(
            "not (ticket.channel == \"phone\") and changed(ticket.priority)").explain(Self.context())
        #expect(explanation.result)
        #expect(explanation.clauses.map(\.result) == [false, true])
        #expect(explanation.description == """
            `ticket.channel == "phone"` was false: ticket.channel is "email"
            `changed(ticket.priority)` was true: previous.ticket.priority is "normal", ticket.priority is "urgent"
            """)
    }
}
