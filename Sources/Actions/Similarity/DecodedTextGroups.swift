import Core
import Foundation

/// Text-group indexes kept decoded between events, by state key.
///
/// Rebuilding an index from its stored `state` on every event costs time in
/// proportion to everything the index holds. An index is handed out only
/// when the stored state has the same `revision`, that is, the same content,
/// so a state that came from elsewhere (the store after a failed commit,
/// another shard, a reload) is always decoded afresh. Taking an index
/// removes it, so the caller mutates it in place instead of copying it.
final class DecodedTextGroups: @unchecked Sendable {
    private let lock = NSLock()
    private var indexes: [String: TextGroupIndex] = [:]

    /// The index for `state`: the kept one when its revision matches, else decoded.
    func take(_ key: String, state: Value?) -> TextGroupIndex {
        guard let state else { return TextGroupIndex() }
        let kept = lock.withLock { indexes.removeValue(forKey: key) }
        if let kept, kept.revision == state["revision"]?.stringValue { return kept }
        return TextGroupIndex(state: state)
    }

    /// Keeps `index` for the next event; its state must be what was stored.
    func keep(_ key: String, _ index: TextGroupIndex) {
        lock.withLock { indexes[key] = index }
    }
}
