import Core

/// Builds the node tree from parse events with an explicit stack, and enforces
/// what libyaml does not: nesting depth, alias budgets, known anchors, no
/// tags, no merge keys, scalar and unique mapping keys.
///
/// Alias budgets are checked before a copy is made, so an alias bomb is
/// refused after counting a few anchors, never expanded.
struct YAMLComposer {
    /// Whether the reader should keep feeding events.
    enum Progress {
        case proceed
        case stop
    }

    /// A sequence or mapping whose end event has not arrived yet.
    private struct OpenCollection {
        var location: SourceLocation
        var anchor: String?
        var isMapping: Bool
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        var pendingKey: YAMLNode?
        /// The line of each scalar key's first occurrence, for duplicate-key messages.
        var keyLines: [String: Int] = [:]
        /// Nodes in this collection, itself included, with aliases expanded.
        var nodeCount = 1
    }

    private struct AnchoredNode {
        var node: YAMLNode
        var nodeCount: Int
    }

    let limits: YAMLLimits
    private(set) var diagnostics: [Diagnostic] = []
    /// The document's root node, once it is complete.
    private(set) var root: YAMLNode?
    private var open: [OpenCollection] = []
    private var anchors: [String: AnchoredNode] = [:]
    private var aliasCount = 0
    private var totalNodes = 0
    /// Documents started so far; libyaml's errors read differently after the first.
    private(set) var documentCount = 0

    init(limits: YAMLLimits) {
        self.limits = limits
    }

    mutating func consume(_ event: YAMLEvent) -> Progress {
        switch event {
        case .documentStart(let location):
            documentCount += 1
            if documentCount > 1 {
                return fail(
                    .yamlMultipleDocuments, "only one document per file; a second document starts here",
                    at: location, hint: "put each document in its own file")
            }
        case .documentEnd, .streamEnd, .ignored:
            break
        case .scalar(let text, let style, let properties):
            refuseTag(properties)
            guard countNodes(1, at: properties.location) else { return .stop }
            finish(YAMLNode(.scalar(text, style: style), at: properties.location), nodeCount: 1, anchor: properties.anchor)
        case .sequenceStart(let properties), .mappingStart(let properties):
            // Checked on every start event: libyaml's flow collections cost
            // quadratic time in depth, so stopping here is what keeps
            // `[[[[…` fast.
            if open.count >= limits.maxNestingDepth {
                return fail(.yamlTooDeep, "nesting is deeper than \(limits.maxNestingDepth) levels", at: properties.location)
            }
            refuseTag(properties)
            guard countNodes(1, at: properties.location) else { return .stop }
            if let anchor = properties.anchor { anchors[anchor] = nil }
            var isMapping = false
            if case .mappingStart = event { isMapping = true }
            open.append(OpenCollection(location: properties.location, anchor: properties.anchor, isMapping: isMapping))
        case .collectionEnd:
            guard let collection = open.popLast() else { break }
            let kind: YAMLNode.Kind = collection.isMapping ? .mapping(collection.pairs) : .sequence(collection.items)
            finish(YAMLNode(kind, at: collection.location), nodeCount: collection.nodeCount, anchor: collection.anchor)
        case .alias(let name, let location):
            return resolveAlias(name, at: location)
        }
        return .proceed
    }

    private mutating func resolveAlias(_ name: String, at location: SourceLocation) -> Progress {
        aliasCount += 1
        if aliasCount > limits.maxAliases {
            return fail(.yamlTooManyAliases, "more than \(limits.maxAliases) aliases in one document", at: location)
        }
        guard let anchored = anchors[name] else {
            if open.contains(where: { $0.anchor == name }) {
                report(.yamlUnknownAlias, "alias *\(name) refers to a node that contains it", at: location)
            } else {
                report(.yamlUnknownAlias, "unknown alias *\(name); no anchor &\(name) is defined before it", at: location)
            }
            // A stand-in keeps mappings paired so later problems are still found.
            finish(YAMLNode(.scalar("", style: .plain), at: location), nodeCount: 1, anchor: nil)
            return .proceed
        }
        if anchored.nodeCount > limits.maxNodesPerAlias {
            return fail(
                .yamlAliasTooLarge,
                "alias *\(name) would copy \(anchored.nodeCount) nodes; one alias may copy at most \(limits.maxNodesPerAlias)",
                at: location)
        }
        guard countNodes(anchored.nodeCount, at: location) else { return .stop }
        // The copy's root points at the alias, where it is used; its
        // descendants keep the anchored original's locations.
        var copy = anchored.node
        copy.location = location
        finish(copy, nodeCount: anchored.nodeCount, anchor: nil)
        return .proceed
    }

    /// Adds a complete node to its parent, or makes it the root.
    private mutating func finish(_ node: YAMLNode, nodeCount: Int, anchor: String?) {
        if let anchor { anchors[anchor] = AnchoredNode(node: node, nodeCount: nodeCount) }
        guard let top = open.indices.last else {
            root = node
            return
        }
        open[top].nodeCount += nodeCount
        guard open[top].isMapping else {
            open[top].items.append(node)
            return
        }
        guard let key = open[top].pendingKey else {
            checkKey(node, in: top)
            open[top].pendingKey = node
            return
        }
        open[top].pairs.append(YAMLNode.Pair(key: key, value: node))
        open[top].pendingKey = nil
    }

    private mutating func checkKey(_ key: YAMLNode, in index: Int) {
        guard case .scalar(let text, let style) = key.kind else {
            report(.yamlComplexKey, "a mapping key must be a scalar, not a \(key.kindName)", at: key.location)
            return
        }
        if style == .plain, text == "<<" {
            report(
                .yamlSyntax, "merge keys (<<) are not supported", at: key.location,
                hint: "write the keys out in full")
            return
        }
        if let firstLine = open[index].keyLines[text] {
            report(.yamlDuplicateKey, "duplicate key \"\(text)\"; first defined at line \(firstLine)", at: key.location)
        } else {
            open[index].keyLines[text] = key.location.line
        }
    }

    private mutating func refuseTag(_ properties: YAMLEvent.Properties) {
        guard let tag = properties.tag else { return }
        let standardPrefix = "tag:yaml.org,2002:"
        let written =
            if tag.hasPrefix(standardPrefix) { "!!" + String(tag.dropFirst(standardPrefix.count)) }
            else if tag.hasPrefix("!") { tag }
            else { "!<\(tag)>" }
        report(
            .yamlExplicitTag, "explicit tag \(written) is not allowed", at: properties.location,
            hint: "remove the tag; quote the value if it should be a string")
    }

    /// Counts nodes against the document's budget; `false` once it is spent.
    private mutating func countNodes(_ count: Int, at location: SourceLocation) -> Bool {
        totalNodes += count
        guard totalNodes > limits.maxTotalNodes else { return true }
        _ = fail(
            .yamlTooManyNodes, "document has more than \(limits.maxTotalNodes) nodes with aliases expanded",
            at: location)
        return false
    }

    private mutating func report(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation, hint: String? = nil
    ) {
        diagnostics.append(Diagnostic(code, message, at: location, hint: hint))
    }

    private mutating func fail(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation, hint: String? = nil
    ) -> Progress {
        report(code, message, at: location, hint: hint)
        return .stop
    }
}
