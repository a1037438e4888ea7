import Foundation

/// How alike two ticket texts are, from 0 (nothing in common) to 1: the
/// measure behind `TextGrouping` and `TextGroupIndex`.
///
/// A text's signature has two parts. The *terms* part is its stems and
/// support-lexicon concepts, each weighted by how rare it is among the guides
/// (idf), so "export" counts more than "sheet". The *guides* part uses the
/// knowledge base as a concept space: the text's best-matching guides with
/// their scores. Two tickets that describe one problem in different words
/// share few words but tend to find the same guides; two tickets that share
/// words but not the problem find different ones. Similarity is the cosine
/// of the terms parts and of the guides parts, mixed by `termShare`.
/// Without a knowledge base there is no guides part and every term weighs 1.
/// When the knowledge base has a sentence encoder, the signature also holds
/// the text's *meaning* vector, and the cosine of the meanings takes
/// `meaningShare` of the similarity: it joins "numbers shifted by one
/// column" with "the header says date but the values are names".
public struct TextSimilarity: Sendable {
    /// Texts at least this similar describe the same problem, on words.
    /// Chosen on the dev split of `Benchmarks/quality/groups.jsonl`, with guides.
    public static let defaultThreshold = 0.225
    /// The same with meaning vectors (all-mpnet-base-v2), chosen the same way.
    public static let defaultThresholdWithMeaning = 0.3

    /// The threshold grouping uses with this knowledge base.
    public static func threshold(for knowledgeBase: KnowledgeBase?) -> Double {
        knowledgeBase?.encoder == nil ? defaultThreshold : defaultThresholdWithMeaning
    }

    /// The weights of the measure; the defaults were chosen on the dev split.
    public struct Parameters: Sendable, Hashable {
        /// The share of the terms cosine in the similarity; the guides cosine has the rest.
        public var termShare = 0.65
        /// `termShare` when the texts also have meaning vectors.
        public var termShareWithMeaning = 0.8
        /// How many of the best guides make up the guides part.
        public var guideCount = 3
        /// `guideCount` when the texts also have meaning vectors.
        public var guideCountWithMeaning = 1
        /// Concepts weigh this much relative to words.
        public var conceptWeight = 0.6
        /// Words no guide uses weigh this much of the rarest guide word.
        public var unknownWordWeight = 0.3
        /// With meaning vectors, the meaning part's share of the similarity.
        public var meaningShare = 0.6
        /// Whether a group's meaning part is the mean cosine to its members
        /// (true) or the cosine to their centroid (false). The mean is lower
        /// for a spread-out group; on dev it grouped worse once problems and
        /// requests were kept apart.
        public var averageMeaning = false
        /// Whether, with meaning vectors, the guides part uses the guides'
        /// mixed scores (words and meaning), as `suggest_guide` ranks them.
        public var guidesByMeaning = true
        /// A ticket joins a group only if it is also this alike to the
        /// ticket that began it, as a share of the threshold; 0 turns the
        /// check off. Without it a group's centroid drifts: "VAT number
        /// missing on the invoice" began a group that "invoice sent to the
        /// wrong address" joined, then "scheduled report sent to the wrong
        /// people", then every scheduled-report ticket.
        public var founderShare = 0.8

        public init() {}
        public static let standard = Parameters()
    }

    /// A text reduced to what similarity compares.
    public struct Signature: Sendable, Hashable {
        /// Stems and `~concept` terms, normalised to length 1.
        public var terms: SparseVector
        /// Guide ids with the text's score for them, normalised to length 1; empty without guides.
        public var guides: SparseVector
        /// The text's meaning vector; empty without a sentence encoder.
        public var meaning: [Float]
        /// Whether the text reports a problem or asks for something; nil
        /// when unknown (a group stored before intents were read).
        public var intent: TicketIntent?

        public init(terms: SparseVector, guides: SparseVector, meaning: [Float] = [], intent: TicketIntent? = nil) {
            self.terms = terms
            self.guides = guides
            self.meaning = meaning
            self.intent = intent
        }
    }

    public let knowledgeBase: KnowledgeBase?
    public let parameters: Parameters
    private let analyzer: TextAnalyzer

    public init(knowledgeBase: KnowledgeBase?, parameters: Parameters = .standard) {
        self.knowledgeBase = knowledgeBase
        self.parameters = parameters
        analyzer = knowledgeBase?.queryAnalyzer ?? TextAnalyzer()
    }

    public func signature(_ text: String) -> Signature {
        signature(text, meaning: knowledgeBase?.meaningVector(for: text))
    }

    /// `signature` with the text's meaning vector already computed.
    public func signature(_ text: String, meaning: [Float]?) -> Signature {
        let terms = analyzer.terms(text)
        var counts: [String: (count: Int, concept: Bool)] = [:]
        for term in terms {
            let isConcept = if case .concept = term.origin { true } else { false }
            counts[term.key, default: (0, isConcept)].count += 1
        }
        var weights: [String: Double] = [:]
        for (key, (count, concept)) in counts {
            var idf = 1.0
            if let knowledgeBase {
                idf = knowledgeBase.inverseFrequency(of: key)
                if knowledgeBase.documentFrequency(of: key) == 0 { idf *= parameters.unknownWordWeight }
            }
            weights[key] = (1 + log(Double(count))) * idf * (concept ? parameters.conceptWeight : 1)
        }
        var guides = SparseVector()
        if let knowledgeBase {
            let scores = knowledgeBase.scores(forTerms: terms, meaning: parameters.guidesByMeaning ? meaning : nil)
            let best = scores.indices.filter { scores[$0] > 0 }
                .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
                .prefix(meaning == nil ? parameters.guideCount : parameters.guideCountWithMeaning)
            var guideWeights: [String: Double] = [:]
            for index in best { guideWeights[knowledgeBase.guides[index].id] = scores[index] }
            guides = SparseVector(guideWeights).normalised()
        }
        return Signature(
            terms: SparseVector(weights).normalised(), guides: guides, meaning: meaning ?? [], intent: TicketIntent(text: text))
    }

    /// Similarity of two signatures, 0...1.
    public func similarity(_ a: Signature, _ b: Signature) -> Double {
        Self.similarity(a, b, parameters: parameters)
    }

    /// `members`: how many meaning vectors `b.meaning` sums (a group's); with
    /// `averageMeaning` the meaning part is the mean cosine to them. A problem
    /// and a request are never alike (see `TicketIntent`).
    static func similarity(_ a: Signature, _ b: Signature, parameters: Parameters, members: Int = 1) -> Double {
        guard TicketIntent.compatible(a.intent, b.intent) else { return 0 }
        var words = a.terms.cosine(b.terms)
        let withMeaning = !a.meaning.isEmpty && a.meaning.count == b.meaning.count
        if !a.guides.isEmpty || !b.guides.isEmpty {
            let share = withMeaning ? parameters.termShareWithMeaning : parameters.termShare
            words = share * words + (1 - share) * a.guides.cosine(b.guides)
        }
        guard withMeaning else { return words }
        let meaning =
            parameters.averageMeaning ? dot(a.meaning, b.meaning) / Double(max(1, members)) : cosine(a.meaning, b.meaning)
        return (1 - parameters.meaningShare) * words + parameters.meaningShare * max(0, meaning)
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        var sum: Float = 0
        for index in a.indices { sum += a[index] * b[index] }
        return Double(sum)
    }

    /// Cosine of two dense vectors (either may be an unnormalised sum).
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot: Float = 0, left: Float = 0, right: Float = 0
        for index in a.indices {
            dot += a[index] * b[index]
            left += a[index] * a[index]
            right += b[index] * b[index]
        }
        guard left > 0, right > 0 else { return 0 }
        return Double(dot / (left.squareRoot() * right.squareRoot()))
    }

    /// Similarity of two texts, 0...1.
    public func similarity(_ a: String, _ b: String) -> Double {
        similarity(signature(a), signature(b))
    }
}
