import Foundation

extension SentenceEncoder {
    /// Vectors for many texts, in order: from `cache` where it has them, the
    /// rest encoded a few at a time in one forward pass each, passes on every
    /// core, and then added to `cache`. `progress` hears how many of the
    /// texts the cache did not have are done, after each pass, from any thread.
    public func encode(
        _ texts: [String], cache: EncodingCache?, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) -> [[Float]] {
        var results = texts.map { cache?[$0] }
        let missing = Array(Set(texts.indices.filter { results[$0] == nil }.map { texts[$0] })).sorted()
        guard !missing.isEmpty else { return results.map { $0 ?? [] } }
        let passes = stride(from: 0, to: missing.count, by: Self.textsPerPass).map {
            Array(missing[$0..<min($0 + Self.textsPerPass, missing.count)])
        }
        let done = NSLock()
        nonisolated(unsafe) var finished = 0
        let total = missing.count
        let computed = Self.onEveryCore(passes) { pass in
            let vectors = computeVectors(pass)
            cache?.store(zip(pass, vectors).map { (text: $0, vector: $1) })
            if let progress {
                let count = done.withLock { finished += pass.count; return finished }
                progress(count, total)
            }
            return vectors
        }
        var fresh: [String: [Float]] = [:]
        for (pass, vectors) in zip(passes, computed) {
            for (text, vector) in zip(pass, vectors) { fresh[text] = vector }
        }
        for index in texts.indices where results[index] == nil { results[index] = fresh[texts[index]] }
        return results.map { $0 ?? [] }
    }

    /// Encodes ahead those of `texts` not encoded lately, one text per pass
    /// as `encode(_:)` does (so the vectors are bit for bit the same) but
    /// on every core at once; `encode(_:)` then finds them. At most half
    /// the memory's capacity is taken, so a batch cannot push out its own.
    public func prepare(_ texts: [String]) {
        var seen: Set<String> = []
        let missing = Array(texts.filter { recent[$0] == nil && seen.insert($0).inserted }.prefix(recent.capacity / 2))
        guard missing.count > 1 else { return }
        for (text, vector) in zip(missing, Self.onEveryCore(missing, computeVector)) { recent[text] = vector }
    }

    /// `transform` of each item, in order, the items spread over every core.
    static func onEveryCore<Item: Sendable, Result>(_ items: [Item], _ transform: @Sendable (Item) -> Result) -> [Result] {
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: items.count) { index in results[index] = transform(items[index]) }
        return results.map { $0! }
    }

    /// Texts stacked into one forward pass: enough rows for the products to
    /// run near full speed, few enough to keep a pass's memory small.
    static let textsPerPass = 16
}
