/// Turns text into the terms that the guide index and text signatures count:
/// stems of the words that are not stop words, plus one `~concept` term for
/// each support-lexicon concept the text mentions.
///
/// With a spelling corrector, a word that is neither known to it nor to the
/// lexicon is first replaced by its correction, when there is one.
public struct TextAnalyzer: Sendable {
    /// One term of an analysed text, with the words it came from.
    public struct Term: Sendable, Hashable {
        public enum Origin: Sendable, Hashable {
            /// The stem of a word of the text.
            case word
            /// The stem of the known word that a misspelt word was read as.
            case corrected(to: String)
            /// A lexicon concept that some words of the text name.
            case concept(String)
        }

        /// The stem, or `~name` for a concept.
        public var key: String
        /// The words of the text behind the term, as written (lowercased).
        public var surface: String
        public var origin: Origin
    }

    public var lexicon: SupportLexicon
    public var corrector: SpellingCorrector?

    public init(lexicon: SupportLexicon = .standard, corrector: SpellingCorrector? = nil) {
        self.lexicon = lexicon
        self.corrector = corrector
    }

    /// The terms of `text`, in the order they occur; concepts follow the words.
    public func terms(_ text: String) -> [Term] {
        let words = TextNormalizer.words(text)
        var read = words
        if let corrector {
            for (index, word) in words.enumerated()
            where !TextNormalizer.isStopWord(word) && !lexicon.words.contains(word) {
                if let corrected = corrector.correction(for: word) { read[index] = corrected }
            }
        }
        let stems = read.map(TextNormalizer.stem)
        var terms: [Term] = []
        terms.reserveCapacity(words.count + 4)
        for index in words.indices where !TextNormalizer.isStopWord(read[index]) && read[index].utf8.count > 1 {
            let origin: Term.Origin = read[index] == words[index] ? .word : .corrected(to: read[index])
            terms.append(Term(key: stems[index], surface: words[index], origin: origin))
        }
        for match in lexicon.matches(in: stems) {
            let name = lexicon.concepts[match.concept].name
            terms.append(Term(
                key: lexicon.term(for: match.concept), surface: words[match.range].joined(separator: " "),
                origin: .concept(name)))
        }
        return terms
    }
}
