import Core

/// Groups a batch of ticket texts by the problem they describe.
public enum TextGrouping {
    /// A group number per text: texts with the same number describe the same
    /// problem. Numbers start at 0 and follow the first text of each group.
    ///
    /// Texts are taken in order, as `TextGroupIndex` takes arriving tickets,
    /// then each text is moved to the group whose centroid suits it best, once,
    /// so that the first texts are not stuck with groups formed before the
    /// rest were seen.
    public static func group(
        _ texts: [String], knowledgeBase: KnowledgeBase?, threshold: Double = TextSimilarity.defaultThreshold
    ) -> [Int] {
        let similarity = TextSimilarity(knowledgeBase: knowledgeBase)
        let signatures = texts.map(similarity.signature)
        var index = TextGroupIndex(threshold: threshold)
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
