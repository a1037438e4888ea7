import Foundation

extension SentenceEncoder {
    /// Vectors for many texts, in order: from `cache` where it has them, the
    /// rest encoded on every core and then added to `cache`.
    public func encode(_ texts: [String], cache: EncodingCache?) -> [[Float]] {
        var results = texts.map { cache?[$0] }
        let missing = Array(Set(texts.indices.filter { results[$0] == nil }.map { texts[$0] })).sorted()
        if !missing.isEmpty {
            nonisolated(unsafe) let computed = UnsafeMutableBufferPointer<[Float]>.allocate(capacity: missing.count)
            computed.initialize(repeating: [])
            defer { computed.deinitialize(); computed.deallocate() }
            DispatchQueue.concurrentPerform(iterations: missing.count) { index in
                computed[index] = encode(missing[index])
            }
            let fresh = Dictionary(uniqueKeysWithValues: zip(missing, computed))
            for index in texts.indices where results[index] == nil { results[index] = fresh[texts[index]] }
            cache?.store(missing.map { ($0, fresh[$0]!) })
        }
        return results.map { $0 ?? [] }
    }
}
