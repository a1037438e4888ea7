/// A day of the week, numbered as cron numbers them: Sunday is 0.
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case sunday = 0, monday, tuesday, wednesday, thursday, friday, saturday

    /// Three letters, lowercase: `mon`, as written in cron and calendar configs.
    public var abbreviation: String { Self.abbreviations[rawValue] }

    public var description: String { abbreviation }

    /// The day named by three letters (`mon`) or in full (`monday`), in any case.
    public init?(name: String) {
        let lowered = name.lowercased()
        guard let index = Self.abbreviations.firstIndex(of: lowered) ?? Self.fullNames.firstIndex(of: lowered) else {
            return nil
        }
        self.init(rawValue: index)
    }

    /// The weekday of a day counted from 1970-01-01, which was a Thursday.
    init(daysSinceEpoch days: Int) {
        let index = (days + 4) % 7
        self.init(rawValue: index < 0 ? index + 7 : index)!
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }

    static let abbreviations = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let fullNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
}
