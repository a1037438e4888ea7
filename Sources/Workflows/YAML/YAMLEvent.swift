import Core

/// One libyaml parse event, copied out of C memory so that the composer never
/// touches libyaml's pointers.
enum YAMLEvent {
    /// The properties that may precede any node.
    struct Properties {
        var anchor: String?
        /// The tag as libyaml resolved it, e.g. `tag:yaml.org,2002:str` for `!!str`.
        var tag: String?
        var location: SourceLocation
    }

    case documentStart(SourceLocation)
    case documentEnd
    case alias(name: String, at: SourceLocation)
    case scalar(String, style: YAMLNode.ScalarStyle, Properties)
    case sequenceStart(Properties)
    case mappingStart(Properties)
    case collectionEnd
    case streamEnd
    /// Events the composer does not need (stream start).
    case ignored
}
