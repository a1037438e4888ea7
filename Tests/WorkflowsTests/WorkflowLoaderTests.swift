import Actions
import Core
import Testing
import Workflows

/// Pins the exact text users see for each kind of mistake in a workflow file.
@Suite struct WorkflowLoaderTests {
    let loader = WorkflowLoader(catalog: BuiltinActions.registry.catalog)

    func problems(_ yaml: String) -> [String] {
        let (_, diagnostics) = loader.loadText(Array(yaml.utf8), file: "w.yaml")
        return diagnostics.sortedByLocation().map(\.description)
    }

    @Test func load_whenValid_buildsTypedWorkflow() throws {
        let yaml = """
            workflow: urgent-billing
            description: Urgent billing goes to tier 2.
            on: [ticket.created, ticket.updated]
            if: ticket.priority == "urgent" and "billing" in ticket.tags
            order: 5
            stop: true
            steps:
              - tag: needs-tier2
              - escalate:
                  to: billing-tier2
                  reason: "From {{ ticket.requester.email }}"
                id: send-up
                if: ticket.channel != "phone"
            """
        let (workflow, diagnostics) = loader.loadText(Array(yaml.utf8), file: "w.yaml")
        #expect(diagnostics.isEmpty)
        let loaded = try #require(workflow)
        #expect(loaded.name == "urgent-billing")
        #expect(loaded.triggers == [.event("ticket.created"), .event("ticket.updated")])
        #expect(loaded.order == 5)
        #expect(loaded.stopsLaterWorkflows)
        #expect(loaded.steps.map(\.id) == ["1", "send-up"])
        #expect(loaded.steps[0].parameters.first?.value == .list([.constant("needs-tier2")]))
        #expect(loaded.steps[1].condition != nil)
        #expect(loaded.version.count == 16)
    }

    @Test(arguments: [
        ("workflow: a\non: ticket.created\nsteps:\n  - escalte: {to: x}\n",
         ["w.yaml:4:5: error[E0205]: unknown action `escalte`; did you mean `escalate`?"]),
        ("workflow: a\non: ticket.created\nstpes:\n  - tag: x\n",
         ["w.yaml:1:1: error[E0202]: workflow is missing required key `steps`",
          "w.yaml:3:1: error[E0201]: unknown key `stpes` in workflow; did you mean `steps`?"]),
        ("workflow: a\non: ticket.creatd\nsteps:\n  - tag: x\n",
         ["w.yaml:2:5: error[E0204]: unknown event type `ticket.creatd`; did you mean `ticket.created`?"]),
        ("workflow: a\non: ticket.created\nif: ticket.subjet contains \"x\"\nsteps:\n  - tag: x\n",
         ["w.yaml:3:12: error[E0302]: `ticket` has no field `subjet`; did you mean `subject`?"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - add_note:\n      bdy: hello\n      body: hi\n",
         ["w.yaml:5:7: error[E0210]: `add_note` has no parameter `bdy`; did you mean `body`?"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - escalate: {reason: x}\n",
         ["w.yaml:4:15: error[E0211]: `escalate` needs parameter `to`"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - set_priority: urgnt\n",
         [#"w.yaml:4:19: error[E0212]: `set_priority.priority` must be one of low, normal, high, urgent, got "urgnt"; did you mean `urgent`?"#]),
        ("workflow: a\non: ticket.created\nsteps:\n  - add_note: {body: x, public: yes}\n",
         [#"w.yaml:4:33: error[E0212]: `add_note.public` must be true or false, got "yes""#]),
        ("workflow: a\non: ticket.created\nsteps:\n  - tag: x\n    escalate: y\n",
         ["w.yaml:5:5: error[E0209]: step has more than one action (`tag`, `escalate`); give each its own step"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - escalate:\n      to: \"{{ ticket.requester.emial }}\"\n",
         ["w.yaml:5:32: error[E0402]: unknown variable `ticket.requester.emial`: no field `emial` of `ticket.requester`; did you mean `email`?"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - add_note: \"Tags: {{ ticket.tags }}\"\n",
         ["w.yaml:4:25: error[E0402]: `ticket.tags` is a list; write {{#ticket.tags}}{{.}} {{/ticket.tags}} to list its items"]),
        ("workflow: Bad Name\non: ticket.created\nsteps:\n  - tag: x\n",
         ["w.yaml:1:11: error[E0206]: workflow name `Bad Name` must start with a lowercase letter or digit and use only a-z, 0-9, - and _"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - add_note: \"{{.}}\"\n",
         ["w.yaml:4:18: error[E0402]: `{{.}}` names the current item, which exists only inside a list section"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - add_note: \"" + String(repeating: "{{#ticket.tags}}", count: 5) + "x" + String(repeating: "{{/ticket.tags}}", count: 5) + "\"\n",
         ["w.yaml:4:80: error[E0401]: sections nest at most 4 deep"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - tag:\n",
         ["w.yaml:4:9: error[E0212]: `tag.tags` is empty"]),
        ("workflow: a\non: ticket.created\nsteps:\n  - suggest_guide: { limit: 0 }\n",
         [#"w.yaml:4:29: error[E0212]: `suggest_guide.limit` must be a whole number of at least 1, got "0""#]),
        ("workflow: a\non: {schedule: \"0 25 * * *\"}\nsteps:\n  - tag: x\n",
         ["w.yaml:2:19: error[E0216]: hour: 25 is out of range 0-23"]),
        ("workflow: a\non: {schedule: \"every 1h\", time_zone: Mars/Olympus}\nsteps:\n  - tag: x\n",
         ["w.yaml:2:39: error[E0216]: unknown time zone `Mars/Olympus` (use an IANA name such as Europe/Berlin)"]),
        ("workflow: a\non: {idle: soon}\nsteps:\n  - tag: x\n",
         [#"w.yaml:2:12: error[E0208]: `idle` must be a duration such as 30m, 4h or 2d, got "soon""#]),
        ("workflow: a\non: ticket.created\nsteps:\n  - id: one\n    tag: x\n  - id: one\n    tag: y\n",
         ["w.yaml:7:5: error[E0213]: step id `one` is already used by the step at line 5"]),
        ("workflow: a\non: ticket.created\nsteps: []\n",
         ["w.yaml:3:8: error[E0203]: `steps` needs at least one step"]),
        ("workflow: a\non: ticket.created\non: ticket.updated\nsteps:\n  - tag: x\n",
         [#"w.yaml:3:1: error[E0109]: duplicate key "on"; first defined at line 2"#]),
    ])
    func load_whenMistaken_reportsExactly(yaml: String, expected: [String]) {
        #expect(problems(yaml) == expected)
    }

    @Test func load_whenConditionStartsWithQuote_explainsHowToQuoteIt() {
        let yaml = "workflow: a\non: ticket.created\nif: \"billing\" in ticket.tags\nsteps:\n  - tag: x\n"
        let found = problems(yaml)
        #expect(found.count == 1)
        #expect(found.first?.hasSuffix(#"; a condition that starts with a quoted string must be quoted as a whole: if: '"billing" in ticket.tags'"#) == true)
    }

    @Test func load_reportsEveryProblemAtOnce() {
        let yaml = """
            workflow: a
            on: [ticket.creatd]
            if: ticket.priorty == "urgent"
            steps:
              - escalte: {to: x}
              - tag: [a, b]
                if: ticket.subject contains 5
            """
        #expect(problems(yaml).count == 4)
    }

    @Test func load_keepsStringsAsWritten() throws {
        let yaml = "workflow: a\non: ticket.created\nsteps:\n  - tag: [no, off, 'yes', 1.0]\n"
        let (workflow, diagnostics) = loader.loadText(Array(yaml.utf8), file: "w.yaml")
        #expect(diagnostics.isEmpty)
        #expect(workflow?.steps.first?.parameters.first?.value
            == .list([.constant("no"), .constant("off"), .constant("yes"), .constant("1.0")]))
    }

    @Test func template_rendersTicketTextLiterally() throws {
        let template = try Template.compile("Hello {{ ticket.subject }} from {{ticket.requester.email}}", locate: {
            Core.SourceLocation(file: "w.yaml", line: 1, column: $0 + 1)
        }).get()
        let ticket: Value = [
            "subject": "{{ticket.requester.email}} <b>&'\"",
            "requester": ["email": "ana@example.com"],
        ]
        let text = template.render(TemplateScope(event: [:], ticket: ticket, previousTicket: nil))
        #expect(text == "Hello {{ticket.requester.email}} <b>&'\" from ana@example.com")
    }

    @Test func template_listSectionsRenderEachItem() throws {
        let template = try Template.compile("{{#ticket.tags}}[{{.}}]{{/ticket.tags}}", locate: {
            Core.SourceLocation(file: "w.yaml", line: 1, column: $0 + 1)
        }).get()
        let text = template.render(TemplateScope(event: [:], ticket: ["tags": ["a", "b"]], previousTicket: nil))
        #expect(text == "[a][b]")
    }

    @Test func template_indexesListsTheSameWithOrWithoutSections() throws {
        let locate: (Int) -> Core.SourceLocation = { Core.SourceLocation(file: "w.yaml", line: 1, column: $0 + 1) }
        let plain = try Template.compile("{{ event.effect.details.guides.0.title }}", locate: locate).get()
        let withSection = try Template.compile(
            "{{#ticket.subject}}[{{/ticket.subject}}{{ event.effect.details.guides.0.title }}", locate: locate).get()
        let event: Value = ["effect": ["details": ["guides": [["title": "Reset your password"]]]]]
        let scope = TemplateScope(event: event, ticket: ["subject": "x"], previousTicket: nil)
        #expect(plain.render(scope) == "Reset your password")
        #expect(withSection.render(scope) == "[Reset your password")
    }

    @Test func schema_listsEveryBuiltinAction() {
        let schema = WorkflowJSONSchema.make(catalog: BuiltinActions.registry.catalog)
        let text = JSONWriter.string(schema)
        for name in ["tag", "untag", "set_priority", "assign", "escalate", "add_note"] {
            #expect(text.contains("\"\(name)\""))
        }
        #expect(schema["required"] == ["workflow", "on", "steps"])
    }
}
