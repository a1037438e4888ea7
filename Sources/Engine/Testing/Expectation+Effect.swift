import Core
import Workflows

extension WorkflowTestCase.Expectation {
    /// Whether an effect is the one expected: same action (and workflow, when
    /// named), and every parameter the expectation lists equal; parameters it
    /// does not list are not compared.
    public func matches(_ effect: Effect) -> Bool {
        guard effect.action == action, workflow == nil || workflow == effect.key.workflow else { return false }
        for (name, expected) in parameters.pairs where effect.parameters[name] != expected {
            return false
        }
        return true
    }
}
