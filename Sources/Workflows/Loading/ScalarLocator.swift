import Core

/// Maps a character offset inside a scalar's text back to the file, so an
/// error in an `if:` expression or a template points at the exact column.
struct ScalarLocator {
    let node: YAMLNode
    /// The file's lines, needed to find the indentation of block scalars.
    let lines: [Substring]

    func location(ofOffset offset: Int) -> SourceLocation {
        guard case .scalar(let text, let style) = node.kind else { return node.location }
        let base = node.location
        switch style {
        case .plain:
            return base.advanced(byColumns: offset)
        case .singleQuoted, .doubleQuoted:
            return base.advanced(byColumns: offset + 1)
        case .literal, .folded:
            var lineIndex = 0
            var column = 0
            for (position, scalar) in text.unicodeScalars.enumerated() where position < offset {
                if scalar == "\n", style == .literal {
                    lineIndex += 1
                    column = 0
                } else {
                    column += 1
                }
            }
            let fileLine = base.line + 1 + lineIndex
            var indentation = 0
            if fileLine - 1 < lines.count {
                indentation = lines[fileLine - 1].prefix { $0 == " " }.count
            }
            return SourceLocation(file: base.file, line: fileLine, column: indentation + 1 + column)
        }
    }
}
