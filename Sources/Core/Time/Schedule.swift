import Foundation

/// When a time trigger fires: `every 15m`, or a five-field cron expression
/// such as `0 9 * * mon-fri`, read on the wall clock of one time zone.
///
/// `every N` is aligned to local midnight: `every 15m` fires at :00, :15, :30
/// and :45 local time, `every 2h` at 00:00, 02:00, …; spans shorter than a day
/// must divide 24h evenly. `every Nd` fires at local midnight on the days
/// whose number since 1970-01-01 is a multiple of N (every day for `1d`).
///
/// Cron follows Vixie cron: `*`, lists, ranges, steps, month and weekday
/// names in any case, day-of-week 0 and 7 both Sunday, and when both
/// day-of-month and day-of-week are restricted (neither starts with `*`), a
/// day matches if either does. `@hourly`, `@daily`, `@midnight`, `@weekly`,
/// `@monthly`, `@yearly` and `@annually` stand for their usual expressions.
///
/// Daylight saving time, as Vixie cron handles it:
/// - A schedule at fixed local times (`every Nd`, or cron with neither the
///   minute nor the hour field starting with `*`) fires once, at the first
///   instant after the gap, for the times a spring-forward skips, and only on
///   the first pass through the hour a fall-back repeats.
/// - An interval schedule (`every` under a day, or cron with `*` leading the
///   minute or hour field) follows the wall clock: skipped times do not fire
///   and repeated times fire on both passes, so the rhythm goes on.
///
/// - Important: `nextFire(after:)` looks ten years ahead and no further, so an
///   expression that cannot match, such as `0 0 30 2 *`, yields `nil`.
public struct Schedule: Sendable, Hashable, CustomStringConvertible {
    /// The text as written, without surrounding spaces.
    public let text: String
    public let timeZone: TimeZone

    private enum Days: Sendable {
        case all
        /// Days since 1970-01-01 that are multiples of the count.
        case everyNth(Int64)
        /// Bit masks; with `either`, a day matches on day-of-month or weekday.
        case cron(months: UInt16, daysOfMonth: UInt32, weekdays: UInt8, either: Bool)
    }

    /// The minutes of a local day at which to fire, one bit each (1440 bits).
    private let minutes: [UInt64]
    private let days: Days
    private let followsWallClock: Bool
    private let rules: ZoneRules

    private static let searchHorizon: Int64 = 3653 * ZoneRules.millisecondsPerDay

    public var description: String { text }

    public static func == (lhs: Schedule, rhs: Schedule) -> Bool {
        lhs.text == rhs.text && lhs.timeZone.identifier == rhs.timeZone.identifier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(timeZone.identifier)
    }

    private init(text: String, timeZone: TimeZone, minutes: [UInt64], days: Days, followsWallClock: Bool) {
        self.text = text
        self.timeZone = timeZone
        self.minutes = minutes
        self.days = days
        self.followsWallClock = followsWallClock
        rules = ZoneRules.rules(for: timeZone)
    }

    // MARK: Firing

    /// The first instant strictly after `time` at which the schedule fires, or
    /// `nil` if there is none in the next ten years.
    public func nextFire(after time: Timestamp) -> Timestamp? {
        guard time.millisecondsSinceEpoch < ZoneRules.latestInstant else { return nil }
        let from = max(time.millisecondsSinceEpoch, ZoneRules.earliestInstant) + 1
        let horizon = from + Self.searchHorizon
        var segment = rules.segment(containing: from)
        var searchFrom = from
        while true {
            let offset = rules.offsets[segment]
            let start = rules.start(ofSegment: segment)
            let end = rules.end(ofSegment: segment)
            var wallFrom = searchFrom + offset
            if segment > 0, !followsWallClock {
                let previous = rules.offsets[segment - 1]
                // Spring-forward: fixed times inside the gap fire once, as it ends.
                if previous < offset, start >= from,
                    nextMatch(wallFrom: start + previous, wallBefore: start + offset) != nil
                {
                    return Timestamp(millisecondsSinceEpoch: start)
                }
                // Fall-back: fixed times fire on the first pass only.
                if previous > offset { wallFrom = max(wallFrom, start + previous) }
            }
            let wallBefore = min(end, horizon) + offset
            if let wall = nextMatch(wallFrom: wallFrom, wallBefore: wallBefore) {
                return Timestamp(millisecondsSinceEpoch: wall - offset)
            }
            if end >= horizon { return nil }
            segment += 1
            searchFrom = end
        }
    }

    /// The instants at which the schedule fires after `start` and up to and
    /// including `end`, in order, at most `limit` of them.
    public func fires(between start: Timestamp, and end: Timestamp, limit: Int = 1000) -> [Timestamp] {
        var result: [Timestamp] = []
        var cursor = start
        while result.count < limit, let next = nextFire(after: cursor), next <= end {
            result.append(next)
            cursor = next
        }
        return result
    }

    /// The first matching wall time at or after `wallFrom` (rounded up to a
    /// minute) and before `wallBefore`.
    private func nextMatch(wallFrom: Int64, wallBefore: Int64) -> Int64? {
        let dayLength = ZoneRules.millisecondsPerDay, minuteLength = ZoneRules.millisecondsPerMinute
        var day = ZoneRules.floorDivide(wallFrom, dayLength)
        var minute = Int((wallFrom - day * dayLength + minuteLength - 1) / minuteLength)
        while day * dayLength < wallBefore {
            if minute < 1440, matches(day: day), let found = nextMinute(from: minute) {
                let wall = day * dayLength + Int64(found) * minuteLength
                return wall < wallBefore ? wall : nil
            }
            day += 1
            minute = 0
        }
        return nil
    }

    private func nextMinute(from minute: Int) -> Int? {
        var index = minute >> 6
        var word = minutes[index] & (~0 << UInt64(minute & 63))
        while true {
            if word != 0 { return (index << 6) + word.trailingZeroBitCount }
            index += 1
            guard index < minutes.count else { return nil }
            word = minutes[index]
        }
    }

    private func matches(day: Int64) -> Bool {
        switch days {
        case .all:
            return true
        case .everyNth(let count):
            return day % count == 0
        case .cron(let months, let daysOfMonth, let weekdays, let either):
            let (_, month, dayOfMonth) = Timestamp.civilFromDays(Int(day))
            guard months & (1 << month) != 0 else { return false }
            let dayMatches = daysOfMonth & (1 << dayOfMonth) != 0
            let weekdayMatches = weekdays & (1 << Weekday(daysSinceEpoch: Int(day)).rawValue) != 0
            return either ? dayMatches || weekdayMatches : dayMatches && weekdayMatches
        }
    }

    // MARK: Parsing

    /// Parses `every <span>`, an `@daily`-style alias, or five cron fields
    /// `minute hour day-of-month month day-of-week` separated by spaces.
    public static func parse(_ text: String, timeZone: TimeZone) -> Result<Schedule, ScheduleError> {
        let scalars = Array(text.unicodeScalars)
        var tokens: [(text: [Unicode.Scalar], offset: Int)] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == " " || scalars[index] == "\t" {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count, scalars[index] != " ", scalars[index] != "\t" { index += 1 }
            tokens.append((Array(scalars[start..<index]), start))
        }
        guard let first = tokens.first else {
            return .failure(ScheduleError(
                field: nil, message: "the schedule is empty", offset: 0,
                hint: "write `every 15m` or a cron expression such as `0 9 * * mon-fri`"))
        }
        let trimmed = String(String.UnicodeScalarView(scalars[first.offset..<(tokens.last!.offset + tokens.last!.text.count)]))
        if String(String.UnicodeScalarView(first.text)).lowercased() == "every" {
            return parseEvery(tokens, end: scalars.count, text: trimmed, timeZone: timeZone)
        }
        if first.text.first == "@" {
            let name = String(String.UnicodeScalarView(first.text)).lowercased()
            guard let expansion = aliases[name] else {
                return .failure(ScheduleError(
                    field: nil, message: "`\(String(String.UnicodeScalarView(first.text)))` is not a schedule",
                    offset: first.offset, hint: "use @hourly, @daily, @weekly, @monthly or @yearly"))
            }
            if tokens.count > 1 {
                return .failure(ScheduleError(
                    field: nil, message: "unexpected `\(String(String.UnicodeScalarView(tokens[1].text)))` after \(name)",
                    offset: tokens[1].offset))
            }
            return parseCron(
                expansion.split(separator: " ").enumerated().map { (Array($1.unicodeScalars), $0) },
                end: 0, text: trimmed, timeZone: timeZone)
        }
        return parseCron(tokens, end: scalars.count, text: trimmed, timeZone: timeZone)
    }

    private static let aliases: [String: String] = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]

    private static func parseEvery(
        _ tokens: [(text: [Unicode.Scalar], offset: Int)], end: Int, text: String, timeZone: TimeZone
    ) -> Result<Schedule, ScheduleError> {
        func failure(_ message: String, at offset: Int, hint: String? = nil) -> Result<Schedule, ScheduleError> {
            .failure(ScheduleError(field: "span", message: message, offset: offset, hint: hint))
        }
        guard tokens.count >= 2 else {
            return failure("`every` needs a span such as 15m, 1h or 1d", at: end)
        }
        let spanText = String(String.UnicodeScalarView(tokens[1].text))
        let at = tokens[1].offset
        if tokens.count > 2 {
            return failure(
                "unexpected `\(String(String.UnicodeScalarView(tokens[2].text)))` after the span", at: tokens[2].offset,
                hint: "write the span without spaces, such as `1h30m`")
        }
        guard let span = TimeSpan.parse(spanText) else {
            return failure("`\(spanText)` is not a span such as 15m, 1h or 1d", at: at)
        }
        let minuteLength = ZoneRules.millisecondsPerMinute
        guard span.milliseconds > 0 else { return failure("`\(spanText)` is too short; the shortest is 1m", at: at) }
        guard span.milliseconds % minuteLength == 0 else {
            return failure("`\(spanText)` is not a whole number of minutes", at: at)
        }
        let count = span.milliseconds / minuteLength
        if count < 1440 {
            guard 1440 % count == 0 else {
                return failure(
                    "`\(spanText)` does not divide a day evenly", at: at,
                    hint: count < 60 ? "try 5m, 10m, 15m, 20m or 30m" : "try 1h, 2h, 3h, 4h, 6h, 8h or 12h")
            }
            var minutes = [UInt64](repeating: 0, count: 23)
            for minute in stride(from: 0, to: 1440, by: Int(count)) { minutes[minute >> 6] |= 1 << UInt64(minute & 63) }
            return .success(Schedule(text: text, timeZone: timeZone, minutes: minutes, days: .all, followsWallClock: true))
        }
        guard count % 1440 == 0 else {
            return failure("`\(spanText)` is longer than a day but not a whole number of days", at: at)
        }
        var minutes = [UInt64](repeating: 0, count: 23)
        minutes[0] = 1
        return .success(Schedule(
            text: text, timeZone: timeZone, minutes: minutes, days: .everyNth(count / 1440), followsWallClock: false))
    }

    private struct Field: Sendable {
        let name: String
        let low: Int
        let high: Int
        /// `(value, is the upper bound of a range)` for a name, if the field has names.
        let lookUp: (@Sendable (String, Bool) -> Int?)?
        let namesHint: [String]
        let noun: String
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    private static let fields: [Field] = [
        Field(name: "minute", low: 0, high: 59, lookUp: nil, namesHint: [], noun: "a number"),
        Field(name: "hour", low: 0, high: 23, lookUp: nil, namesHint: [], noun: "a number"),
        Field(name: "day-of-month", low: 1, high: 31, lookUp: nil, namesHint: [], noun: "a number"),
        Field(
            name: "month", low: 1, high: 12,
            lookUp: { name, _ in
                (months.firstIndex(of: name) ?? monthNames.firstIndex(of: name)).map { $0 + 1 }
            },
            namesHint: months + monthNames, noun: "a month (1-12 or jan-dec)"),
        Field(
            name: "day-of-week", low: 0, high: 7,
            lookUp: { name, isUpperBound in
                // `fri-sun` reads naturally; Sunday closes a range as 7.
                Weekday(name: name).map { $0 == .sunday && isUpperBound ? 7 : $0.rawValue }
            },
            namesHint: Weekday.abbreviations + Weekday.fullNames, noun: "a day (0-7 or sun-sat)"),
    ]

    private static func parseCron(
        _ tokens: [(text: [Unicode.Scalar], offset: Int)], end: Int, text: String, timeZone: TimeZone
    ) -> Result<Schedule, ScheduleError> {
        guard tokens.count == 5 else {
            return .failure(ScheduleError(
                field: nil,
                message: "expected 5 fields (minute hour day-of-month month day-of-week), found \(tokens.count)",
                offset: tokens.count > 5 ? tokens[5].offset : end,
                hint: "or write `every 15m`"))
        }
        var masks: [UInt64] = []
        for (field, token) in zip(fields, tokens) {
            switch parseField(token.text, at: token.offset, field) {
            case .success(let mask): masks.append(mask)
            case .failure(let error): return .failure(error)
            }
        }
        func starts(_ index: Int) -> Bool { tokens[index].text.first == "*" }
        var minutes = [UInt64](repeating: 0, count: 23)
        for hour in 0..<24 where masks[1] & (1 << UInt64(hour)) != 0 {
            for minute in 0..<60 where masks[0] & (1 << UInt64(minute)) != 0 {
                let index = hour * 60 + minute
                minutes[index >> 6] |= 1 << UInt64(index & 63)
            }
        }
        let weekdays = (masks[4] & 0x7F) | (masks[4] >> 7 & 1)
        let days = Days.cron(
            months: UInt16(masks[3]), daysOfMonth: UInt32(masks[2]), weekdays: UInt8(weekdays),
            either: !starts(2) && !starts(4))
        return .success(Schedule(
            text: text, timeZone: timeZone, minutes: minutes, days: days, followsWallClock: starts(0) || starts(1)))
    }

    /// One cron field as a bit mask of the values it allows.
    private static func parseField(_ token: [Unicode.Scalar], at tokenOffset: Int, _ field: Field) -> Result<UInt64, ScheduleError> {
        func failure(_ message: String, at offset: Int, hint: String? = nil) -> Result<UInt64, ScheduleError> {
            .failure(ScheduleError(field: field.name, message: "\(field.name): \(message)", offset: tokenOffset + offset, hint: hint))
        }
        func string(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(token[range])) }
        /// A number or name in `range` of the token.
        func value(_ range: Range<Int>, isUpperBound: Bool) -> Result<Int, ScheduleError> {
            let text = string(range)
            let failed = { (message: String, hint: String?) -> Result<Int, ScheduleError> in
                .failure(ScheduleError(
                    field: field.name, message: "\(field.name): \(message)", offset: tokenOffset + range.lowerBound, hint: hint))
            }
            guard !text.isEmpty else { return failed("expected \(field.noun)", nil) }
            if text.unicodeScalars.allSatisfy({ $0.value >= 48 && $0.value <= 57 }) {
                let number = text.count > 4 ? Int.max : Int(text)!
                guard number >= field.low, number <= field.high else {
                    return failed("\(text) is out of range \(field.low)-\(field.high)", nil)
                }
                return .success(number)
            }
            if let lookUp = field.lookUp, let number = lookUp(text.lowercased(), isUpperBound) { return .success(number) }
            return failed("`\(text)` is not \(field.noun)", Suggestion.hint(for: text, in: field.namesHint))
        }

        var mask: UInt64 = 0
        var itemStart = 0
        while itemStart <= token.count {
            let itemEnd = token[itemStart...].firstIndex(of: ",") ?? token.count
            guard itemStart < itemEnd else { return failure("empty list item", at: itemStart) }
            let slash = token[itemStart..<itemEnd].firstIndex(of: "/")
            let baseEnd = slash ?? itemEnd
            var step = 1
            if let slash {
                let stepText = string((slash + 1)..<itemEnd)
                guard !stepText.isEmpty, stepText.unicodeScalars.allSatisfy({ $0.value >= 48 && $0.value <= 57 }),
                    let number = Int(stepText.prefix(4)), number >= 1
                else {
                    return failure("step `\(stepText)` is not a positive whole number", at: slash + 1)
                }
                step = number
            }
            var lower: Int, upper: Int
            if baseEnd - itemStart == 1, token[itemStart] == "*" {
                (lower, upper) = (field.low, field.high)
            } else if let dash = token[itemStart..<baseEnd].firstIndex(of: "-") {
                switch value(itemStart..<dash, isUpperBound: false) {
                case .success(let number): lower = number
                case .failure(let error): return .failure(error)
                }
                switch value((dash + 1)..<baseEnd, isUpperBound: true) {
                case .success(let number): upper = number
                case .failure(let error): return .failure(error)
                }
                guard lower <= upper else {
                    return failure("range \(string(itemStart..<baseEnd)) runs backwards", at: itemStart)
                }
            } else {
                switch value(itemStart..<baseEnd, isUpperBound: false) {
                case .success(let number): lower = number
                case .failure(let error): return .failure(error)
                }
                // `5/10` means from 5 to the end of the field, as in cronie.
                upper = slash == nil ? lower : field.high
            }
            for number in stride(from: lower, through: upper, by: step) { mask |= 1 << UInt64(number) }
            itemStart = itemEnd + 1
        }
        return .success(mask)
    }
}
