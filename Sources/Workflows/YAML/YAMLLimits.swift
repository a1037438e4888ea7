/// How much a YAML file may ask of the reader before it is refused.
///
/// Workflow files are small and hand-written; these caps exist so that a
/// hostile or broken file (a billion-laughs alias bomb, a million nested
/// brackets) fails fast with a diagnostic instead of eating memory or time.
///
/// - Important: Keep `maxNestingDepth` in the hundreds at most. Swift
///   releases a node tree recursively, and a tree tens of thousands of levels
///   deep crashes the process when it is dropped.
public struct YAMLLimits: Sendable, Hashable {
    /// Files larger than this are refused before parsing.
    public var maxInputBytes: Int
    /// Sequences and mappings nested deeper than this are refused.
    public var maxNestingDepth: Int
    /// Alias uses (`*name`) allowed in one document.
    public var maxAliases: Int
    /// Nodes in the whole document, counting each alias as a copy of its anchor's nodes.
    public var maxTotalNodes: Int
    /// Nodes that one alias may copy.
    public var maxNodesPerAlias: Int

    public init(
        maxInputBytes: Int = 1 << 20,
        maxNestingDepth: Int = 64,
        maxAliases: Int = 50,
        maxTotalNodes: Int = 100_000,
        maxNodesPerAlias: Int = 10_000
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxNestingDepth = maxNestingDepth
        self.maxAliases = maxAliases
        self.maxTotalNodes = maxTotalNodes
        self.maxNodesPerAlias = maxNodesPerAlias
    }

    /// 1 MiB, 64 levels, 50 aliases, 100,000 nodes, 10,000 nodes per alias.
    public static let `default` = YAMLLimits()
}
