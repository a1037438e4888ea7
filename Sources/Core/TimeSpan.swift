/// A length of time written the way ops staff write it: `30s`, `15m`, `4h`,
/// `7d`, `2w`, or combined as `1h30m`.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func seconds(_ count: Int64) -> TimeSpan { TimeSpan(milliseconds: count * 1000) }
    public static func minutes(_ count: Int64) -> TimeSpan { .seconds(count * 60) }
    public static func hours(_ count: Int64) -> TimeSpan { .seconds(count * 3600) }
    public static func days(_ count: Int64) -> TimeSpan { .seconds(count * 86_400) }

    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }

    private static let units: [(Character, Int64)] = [
        ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000),
    ]

    /// Parses `4h`, `1h30m`, `7d`, and the `ms` that `description` ends
    /// with (`0ms`, `1s500ms`), so a span written out reads back the same;
    /// `nil` for an empty, negative, unitless or out-of-order text (`30m1h`),
    /// or one longer than `longest`.
    public static func parse(_ text: String) -> TimeSpan? {
        var total: Int64 = 0
        var number: Int64? = nil
        var lastUnitRank = -1
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (times, overflow1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
                guard !overflow1, !overflow2 else { return nil }
                number = sum
                continue
            }
            let rank: Int
            let size: Int64
            if character == "m", characters.first == "s" {
                characters.removeFirst()
                (rank, size) = (units.count, 1)
            } else if let found = units.firstIndex(where: { $0.0 == character }) {
                (rank, size) = (found, units[found].1)
            } else {
                return nil
            }
            guard let count = number, rank > lastUnitRank else { return nil }
            let (part, overflow1) = count.multipliedReportingOverflow(by: size)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            guard !overflow1, !overflow2 else { return nil }
            total = sum
            number = nil
            lastUnitRank = rank
        }
        guard number == nil, lastUnitRank >= 0, total <= longest.milliseconds else { return nil }
        return TimeSpan(milliseconds: total)
    }

    /// The longest span `parse` reads: a century. Any window or delay
    /// longer is a mistake, and adding one to a time could overflow it.
    public static let longest = TimeSpan.days(36_500)

    public var description: String {
        var remaining = milliseconds
        var text = ""
        // Days, not weeks: "14d" reads more plainly than "2w".
        for (unit, size) in Self.units where unit != "w" && remaining >= size {
            text += "\(remaining / size)\(unit)"
            remaining %= size
        }
        if remaining > 0 || text.isEmpty { text += "\(remaining)ms" }
        return text
    }
}
