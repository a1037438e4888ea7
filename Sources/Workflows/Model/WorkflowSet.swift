import Core

/// Every workflow of a folder, in run order: explicit `order:` first
/// (ascending), then by file path.
public struct WorkflowSet: Sendable {
    public private(set) var workflows: [Workflow]

    public init(_ workflows: [Workflow]) {
        self.workflows = workflows.sorted { lhs, rhs in
            switch (lhs.order, rhs.order) {
            case (let left?, let right?) where left != right: return left < right
            case (.some, nil): return true
            case (nil, .some): return false
            default: return lhs.file < rhs.file
            }
        }
    }

    public subscript(name: String) -> Workflow? { workflows.first { $0.name == name } }
    public var count: Int { workflows.count }
}
