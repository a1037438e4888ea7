import Foundation

/// What a ticket is: a report that something does not work as expected, or a
/// question or wish. Text grouping never puts the two in one group: "the xlsx
/// export stops at 10,000 rows" and "how do I export only the filtered rows to
/// excel" share their words but not a problem, and a recurring wish ("can we
/// get A4 pages") is a different recommendation from a recurring fault.
///
/// Read from the words alone, with rules an agent can check by eye:
/// - a text with a sign of trouble is a `problem`: a negation ("not", "can't",
///   "never", "no"; not "no rush", "not urgent", "can't find" or "not sure"),
///   or a word of failure or change ("error", "missing", "twice", "outage",
///   "since", "why", …);
/// - otherwise a text that asks is a `request`: a sentence ends with "?" or
///   opens like a question ("can we", "how do", "is there", "where is", …),
///   or it says what someone wants or cannot find ("we need", "I'd like",
///   "turn off", "can't find", "not sure how", …);
/// - anything else is a `problem`, since most tickets report one.
///
/// Words of change ("since", "still", "anymore", "suddenly") count as trouble:
/// "why is the invoice still in dollars?" and "since the update, can you
/// check our export?" report a regression, the heart of a recurring problem.
/// The price is that "can we still pay by invoice?" reads as a problem.
public enum TicketIntent: String, Sendable, Hashable, CaseIterable {
    /// Something does not work as the customer expects.
    case problem
    /// The customer asks how to do something, or for a change.
    case request

    /// Reads the intent of a ticket's text (subject and description).
    ///
    /// - Important: The rules know English only: a text in another language
    ///   is a `request` only when a sentence ends with "?" and it has no
    ///   English sign of trouble, else a `problem`.
    public init(text: String) {
        let text = Self.withoutSignature(text)
        let words = Self.words(text)
        if Self.hasSignOfTrouble(words) {
            self = .problem
        } else if Self.asks(text, words) {
            self = .request
        } else {
            self = .problem
        }
    }

    /// The text before an email signature: a line "--" or "-- " (the usual
    /// signature delimiter) or the start of a legal disclaimer ("If you are
    /// not the intended recipient …"), whose negations say nothing of the ticket.
    static func withoutSignature(_ text: String) -> String {
        var kept: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "--" || trimmed == "\u{2014}" { break }
            let lowered = trimmed.lowercased()
            if disclaimerOpenings.contains(where: { lowered.hasPrefix($0) }) { break }
            kept.append(line)
        }
        return kept.joined(separator: "\n")
    }

    static let disclaimerOpenings = [
        "if you are not the intended recipient", "this email and any attachments", "this e-mail and any attachments",
        "this message and any attachments", "confidentiality notice", "disclaimer:",
    ]

    /// Whether tickets of these intents may share a group: not a problem
    /// and a request; an unknown intent (nil) goes with either.
    static func compatible(_ first: TicketIntent?, _ second: TicketIntent?) -> Bool {
        guard let first, let second else { return true }
        return first == second
    }

    struct Word {
        var text: String
        /// Whether the word opens the text or follows sentence punctuation or a line break.
        var opensSentence: Bool
    }

    /// The text's words as ranking reads them (`TextNormalizer.words`:
    /// lower-cased, apostrophes dropped, so "can't" is "cant"), each marked
    /// when it opens a sentence.
    static func words(_ text: String) -> [Word] {
        sentences(text).flatMap { sentence in
            TextNormalizer.words(String(sentence)).enumerated().map { Word(text: $1, opensSentence: $0 == 0) }
        }
    }

    /// The text cut at sentence marks, line breaks, and a hyphen after a
    /// space ("Export - can we …"; not "to-do").
    static func sentences(_ text: String) -> [Substring] {
        var sentences: [Substring] = []
        var start = text.startIndex
        var previous: Character = " "
        for index in text.indices {
            let character = text[index]
            if sentenceMarks.contains(character) || character.isNewline || (character == "-" && previous.isWhitespace) {
                sentences.append(text[start..<index])
                start = text.index(after: index)
            }
            previous = character
        }
        sentences.append(text[start...])
        return sentences
    }

    static let sentenceMarks: Set<Character> = [".", "!", "?", ":", ";", "\u{2014}", "\u{2013}", "\u{FF1F}"]

    static func hasSignOfTrouble(_ words: [Word]) -> Bool {
        words.indices.contains { index in
            let word = words[index].text
            if troubleWords.contains(word) { return true }
            if word == "down" { return index == 0 || !notDown.contains(words[index - 1].text) }
            guard negations.contains(word) else { return false }
            return index + 1 == words.count || !harmlessAfterNegation.contains(words[index + 1].text)
        }
    }

    /// Contractions as `TextNormalizer.words` leaves them: "can't" is "cant".
    static let negations: Set<String> = [
        "not", "no", "never", "nothing", "none", "nobody", "cannot", "cant", "dont", "doesnt", "didnt", "isnt",
        "wasnt", "wont", "arent", "werent", "havent", "hasnt", "hadnt", "couldnt", "wouldnt", "shouldnt", "aint",
    ]

    /// Negations that are no trouble: "no rush" and "not urgent" soften a
    /// request; "can't find", "don't know" and "not sure" ask how.
    static let harmlessAfterNegation: Set<String> = [
        "rush", "hurry", "urgent", "pressure", "worries", "find", "locate", "figure", "know", "sure", "understand",
    ]

    /// "Drop-down" and "scroll down" are not "the site is down".
    static let notDown: Set<String> = ["drop", "scroll", "pull", "count", "narrow", "write", "step", "slow"]

    static let troubleWords: Set<String> = [
        "error", "errors", "fail", "fails", "failed", "failing", "failure", "broke", "broken", "breaks", "bug",
        "bugs", "crash", "crashes", "crashed", "crashing", "missing", "wrong", "incorrect", "blank", "empty",
        "gone", "lost", "disappeared", "vanished", "vanish", "vanishes", "stuck", "frozen", "freezes", "hangs",
        "expired", "invalid", "rejected", "denied", "twice", "2x", "duplicate", "duplicated", "stopped", "stops",
        "why", "weird", "delayed", "late", "slow", "sluggish", "timeout", "throttled", "outage", "issues",
        "problem", "problems", "since", "still", "anymore", "suddenly", "unusable", "unreadable", "corrupt",
        "corrupted", "corrupting", "garbled", "inaccurate", "mismatch",
    ]

    /// Verbs that open a question when they open a sentence ("can we …", "is there …").
    static let questionVerbs: Set<String> = ["can", "could", "is", "are", "do", "does", "will", "would"]

    /// Words that open a question when one of `questionFollowers` comes next
    /// ("how do …", "when will …"), unlike "when I open the board, …".
    static let questionWords: Set<String> = ["how", "where", "what", "when", "which"]

    static let questionFollowers: Set<String> = questionVerbs.union([
        "did", "was", "were", "should", "much", "many", "long", "often", "to",
    ])

    static func opensQuestion(_ words: [Word], at index: Int) -> Bool {
        guard words[index].opensSentence else { return false }
        if questionVerbs.contains(words[index].text) { return true }
        guard questionWords.contains(words[index].text), index + 1 < words.count else { return false }
        return questionFollowers.contains(words[index + 1].text)
    }

    /// Word sequences that ask for something wherever they stand, by their
    /// first word, so a long text costs one lookup per word.
    static let askingPhrases: [String: [[String]]] = Dictionary(grouping: [
        "how do", "how can", "how to", "how much", "how many", "how long", "how often", "can i", "can we",
        "can you", "can it", "can they", "could i", "could we", "could you", "may i", "is it possible",
        "possible to", "is there a", "is there an", "is there any", "are there", "do you support", "do you have",
        "do you offer", "where is", "where are", "where can", "we need", "we want", "wed like", "id like",
        "i would like", "we would like", "i want", "please add", "please change", "please remove", "please make",
        "please enable", "please disable", "turn off", "turn on", "would be nice", "feature request",
        "cant find", "cannot find", "couldnt find", "cant locate", "cant figure", "cannot figure", "dont know how",
        "not sure how", "not sure if", "not sure whether", "dont understand",
    ].map { $0.split(separator: " ").map(String.init) }, by: { $0[0] })

    /// Whether the text asks something.
    static func asks(_ text: String, _ words: [Word]) -> Bool {
        endsASentenceWithAQuestionMark(text)
            || words.indices.contains { start in
                opensQuestion(words, at: start)
                    || (askingPhrases[words[start].text] ?? []).contains { phrase in
                        start + phrase.count <= words.count
                            && phrase.indices.allSatisfy { words[start + $0].text == phrase[$0] }
                    }
            }
    }

    /// A "?" at the end of the text or before a space or line break (closing
    /// marks between them allowed: `?!`, `?)`, `?"`); not one inside a link.
    static func endsASentenceWithAQuestionMark(_ text: String) -> Bool {
        var sawMark = false
        for character in text {
            if character == "?" || character == "\u{FF1F}" {
                sawMark = true
            } else if sawMark {
                if character.isWhitespace { return true }
                if !closingMarks.contains(character) { sawMark = false }
            }
        }
        return sawMark
    }

    static let closingMarks: Set<Character> = ["!", ")", "\"", "'", "\u{201D}", "\u{2019}"]
}
