import Foundation
import SentenceEmbedding

/// The guides as meaning vectors, so that a ticket finds its guide when it
/// describes the symptom in words the guide never uses ("all my numbers are
/// in one column" for a guide titled "Exported file looks garbled in Excel").
///
/// Each guide is cut into passages: its title, each of its phrases, and each
/// sentence of its body prefixed with the title (a sentence alone often
/// lacks its subject). A guide's score for a text is a soft maximum of the
/// passages' cosines, so one passage that says exactly the text's problem
/// counts most, and several close ones a little more.
public struct GuideMeanings: Sendable {
    public let encoder: SentenceEncoder
    /// Passage texts, and the guide (index into the guides) each belongs to.
    let passages: [String]
    let guideOfPassage: [Int]
    /// Passage vectors, one after another.
    let vectors: [Float]
    let guideCount: Int

    /// How sharply the soft maximum favours the best passage: the score is
    /// `log(Σ exp(s·k)) / k` over the passage cosines `s`. Chosen on the dev split.
    static let sharpness = 20.0

    public init(
        guides: [Guide], encoder: SentenceEncoder, cache: EncodingCache?,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) {
        var passages: [String] = []
        var owners: [Int] = []
        for (index, guide) in guides.enumerated() {
            for passage in Self.passages(of: guide) {
                passages.append(passage)
                owners.append(index)
            }
        }
        let vectors = encoder.encode(passages, cache: cache, progress: progress)
        self.encoder = encoder
        self.passages = passages
        guideOfPassage = owners
        self.vectors = vectors.flatMap { $0 }
        guideCount = guides.count
    }

    /// The title, the phrases, and every body sentence of three words or more.
    static func passages(of guide: Guide) -> [String] {
        var passages = [guide.title] + guide.phrases
        for sentence in sentences(guide.body) { passages.append(guide.title + ". " + sentence) }
        var seen: Set<String> = []
        return passages.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Sentences of a Markdown body, without its markup.
    static func sentences(_ markdown: String) -> [String] {
        var sentences: [String] = []
        for line in markdown.split(whereSeparator: \.isNewline) {
            var text = String(line.filter { !"#*>`".contains($0) }).trimmingCharacters(in: .whitespaces)
            while text.hasPrefix("-") { text = String(text.dropFirst()).trimmingCharacters(in: .whitespaces) }
            var current = ""
            var previous: Character = " "
            for character in text {
                if previous == "." || previous == "!" || previous == "?", character == " " {
                    sentences.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
                previous = character
            }
            sentences.append(current)
        }
        return sentences.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.split(separator: " ").count >= 3 }
    }

    /// For each guide, its score for `vector` and its closest passage. The
    /// soft maximum exceeds the best cosine by up to log(passages)/20, which
    /// favours a guide with several close passages; it is clamped to 0...1
    /// so that the mixed score stays on the 0...1 scale.
    func scores(for vector: [Float]) -> [(score: Double, passage: Int)] {
        let width = encoder.dimensions
        var sums = [Double](repeating: 0, count: guideCount)
        var best = [(cosine: Double, passage: Int)](repeating: (-2, -1), count: guideCount)
        precondition(width % 8 == 0 && vector.count == width)
        vectors.withUnsafeBytes { all in
            vector.withUnsafeBytes { query in
                for passage in passages.indices {
                    var sum = SIMD8<Float>()
                    let start = passage * width * 4
                    for lane in 0..<(width / 8) {
                        sum += all.loadUnaligned(fromByteOffset: start + lane * 32, as: SIMD8<Float>.self)
                            * query.loadUnaligned(fromByteOffset: lane * 32, as: SIMD8<Float>.self)
                    }
                    let cosine = Double(sum.sum())
                    let guide = guideOfPassage[passage]
                    sums[guide] += exp(cosine * Self.sharpness)
                    if cosine > best[guide].cosine { best[guide] = (cosine, passage) }
                }
            }
        }
        return (0..<guideCount).map { guide in
            let score = sums[guide] > 0 ? log(sums[guide]) / Self.sharpness : 0
            return (min(1, max(0, score)), best[guide].passage)
        }
    }

    /// The text of a passage, for explanations.
    func passage(_ index: Int) -> String { index >= 0 && index < passages.count ? passages[index] : "" }
}
