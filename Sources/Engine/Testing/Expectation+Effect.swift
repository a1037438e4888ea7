import Core
import Workflows

extension WorkflowTestCase.Expectation {
    /// Whether an effect is the one expected: same action (and workflow, when
    /// named), every parameter the expectation lists holding what it lists,
    /// and likewise its `result` in the effect's details. What it does not
    /// list is not compared.
    public func matches(_ effect: Effect) -> Bool {
        guard effect.action == action, workflow == nil || workflow == effect.key.workflow else { return false }
        for (name, expected) in parameters.pairs where !Self.found(expected, in: effect.parameters[name]) {
            return false
        }
        if let result, !Self.found(.object(result), in: .object(effect.details)) {
            return false
        }
        return true
    }

    /// Whether `actual` holds what `listed` lists. Mappings compare only the
    /// keys listed, at any depth, so `{ guides: [{ id: x }] }` ignores a
    /// guide's score; lists must have as many items, each holding its
    /// counterpart; numbers compare by value (`4` equals `4.0`). A number
    /// or boolean written where the effect has text matches that text:
    /// YAML reads the ticket id `101` as a number, the log keeps "101".
    static func found(_ listed: Value, in actual: Value?) -> Bool {
        switch (actual, listed) {
        case (.object(let object)?, .object(let keys)):
            return keys.pairs.allSatisfy { name, item in found(item, in: object[name]) }
        case (.array(let items)?, .array(let wanted)):
            return items.count == wanted.count && zip(wanted, items).allSatisfy { found($0, in: $1) }
        case (.int?, .double), (.double?, .int), (.double?, .double):
            return actual?.doubleValue == listed.doubleValue
        case (.string(let text)?, .int), (.string(let text)?, .double), (.string(let text)?, .bool):
            return text == JSONWriter.string(listed)
        default:
            return actual == listed
        }
    }
}
