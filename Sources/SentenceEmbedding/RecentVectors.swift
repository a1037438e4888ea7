import Foundation

/// A few recent text → vector pairs, oldest dropped first.
final class RecentVectors: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var vectors: [String: [Float]] = [:]
    private var order: [String] = []

    init(capacity: Int) { self.capacity = capacity }

    subscript(text: String) -> [Float]? {
        get { lock.withLock { vectors[text] } }
        set {
            lock.withLock {
                guard let newValue, vectors[text] == nil else { return }
                vectors[text] = newValue
                order.append(text)
                if order.count > capacity { vectors[order.removeFirst()] = nil }
            }
        }
    }
}
