import Core
import EventLog

/// Events waiting to be written to the log, and the group commit that
/// writes them. Every request hands its events here and waits; one writer
/// takes everything waiting, appends it in one transaction (one fsync for
/// many requests, which is what makes a durable daemon fast), and only then
/// answers each request, so 202 always means "in the log".
///
/// The queue is bounded: a request that would overfill it is refused at
/// once (`Refusal.full`) instead of piling up memory and latency.
public actor IngestQueue {
    public enum Refusal: Error, Sendable, Equatable {
        /// Too many events already waiting; try again shortly.
        case full
        /// The daemon is stopping; nothing more is taken.
        case stopping
    }

    private struct Submission {
        var events: [Event]
        var continuation: CheckedContinuation<[AppendOutcome], any Error>
    }

    public let capacity: Int
    public let maxBatch: Int
    private var waiting: [Submission] = []
    private var waitingEvents = 0
    private var writer: CheckedContinuation<Void, Never>?
    private var closed = false

    public init(capacity: Int, maxBatch: Int) {
        self.capacity = capacity
        self.maxBatch = maxBatch
    }

    /// Events accepted but not yet written.
    public var depth: Int { waitingEvents }

    /// Waits until `events` are in the log; their outcomes come back in order.
    public func submit(_ events: [Event]) async throws -> [AppendOutcome] {
        guard !closed else { throw Refusal.stopping }
        // One request larger than the whole queue still gets in when the queue is empty.
        guard waitingEvents == 0 || waitingEvents + events.count <= capacity else { throw Refusal.full }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Submission(events: events, continuation: continuation))
            waitingEvents += events.count
            if let writer {
                self.writer = nil
                writer.resume()
            }
        }
    }

    /// Takes waiting submissions (whole requests, up to `maxBatch` events
    /// unless a single request is larger); waits while there are none.
    /// Returns an empty batch once closed and empty.
    func nextBatch() async -> [(events: [Event], continuation: CheckedContinuation<[AppendOutcome], any Error>)] {
        while waiting.isEmpty {
            if closed { return [] }
            await withCheckedContinuation { writer = $0 }
        }
        var taken: [(events: [Event], continuation: CheckedContinuation<[AppendOutcome], any Error>)] = []
        var count = 0
        while let first = waiting.first, taken.isEmpty || count + first.events.count <= maxBatch {
            waiting.removeFirst()
            count += first.events.count
            taken.append((first.events, first.continuation))
        }
        waitingEvents -= count
        return taken
    }

    /// Refuses new submissions; the writer finishes what is waiting, then stops.
    func close() {
        closed = true
        if let writer {
            self.writer = nil
            writer.resume()
        }
    }

    /// Refuses everything, including what is waiting: for when the writer
    /// is cancelled (another service failed) and nothing more will be written.
    func abandon() {
        closed = true
        for submission in waiting { submission.continuation.resume(throwing: Refusal.stopping) }
        waiting = []
        waitingEvents = 0
        if let writer {
            self.writer = nil
            writer.resume()
        }
    }
}
