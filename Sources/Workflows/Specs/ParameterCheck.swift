import Core

/// A rule about a step's parameters that their kinds cannot say alone,
/// checked when the workflow loads, so `validate` finds what would otherwise
/// fail on every ticket. Templated values are left to the action, which
/// checks them after rendering.
public enum ParameterCheck: Sendable, Hashable {
    /// The number at `path` (a dotted path such as `min_score`) lies in `low...high`.
    case between(path: String, low: Double, high: Double)
    /// The text at `path` names a folder inside the project: a relative
    /// path without `..`, so a workflow cannot make the engine read (or
    /// walk) the whole file system.
    case folderInsideProject(path: String)
    /// The mapping at `object` has `field`, unless its field `unlessField` is the word `is`.
    case needs(object: String, field: String, unlessField: String, is: String)
    /// The mapping at `object` has no `field` when its field `whenField` is
    /// the word `is`: a field the action would silently ignore.
    case excludes(object: String, field: String, whenField: String, is: String)

    /// What is wrong with `bindings` (a step's decoded parameters), with where.
    func problems(in bindings: [ParameterBinding], action: String) -> [Diagnostic] {
        switch self {
        case .between(let path, let low, let high):
            guard let (binding, value) = Self.constant(at: path, in: bindings), let number = value.doubleValue,
                number < low || number > high
            else { return [] }
            return [Diagnostic(
                .invalidParameter, "`\(action).\(path)` must be between \(Self.plain(low)) and \(Self.plain(high)), got \(Self.plain(number))",
                at: binding.location)]
        case .folderInsideProject(let path):
            guard let (binding, value) = Self.constant(at: path, in: bindings), let folder = value.stringValue,
                folder.hasPrefix("/") || folder.split(separator: "/").contains("..")
            else { return [] }
            return [Diagnostic(
                .invalidParameter,
                "`\(action).\(path)` must be a folder inside the project (a relative path without `..`), got \"\(folder)\"",
                at: binding.location)]
        case .needs(let object, let field, let other, let value):
            guard let binding = bindings.first(where: { $0.name == object }), case .object(let fields) = binding.value,
                !fields.contains(where: { $0.name == field })
            else { return [] }
            if let given = fields.first(where: { $0.name == other }) {
                // A templated `other` may render to `value`: left to the action.
                guard case .constant(let constant) = given.value, constant != .string(value) else { return [] }
            }
            return [Diagnostic(
                .missingParameter, "`\(action).\(object)` needs field `\(field)` (or `\(other): \(value)`)", at: binding.location)]
        case .excludes(let object, let field, let other, let value):
            guard let binding = bindings.first(where: { $0.name == object }), case .object(let fields) = binding.value,
                let unused = fields.first(where: { $0.name == field }),
                let given = fields.first(where: { $0.name == other }), case .constant(.string(value)) = given.value
            else { return [] }
            return [Diagnostic(
                .invalidParameter,
                "`\(action).\(object).\(field)` is not used with `\(other): \(value)`; remove one of them",
                at: unused.location)]
        }
    }

    /// The constant binding at a dotted path, with its value; nil for a
    /// missing or templated one.
    private static func constant(at path: String, in bindings: [ParameterBinding]) -> (ParameterBinding, Value)? {
        var level = bindings
        let names = path.split(separator: ".").map(String.init)
        for (index, name) in names.enumerated() {
            guard let binding = level.first(where: { $0.name == name }) else { return nil }
            if index == names.count - 1 {
                guard case .constant(let value) = binding.value else { return nil }
                return (binding, value)
            }
            guard case .object(let inner) = binding.value else { return nil }
            level = inner
        }
        return nil
    }

    /// `1` rather than `1.0`.
    private static func plain(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
