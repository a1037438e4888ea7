import Core
import Mustache

/// A step parameter written as a Mustache template, e.g.
/// `"Urgent billing issue from {{ ticket.requester.email }}"`.
///
/// Rendered as plain text (no HTML escaping). Values substituted from a ticket
/// are never parsed again, so a customer who types `{{ticket.requester.email}}`
/// into a subject sees exactly that text come out.
public struct Template: Sendable, Hashable {
    public let source: String
    /// `nil` when the text has no tags: rendering is then a copy.
    private let compiled: CompiledTemplate?

    /// Mustache's content-type pragma, put in front of every template so that
    /// values are substituted as written rather than HTML-escaped.
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    /// Parses `source` and checks every variable against `schema`.
    ///
    /// - Parameter locate: maps a character offset in `source` to a place in
    ///   the workflow file, so errors point inside the scalar.
    public static func compile(
        _ source: String, schema: ObjectSchema = EventSchema.root, locate: (Int) -> SourceLocation
    ) -> Result<Template, DiagnosticsError> {
        guard source.contains("{{") else { return .success(Template(source: source, compiled: nil)) }
        var diagnostics = TemplateVariableChecker.check(source, schema: schema, locate: locate)
        if diagnostics.isEmpty {
            do {
                let template = try MustacheTemplate(string: textPragma + source)
                let compiled = CompiledTemplate(template: template, interpolation: InterpolationSegment.split(source))
                return .success(Template(source: source, compiled: compiled))
            } catch let error as MustacheTemplate.ParserError {
                let line = error.context.lineNumber
                let column = line == 1 ? max(1, error.context.columnNumber - textPragma.count) : error.context.columnNumber
                let offset = Self.offset(ofLine: line, column: column, in: source)
                diagnostics.append(Diagnostic(.templateSyntax, "invalid template: \(Self.describe(error.error))", at: locate(offset)))
            } catch {
                diagnostics.append(Diagnostic(.templateSyntax, "invalid template: \(error)", at: locate(0)))
            }
        }
        return .failure(DiagnosticsError(diagnostics))
    }

    private init(source: String, compiled: CompiledTemplate?) {
        self.source = source
        self.compiled = compiled
    }

    /// A template that renders `text` unchanged.
    public static func literal(_ text: String) -> Template { Template(source: text, compiled: nil) }

    public var isLiteral: Bool { compiled == nil }

    public func render(_ scope: TemplateScope) -> String {
        guard let compiled else { return source }
        if let segments = compiled.interpolation, let text = Self.interpolate(segments, in: scope.value) {
            return text
        }
        return compiled.template.render(scope)
    }

    /// Renders a text-and-variables template directly from the values,
    /// exactly as Mustache would in plain-text mode, without going through
    /// Mustache's dynamic lookups. `nil` when a variable holds a list or
    /// object, which only Mustache knows how to render.
    static func interpolate(_ segments: [InterpolationSegment], in root: Value) -> String? {
        var text = ""
        for segment in segments {
            switch segment {
            case .text(let literal):
                text += literal
            case .variable(let path):
                switch root.value(at: path) {
                case nil, .null?: break
                case .string(let value)?: text += value
                case .int(let number)?: text += String(number)
                case .double(let number)?: text += String(describing: number)
                case .bool(let flag)?: text += flag ? "true" : "false"
                case .array?, .object?: return nil
                }
            }
        }
        return text
    }

    static func offset(ofLine line: Int, column: Int, in text: String) -> Int {
        var currentLine = 1
        var offset = 0
        for scalar in text.unicodeScalars {
            if currentLine == line { break }
            if scalar == "\n" { currentLine += 1 }
            offset += 1
        }
        return offset + max(0, column - 1)
    }

    static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed with a different name than it was opened with"
        case .unfinishedName?: "a tag is not closed with }}"
        case .expectedSectionEnd?: "a section is opened but never closed"
        case .invalidSetDelimiter?: "invalid delimiter change"
        case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?: "pragmas are not allowed"
        default: "\(error)"
        }
    }
}

/// Wraps the library's template so `Template` can be `Hashable` by its source.
private struct CompiledTemplate: Sendable, Hashable {
    let template: MustacheTemplate
    /// Set when the template is only text and variables (the common case).
    let interpolation: [InterpolationSegment]?
    static func == (lhs: CompiledTemplate, rhs: CompiledTemplate) -> Bool { lhs.template.description == rhs.template.description }
    func hash(into hasher: inout Hasher) { hasher.combine(template.description) }
}
