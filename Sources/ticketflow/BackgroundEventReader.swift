import Core
import Foundation

/// Reads and decodes events on a second thread while the engine works on
/// the first: parsing JSON is about a third of a dry-run's time, and the
/// machine has a second core for it. Batches keep the hand-over cheap; a
/// bounded queue keeps memory flat however large the file is.
final class BackgroundEventReader: Sequence, IteratorProtocol, @unchecked Sendable {
    struct Line: Sendable {
        var result: Result<Event, Diagnostic>
        var number: Int
    }

    private let condition = NSCondition()
    private var batches: [[Line]] = []
    private var finished = false
    private var current: [Line] = []
    private var position = 0
    private let maxQueuedBatches = 16
    let path: String

    /// Takes over `reader`; it must not be used by the caller afterwards.
    init(_ reader: EventLinesReader, batchSize: Int = 256) {
        path = reader.path
        let thread = Thread { [self] in
            var batch: [Line] = []
            batch.reserveCapacity(batchSize)
            while let result = reader.next() {
                batch.append(Line(result: result, number: reader.lineNumber))
                if batch.count == batchSize {
                    push(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { push(batch) }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func push(_ batch: [Line]) {
        condition.lock()
        while batches.count >= maxQueuedBatches { condition.wait() }
        batches.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    func next() -> Line? {
        if position < current.count {
            position += 1
            return current[position - 1]
        }
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        current = batches.removeFirst()
        condition.broadcast()
        position = 1
        return current[0]
    }
}
