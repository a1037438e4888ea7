/// Substring search in linear time (Knuth–Morris–Pratt over UTF-8), so that
/// `contains` and `in` stay cheap even on large adversarial texts.
enum TextSearch {
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        return needle.withUTF8 { pattern in
            haystack.withUTF8 { text in search(text, for: pattern) }
        }
    }

    private static func search(_ text: UnsafeBufferPointer<UInt8>, for pattern: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = pattern.count
        if count == 0 { return true }
        if count > text.count { return false }
        if count == 1 { return text.contains(pattern[0]) }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { failure in
            failure[0] = 0
            var matched = 0
            for index in 1..<count {
                while matched > 0, pattern[index] != pattern[matched] { matched = failure[matched - 1] }
                if pattern[index] == pattern[matched] { matched += 1 }
                failure[index] = matched
            }
            matched = 0
            for byte in text {
                while matched > 0, byte != pattern[matched] { matched = failure[matched - 1] }
                if byte == pattern[matched] {
                    matched += 1
                    if matched == count { return true }
                }
            }
            return false
        }
    }
}
