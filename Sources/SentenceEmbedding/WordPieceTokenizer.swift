import Foundation

/// BERT's uncased tokenizer: clean and lowercase the text, strip accents,
/// split on whitespace and punctuation, then cut each word into the longest
/// pieces the vocabulary knows (`##` marks a piece inside a word). MPNet
/// uses the same one, framing a text with `<s>` and `</s>` instead of
/// `[CLS]` and `[SEP]`.
struct WordPieceTokenizer: Sendable {
    let vocabulary: [String: Int32]
    let classifier: Int32
    let separator: Int32
    let unknown: Int32
    /// Longer words become `[UNK]` whole, as in BERT.
    static let longestWord = 100

    init(vocabularyFile path: String, begin: String = "[CLS]", end: String = "[SEP]") throws(SentenceEncoderError) {
        guard let data = FileManager.default.contents(atPath: path) else { throw .missingFile(path: path) }
        var vocabulary: [String: Int32] = [:]
        var number: Int32 = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let token = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if !token.isEmpty, vocabulary[token] == nil { vocabulary[token] = number }
            number += 1
        }
        guard let classifier = vocabulary[begin], let separator = vocabulary[end], let unknown = vocabulary["[UNK]"]
        else { throw .unreadable(path: path, reason: "the vocabulary lacks \(begin), \(end) or [UNK]") }
        self.vocabulary = vocabulary
        self.classifier = classifier
        self.separator = separator
        self.unknown = unknown
    }

    /// Token ids framed by the begin and end tokens, at most `limit` in all.
    func ids(_ text: String, limit: Int) -> [Int32] {
        var ids: [Int32] = [classifier]
        for word in Self.words(text) {
            for piece in pieces(word) {
                guard ids.count < limit - 1 else { break }
                ids.append(piece)
            }
            if ids.count >= limit - 1 { break }
        }
        ids.append(separator)
        return ids
    }

    /// Lowercased, accent-free words and single punctuation marks.
    static func words(_ text: String) -> [String] {
        let folded = text.lowercased().decomposedStringWithCanonicalMapping
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current.removeAll()
        }
        for scalar in folded.unicodeScalars {
            let properties = scalar.properties
            if scalar.value == 0 || scalar.value == 0xFFFD { continue }
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.isWhitespace { flush(); continue }
            if properties.generalCategory == .control || properties.generalCategory == .format { continue }
            if isPunctuation(scalar) || isIdeograph(scalar) {
                flush()
                words.append(String(scalar))
                continue
            }
            current.append(scalar)
        }
        flush()
        return words
    }

    /// Pieces of one word, longest match first; `[UNK]` when some part has no piece.
    func pieces(_ word: String) -> [Int32] {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count <= Self.longestWord else { return [unknown] }
        var pieces: [Int32] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while start < end {
                var candidate = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { candidate = "##" + candidate }
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [unknown] }
            pieces.append(found)
            start = end
        }
        return pieces
    }

    /// ASCII symbols count as punctuation too, as in BERT ("$", "+", "^").
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// CJK ideographs stand alone, one token each.
    static func isIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
