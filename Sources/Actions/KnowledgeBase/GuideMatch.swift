/// A guide found for a text, with how strongly and why.
public struct GuideMatch: Sendable, Hashable {
    public var guide: Guide
    /// Confidence from 0 to 1, on the same scale for every query, so one
    /// minimum score works for all texts (see `KnowledgeBase.defaultMinimumScore`).
    public var score: Double
    /// The words of the text that matched, most telling first.
    public var matchedTerms: [String]
    /// One line for people: which words matched in which part of the guide.
    public var explanation: String

    public init(guide: Guide, score: Double, matchedTerms: [String], explanation: String) {
        self.guide = guide
        self.score = score
        self.matchedTerms = matchedTerms
        self.explanation = explanation
    }
}
