import Core

/// A top-level conjunct of a condition that a trigger index can use to skip
/// the workflow without evaluating it: when the hint cannot hold, neither
/// can the condition. Paths are written from the roots (`["ticket", "priority"]`);
/// read them with `EvaluationContext.value(at:)`.
public enum IndexHint: Sendable, Hashable {
    /// The value at `path` must equal one of `values` (`path == "x"`, `path in ["x", "y"]`).
    case equals(path: [String], values: [Value])
    /// The list at `path` must contain `value` (`"x" in path`, `path contains "x"`).
    case listContains(path: [String], value: Value)
}
