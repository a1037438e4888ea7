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

    public init(workflows: WorkflowSet, actions: ActionRegistry) {
        self.workflows = workflows
        self.actions = actions
    }

    public func run(_ testCase: WorkflowTestCase) -> Result {
        var engine = Engine(workflows: workflows, actions: actions)
        var tickets = TicketProjection()
        var actual: [Effect] = []
        var failures: [String] = []
        for event in testCase.events {
            let outcome = engine.process(event, tickets: &tickets)
            actual += outcome.allEffects.filter { $0.outcome == .applied }
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
        for position in 0..<max(expected.count, actual.count) {
            let want = position < expected.count ? expected[position] : nil
            let got = position < actual.count ? actual[position] : nil
            let gotText = got.map { "\($0.key.workflow): \($0.summary)" }
            if let want, let got, want.matches(got) {
                diff.append("    \(gotText!)")
                continue
            }
            if let want { diff.append("  - \(want.summary)") }
            if let gotText { diff.append("  + \(gotText)") }
        }
        diff += failures.map { "  ! \($0)" }
        return Result(testCase: testCase, passed: false, diff: diff)
    }
}
