/// One help-center article: a Markdown file in `guides/` with a front matter.
public struct Guide: Sendable, Hashable {
    /// The file name without `.md` (with its folder, for guides in sub-folders).
    public var id: String
    public var title: String
    public var productArea: String?
    public var tags: [String]
    /// How customers describe the problem, in their words: ranked as strongly as the title.
    public var phrases: [String]
    /// The Markdown after the front matter.
    public var body: String
    /// The path the guide was read from; empty for guides built in code.
    public var file: String

    public init(
        id: String, title: String, productArea: String? = nil, tags: [String] = [], phrases: [String] = [],
        body: String = "", file: String = ""
    ) {
        self.id = id
        self.title = title
        self.productArea = productArea
        self.tags = tags
        self.phrases = phrases
        self.body = body
        self.file = file
    }
}
