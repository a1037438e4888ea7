import Foundation

/// Turns free text into comparable words: lowercased, accents removed, split
/// on anything that is not a letter or digit, and reduced by a light stemmer.
///
/// Ranking and grouping both go through here, so a ticket and a guide that
/// say "Exporting invoices" and "export an invoice" meet on the same terms.
public enum TextNormalizer {
    /// Lowercased words with diacritics removed. Apostrophes inside a word are
    /// dropped ("can't" → "cant", "user's" → "users"); every other character
    /// that is not a letter, digit or combining mark separates words. A word
    /// keeps its first `longestWord` letters: nothing longer is a word anyone
    /// searches for, and folding is then cheap whatever the text.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var length = 0
        var ascii = true
        func finish() {
            guard !current.isEmpty else { return }
            let word = String(current)
            // Folding word by word: on the whole text Foundation's folding
            // takes time growing with the square of its combining marks.
            let folded = ascii
                ? word.lowercased()
                : word.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).lowercased()
            if !folded.isEmpty { words.append(folded) }
            current = String.UnicodeScalarView()
            length = 0
            ascii = true
        }
        var scalars = text.unicodeScalars.makeIterator()
        var next = scalars.next()
        while let scalar = next {
            next = scalars.next()
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || (!current.isEmpty && isMark(scalar)) {
                if !isMark(scalar) { length += 1 }
                if length <= longestWord {
                    current.append(scalar)
                    if !scalar.isASCII { ascii = false }
                }
            } else if scalar == "'" || scalar == "\u{2019}", !current.isEmpty, next?.properties.isAlphabetic == true {
                continue
            } else {
                finish()
            }
        }
        finish()
        return words
    }

    /// Letters and digits of a word beyond this many are left out of it.
    public static let longestWord = 64

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// Words too common to say anything about a problem: English function
    /// words and the greetings and filler of support tickets.
    public static func isStopWord(_ word: String) -> Bool {
        stopWords.contains(word)
    }

    /// A light suffix stripper: plurals, `-ed`, `-ing`, `-ly`, `-ation`, a
    /// final `e`, a final `y` after a consonant and a doubled final consonant.
    ///
    /// It does not produce dictionary words ("invoices" → "invoic"); it only
    /// has to send the forms of one word to the same key. Words of three
    /// letters or fewer, and words with digits, are kept as they are.
    public static func stem(_ word: String) -> String {
        var w = Array(word.utf8)
        guard w.count > 3, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return word }
        func ends(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            return w.count > s.count && Array(w.suffix(s.count)) == s
        }
        func hasVowel(_ part: ArraySlice<UInt8>) -> Bool { part.contains(where: isVowel) }
        // Plurals and third person.
        if ends("ies"), w.count > 4 {
            w.removeLast(2)
            w[w.count - 1] = 0x69  // i
        } else if ends("sses") {
            w.removeLast(2)
        } else if ends("s"), !ends("ss"), !ends("us"), !ends("is"), w.count > 3 {
            w.removeLast()
        }
        // Past tense and gerunds.
        if ends("ied"), w.count > 4 {
            w.removeLast(2)
        } else if ends("eed") {
            // "need", "feed", "speed" keep their ending.
        } else if ends("ed"), w.count - 2 >= 3, hasVowel(w.dropLast(2)) {
            w.removeLast(2)
        } else if ends("ing"), w.count - 3 >= 3, hasVowel(w.dropLast(3)) {
            w.removeLast(3)
        }
        if ends("ation"), w.count - 5 >= 2 {
            w.removeLast(3)
        } else if ends("ly"), w.count - 2 >= 4 {
            w.removeLast(2)
        }
        if w.count > 3, w.last == 0x65 {  // final e
            w.removeLast()
        }
        if w.count > 3, w.last == 0x79, !isVowel(w[w.count - 2]) {  // final y after a consonant
            w[w.count - 1] = 0x69
        }
        if w.count > 3, w[w.count - 1] == w[w.count - 2], !isVowel(w[w.count - 1]) {
            w.removeLast()
        }
        return String(decoding: w, as: UTF8.self)
    }

    private static func isVowel(_ byte: UInt8) -> Bool {
        byte == 0x61 || byte == 0x65 || byte == 0x69 || byte == 0x6F || byte == 0x75 || byte == 0x79
    }

    private static let stopWords: Set<String> = [
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "anyone", "are", "as",
        "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "etc", "even", "ever",
        "every", "few", "for", "from", "further", "get", "gets", "getting", "got", "had", "has", "have", "having",
        "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
        "it", "its", "itself", "just", "let", "lets", "like", "me", "might", "more", "most", "much", "must", "my",
        "myself", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over",
        "own", "same", "she", "should", "so", "some", "such", "than", "that", "thats", "the", "their", "theirs",
        "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
        "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
        "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "im", "ive",
        "id", "ill", "youre", "weve", "were", "theyre", "its", "one", "still", "now", "yet", "really", "actually",
        "please", "thanks", "thank", "thx", "hi", "hello", "hey", "dear", "team", "support", "regards", "cheers",
        "help", "anybody", "someone", "somebody", "something", "anything", "way", "know", "want", "wanted",
        "wants", "trying", "tried", "try", "need", "needs", "able", "seem", "seems", "keep", "keeps", "today",
        "yesterday", "morning", "since", "ago", "again", "already", "ok", "okay", "guys", "asap", "urgent",
        "issue", "issues", "problem", "problems", "question", "quick", "hoping", "hope", "possible", "happen",
        "happens", "happened", "happening", "thing", "things", "stuff", "use", "using", "used", "make", "made",
        "go", "going", "goes", "went", "see", "says", "said", "say", "tell", "show", "shows", "via", "not", "no",
        "cant", "cannot", "dont", "doesnt", "didnt", "wont", "isnt", "arent", "wasnt", "couldnt", "havent",
    ]
}
