// Measures guide ranking and text grouping on the labelled sets in
// Benchmarks/quality, next to plain baselines, for the dev and test splits.
//
//   ticketflow-bench-quality [ROOT] [--sweep]
//
// ROOT holds guides/ and Benchmarks/quality/ (default: the current folder).
// The sentence encoder is read from ROOT/models/all-mpnet-base-v2 (see
// scripts/fetch-model), or from --model DIR; --words-only leaves it out.
// The model adapter ROOT/tuning/adapter.safetensors is applied when it is
// there (see scripts/tune-model), as Ticketflow does, or the one --adapter
// FILE names; --adapter off leaves it out.
// --sweep also prints dev-split figures for a range of minimum scores and
// grouping thresholds: how the constants were chosen. Test figures are only
// ever printed for the fixed constants.
import Actions
import Core
import Foundation
import SentenceEmbedding

let arguments = Array(CommandLine.arguments.dropFirst())
let sweep = arguments.contains("--sweep")
/// Prints the dev queries ranked wrongly, and dev groups as formed: for tuning.
let showFailures = arguments.contains("--failures")
let modelOption = arguments.firstIndex(of: "--model").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
let adapterOption = arguments.firstIndex(of: "--adapter").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
let root = arguments.enumerated().first {
    !$0.element.hasPrefix("--") && ($0.offset == 0 || !["--model", "--adapter"].contains(arguments[$0.offset - 1]))
}?.element ?? "."

func readLines(_ path: String) -> [Value] {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
        line.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try? JSONReader.read(String(line))
    }
}

struct Query {
    var id: String
    var text: String
    /// `nil` when no guide answers the text.
    var expected: String?
    var acceptable: Set<String>
    var split: String
}

struct Ticket {
    var id: String
    var text: String
    var group: String?
    var split: String
}

var encoder: SentenceEncoder?
if !arguments.contains("--words-only") {
    do {
        let tuned = root + "/" + SentenceEncoder.defaultAdapter
        let adapter = adapterOption == "off" ? nil : adapterOption ?? (FileManager.default.fileExists(atPath: tuned) ? tuned : nil)
        encoder = try SentenceEncoder(directory: modelOption ?? root + "/" + SentenceEncoder.defaultDirectory, adapter: adapter)
        print("model: \(encoder!.directory), adapter: \(adapter ?? "none")")
    } catch {
        print("no sentence encoder (\(error)): words only")
    }
}
let cache = encoder.map { EncodingCache(encoder: $0) }
let loadStarted = Date()
let (knowledgeBase, problems) = KnowledgeBase.load(directory: root + "/guides", encoder: encoder, cache: cache)
print(String(format: "guides loaded in %.1f s", Date().timeIntervalSince(loadStarted)) + (cache.map { ", \($0.count) passage vectors cached" } ?? ""))
let encodeStarted = Date()
let queryVectors = Dictionary(
    readLines(root + "/Benchmarks/quality/guide-queries.jsonl").compactMap { $0["text"]?.stringValue }.map { ($0, knowledgeBase.meaningVector(for: $0)) },
    uniquingKeysWith: { first, _ in first })
print(String(format: "queries encoded in %.1f s", Date().timeIntervalSince(encodeStarted)))
/// `search` with the query's meaning vector computed once.
func rank(_ base: KnowledgeBase, _ text: String, minimumScore: Double = KnowledgeBase.defaultMinimumScore) -> [GuideMatch] {
    base.search(text, meaning: queryVectors[text] ?? nil, limit: 3, minimumScore: minimumScore)
}
for problem in problems { print(problem) }
let queries = readLines(root + "/Benchmarks/quality/guide-queries.jsonl").map { value in
    Query(
        id: value["id"]?.stringValue ?? "", text: value["text"]?.stringValue ?? "",
        expected: value["expected"]?.stringValue,
        acceptable: Set(value["acceptable"]?.arrayValue?.compactMap(\.stringValue) ?? []),
        split: value["split"]?.stringValue ?? "dev")
}
let tickets = readLines(root + "/Benchmarks/quality/groups.jsonl").map { value in
    Ticket(
        id: value["id"]?.stringValue ?? "", text: value["text"]?.stringValue ?? "",
        group: value["group"]?.stringValue, split: value["split"]?.stringValue ?? "dev")
}

// MARK: - Baselines

/// Plain BM25 over title and body: lowercased words, no stemming, no phrases, no lexicon.
struct PlainBM25 {
    var guides: [Guide]
    var postings: [String: [(Int, Double)]] = [:]
    var idf: [String: Double] = [:]
    var lengths: [Double] = []
    var average = 1.0

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    init(guides: [Guide]) {
        self.guides = guides
        var counts: [[String: Int]] = []
        for guide in guides {
            let words = Self.words(guide.title + " " + guide.body)
            lengths.append(Double(words.count))
            counts.append(words.reduce(into: [:]) { $0[$1, default: 0] += 1 })
        }
        average = max(1, lengths.reduce(0, +) / Double(max(1, guides.count)))
        for (guide, count) in counts.enumerated() {
            for (word, n) in count { postings[word, default: []].append((guide, Double(n))) }
        }
        let n = Double(guides.count)
        for (word, list) in postings { idf[word] = log(1 + (n - Double(list.count) + 0.5) / (Double(list.count) + 0.5)) }
    }

    func search(_ text: String, limit: Int) -> [String] {
        var scores = [Double](repeating: 0, count: guides.count)
        for word in Set(Self.words(text)) {
            for (guide, tf) in postings[word] ?? [] {
                let norm = 1.2 * (0.25 + 0.75 * lengths[guide] / average)
                scores[guide] += idf[word]! * tf * 2.2 / (tf + norm)
            }
        }
        return scores.indices.filter { scores[$0] > 0 }
            .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : guides[$0].id < guides[$1].id }
            .prefix(limit).map { guides[$0].id }
    }
}

/// TF-IDF cosine over plain words (idf from the texts themselves), grouped
/// with the same one-pass centroid rule as ours.
func baselineGroups(_ texts: [String], threshold: Double) -> [Int] {
    let bags = texts.map { PlainBM25.words($0).reduce(into: [String: Double]()) { $0[$1, default: 0] += 1 } }
    var df: [String: Double] = [:]
    for bag in bags { for word in bag.keys { df[word, default: 0] += 1 } }
    let n = Double(texts.count)
    let vectors = bags.map { bag in
        SparseVector(bag.mapValues { _ in 1.0 }.reduce(into: [String: Double]()) { result, entry in
            result[entry.key] = (1 + log(bag[entry.key]!)) * log(n / df[entry.key]!)
        }).normalised()
    }
    var centroids: [SparseVector] = []
    var assignment: [Int] = []
    for vector in vectors {
        var best: (Int, Double)?
        for (index, centroid) in centroids.enumerated() {
            let similarity = vector.cosine(centroid)
            if similarity >= threshold, similarity > best?.1 ?? -1 { best = (index, similarity) }
        }
        if let (index, _) = best {
            centroids[index] = centroids[index].adding(vector)
            assignment.append(index)
        } else {
            centroids.append(vector)
            assignment.append(centroids.count - 1)
        }
    }
    return assignment
}

// MARK: - Measures

struct Ranking: CustomStringConvertible {
    var atOne = 0.0
    var atThree = 0.0
    var count = 0
    var description: String {
        String(format: "P@1 %.3f  P@3 %.3f  (n=%d)", atOne, atThree, count)
    }
}

func isHit(_ id: String, _ query: Query) -> Bool {
    id == query.expected || query.acceptable.contains(id)
}

/// A query no guide answers counts as a hit when nothing is returned.
func measure(_ queries: [Query], search: (String) -> [String]) -> Ranking {
    var one = 0, three = 0
    for query in queries {
        let found = search(query.text)
        if query.expected == nil {
            if found.isEmpty {
                one += 1
                three += 1
            }
            continue
        }
        if let first = found.first, isHit(first, query) { one += 1 }
        if found.prefix(3).contains(where: { isHit($0, query) }) { three += 1 }
    }
    let n = Double(max(1, queries.count))
    return Ranking(atOne: Double(one) / n, atThree: Double(three) / n, count: queries.count)
}

struct PairScores: CustomStringConvertible {
    var precision: Double
    var recall: Double
    var f1: Double
    var description: String { String(format: "precision %.3f  recall %.3f  F1 %.3f", precision, recall, f1) }
}

func pairwise(_ truth: [String?], _ predicted: [Int]) -> PairScores {
    var truePairs = 0, predictedPairs = 0, both = 0
    for i in truth.indices {
        for j in (i + 1)..<truth.count {
            let same = truth[i] != nil && truth[i] == truth[j]
            let together = predicted[i] == predicted[j]
            if same { truePairs += 1 }
            if together { predictedPairs += 1 }
            if same && together { both += 1 }
        }
    }
    let precision = predictedPairs == 0 ? 1 : Double(both) / Double(predictedPairs)
    let recall = truePairs == 0 ? 1 : Double(both) / Double(truePairs)
    let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    return PairScores(precision: precision, recall: recall, f1: f1)
}

let baseline = PlainBM25(guides: knowledgeBase.guides)
/// Chosen on dev with --sweep, like ours.
let baselineGroupThreshold = 0.15

print("guides: \(knowledgeBase.guides.count); queries: \(queries.count); grouping tickets: \(tickets.count)")
print(String(
    format: "constants: minimum score %.2f; grouping threshold %.3f (baseline %.2f)",
    KnowledgeBase.defaultMinimumScore, TextSimilarity.threshold(for: knowledgeBase), baselineGroupThreshold))
for split in ["dev", "test"] {
    let subset = queries.filter { $0.split == split }
    let answerable = subset.filter { $0.expected != nil }
    let group = tickets.filter { $0.split == split }
    print("\n[\(split)]")
    let ours = measure(subset) { rank(knowledgeBase, $0).map(\.guide.id) }
    let oursAnswerable = measure(answerable) { rank(knowledgeBase, $0, minimumScore: 0).map(\.guide.id) }
    let plain = measure(subset) { baseline.search($0, limit: 3) }
    let plainAnswerable = measure(answerable) { baseline.search($0, limit: 3) }
    print("guides, ours          all: \(ours)   answerable, no minimum: \(oursAnswerable)")
    print("guides, plain BM25    all: \(plain)   answerable: \(plainAnswerable)")
    let truth = group.map(\.group)
    let texts = group.map(\.text)
    let meanings = texts.map { knowledgeBase.meaningVector(for: $0) }
    print("grouping, ours        \(pairwise(truth, TextGrouping.group(texts, knowledgeBase: knowledgeBase, meanings: meanings)))  (n=\(texts.count))")
    print("grouping, ours, no KB \(pairwise(truth, TextGrouping.group(texts, knowledgeBase: nil)))")
    print("grouping, TF-IDF      \(pairwise(truth, baselineGroups(texts, threshold: baselineGroupThreshold)))")
    let intents = texts.map { TicketIntent(text: $0) }
    let members = truth.indices.filter { truth[$0] != nil }
    let lookAlikes = truth.indices.filter { truth[$0] == nil }
    print(
        "intent: \(members.filter { intents[$0] == .problem }.count) of \(members.count) group members read as problems, "
            + "\(lookAlikes.filter { intents[$0] == .request }.count) of \(lookAlikes.count) look-alikes as requests")

    if showFailures && split == "dev" {
        for query in subset {
            let found = rank(knowledgeBase, query.text, minimumScore: 0)
            guard found.first.map({ !isHit($0.guide.id, query) }) ?? true else { continue }
            print("MISS \(query.id) [\(query.expected ?? "-")] \(query.text)")
            for match in found { print(String(format: "   %.2f ", match.score) + match.guide.id + "  " + match.explanation) }
        }
        let predicted = TextGrouping.group(texts, knowledgeBase: knowledgeBase, meanings: meanings)
        for number in Set(predicted).sorted() {
            let members = predicted.indices.filter { predicted[$0] == number }
            guard members.count > 1 || group[members[0]].group != nil else { continue }
            print("GROUP \(number)")
            for member in members { print("   \(group[member].group ?? "-")  \(group[member].text)") }
        }
    }
    if sweep && split == "dev" {
        print("  sweep, founder share (F1 at the standard threshold | best over thresholds):")
        for share in [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2] {
            var parameters = TextSimilarity.Parameters()
            parameters.founderShare = share
            let standard = pairwise(truth, TextGrouping.group(texts, knowledgeBase: knowledgeBase, parameters: parameters, meanings: meanings))
            var best = (0.0, 0.0)
            for step in 6...20 {
                let threshold = Double(step) * 0.025
                let f1 = pairwise(truth, TextGrouping.group(texts, knowledgeBase: knowledgeBase, threshold: threshold, parameters: parameters, meanings: meanings)).f1
                if f1 > best.0 { best = (f1, threshold) }
            }
            print(String(format: "    %.1f  F1 %.3f (P %.3f R %.3f) | %.3f at %.3f", share, standard.f1, standard.precision, standard.recall, best.0, best.1))
        }
        print("  sweep, meaning weight:")
        for step in 0...10 where encoder != nil {
            var parameters = RankingParameters()
            parameters.meaningWeight = Double(step) / 10
            let candidate = KnowledgeBase(guides: knowledgeBase.guides, parameters: parameters, encoder: encoder, cache: cache)
            print(String(format: "    %.1f  ", parameters.meaningWeight) + measure(subset) { rank(candidate, $0, minimumScore: 0).map(\.guide.id) }.description)
        }
        print("  sweep, ranking weights (best 8 by dev P@1, then P@3):")
        var results: [(RankingParameters, Ranking)] = []
        for title in [2.0, 3.0, 4.0] {
            for phrases in [1.5, 2.5] {
                for body in [0.5, 0.75, 1.0] {
                    for b in [0.5, 0.75, 0.9] {
                        for concept in [0.3, 0.5, 0.8] {
                            var parameters = RankingParameters()
                            parameters.titleWeight = title
                            parameters.phrasesWeight = phrases
                            parameters.bodyWeight = body
                            parameters.bodyLengthNormalisation = b
                            parameters.conceptWeight = concept
                            let candidate = KnowledgeBase(guides: knowledgeBase.guides, parameters: parameters, encoder: encoder, cache: cache)
                            results.append((parameters, measure(subset) { rank(candidate, $0, minimumScore: 0).map(\.guide.id) }))
                        }
                    }
                }
            }
        }
        for (parameters, result) in results.sorted(by: { ($0.1.atOne, $0.1.atThree) > ($1.1.atOne, $1.1.atThree) }).prefix(8) {
            print("    title \(parameters.titleWeight) phrases \(parameters.phrasesWeight) body \(parameters.bodyWeight) b \(parameters.bodyLengthNormalisation) concept \(parameters.conceptWeight): \(result)")
        }
        print("  sweep, minimum score:")
        for step in 0...12 {
            let minimum = Double(step) * 0.05
            let result = measure(subset) { rank(knowledgeBase, $0, minimumScore: minimum).map(\.guide.id) }
            print(String(format: "    %.2f  ", minimum) + result.description)
        }
        print("  sweep, similarity parameters (best 10 by dev F1 over thresholds):")
        var grouped: [(String, Double)] = []
        for share in [0.35, 0.5, 0.65, 0.8] {
            for meaning in encoder == nil ? [0.0] : [0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] {
                for guides in [1, 3] { for average in [false, true] { for byMeaning in [false, true] {
                    var parameters = TextSimilarity.Parameters()
                    parameters.termShare = share
                    parameters.termShareWithMeaning = share
                    parameters.guideCount = guides
                    parameters.guideCountWithMeaning = guides
                    parameters.meaningShare = meaning
                    parameters.averageMeaning = average
                    parameters.guidesByMeaning = byMeaning
                    var best = (0.0, 0.0)
                    for step in 6...32 {
                        let threshold = Double(step) * 0.025
                        let f1 = pairwise(truth, TextGrouping.group(texts, knowledgeBase: knowledgeBase, threshold: threshold, parameters: parameters, meanings: meanings)).f1
                        if f1 > best.0 { best = (f1, threshold) }
                    }
                    grouped.append((String(format: "share %.2f meaning %.1f guides %d threshold %.3f", share, meaning, guides, best.1) + (average ? " average" : "") + (byMeaning ? " guides-by-meaning" : ""), best.0))
                } } }
            }
        }
        for (label, f1) in grouped.sorted(by: { $0.1 > $1.1 }).prefix(10) { print(String(format: "    F1 %.3f  ", f1) + label) }
        print("  sweep, grouping threshold (ours | no KB | TF-IDF baseline):")
        for step in 1...16 {
            let threshold = Double(step) * 0.05
            let a = pairwise(truth, TextGrouping.group(texts, knowledgeBase: knowledgeBase, threshold: threshold, meanings: meanings))
            let b = pairwise(truth, TextGrouping.group(texts, knowledgeBase: nil, threshold: threshold))
            let c = pairwise(truth, baselineGroups(texts, threshold: threshold))
            print(String(format: "    %.2f  F1 %.3f (P %.3f R %.3f) | %.3f | %.3f", threshold, a.f1, a.precision, a.recall, b.f1, c.f1))
        }
    }
}

// MARK: - Speed

if arguments.contains("--no-speed") { exit(0) }

let copies = max(1, 1000 / max(1, knowledgeBase.guides.count))
var many: [Guide] = []
for copy in 0..<copies {
    for guide in knowledgeBase.guides {
        var clone = guide
        clone.id += "-\(copy)"
        many.append(clone)
    }
}
/// Milliseconds per call of `body` over `count` calls.
func milliseconds(_ count: Int, _ body: () -> Void) -> Double {
    let started = Date()
    body()
    return Date().timeIntervalSince(started) * 1000 / Double(max(1, count))
}
var started = Date()
let wordsOnly = KnowledgeBase(guides: many)
let wordsBuilt = Date().timeIntervalSince(started) * 1000
started = Date()
let large = KnowledgeBase(guides: many, encoder: encoder, cache: cache)
let mixedBuilt = Date().timeIntervalSince(started) * 1000
var found = 0
let rounds = 5
let wordsSearch = milliseconds(rounds * queries.count) {
    for _ in 0..<rounds { for query in queries { found += wordsOnly.search(query.text).count } }
}
print(String(format: "\nspeed with %d guides, words only: index built in %.0f ms; search %.3f ms/query", many.count, wordsBuilt, wordsSearch))
if encoder != nil {
    // Each timing reads texts no earlier one did: the encoder remembers its
    // recent texts, and a remembered text costs nothing to encode.
    func fresh(_ round: String) -> [String] { queries.map { $0.text + " (\(round))" } }
    let encode = milliseconds(queries.count) { for text in fresh("encode") { _ = large.meaningVector(for: text) } }
    let mixedSearch = milliseconds(queries.count) { for text in fresh("search") { found += large.search(text).count } }
    print(String(
        format: "speed with %d guides, words and meaning: index built in %.0f ms (passage vectors from the cache); search %.2f ms/query, of which encoding the text %.2f ms",
        many.count, mixedBuilt, mixedSearch, encode))
    // What a daemon's batch of events gets: the texts encoded ahead, on every core.
    let batch = fresh("batch")
    let prepared = milliseconds(batch.count) { large.prepareMeanings(batch) }
    print(String(
        format: "encoding a batch of %d ticket texts ahead (prepareMeanings, %d cores): %.2f ms/text, against %.2f one by one",
        batch.count, ProcessInfo.processInfo.activeProcessorCount, prepared, encode))
}
for (label, base) in [("words only", wordsOnly)] + (encoder == nil ? [] : [("words and meaning", large)]) {
    var groupIndex = TextGroupIndex()
    let assign = milliseconds(tickets.count) {
        for (offset, ticket) in tickets.enumerated() {
            let time = Timestamp(millisecondsSinceEpoch: Int64(offset) * 60_000)
            // A text no earlier timing read, so its encoding is counted.
            _ = groupIndex.assign(
                ticketID: ticket.id, text: ticket.text + " (assign)", at: time, since: time.adding(.hours(-24)),
                knowledgeBase: base)
        }
    }
    print("text-group assign, \(label): " + String(format: "%.2f ms/ticket", assign))
}
