import Foundation

extension SentenceEncoder {
    /// Vectors for many texts, in order: from `cache` where it has them, the
    /// rest encoded a few at a time in one forward pass each, passes on every
    /// core, and then added to `cache`.
    public func encode(_ texts: [String], cache: EncodingCache?) -> [[Float]] {
        var results = texts.map { cache?[$0] }
        let missing = Array(Set(texts.indices.filter { results[$0] == nil }.map { texts[$0] })).sorted()
        guard !missing.isEmpty else { return results.map { $0 ?? [] } }
        let passes = stride(from: 0, to: missing.count, by: Self.textsPerPass).map {
            Array(missing[$0..<min($0 + Self.textsPerPass, missing.count)])
        }
        nonisolated(unsafe) let computed = UnsafeMutableBufferPointer<[[Float]]>.allocate(capacity: passes.count)
        computed.initialize(repeating: [])
        defer { computed.deinitialize(); computed.deallocate() }
        DispatchQueue.concurrentPerform(iterations: passes.count) { index in
            computed[index] = computeVectors(passes[index])
            cache?.store(zip(passes[index], computed[index]).map { (text: $0, vector: $1) })
        }
        var fresh: [String: [Float]] = [:]
        for (pass, vectors) in zip(passes, computed) {
            for (text, vector) in zip(pass, vectors) { fresh[text] = vector }
        }
        for index in texts.indices where results[index] == nil { results[index] = fresh[texts[index]] }
        return results.map { $0 ?? [] }
    }

    /// Texts stacked into one forward pass: enough rows for the products to
    /// run near full speed, few enough to keep a pass's memory small.
    static let textsPerPass = 16
}
