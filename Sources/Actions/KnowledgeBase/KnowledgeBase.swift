import Core
import Foundation

/// The help-center guides, indexed for ranking against ticket text.
///
/// Ranking is BM25F over title, phrases, tags and body (see `GuideIndex`),
/// on stemmed words plus support-lexicon concepts, with misspelt words read
/// as the closest word the guides or the lexicon know. The index is built
/// when the knowledge base is made; searching reads posting lists only.
public struct KnowledgeBase: Sendable {
    /// Results scoring below this are dropped: chosen on the dev split of
    /// `Benchmarks/quality/guide-queries.jsonl` so that texts no guide answers
    /// mostly get nothing, while answerable texts keep their guide.
    public static let defaultMinimumScore: Double = 0.25

    /// Raw BM25F scores map to 0...1 as `1 - exp(-raw / scoreScale)`.
    static let scoreScale = 12.0

    /// Changing the guides rebuilds the index.
    public var guides: [Guide] {
        didSet { build() }
    }

    public let lexicon: SupportLexicon
    public let parameters: RankingParameters
    private var index: GuideIndex
    private var analyzer: TextAnalyzer

    public init(guides: [Guide], lexicon: SupportLexicon = .standard, parameters: RankingParameters = .standard) {
        self.guides = guides
        self.lexicon = lexicon
        self.parameters = parameters
        index = GuideIndex(guides: [], analyzer: TextAnalyzer(lexicon: lexicon), parameters: parameters)
        analyzer = TextAnalyzer(lexicon: lexicon)
        build()
    }

    private mutating func build() {
        let plain = TextAnalyzer(lexicon: lexicon)
        index = GuideIndex(guides: guides, analyzer: plain, parameters: parameters)
        var counts: [String: Int] = [:]
        for guide in guides {
            for text in [guide.title, guide.body] + guide.phrases + guide.tags {
                for word in TextNormalizer.words(text) { counts[word, default: 0] += 1 }
            }
        }
        for word in lexicon.words { counts[word, default: 0] += 1 }
        analyzer = TextAnalyzer(lexicon: lexicon, corrector: SpellingCorrector(counts: counts))
    }

    /// The analyser queries go through: the lexicon and a spelling corrector
    /// that knows every word of the guides.
    public var queryAnalyzer: TextAnalyzer { analyzer }

    /// The best guides for `text`, best first, each scoring at least
    /// `minimumScore`; only guides of `productArea` when one is given.
    public func search(
        _ text: String, limit: Int = 3, minimumScore: Double = KnowledgeBase.defaultMinimumScore,
        productArea: String? = nil
    ) -> [GuideMatch] {
        guard limit > 0, !guides.isEmpty else { return [] }
        let (query, terms) = weightedQuery(text)
        guard !query.isEmpty else { return [] }
        var scores = [Double](repeating: 0, count: guides.count)
        index.score(query, into: &scores)
        var ranked: [(guide: Int, raw: Double)] = []
        for (guide, raw) in scores.enumerated() where raw > 0 {
            if let productArea, guides[guide].productArea != productArea { continue }
            let score = Self.normalise(raw)
            if score >= minimumScore { ranked.append((guide, raw)) }
        }
        ranked.sort { $0.raw != $1.raw ? $0.raw > $1.raw : guides[$0.guide].id < guides[$1.guide].id }
        return ranked.prefix(limit).map { match(guide: $0.guide, raw: $0.raw, query: query, terms: terms) }
    }

    /// Raw scores of every guide for `text` (0 for guides sharing nothing),
    /// indexed like `guides`: what grouping uses as a concept space.
    public func scores(for text: String) -> [Double] {
        scores(forTerms: analyzer.terms(text))
    }

    /// Scores for terms made by `queryAnalyzer`.
    func scores(forTerms terms: [TextAnalyzer.Term]) -> [Double] {
        let (query, _) = weightedQuery(terms)
        var scores = [Double](repeating: 0, count: guides.count)
        index.score(query, into: &scores)
        return scores.map(Self.normalise)
    }

    /// How rare a term (a stem or `~concept`) is among the guides, BM25's idf.
    public func inverseFrequency(of key: String) -> Double { index.inverseFrequency(of: key) }

    /// How many guides contain a term (a stem or `~concept`).
    public func documentFrequency(of key: String) -> Int { index.documentFrequency(of: key) }

    static func normalise(_ raw: Double) -> Double { 1 - exp(-raw / scoreScale) }

    private func weightedQuery(_ text: String) -> ([(key: String, weight: Double)], [String: TextAnalyzer.Term]) {
        weightedQuery(analyzer.terms(text))
    }

    private func weightedQuery(_ terms: [TextAnalyzer.Term]) -> ([(key: String, weight: Double)], [String: TextAnalyzer.Term]) {
        var weights: [String: Double] = [:]
        var order: [String] = []
        var firstTerm: [String: TextAnalyzer.Term] = [:]
        for term in terms {
            let weight: Double =
                switch term.origin {
                case .word: 1
                case .corrected: parameters.correctedWeight
                case .concept: parameters.conceptWeight
                }
            if let old = weights[term.key] {
                weights[term.key] = max(old, weight)
            } else {
                weights[term.key] = weight
                order.append(term.key)
                firstTerm[term.key] = term
            }
        }
        return (order.map { ($0, weights[$0]!) }, firstTerm)
    }

    private func match(
        guide: Int, raw: Double, query: [(key: String, weight: Double)], terms: [String: TextAnalyzer.Term]
    ) -> GuideMatch {
        var matched: [String] = []
        var reasons: [String] = []
        for contribution in index.contributions(query, guide: guide) {
            guard let term = terms[contribution.key] else { continue }
            let fields = GuideIndex.Field.allCases.filter { contribution.fields & UInt8(1 << $0.rawValue) != 0 }
                .map(\.name).joined(separator: ", ")
            let reason: String
            switch term.origin {
            case .word:
                reason = "\"\(term.surface)\" in \(fields)"
            case .corrected(let word):
                reason = "\"\(term.surface)\" (read as \"\(word)\") in \(fields)"
            case .concept(let name):
                reason = "\"\(term.surface)\" (≈ \(name)) in \(fields)"
            }
            reasons.append(reason)
            for word in term.surface.split(separator: " ").map(String.init) where !matched.contains(word) {
                if case .concept = term.origin, TextNormalizer.isStopWord(word) { continue }
                matched.append(word)
            }
        }
        let score = Self.normalise(raw)
        let explanation = "matched " + reasons.joined(separator: "; ")
        return GuideMatch(guide: guides[guide], score: score, matchedTerms: matched, explanation: explanation)
    }
}

extension KnowledgeBase {
    /// Reads every guide under `directory` (see `GuideLoader` for the format).
    /// Front matter problems come back as diagnostics with file, line and
    /// column; guides that could be read are loaded even when others fail.
    public static func load(directory: String, lexicon: SupportLexicon = .standard) -> (KnowledgeBase, [Diagnostic]) {
        let (guides, diagnostics) = GuideLoader.load(directory: directory)
        return (KnowledgeBase(guides: guides, lexicon: lexicon), diagnostics)
    }
}
