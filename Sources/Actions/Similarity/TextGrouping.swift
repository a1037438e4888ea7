import Core

/// Groups a batch of ticket texts by the problem they describe.
public enum TextGrouping {
    /// A group number per text: texts with the same number describe the same
    /// problem. Numbers start at 0 and follow the first text of each group.
    ///
    /// `threshold` defaults to `TextSimilarity.threshold(for: knowledgeBase)`.
    /// `meanings`, when given, are the texts' meaning vectors, already computed.
    /// Texts are taken in order, exactly as `TextGroupIndex` takes arriving
    /// tickets, so a batch and a live index group the same tickets alike.
    public static func group(
        _ texts: [String], knowledgeBase: KnowledgeBase?, threshold: Double? = nil,
        parameters: TextSimilarity.Parameters = .standard, meanings: [[Float]?]? = nil
    ) -> [Int] {
        let similarity = TextSimilarity(knowledgeBase: knowledgeBase, parameters: parameters)
        let signatures = texts.indices.map { index in
            if let meanings { return similarity.signature(texts[index], meaning: meanings[index]) }
            return similarity.signature(texts[index])
        }
        var index = TextGroupIndex(threshold: threshold ?? TextSimilarity.threshold(for: knowledgeBase))
        index.use(model: knowledgeBase?.encoder?.fingerprint ?? "")
        index.parameters = parameters
        let time = Core.Timestamp(millisecondsSinceEpoch: 0)
        let keys = signatures.enumerated().map { offset, signature in
            index.assign(ticketID: String(offset), signature: signature, at: time, since: time)
        }
        var numbers: [String: Int] = [:]
        return keys.map { key in
            if let number = numbers[key] { return number }
            numbers[key] = numbers.count
            return numbers.count - 1
        }
    }
}
