import Foundation

/// What a ticket is: a report that something does not work as expected, or a
/// question or wish. Text grouping never puts the two in one group: "the xlsx
/// export stops at 10,000 rows" and "how do I export only the filtered rows to
/// excel" share their words but not a problem, and a recurring wish ("can we
/// get A4 pages") is a different recommendation from a recurring fault.
///
/// Read from the words alone, with rules an agent can check by eye:
/// - a text with a sign of trouble is a `problem`: a negation ("not", "can't",
///   "never", "no"), or a word of failure or surprise ("error", "missing",
///   "twice", "stopped", "still", "since", "why", …);
/// - otherwise a text that asks is a `request`: it ends with "?", a sentence
///   opens like a question ("can", "how", "is", "where", …), or it says what
///   someone wants ("we need", "I'd like", "is it possible", "turn off", …);
/// - anything else is a `problem`, since most tickets report one.
public enum TicketIntent: String, Sendable, Hashable, CaseIterable {
    /// Something does not work as the customer expects.
    case problem
    /// The customer asks how to do something, or for a change.
    case request

    public init(text: String) {
        let words = Self.words(text)
        if words.contains(where: { Self.isSignOfTrouble($0.text) }) {
            self = .problem
        } else if Self.asks(text, words) {
            self = .request
        } else {
            self = .problem
        }
    }

    struct Word {
        var text: String
        /// Whether the word opens the text or follows sentence punctuation.
        var opensSentence: Bool
    }

    /// Lower-cased words (letters, digits, apostrophes), each marked when it opens a sentence.
    static func words(_ text: String) -> [Word] {
        var words: [Word] = []
        var current = ""
        var opens = true
        var boundary = true
        for character in text.lowercased() {
            let character: Character = character == "\u{2019}" ? "'" : character
            if character.isLetter || character.isNumber || (character == "'" && !current.isEmpty) {
                if current.isEmpty { opens = boundary }
                current.append(character)
                boundary = false
                continue
            }
            if !current.isEmpty {
                words.append(Word(text: current, opensSentence: opens))
                current = ""
            }
            if sentenceMarks.contains(character) {
                boundary = true
            } else if !character.isWhitespace {
                boundary = false
            }
        }
        if !current.isEmpty { words.append(Word(text: current, opensSentence: opens)) }
        return words
    }

    static let sentenceMarks: Set<Character> = [".", "!", "?", ":", ";", "\u{2014}", "\u{2013}", "-"]

    static func isSignOfTrouble(_ word: String) -> Bool {
        word.hasSuffix("n't") || negations.contains(word) || troubleWords.contains(word)
    }

    static let negations: Set<String> = [
        "not", "no", "never", "nothing", "none", "nobody", "cannot", "cant", "dont", "doesnt", "didnt", "isnt",
        "wasnt", "wont", "arent", "werent", "havent", "hasnt",
    ]

    static let troubleWords: Set<String> = [
        "error", "errors", "fail", "fails", "failed", "failing", "failure", "broke", "broken", "breaks", "bug",
        "crash", "crashes", "crashed", "crashing", "missing", "wrong", "incorrect", "blank", "empty", "gone",
        "lost", "disappeared", "vanished", "vanish", "vanishes", "stuck", "frozen", "freezes", "hangs", "expired",
        "invalid", "rejected", "denied", "twice", "2x", "duplicate", "duplicated", "stopped", "stops", "still",
        "suddenly", "anymore", "since", "why", "weird", "delayed", "late", "slow", "sluggish", "timeout",
        "throttled",
    ]

    /// Words that open a question.
    static let questionOpeners: Set<String> = [
        "can", "could", "may", "is", "are", "do", "does", "will", "would", "how", "where", "what", "when", "which",
    ]

    /// Word sequences that ask for something wherever they stand.
    static let askingPhrases: [[String]] = [
        "how do", "how can", "how to", "how much", "how many", "how long", "how often", "can i", "can we",
        "can you", "can it", "can they", "could i", "could we", "could you", "is it possible", "possible to",
        "is there a", "is there an", "is there any", "are there", "do you support", "do you have", "do you offer",
        "where is", "where are", "where can", "we need", "we want", "we'd like", "i'd like", "i would like",
        "we would like", "i want", "please add", "please change", "please remove", "please make", "please enable",
        "please disable", "turn off", "turn on", "would be nice", "feature request",
    ].map { $0.split(separator: " ").map(String.init) }

    static func asks(_ text: String, _ words: [Word]) -> Bool {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("?") { return true }
        if words.contains(where: { $0.opensSentence && questionOpeners.contains($0.text) }) { return true }
        let texts = words.map(\.text)
        return askingPhrases.contains { phrase in
            texts.count >= phrase.count
                && (0...(texts.count - phrase.count)).contains { start in texts[start..<(start + phrase.count)].elementsEqual(phrase) }
        }
    }
}
