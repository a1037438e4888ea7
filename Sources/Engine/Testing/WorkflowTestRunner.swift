import Core
import Workflows

/// Runs test cases through the same engine as dry-run and compares the
/// effects that took place with the expected ones, in order.
public struct WorkflowTestRunner {
    public struct Result: Sendable {
        public var testCase: WorkflowTestCase
        public var passed: Bool
        /// Lines explaining a failure: expected and actual effects side by side.
        public var diff: [String]
    }

    let workflows: WorkflowSet
    let actions: ActionRegistry
    let options: Engine.Options

    public init(workflows: WorkflowSet, actions: ActionRegistry, options: Engine.Options = Engine.Options()) {
        self.workflows = workflows
        self.actions = actions
        self.options = options
    }

    public func run(_ testCase: WorkflowTestCase) -> Result {
        if let unknown = testCase.workflows?.first(where: { workflows[$0] == nil }) {
            return Result(testCase: testCase, passed: false, diff: ["no workflow named `\(unknown)` in the folder"])
        }
        var engine = Engine(workflows: workflows, actions: actions, options: options)
        var tickets = TicketProjection()
        var actual: [Effect] = []
        var failures: [String] = []
        var outcomes: [EventOutcome] = []
        for step in testCase.steps {
            switch step {
            case .event(let event):
                outcomes += engine.fireTimers(until: event.occurredAt, tickets: &tickets)
                outcomes.append(engine.process(event, tickets: &tickets))
            case .advance(let time):
                outcomes += engine.fireTimers(until: time, tickets: &tickets)
            }
        }
        for outcome in outcomes {
            actual += outcome.allEffects.filter { effect in
                effect.outcome == .applied && (testCase.workflows?.contains(effect.key.workflow) ?? true)
            }
            for effect in outcome.allEffects {
                if case .failed(let message, _) = effect.outcome {
                    failures.append("\(effect.key.workflow): \(effect.action) failed: \(message)")
                }
            }
        }
        let expected = testCase.expectations
        let passed = expected.count == actual.count && zip(expected, actual).allSatisfy { $0.matches($1) }
        guard !passed else { return Result(testCase: testCase, passed: true, diff: []) }
        var diff: [String] = ["expected \(expected.count) effect\(expected.count == 1 ? "" : "s"), got \(actual.count):"]
        // Align by longest common subsequence, so one missing effect shows as
        // one `-` line instead of shifting every line after it.
        var table = Array(repeating: Array(repeating: 0, count: actual.count + 1), count: expected.count + 1)
        for i in stride(from: expected.count - 1, through: 0, by: -1) {
            for j in stride(from: actual.count - 1, through: 0, by: -1) {
                table[i][j] = expected[i].matches(actual[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        // An effect shows the top-level parts of its details that the case's
        // `result:` lists name for its action, so a wrong guide reads as one.
        var resultKeys: [String: [String]] = [:]
        for expectation in expected {
            for name in expectation.result?.keys ?? [] where !(resultKeys[expectation.action] ?? []).contains(name) {
                resultKeys[expectation.action, default: []].append(name)
            }
        }
        func describe(_ effect: Effect) -> String {
            let text = "\(effect.key.workflow): \(effect.summary)"
            guard let names = resultKeys[effect.action] else { return text }
            let shown = Value.Object(names.compactMap { name in effect.details[name].map { (name, $0) } })
            return text + " result=" + JSONWriter.string(.object(shown))
        }
        var i = 0
        var j = 0
        while i < expected.count || j < actual.count {
            if i < expected.count, j < actual.count, expected[i].matches(actual[j]) {
                diff.append("    " + describe(actual[j]))
                i += 1
                j += 1
            } else if i < expected.count, j == actual.count || table[i + 1][j] >= table[i][j + 1] {
                diff.append("  - " + expected[i].summary)
                i += 1
            } else {
                diff.append("  + " + describe(actual[j]))
                j += 1
            }
        }
        diff += failures.map { "  ! \($0)" }
        return Result(testCase: testCase, passed: false, diff: diff)
    }
}
