import Core
import Foundation
import SentenceEmbedding

/// The help-center guides, indexed for ranking against ticket text.
///
/// Ranking mixes two scores. The word score is BM25F over title, phrases,
/// tags and body (see `GuideIndex`), on stemmed words plus support-lexicon
/// concepts, with misspelt words read as the closest word the guides or the
/// lexicon know. The meaning score (when a sentence encoder is loaded, see
/// `GuideMeanings`) compares the text's meaning vector with each passage of
/// each guide, and finds guides that share no word with the text. The
/// indexes are built when the knowledge base is made.
public struct KnowledgeBase: Sendable {
    /// Results scoring below this are dropped: chosen on the dev split of
    /// `Benchmarks/quality/guide-queries.jsonl` so that texts no guide answers
    /// mostly get nothing, while answerable texts keep their guide. On the
    /// mixed score of words and meaning (all-mpnet-base-v2), every dev answer
    /// is kept up to 0.35; the same value serves both.
    public static let defaultMinimumScore: Double = 0.25

    /// Raw BM25F scores map to 0...1 as `1 - exp(-raw / scoreScale)`.
    static let scoreScale = 12.0

    /// Changing the guides rebuilds the index.
    public var guides: [Guide] {
        didSet { build() }
    }

    /// The product areas the guides name, for `product_area:` filters.
    public var productAreas: Set<String> { Set(guides.compactMap(\.productArea)) }

    public let lexicon: SupportLexicon
    public let parameters: RankingParameters
    /// Reads meaning; `nil` ranks on words only.
    public let encoder: SentenceEncoder?
    private let cache: EncodingCache?
    private var index: GuideIndex
    private var analyzer: TextAnalyzer
    private var meanings: GuideMeanings?

    public init(
        guides: [Guide], lexicon: SupportLexicon = .standard, parameters: RankingParameters = .standard,
        encoder: SentenceEncoder? = nil, cache: EncodingCache? = nil,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) {
        self.guides = guides
        self.lexicon = lexicon
        self.parameters = parameters
        self.encoder = encoder
        self.cache = cache
        index = GuideIndex(guides: [], analyzer: TextAnalyzer(lexicon: lexicon), parameters: parameters)
        analyzer = TextAnalyzer(lexicon: lexicon)
        build(progress: progress)
    }

    /// Indexes the guides; `progress` hears how the passages the cache did
    /// not have are encoded, which takes minutes for a new guide set.
    private mutating func build(progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) {
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
        meanings = encoder.map { GuideMeanings(guides: guides, encoder: $0, cache: cache, progress: progress) }
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
        search(text, meaning: meaningVector(for: text), limit: limit, minimumScore: minimumScore, productArea: productArea)
    }

    /// The text's meaning vector, when there is an encoder and the text has
    /// a letter or a digit: "!!!" and "..." mean nothing, and their vectors
    /// would all be alike.
    public func meaningVector(for text: String) -> [Float]? {
        guard let meanings, Self.hasMeaning(text) else { return nil }
        return meanings.encoder.encode(text)
    }

    /// What guide ranking and text grouping read of a ticket: its subject and
    /// description, as far as `readable` reads.
    public static func text(of ticket: Value) -> String {
        readable([ticket["subject"]?.stringValue, ticket["description"]?.stringValue].compactMap { $0 }.joined(separator: "\n"))
    }

    /// How much of a ticket's text is read, in Unicode scalars: about 3,000
    /// words. A customer says what is wrong before pasting a log or a
    /// whole mail thread, and the sentence model reads only the first few
    /// hundred words anyway; past this, a pasted 5 MB log cost seconds per
    /// step.
    public static let readLimit = 20_000

    /// The first `readLimit` scalars of a text. A word running over the
    /// limit is left out whole, unless it is longer than any word
    /// (`TextNormalizer.longestWord`): then the cut falls at the limit, so
    /// a text of one endless run keeps its head.
    public static func readable(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let end = scalars.index(scalars.startIndex, offsetBy: readLimit, limitedBy: scalars.endIndex),
            end < scalars.endIndex
        else { return text }
        var cut = end
        if !scalars[end].properties.isWhitespace {
            let lookBack = scalars.index(end, offsetBy: -TextNormalizer.longestWord)
            if let space = scalars[lookBack..<end].lastIndex(where: \.properties.isWhitespace) { cut = space }
        }
        return String(String.UnicodeScalarView(scalars[..<cut]))
    }

    /// Reads the meaning of many texts at once, on every core, so that
    /// `meaningVector(for:)` then finds them without waiting; the vectors
    /// are exactly those it would compute.
    public func prepareMeanings(_ texts: [String]) {
        guard let meanings else { return }
        meanings.encoder.prepare(texts.filter(Self.hasMeaning))
    }

    /// Whether a text has a letter or a digit to read meaning from.
    static func hasMeaning(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil })
    }

    /// `search` with the text's meaning vector already computed (`meaningVector(for:)`).
    public func search(
        _ text: String, meaning vector: [Float]?, limit: Int = 3,
        minimumScore: Double = KnowledgeBase.defaultMinimumScore, productArea: String? = nil
    ) -> [GuideMatch] {
        guard limit > 0, !guides.isEmpty else { return [] }
        let (query, terms) = weightedQuery(text)
        var raw = [Double](repeating: 0, count: guides.count)
        if !query.isEmpty { index.score(query, into: &raw) }
        var meaning: [(score: Double, passage: Int)]?
        if let meanings, let vector { meaning = meanings.scores(for: vector) }
        guard meaning != nil || !query.isEmpty else { return [] }
        let share = parameters.meaningWeight
        var ranked: [(guide: Int, score: Double)] = []
        for guide in guides.indices {
            if let productArea, guides[guide].productArea != productArea { continue }
            let words = Self.normalise(raw[guide])
            let score = meaning.map { share * $0[guide].score + (1 - share) * words } ?? words
            if score > 0, score >= minimumScore { ranked.append((guide, score)) }
        }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : guides[$0.guide].id < guides[$1.guide].id }
        return ranked.prefix(limit).map { candidate in
            var found = match(guide: candidate.guide, raw: raw[candidate.guide], query: query, terms: terms)
            if let meaning, let meanings {
                found.score = candidate.score
                let closest = meaning[candidate.guide]
                let passage = meanings.passage(closest.passage)
                let reason = "meaning " + String(format: "%.2f", closest.score) + ", closest to \"\(passage)\""
                found.explanation = found.matchedTerms.isEmpty ? reason : found.explanation + "; " + reason
            }
            return found
        }
    }

    /// Every guide's score (0 to 1, indexed like `guides`) for terms made by
    /// `queryAnalyzer`: what grouping uses as a concept space. With `meaning`
    /// (the text's vector), the mixed scores `search` ranks by.
    func scores(forTerms terms: [TextAnalyzer.Term], meaning vector: [Float]? = nil) -> [Double] {
        let (query, _) = weightedQuery(terms)
        var scores = [Double](repeating: 0, count: guides.count)
        index.score(query, into: &scores)
        let words = scores.map(Self.normalise)
        guard let meanings, let vector else { return words }
        let share = parameters.meaningWeight
        return zip(meanings.scores(for: vector), words).map { share * $0.score + (1 - share) * $1 }
    }

    /// How rare a term (a stem or `~concept`) is among the guides, BM25's idf.
    public func inverseFrequency(of key: String) -> Double { index.inverseFrequency(of: key) }

    /// How many guides contain a term (a stem or `~concept`).
    public func documentFrequency(of key: String) -> Int { index.documentFrequency(of: key) }

    static func normalise(_ raw: Double) -> Double { 1 - exp(-raw / scoreScale) }

    /// How many different known words a ticket needs before a guide is
    /// suggested to its customer: "help", "not working" or a row of unknown
    /// letters says too little to choose one, yet meaning alone would still
    /// rank some guide first, and a public reply would send it.
    public static let minimumKnownWords = 2

    /// Whether `text` has `minimumKnownWords` different words that some
    /// guide uses (as written, or as the spelling corrector reads them) or
    /// the support lexicon names.
    public func saysEnough(_ text: String) -> Bool {
        var known: Set<String> = []
        for term in analyzer.terms(text) {
            if case .concept = term.origin { continue }
            if index.documentFrequency(of: term.key) > 0 || analyzer.lexicon.words.contains(term.surface) {
                known.insert(term.key)
            }
            if known.count >= Self.minimumKnownWords { return true }
        }
        return false
    }

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
        // One reason per word of the ticket, however many ways it matched:
        // "exprot" (read as "export"; ≈ export) in title, body.
        var surfaces: [String] = []
        var reasons: [String: (readAs: String?, concepts: [String], fields: UInt8)] = [:]
        for contribution in index.contributions(query, guide: guide) {
            guard let term = terms[contribution.key] else { continue }
            if reasons[term.surface] == nil { surfaces.append(term.surface) }
            var reason = reasons[term.surface] ?? (nil, [], 0)
            reason.fields |= contribution.fields
            switch term.origin {
            case .word: break
            case .corrected(let word): reason.readAs = word
            case .concept(let name) where !reason.concepts.contains(name): reason.concepts.append(name)
            case .concept: break
            }
            reasons[term.surface] = reason
            for word in term.surface.split(separator: " ").map(String.init) where !matched.contains(word) {
                if case .concept = term.origin, TextNormalizer.isStopWord(word) { continue }
                matched.append(word)
            }
        }
        let described = surfaces.map { surface in
            let reason = reasons[surface]!
            // "export" (≈ export) says nothing; a concept named as the word read is left out.
            let concepts = reason.concepts.filter { $0 != (reason.readAs ?? surface) }
            let notes = (reason.readAs.map { ["read as \"\($0)\""] } ?? []) + concepts.map { "≈ \($0)" }
            let fields = GuideIndex.Field.allCases.filter { reason.fields & UInt8(1 << $0.rawValue) != 0 }
                .map(\.name).joined(separator: ", ")
            return "\"\(surface)\"" + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")") + " in \(fields)"
        }
        let score = Self.normalise(raw)
        let explanation = "matched " + described.joined(separator: "; ")
        return GuideMatch(guide: guides[guide], score: score, matchedTerms: matched, explanation: explanation)
    }
}

extension KnowledgeBase {
    /// Reads every guide under `directory` (see `GuideLoader` for the format).
    /// Front matter problems come back as diagnostics with file, line and
    /// column; guides that could be read are loaded even when others fail.
    public static func load(
        directory: String, lexicon: SupportLexicon = .standard, encoder: SentenceEncoder? = nil,
        cache: EncodingCache? = nil, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) -> (KnowledgeBase, [Diagnostic]) {
        let (guides, diagnostics) = GuideLoader.load(directory: directory)
        return (
            KnowledgeBase(guides: guides, lexicon: lexicon, encoder: encoder, cache: cache, progress: progress),
            diagnostics
        )
    }
}
