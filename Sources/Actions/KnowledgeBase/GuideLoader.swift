import Core
import Foundation
import Workflows

/// Reads guides: Markdown files that start with a YAML front matter between
/// two `---` lines.
///
/// ```
/// ---
/// title: Export a sheet to CSV or Excel
/// product_area: reports
/// tags: [export, csv]
/// phrases:
///   - can't get my data out
/// ---
/// Markdown body…
/// ```
///
/// `title` is required; `product_area`, `tags` and `phrases` are optional.
/// Every problem is reported at its place in the file; a guide whose front
/// matter cannot be read or has no title is left out, one with a lesser
/// problem (an unknown key, a list item that is not text) is kept.
enum GuideLoader {
    static let fields = ["title", "product_area", "tags", "phrases"]

    /// Every `*.md` file under `directory` (`.MD` too), sorted by path. A
    /// name starting with a dot is hidden, an editor's or a tool's, and is
    /// not a guide.
    static func load(directory: String) -> ([Guide], [Diagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return ([], [Diagnostic(.unreadableFile, "\(directory) is not a folder of guides", at: nil)])
        }
        // The enumerator does not enter a folder given as a symbolic link.
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        let paths = (FileManager.default.enumerator(atPath: resolved)?.compactMap { $0 as? String } ?? [])
            .filter { $0.lowercased().hasSuffix(".md") }
            .filter { !$0.split(separator: "/").contains(where: { $0.hasPrefix(".") && $0 != ".md" }) }
            .sorted()
        var guides: [Guide] = []
        var diagnostics: [Diagnostic] = []
        for relative in paths {
            let file = directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
            // The file's name is the guide's id, the one workflows and logs use.
            guard !(relative as NSString).lastPathComponent.dropLast(3).allSatisfy(\.isWhitespace) else {
                diagnostics.append(Diagnostic(
                    .guideFileName, "a guide's file name is its id, and \(file) has none",
                    at: SourceLocation(file: file, line: 1, column: 1), hint: "rename it, e.g. to export-to-csv.md"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                diagnostics.append(Diagnostic(.unreadableFile, "cannot read \(file)", at: nil))
                continue
            }
            let (guide, problems) = parse([UInt8](data), file: file, id: String(relative.dropLast(3)))
            diagnostics += problems
            if let guide { guides.append(guide) }
        }
        var firstByTitle: [String: Guide] = [:]
        for guide in guides {
            if let first = firstByTitle[guide.title.lowercased()] {
                diagnostics.append(Diagnostic(
                    .guideDuplicateID, "guide title \"\(guide.title)\" is also the title of \(first.file)",
                    at: SourceLocation(file: guide.file, line: 2, column: 1), severity: .warning))
            } else {
                firstByTitle[guide.title.lowercased()] = guide
            }
        }
        if guides.isEmpty && diagnostics.isEmpty {
            diagnostics.append(Diagnostic(.noGuides, "no guides (*.md) in \(directory)", at: nil, severity: .warning))
        }
        return (guides, diagnostics.sortedByLocation())
    }

    /// One guide from the bytes of its file; `file` is used in locations, `id` names the guide.
    static func parse(_ contents: [UInt8], file: String, id: String) -> (Guide?, [Diagnostic]) {
        let bytes = ByteOrderMark.dropped(from: contents)
        let start = SourceLocation(file: file, line: 1, column: 1)
        let lines = lineRanges(bytes)
        guard let first = lines.first, isFence(bytes[first]) else {
            return (nil, [Diagnostic(
                .guideFrontMatter, "guide has no front matter", at: start,
                hint: "start the file with a line `---`, then `title: …`, then a closing `---`")])
        }
        guard let closing = lines.dropFirst().firstIndex(where: { isFence(bytes[$0]) }) else {
            return (nil, [Diagnostic(
                .guideFrontMatter, "front matter is not closed", at: start,
                hint: "end the front matter with a line `---`")])
        }
        // The opening `---` is a YAML document start, so line numbers stay those of the file.
        let yaml = Array(bytes[..<lines[closing].lowerBound])
        let body = String(decoding: bytes[min(bytes.count, lines[closing].upperBound + 1)...], as: UTF8.self)
        let root: YAMLNode
        do {
            root = try YAMLReader.read(yaml, file: file)
        } catch {
            if error.diagnostics.allSatisfy({ $0.code == .yamlEmptyDocument }) {
                return (nil, [Diagnostic(.guideMissingField, "front matter is empty; `title` is required", at: start)])
            }
            return (nil, error.diagnostics)
        }
        guard let pairs = root.pairs else {
            return (nil, [Diagnostic(
                .guideFieldType, "front matter must be a mapping of fields, not a \(root.kindName)", at: root.location)])
        }
        var diagnostics: [Diagnostic] = []
        var guide = Guide(id: id, title: "", body: body, file: file)
        var hasTitle = false
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            switch key {
            case "title":
                if let text = text(pair.value, field: key, into: &diagnostics) {
                    if text.trimmingCharacters(in: .whitespaces).isEmpty {
                        diagnostics.append(Diagnostic(.guideMissingField, "`title` is empty", at: pair.value.location))
                    } else {
                        guide.title = text
                        hasTitle = true
                    }
                }
            case "product_area":
                guide.productArea = text(pair.value, field: key, into: &diagnostics).flatMap { $0.isEmpty ? nil : $0 }
            case "tags":
                guide.tags = list(pair.value, field: key, into: &diagnostics)
            case "phrases":
                guide.phrases = list(pair.value, field: key, into: &diagnostics)
            default:
                diagnostics.append(Diagnostic(
                    .guideUnknownField, "unknown front matter field `\(key)`", at: pair.key.location,
                    hint: Suggestion.hint(for: key, in: fields) ?? "fields are \(fields.map { "`\($0)`" }.joined(separator: ", "))"))
            }
        }
        if !hasTitle, !diagnostics.contains(where: { $0.code == .guideMissingField || $0.code == .guideFieldType }) {
            diagnostics.append(Diagnostic(.guideMissingField, "front matter has no `title`", at: root.location))
        }
        return (hasTitle ? guide : nil, diagnostics)
    }

    /// A field's text; `null`, `~` or nothing written is empty, not the word "null".
    private static func text(_ node: YAMLNode, field: String, into diagnostics: inout [Diagnostic]) -> String? {
        if node.isPlainScalar, node.jsonValue().isNull { return "" }
        guard let text = node.scalarText else {
            diagnostics.append(Diagnostic(
                .guideFieldType, "`\(field)` must be text, not a \(node.kindName)", at: node.location))
            return nil
        }
        return text
    }

    private static func list(_ node: YAMLNode, field: String, into diagnostics: inout [Diagnostic]) -> [String] {
        if node.scalarText != nil {
            let item = text(node, field: field, into: &diagnostics) ?? ""
            return item.isEmpty ? [] : [item]
        }
        guard let items = node.items else {
            diagnostics.append(Diagnostic(
                .guideFieldType, "`\(field)` must be a list of text, not a \(node.kindName)", at: node.location))
            return []
        }
        return items.compactMap { text($0, field: field + "` item `", into: &diagnostics) }.filter { !$0.isEmpty }
    }

    /// Byte ranges of the lines, without their line breaks.
    private static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            ranges.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        return ranges
    }

    private static func isFence(_ line: ArraySlice<UInt8>) -> Bool {
        var line = line
        while let last = line.last, last == 0x20 || last == 0x0D || last == 0x09 { line = line.dropLast() }
        return line.elementsEqual("---".utf8)
    }
}
