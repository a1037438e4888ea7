import Core
import Workflows

extension WorkflowTestCase.Expectation {
    /// Whether an effect is the one expected: same action (and workflow, when
    /// named), every parameter the expectation lists equal, and everything
    /// its `result` lists found in the effect's details. What it does not list
    /// is not compared.
    public func matches(_ effect: Effect) -> Bool {
        guard effect.action == action, workflow == nil || workflow == effect.key.workflow else { return false }
        for (name, expected) in parameters.pairs where effect.parameters[name] != expected {
            return false
        }
        if let result, !Self.value(.object(effect.details), has: .object(result)) {
            return false
        }
        return true
    }

    /// Whether `actual` holds what `expected` lists. Mappings compare only the
    /// keys listed, at any depth, so `{ guides: [{ id: x }] }` ignores a
    /// guide's score; lists must have as many items, each holding its
    /// counterpart; numbers compare by value (`4` equals `4.0`).
    static func value(_ actual: Value?, has expected: Value) -> Bool {
        switch (actual, expected) {
        case (.object(let object)?, .object(let listed)):
            return listed.pairs.allSatisfy { name, item in value(object[name], has: item) }
        case (.array(let items)?, .array(let listed)):
            return items.count == listed.count && zip(items, listed).allSatisfy { value($0, has: $1) }
        case (.int?, .double), (.double?, .int), (.double?, .double):
            return actual?.doubleValue == expected.doubleValue
        default:
            return actual == expected
        }
    }
}
