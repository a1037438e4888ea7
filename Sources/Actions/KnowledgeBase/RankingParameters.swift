/// The weights of guide ranking. The defaults were chosen on the dev split
/// of `Benchmarks/quality/guide-queries.jsonl`; other values are for experiments.
public struct RankingParameters: Sendable, Hashable {
    /// Field weights in BM25F: a word in the title counts this many times a word in the body.
    public var titleWeight = 3.0
    public var phrasesWeight = 2.5
    /// Tags and the product area.
    public var tagsWeight = 1.5
    public var bodyWeight = 1.0
    /// BM25's `b` for the body: how much a long body is discounted (title,
    /// phrases and tags are short and barely discounted).
    public var bodyLengthNormalisation = 0.75
    /// BM25's `k1`: how fast repeated occurrences saturate.
    public var k1 = 1.2
    /// A query term that is a lexicon concept counts this much of a word.
    public var conceptWeight = 0.8
    /// A misspelt word read as a known one counts this much of a word.
    public var correctedWeight = 0.8
    /// With a sentence encoder, the meaning score's share of a guide's
    /// score; the word score has the rest. Chosen with all-mpnet-base-v2.
    public var meaningWeight = 0.7

    public init() {}

    public static let standard = RankingParameters()
}
