import Foundation

/// One time zone's UTC offsets as a table of transitions, so that local-time
/// arithmetic costs a binary search instead of a call into ICU per day.
///
/// All values are milliseconds. "Wall" time is what a clock on the wall in the
/// zone shows, counted as if it were UTC: `wall = instant + offset(instant)`.
///
/// - Important: The table covers 1900 to 2199. Before and after it the
///   zone's offset at the nearest end is assumed, so daylight saving time is
///   not applied outside that window.
final class ZoneRules: Sendable {
    static let millisecondsPerMinute: Int64 = 60_000
    static let millisecondsPerDay: Int64 = 86_400_000
    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the instants the
    /// time arithmetic accepts; anything outside is clamped or refused.
    static let earliestInstant: Int64 = -62_135_596_800_000
    static let latestInstant: Int64 = 253_402_300_799_999

    let timeZone: TimeZone
    /// Instants at which the offset changes, ascending.
    let transitions: [Int64]
    /// `offsets[i]` holds from `transitions[i - 1]` up to `transitions[i]`, so
    /// there is one more offset than there are transitions.
    let offsets: [Int64]
    let smallestOffset: Int64
    let largestOffset: Int64

    /// The shared table for `timeZone`, built on first use.
    static func rules(for timeZone: TimeZone) -> ZoneRules {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let rules = cache.byIdentifier[timeZone.identifier] { return rules }
        let rules = ZoneRules(timeZone)
        cache.byIdentifier[timeZone.identifier] = rules
        return rules
    }

    private init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
        let start = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
        let end = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01
        var transitions: [Int64] = []
        var offsets: [Int64] = [Int64(timeZone.secondsFromGMT(for: start)) * 1000]
        var cursor = start
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next < end, next > cursor {
            cursor = next
            let offset = Int64(timeZone.secondsFromGMT(for: next)) * 1000
            // A change of DST flag alone (same total offset) is no transition for a clock.
            guard offset != offsets[offsets.count - 1] else { continue }
            transitions.append(Int64((next.timeIntervalSince1970 * 1000).rounded()))
            offsets.append(offset)
        }
        self.transitions = transitions
        self.offsets = offsets
        smallestOffset = offsets.min()!
        largestOffset = offsets.max()!
    }

    /// The index of the offset in force at `instant`.
    func segment(containing instant: Int64) -> Int {
        var low = 0, high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The first instant of segment `index` (`Int64.min` for the first).
    func start(ofSegment index: Int) -> Int64 { index == 0 ? .min : transitions[index - 1] }

    /// The instant segment `index` ends, exclusive (`Int64.max` for the last).
    func end(ofSegment index: Int) -> Int64 { index == transitions.count ? .max : transitions[index] }

    func offset(at instant: Int64) -> Int64 { offsets[segment(containing: instant)] }

    func wallTime(at instant: Int64) -> Int64 { instant + offset(at: instant) }

    /// Calls `body` with each range of instants whose wall time lies in
    /// `wall`, in ascending order, until `body` returns `false`. Usually one
    /// range; none when `wall` is skipped by a spring-forward; two when it
    /// straddles a fall-back.
    ///
    /// `hint` is a segment to try first, updated to the last one used: walking
    /// day by day, nearly every call is answered without a search.
    @discardableResult
    func forEachInstantRange(
        wall: Range<Int64>, hint: inout Int, _ body: (Range<Int64>) -> Bool
    ) -> Bool {
        let earliest = wall.lowerBound - largestOffset
        let latest = wall.upperBound - smallestOffset
        if hint >= 0, hint < offsets.count, start(ofSegment: hint) <= earliest, latest <= end(ofSegment: hint) {
            let offset = offsets[hint]
            return body((wall.lowerBound - offset)..<(wall.upperBound - offset))
        }
        var index = segment(containing: earliest)
        while true {
            let offset = offsets[index]
            let lower = max(start(ofSegment: index), wall.lowerBound - offset)
            let upper = min(end(ofSegment: index), wall.upperBound - offset)
            hint = index
            if lower < upper, !body(lower..<upper) { return false }
            if end(ofSegment: index) >= latest { return true }
            index += 1
        }
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}

private final class ZoneRulesCache: @unchecked Sendable {
    let lock = NSLock()
    var byIdentifier: [String: ZoneRules] = [:]
}

private let cache = ZoneRulesCache()
