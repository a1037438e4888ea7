/// Hand-written support vocabulary: groups of words and phrases that name
/// the same thing ("download" and "export", "log in" and "sign in").
///
/// Each group is a concept. Text that contains any member also carries the
/// concept as an extra term, so a ticket and a guide that use different
/// members still share something. The word lists live in
/// `SupportLexicon+Data.swift`, one concept a line, so they can be edited
/// without touching this code.
public struct SupportLexicon: Sendable {
    /// One concept: its name and the stemmed word sequences that stand for it.
    public struct Concept: Sendable, Hashable {
        public var name: String
        public var forms: [[String]]
    }

    public private(set) var concepts: [Concept]
    /// Every word that appears in some form, unstemmed: known to the spelling corrector.
    public private(set) var words: Set<String>
    /// Forms by their first stem, longest first.
    private var formsByFirstStem: [String: [(form: [String], concept: Int)]]

    /// The built-in support lexicon.
    public static let standard = SupportLexicon(source: SupportLexicon.standardSource)

    /// An empty lexicon: no concepts.
    public static let empty = SupportLexicon(source: "")

    /// Reads lines of the form `concept = form, form, multi word form`;
    /// `#` starts a comment. Lines without `=` are ignored.
    public init(source: String) {
        concepts = []
        words = []
        formsByFirstStem = [:]
        for rawLine in source.split(separator: "\n") {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingSpaces()
            guard !name.isEmpty else { continue }
            var forms: [[String]] = []
            for entry in line[line.index(after: equals)...].split(separator: ",") {
                let entryWords = TextNormalizer.words(String(entry))
                guard !entryWords.isEmpty else { continue }
                words.formUnion(entryWords)
                let form = entryWords.map(TextNormalizer.stem)
                if !forms.contains(form) { forms.append(form) }
            }
            guard !forms.isEmpty else { continue }
            let index = concepts.count
            concepts.append(Concept(name: name, forms: forms))
            for form in forms { formsByFirstStem[form[0], default: []].append((form, index)) }
        }
        for key in formsByFirstStem.keys { formsByFirstStem[key]!.sort { $0.form.count > $1.form.count } }
    }

    /// A concept found in a text: which one, and the range of stems that named it.
    public struct Match: Sendable, Hashable {
        public var concept: Int
        public var range: Range<Int>
    }

    /// Every occurrence of every concept in a sequence of stems (stop words included,
    /// so "log in" can match). A concept is reported once per position.
    public func matches(in stems: [String]) -> [Match] {
        var found: [Match] = []
        for start in stems.indices {
            guard let candidates = formsByFirstStem[stems[start]] else { continue }
            var seen: Set<Int> = []
            for (form, concept) in candidates where !seen.contains(concept) {
                let end = start + form.count
                guard end <= stems.count, stems[start..<end].elementsEqual(form) else { continue }
                seen.insert(concept)
                found.append(Match(concept: concept, range: start..<end))
            }
        }
        return found
    }

    /// The term that stands for a concept in indexes: `~name`.
    public func term(for concept: Int) -> String { "~" + concepts[concept].name }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
