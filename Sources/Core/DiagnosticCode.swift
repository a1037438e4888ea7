/// Stable codes for every diagnostic, grouped by the layer that finds them.
/// Codes are never reused; `docs/diagnostics.md` lists them.
public struct DiagnosticCode: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

extension DiagnosticCode {
    // Files and input (E00xx)
    public static let unreadableFile = DiagnosticCode("E0001")
    public static let inputTooLarge = DiagnosticCode("E0002")
    public static let invalidUTF8 = DiagnosticCode("E0003")
    public static let nulByte = DiagnosticCode("E0004")
    public static let noWorkflows = DiagnosticCode("E0005")

    // YAML (E01xx)
    public static let yamlSyntax = DiagnosticCode("E0101")
    public static let yamlTab = DiagnosticCode("E0102")
    public static let yamlMultipleDocuments = DiagnosticCode("E0103")
    public static let yamlTooDeep = DiagnosticCode("E0104")
    public static let yamlTooManyAliases = DiagnosticCode("E0105")
    public static let yamlAliasTooLarge = DiagnosticCode("E0106")
    public static let yamlUnknownAlias = DiagnosticCode("E0107")
    public static let yamlExplicitTag = DiagnosticCode("E0108")
    public static let yamlDuplicateKey = DiagnosticCode("E0109")
    public static let yamlEmptyDocument = DiagnosticCode("E0110")
    public static let yamlTooManyNodes = DiagnosticCode("E0111")
    public static let yamlComplexKey = DiagnosticCode("E0112")

    // Workflow structure (E02xx)
    public static let unknownKey = DiagnosticCode("E0201")
    public static let missingKey = DiagnosticCode("E0202")
    public static let wrongType = DiagnosticCode("E0203")
    public static let unknownEventType = DiagnosticCode("E0204")
    public static let unknownAction = DiagnosticCode("E0205")
    public static let invalidName = DiagnosticCode("E0206")
    public static let duplicateWorkflow = DiagnosticCode("E0207")
    public static let invalidDuration = DiagnosticCode("E0208")
    public static let stepShape = DiagnosticCode("E0209")
    public static let unknownParameter = DiagnosticCode("E0210")
    public static let missingParameter = DiagnosticCode("E0211")
    public static let invalidParameter = DiagnosticCode("E0212")
    public static let duplicateStepID = DiagnosticCode("E0213")
    /// Retired: `idle` and `schedule` triggers are supported now. Never reused.
    public static let unsupportedTrigger = DiagnosticCode("E0214")
    public static let invalidConfig = DiagnosticCode("E0215")
    public static let invalidSchedule = DiagnosticCode("E0216")

    // Expressions (E03xx)
    public static let expressionSyntax = DiagnosticCode("E0301")
    public static let unknownField = DiagnosticCode("E0302")
    public static let typeMismatch = DiagnosticCode("E0303")
    public static let unknownFunction = DiagnosticCode("E0304")
    public static let invalidRegex = DiagnosticCode("E0305")
    public static let wrongArgumentCount = DiagnosticCode("E0306")
    public static let expressionTooComplex = DiagnosticCode("E0307")

    // Templates (E04xx)
    public static let templateSyntax = DiagnosticCode("E0401")
    public static let unknownTemplateVariable = DiagnosticCode("E0402")

    // Events (E05xx)
    public static let eventSyntax = DiagnosticCode("E0501")
    public static let eventField = DiagnosticCode("E0502")
    public static let duplicateEvent = DiagnosticCode("E0503")

    // Workflow tests (E06xx)
    public static let testShape = DiagnosticCode("E0601")
    public static let testFailed = DiagnosticCode("E0602")

    // Guides, the knowledge base (E07xx)
    public static let guideFrontMatter = DiagnosticCode("E0701")
    public static let guideMissingField = DiagnosticCode("E0702")
    public static let guideFieldType = DiagnosticCode("E0703")
    public static let guideUnknownField = DiagnosticCode("E0704")
    public static let guideDuplicateID = DiagnosticCode("E0705")
    public static let noGuides = DiagnosticCode("E0706")
    public static let guideFileName = DiagnosticCode("E0707")

    // Plugins (E08xx)
    public static let pluginManifest = DiagnosticCode("E0801")
    public static let pluginProtocol = DiagnosticCode("E0802")
    public static let pluginCommand = DiagnosticCode("E0803")
    public static let duplicatePlugin = DiagnosticCode("E0804")
    public static let pluginHandshake = DiagnosticCode("E0805")

    // Warnings (W0xxx)
    public static let unreachableStep = DiagnosticCode("W0001")
    public static let workflowDisabled = DiagnosticCode("W0002")
}
