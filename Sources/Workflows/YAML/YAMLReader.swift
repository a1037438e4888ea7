import CLibYAML
import Core

/// Reads one YAML document into a `YAMLNode` tree, refusing input that is
/// hostile, ambiguous or outside the subset workflow files use.
///
/// libyaml does the parsing; this reader adds what libyaml leaves out: size,
/// encoding and nesting caps, budgets that stop alias bombs before anything is
/// expanded, and refusal of tags, merge keys, complex and duplicate keys.
public enum YAMLReader {
    /// Parses `bytes` (UTF-8) as a single YAML document.
    ///
    /// - Throws: every problem found, sorted by location. Parsing stops at the
    ///   first syntax error or exceeded limit, so there may be more. A file
    ///   with no document, or a document with no content, throws a single
    ///   `yamlEmptyDocument` diagnostic, which callers may choose to accept.
    public static func read(
        _ bytes: [UInt8], file: String, limits: YAMLLimits = .default
    ) throws(DiagnosticsError) -> YAMLNode {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard bytes.count <= limits.maxInputBytes else {
            throw DiagnosticsError([Diagnostic(
                .inputTooLarge, "file is \(bytes.count) bytes; the limit is \(limits.maxInputBytes) bytes",
                at: start)])
        }
        let text = YAMLInputText(bytes: bytes, file: file)
        let encodingProblems = text.encodingProblems()
        guard encodingProblems.isEmpty else { throw DiagnosticsError(encodingProblems) }

        var composer = YAMLComposer(limits: limits)
        var diagnostics: [Diagnostic] = []
        // libyaml asserts on a null input pointer, which an empty array may give.
        if !text.bytes.isEmpty, let syntaxError = parse(text, into: &composer) {
            diagnostics.append(syntaxError)
        }
        diagnostics += composer.diagnostics
        guard diagnostics.isEmpty else { throw DiagnosticsError(diagnostics.sortedByLocation()) }

        guard let root = composer.root else {
            throw DiagnosticsError([Diagnostic(.yamlEmptyDocument, "file contains no YAML document", at: start)])
        }
        if case .scalar("", .plain) = root.kind {
            throw DiagnosticsError([Diagnostic(.yamlEmptyDocument, "document is empty", at: root.location)])
        }
        return root
    }

    /// Feeds libyaml's events to `composer` until the stream ends or the
    /// composer stops; returns libyaml's error, if it found one.
    private static func parse(_ text: YAMLInputText, into composer: inout YAMLComposer) -> Diagnostic? {
        // Heap-allocated so that libyaml's state has one address for the whole parse.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            return Diagnostic(.yamlSyntax, "libyaml could not allocate its parser", at: text.location(ofByteOffset: 0))
        }
        defer { yaml_parser_delete(parser) }
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }

        // libyaml keeps the input pointer: the buffer must outlive every parse call.
        return text.bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            while true {
                guard yaml_parser_parse(parser, event) == 1 else {
                    return syntaxError(parser.pointee, in: text, afterDocuments: composer.documentCount)
                }
                let copied = copy(event.pointee, file: text.file)
                yaml_event_delete(event)
                if case .stop = composer.consume(copied) { return nil }
                if case .streamEnd = copied { return nil }
            }
        }
    }

    private static func copy(_ event: yaml_event_t, file: String) -> YAMLEvent {
        // Marks are 0-based; end marks point at the next token, so only start marks are used.
        let location = SourceLocation(
            file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart(location)
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(name: string(event.data.alias.anchor) ?? "", at: location)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let style: YAMLNode.ScalarStyle =
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            return .scalar(
                value, style: style,
                .init(anchor: string(scalar.anchor), tag: string(scalar.tag), location: location))
        case YAML_SEQUENCE_START_EVENT:
            let sequence = event.data.sequence_start
            return .sequenceStart(.init(anchor: string(sequence.anchor), tag: string(sequence.tag), location: location))
        case YAML_MAPPING_START_EVENT:
            let mapping = event.data.mapping_start
            return .mappingStart(.init(anchor: string(mapping.anchor), tag: string(mapping.tag), location: location))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            return .collectionEnd
        case YAML_STREAM_END_EVENT:
            return .streamEnd
        default:
            return .ignored
        }
    }

    /// libyaml's error as a diagnostic, with tabs in indentation explained
    /// instead of libyaml's "found character that cannot start any token".
    private static func syntaxError(
        _ parser: yaml_parser_t, in text: YAMLInputText, afterDocuments documentCount: Int
    ) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return Diagnostic(.yamlSyntax, "libyaml ran out of memory", at: text.location(ofByteOffset: 0))
        case YAML_READER_ERROR:
            // Reader errors carry a byte offset and no mark.
            var message = "invalid YAML: \(problem)"
            if parser.problem_value >= 0 {
                let hex = String(parser.problem_value, radix: 16, uppercase: true)
                message += " (U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ")"
            }
            return Diagnostic(.yamlSyntax, message, at: text.location(ofByteOffset: Int(parser.problem_offset)))
        default:
            let mark = parser.problem_mark
            if let tab = text.offendingTab(line: Int(mark.line), column: Int(mark.column)) {
                return Diagnostic(.yamlTab, "tabs are not allowed for indentation; use spaces", at: tab)
            }
            let location = SourceLocation(file: text.file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
            // Content after `...` is a second document that lacks its `---`.
            if problem == "did not find expected <document start>", documentCount > 0 {
                return Diagnostic(
                    .yamlMultipleDocuments, "only one document per file; a second document starts here",
                    at: location, hint: "put each document in its own file")
            }
            var message = "invalid YAML: \(problem)"
            if let context = parser.context {
                let contextMark = parser.context_mark
                message += " (\(String(cString: context)) that started at line \(contextMark.line + 1),"
                message += " column \(contextMark.column + 1))"
            }
            return Diagnostic(.yamlSyntax, message, at: location)
        }
    }
}
