import Foundation

extension SentenceEncoder {
    /// Vectors for many texts, in order: from `cache` where it has them, the
    /// rest encoded a few dozen at a time in one forward pass each (the
    /// matrix products use every core) and then added to `cache`.
    public func encode(_ texts: [String], cache: EncodingCache?) -> [[Float]] {
        var results = texts.map { cache?[$0] }
        let missing = Array(Set(texts.indices.filter { results[$0] == nil }.map { texts[$0] })).sorted()
        if !missing.isEmpty {
            var fresh: [String: [Float]] = [:]
            var start = 0
            while start < missing.count {
                let chunk = Array(missing[start..<min(start + Self.textsPerPass, missing.count)])
                for (text, vector) in zip(chunk, computeVectors(chunk)) { fresh[text] = vector }
                cache?.store(chunk.map { ($0, fresh[$0]!) })
                start += chunk.count
            }
            for index in texts.indices where results[index] == nil { results[index] = fresh[texts[index]] }
        }
        return results.map { $0 ?? [] }
    }

    /// Texts stacked into one forward pass: enough rows for the products to
    /// run near full speed, few enough to keep the pass's memory small.
    static let textsPerPass = 32
}
