import Foundation

/// The inverted index behind `KnowledgeBase.search`: BM25F over four fields
/// of every guide, built once when the knowledge base is made.
///
/// BM25F adds up a term's occurrences over the fields, each count scaled by
/// the field's weight and by the field's length relative to its average,
/// before BM25 saturates the sum: a word in the title counts three times a
/// word in the body, but ten mentions do not count ten times one.
struct GuideIndex: Sendable {
    enum Field: Int, CaseIterable, Sendable {
        case title, phrases, tags, body

        var name: String {
            switch self {
            case .title: "title"
            case .phrases: "phrases"
            case .tags: "tags"
            case .body: "body"
            }
        }
    }

    let k1: Double

    struct Posting: Sendable {
        var guide: Int32
        /// The length-normalised, field-weighted occurrence count.
        var frequency: Float
        /// Bit `f` is set when the term occurs in field `f`.
        var fields: UInt8
    }

    private(set) var termIDs: [String: Int32] = [:]
    private(set) var idf: [Double] = []
    private(set) var postings: [[Posting]] = []
    let guideCount: Int

    init(guides: [Guide], analyzer: TextAnalyzer, parameters: RankingParameters) {
        guideCount = guides.count
        k1 = parameters.k1
        let fieldWeights = [parameters.titleWeight, parameters.phrasesWeight, parameters.tagsWeight, parameters.bodyWeight]
        let lengthNormalisation = [0.3, 0.3, 0.2, parameters.bodyLengthNormalisation]
        var counts: [[[String: Int]]] = []
        var lengths: [[Double]] = []
        for guide in guides {
            let texts = [
                guide.title, guide.phrases.joined(separator: ". "),
                (guide.tags + [guide.productArea ?? ""]).joined(separator: ". ").replacingOccurrences(of: "-", with: " "),
                Self.plainText(guide.body),
            ]
            var fieldCounts: [[String: Int]] = []
            var fieldLengths: [Double] = []
            for text in texts {
                let terms = analyzer.terms(text)
                var count: [String: Int] = [:]
                for term in terms { count[term.key, default: 0] += 1 }
                fieldCounts.append(count)
                fieldLengths.append(Double(terms.count))
            }
            counts.append(fieldCounts)
            lengths.append(fieldLengths)
        }
        let fields = Field.allCases.count
        var average = [Double](repeating: 0, count: fields)
        for fieldLengths in lengths { for f in 0..<fields { average[f] += fieldLengths[f] } }
        average = average.map { max(1, $0 / Double(max(1, guides.count))) }

        for (guide, fieldCounts) in counts.enumerated() {
            var merged: [String: (Double, UInt8)] = [:]
            for f in 0..<fields {
                let b = lengthNormalisation[f]
                let norm = 1 - b + b * lengths[guide][f] / average[f]
                for (key, count) in fieldCounts[f] {
                    let add = fieldWeights[f] * Double(count) / norm
                    let old = merged[key] ?? (0, 0)
                    merged[key] = (old.0 + add, old.1 | UInt8(1 << f))
                }
            }
            for (key, (frequency, mask)) in merged.sorted(by: { $0.key < $1.key }) {
                let id: Int32
                if let known = termIDs[key] {
                    id = known
                } else {
                    id = Int32(postings.count)
                    termIDs[key] = id
                    postings.append([])
                }
                postings[Int(id)].append(Posting(guide: Int32(guide), frequency: Float(frequency), fields: mask))
            }
        }
        let n = Double(guides.count)
        idf = postings.map { list in
            let df = Double(list.count)
            return log(1 + (n - df + 0.5) / (df + 0.5))
        }
    }

    /// How rare a term is among the guides; terms no guide has get the highest value.
    func inverseFrequency(of key: String) -> Double {
        if let id = termIDs[key] { return idf[Int(id)] }
        let n = Double(guideCount)
        return log(1 + (n + 0.5) / 0.5)
    }

    /// Number of guides that contain the term.
    func documentFrequency(of key: String) -> Int {
        termIDs[key].map { postings[Int($0)].count } ?? 0
    }

    /// One query term's share of a guide's score.
    struct Contribution: Sendable {
        var key: String
        var value: Double
        var fields: UInt8
    }

    /// Raw BM25F score of every guide for weighted query terms; `scores[g]` is 0 for guides sharing nothing.
    func score(_ query: [(key: String, weight: Double)], into scores: inout [Double]) {
        for (key, weight) in query {
            guard let id = termIDs[key] else { continue }
            let termWeight = weight * idf[Int(id)] * (k1 + 1)
            for posting in postings[Int(id)] {
                let tf = Double(posting.frequency)
                scores[Int(posting.guide)] += termWeight * tf / (k1 + tf)
            }
        }
    }

    /// The terms that make up one guide's score, largest first.
    func contributions(_ query: [(key: String, weight: Double)], guide: Int) -> [Contribution] {
        var result: [Contribution] = []
        for (key, weight) in query {
            guard let id = termIDs[key],
                let posting = postings[Int(id)].first(where: { $0.guide == Int32(guide) })
            else { continue }
            let tf = Double(posting.frequency)
            let value = weight * idf[Int(id)] * (k1 + 1) * tf / (k1 + tf)
            result.append(Contribution(key: key, value: value, fields: posting.fields))
        }
        return result.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    /// Markdown without what is not prose: link targets, code fences, emphasis marks.
    static func plainText(_ markdown: String) -> String {
        var text = ""
        text.reserveCapacity(markdown.utf8.count)
        var inFence = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.drop(while: { $0 == " " }).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            if inFence { continue }
            // Link targets out, in one pass: `[text](target)` keeps `[text]`.
            var rest = line[...]
            while let open = rest.range(of: "]("), let close = rest[open.upperBound...].firstIndex(of: ")") {
                text += rest[..<open.lowerBound]
                text += "]"
                rest = rest[rest.index(after: close)...]
            }
            text += rest
            text += "\n"
        }
        return text
    }
}
