import Core

/// Maps a misspelt word to the closest word of a known vocabulary, so that
/// "pasword" still finds the guide that says "password".
///
/// Candidates come from an index of character trigrams ("$pa", "pas", …), so
/// a lookup reads a few posting lists instead of the whole vocabulary; the
/// survivors are checked with the edit distance (a transposition counts as
/// one edit). Allowed distance: 1 for words of 5–7 letters, 2 from 8 letters;
/// shorter words, words with digits, and other forms of a known word
/// ("selecting" when "selection" is known) are never corrected.
public struct SpellingCorrector: Sendable {
    private var vocabulary: [String]
    /// How often each vocabulary word occurs: ties go to the commoner word.
    private var frequency: [Int]
    private var known: Set<String>
    private var knownStems: Set<String>
    private var postings: [String: [Int32]]

    /// `words` with their counts; every word is known and may be suggested.
    public init(counts: [String: Int]) {
        vocabulary = counts.keys.sorted()
        frequency = vocabulary.map { counts[$0]! }
        known = Set(vocabulary)
        knownStems = Set(vocabulary.map(TextNormalizer.stem))
        postings = [:]
        for (index, word) in vocabulary.enumerated() where Self.isCorrectable(word) {
            for gram in Set(Self.trigrams(word)) { postings[gram, default: []].append(Int32(index)) }
        }
    }

    public func isKnown(_ word: String) -> Bool { known.contains(word) }

    /// The closest known word, or `nil` when `word` is known, too short, or
    /// nothing is close enough.
    public func correction(for word: String) -> String? {
        guard !known.contains(word), Self.isCorrectable(word), !knownStems.contains(TextNormalizer.stem(word)) else {
            return nil
        }
        let length = word.utf8.count
        let allowed = length >= 8 ? 2 : 1
        let grams = Self.trigrams(word)
        // An edit destroys at most three trigrams, a transposition four.
        let needed = max(1, grams.count - 4 * allowed)
        var shared: [Int32: Int] = [:]
        for gram in Set(grams) {
            for index in postings[gram] ?? [] { shared[index, default: 0] += 1 }
        }
        var best: (word: String, distance: Int, frequency: Int)?
        for (index, count) in shared where count >= needed {
            let candidate = vocabulary[Int(index)]
            guard abs(candidate.utf8.count - length) <= allowed else { continue }
            let distance = Suggestion.editDistance(word, candidate)
            guard distance <= allowed else { continue }
            let better: Bool
            if let best {
                better = distance < best.distance
                    || (distance == best.distance && frequency[Int(index)] > best.frequency)
                    || (distance == best.distance && frequency[Int(index)] == best.frequency && candidate < best.word)
            } else {
                better = true
            }
            if better { best = (candidate, distance, frequency[Int(index)]) }
        }
        return best?.word
    }

    private static func isCorrectable(_ word: String) -> Bool {
        word.utf8.count >= 5 && word.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }

    private static func trigrams(_ word: String) -> [String] {
        let padded = Array("$" + word + "$")
        guard padded.count >= 3 else { return [] }
        return (0...(padded.count - 3)).map { String(padded[$0..<$0 + 3]) }
    }
}
