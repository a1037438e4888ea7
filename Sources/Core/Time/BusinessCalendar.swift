import Foundation

/// Opening hours in one time zone — a weekly pattern less whole-day
/// holidays — and the arithmetic of business time over them, for conditions
/// such as `business_hours_since(ticket.updated_at) > 8`.
///
/// Hours are wall-clock hours: the calendar is open while the zone's clock
/// reads inside an interval of a day that is not a holiday. So 09:00-17:00 is
/// 8 h on the days daylight saving time starts and ends (the change happens
/// at night), and only an interval that spans the change itself, such as
/// 00:00-24:00, is an hour shorter or longer that day.
///
/// Arithmetic walks day by day through a precomputed table of the zone's
/// offsets, so a span of years costs a few thousand cheap steps.
public struct BusinessCalendar: Sendable, Hashable {
    /// Open intervals per weekday, in minutes since local midnight (`540..<1020`
    /// is 09:00-17:00), sorted and merged; closed days have no entry.
    public let weekly: [Weekday: [Range<Int>]]
    public let timeZone: TimeZone
    /// Whole days, in the calendar's zone, on which it is closed.
    public let holidays: Set<LocalDate>

    /// `weekly` by weekday number, in milliseconds since local midnight.
    private let hours: [[Range<Int64>]]
    private let holidayDays: [Int64]
    private let rules: ZoneRules

    /// Intervals are minutes since local midnight, half-open (`540..<1020` is
    /// 09:00-17:00); they are clamped to 0...1440, sorted and merged where they
    /// touch or overlap.
    public init(weekly: [Weekday: [Range<Int>]], timeZone: TimeZone, holidays: Set<LocalDate> = []) {
        var normalized: [Weekday: [Range<Int>]] = [:]
        for (weekday, intervals) in weekly {
            var merged: [Range<Int>] = []
            for interval in intervals.map({ $0.clamped(to: 0..<1440) }).sorted(by: { $0.lowerBound < $1.lowerBound })
            where !interval.isEmpty {
                if let last = merged.last, interval.lowerBound <= last.upperBound {
                    merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, interval.upperBound)
                } else {
                    merged.append(interval)
                }
            }
            if !merged.isEmpty { normalized[weekday] = merged }
        }
        self.weekly = normalized
        self.timeZone = timeZone
        self.holidays = holidays
        let minute = ZoneRules.millisecondsPerMinute
        hours = Weekday.allCases.map { weekday in
            (normalized[weekday] ?? []).map { Int64($0.lowerBound) * minute..<Int64($0.upperBound) * minute }
        }
        holidayDays = holidays.map { Int64($0.daysSinceEpoch) }.sorted()
        rules = ZoneRules.rules(for: timeZone)
    }

    public static func == (lhs: BusinessCalendar, rhs: BusinessCalendar) -> Bool {
        lhs.weekly == rhs.weekly && lhs.timeZone.identifier == rhs.timeZone.identifier && lhs.holidays == rhs.holidays
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(weekly)
        hasher.combine(timeZone.identifier)
        hasher.combine(holidays)
    }

    // MARK: Arithmetic

    /// Whether the calendar is open at `time`.
    public func isOpen(at time: Timestamp) -> Bool {
        let wall = rules.wallTime(at: Self.clamp(time.millisecondsSinceEpoch))
        let day = ZoneRules.floorDivide(wall, ZoneRules.millisecondsPerDay)
        guard !isHoliday(day) else { return false }
        let sinceMidnight = wall - day * ZoneRules.millisecondsPerDay
        return hours[Weekday(daysSinceEpoch: Int(day)).rawValue].contains { $0.contains(sinceMidnight) }
    }

    /// The business time that passes from `start` to `end`; zero if `end` is
    /// not after `start`.
    public func businessDuration(from start: Timestamp, to end: Timestamp) -> TimeSpan {
        let lower = Self.clamp(start.millisecondsSinceEpoch), upper = Self.clamp(end.millisecondsSinceEpoch)
        guard lower < upper else { return TimeSpan(milliseconds: 0) }
        // The first and last local days whose hours can fall between the two instants.
        let firstDay = ZoneRules.floorDivide(lower + rules.smallestOffset, ZoneRules.millisecondsPerDay)
        let lastDay = ZoneRules.floorDivide(upper - 1 + rules.largestOffset, ZoneRules.millisecondsPerDay)
        var total: Int64 = 0
        forEachOpenRange(from: firstDay, through: lastDay) { open in
            let from = max(open.lowerBound, lower), to = min(open.upperBound, upper)
            if from < to { total += to - from }
            return true
        }
        return TimeSpan(milliseconds: total)
    }

    /// The instant at which `span` of business time has passed since `start`:
    /// the end of an interval, not the next opening, when the span uses it up
    /// exactly. A span of zero or less gives `start`.
    ///
    /// - Important: A calendar with no hours never gets there and answers
    ///   9999-12-31T23:59:59.999Z, the latest instant it handles.
    public func adding(_ span: TimeSpan, to start: Timestamp) -> Timestamp {
        guard span.milliseconds > 0 else { return start }
        let lower = Self.clamp(start.millisecondsSinceEpoch)
        var remaining = span.milliseconds
        var result = ZoneRules.latestInstant
        guard hours.contains(where: { !$0.isEmpty }) else { return Timestamp(millisecondsSinceEpoch: result) }
        let firstDay = ZoneRules.floorDivide(lower + rules.smallestOffset, ZoneRules.millisecondsPerDay)
        forEachOpenRange(from: firstDay, through: nil) { open in
            let from = max(open.lowerBound, lower)
            guard from < open.upperBound else { return true }
            let available = open.upperBound - from
            if remaining <= available {
                result = from + remaining
                return false
            }
            remaining -= available
            return true
        }
        return Timestamp(millisecondsSinceEpoch: min(result, ZoneRules.latestInstant))
    }

    /// Calls `body` with each open range of instants of the local days from
    /// `firstDay` to `lastDay` (or without end), in order, until it returns `false`.
    private func forEachOpenRange(from firstDay: Int64, through lastDay: Int64?, _ body: (Range<Int64>) -> Bool) {
        let dayLength = ZoneRules.millisecondsPerDay
        let finalDay = min(lastDay ?? .max, ZoneRules.floorDivide(ZoneRules.latestInstant, dayLength) + 1)
        var holidayIndex = firstHoliday(onOrAfter: firstDay)
        var segmentHint = -1
        var weekday = Weekday(daysSinceEpoch: Int(firstDay)).rawValue
        var day = firstDay
        while day <= finalDay {
            while holidayIndex < holidayDays.count, holidayDays[holidayIndex] < day { holidayIndex += 1 }
            if holidayIndex == holidayDays.count || holidayDays[holidayIndex] != day {
                let midnight = day * dayLength
                for interval in hours[weekday] {
                    let wall = (midnight + interval.lowerBound)..<(midnight + interval.upperBound)
                    guard rules.forEachInstantRange(wall: wall, hint: &segmentHint, body) else { return }
                }
            }
            day += 1
            weekday = weekday == 6 ? 0 : weekday + 1
        }
    }

    private func firstHoliday(onOrAfter day: Int64) -> Int {
        var low = 0, high = holidayDays.count
        while low < high {
            let middle = (low + high) / 2
            if holidayDays[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func isHoliday(_ day: Int64) -> Bool {
        let index = firstHoliday(onOrAfter: day)
        return index < holidayDays.count && holidayDays[index] == day
    }

    private static func clamp(_ instant: Int64) -> Int64 {
        min(max(instant, ZoneRules.earliestInstant), ZoneRules.latestInstant)
    }

    // MARK: Configuration

    /// Reads a calendar from its configuration object:
    ///
    /// ```yaml
    /// time_zone: Europe/Berlin
    /// weekly:
    ///   mon-fri: "09:00-17:00"
    ///   sat: ["10:00-12:00", "13:00-14:00"]
    /// holidays: ["2026-12-24", "2026-12-25"]
    /// ```
    ///
    /// Days are `mon` … `sun` (or full names), ranges such as `mon-fri` (which
    /// may wrap: `fri-mon`) and lists such as `mon,wed`; hours are
    /// `HH:MM-HH:MM`, several separated by commas or given as a list, or
    /// `closed`. Every problem is reported, each with the path of its field
    /// below `path`.
    public static func parse(_ value: Value, path: String = "business_hours") -> Result<BusinessCalendar, BusinessCalendarError> {
        var problems: [BusinessCalendarError.Problem] = []
        func report(_ path: String, _ message: String) {
            problems.append(BusinessCalendarError.Problem(path: path, message: message))
        }
        guard case .object(let object) = value else {
            report(path, "expected an object with `time_zone` and `weekly`, found \(value.typeName)")
            return .failure(BusinessCalendarError(problems))
        }
        var timeZone: TimeZone?
        var weekly: [Weekday: [Range<Int>]]?
        var holidays: Set<LocalDate> = []
        let keys = ["time_zone", "weekly", "holidays"]
        for (key, field) in object.pairs {
            let fieldPath = "\(path).\(key)"
            switch key {
            case "time_zone":
                timeZone = parseTimeZone(field, path: fieldPath, report: report)
            case "weekly":
                weekly = parseWeekly(field, path: fieldPath, report: report)
            case "holidays":
                holidays = parseHolidays(field, path: fieldPath, report: report)
            default:
                report(fieldPath, "unknown key" + (Suggestion.hint(for: key, in: keys).map { "; \($0)" } ?? ""))
            }
        }
        for key in keys.prefix(2) where object[key] == nil {
            report(path, "missing required key `\(key)`")
        }
        guard problems.isEmpty, let timeZone, let weekly else { return .failure(BusinessCalendarError(problems)) }
        return .success(BusinessCalendar(weekly: weekly, timeZone: timeZone, holidays: holidays))
    }

    private static func parseTimeZone(_ value: Value, path: String, report: (String, String) -> Void) -> TimeZone? {
        guard case .string(let name) = value else {
            report(path, "expected a time zone name such as \"Europe/Berlin\", found \(value.typeName)")
            return nil
        }
        guard let timeZone = TimeZone(identifier: name) else {
            let hint = Suggestion.hint(for: name, in: TimeZone.knownTimeZoneIdentifiers)
            report(path, "\"\(name)\" is not a known time zone" + (hint.map { "; \($0)" } ?? ""))
            return nil
        }
        return timeZone
    }

    private static func parseWeekly(
        _ value: Value, path: String, report: (String, String) -> Void
    ) -> [Weekday: [Range<Int>]]? {
        guard case .object(let object) = value else {
            report(path, "expected days and hours such as `mon-fri: \"09:00-17:00\"`, found \(value.typeName)")
            return nil
        }
        var weekly: [Weekday: [Range<Int>]] = [:]
        var givenBy: [Weekday: String] = [:]
        var failed = false
        for (key, field) in object.pairs {
            let fieldPath = "\(path).\(key)"
            guard let days = parseDays(key) else {
                let names = Weekday.abbreviations + Weekday.fullNames
                let hint = Suggestion.hint(for: key, in: names)
                report(fieldPath, "\"\(key)\" is not a day such as mon or a range such as mon-fri"
                    + (hint.map { "; \($0)" } ?? ""))
                failed = true
                continue
            }
            guard let intervals = parseIntervals(field, path: fieldPath, report: report) else {
                failed = true
                continue
            }
            for day in days {
                if let earlier = givenBy[day] {
                    report(fieldPath, "\(day) is already given by `\(earlier)`")
                    failed = true
                } else {
                    givenBy[day] = key
                    weekly[day] = intervals
                }
            }
        }
        if failed { return nil }
        guard weekly.values.contains(where: { !$0.isEmpty }) else {
            report(path, "no open hours; open at least one day, e.g. `mon-fri: \"09:00-17:00\"`")
            return nil
        }
        return weekly
    }

    /// `mon`, `mon-fri`, `fri-mon` (wrapping) or a comma-separated list of those.
    private static func parseDays(_ text: String) -> [Weekday]? {
        var days: [Weekday] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard bounds.count <= 2, let first = Weekday(name: bounds[0]) else { return nil }
            guard bounds.count == 2 else {
                days.append(first)
                continue
            }
            guard let last = Weekday(name: bounds[1]) else { return nil }
            var day = first
            while true {
                days.append(day)
                if day == last { break }
                day = Weekday(rawValue: (day.rawValue + 1) % 7)!
            }
        }
        return days
    }

    /// `"09:00-17:00"`, `"09:00-12:00, 13:00-17:00"`, a list of those, or `"closed"`.
    private static func parseIntervals(_ value: Value, path: String, report: (String, String) -> Void) -> [Range<Int>]? {
        var items: [(text: String, path: String)] = []
        switch value {
        case .string(let text):
            if text.trimmingCharacters(in: .whitespaces).lowercased() == "closed" { return [] }
            items = text.split(separator: ",", omittingEmptySubsequences: false).map {
                ($0.trimmingCharacters(in: .whitespaces), path)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    report("\(path)[\(index)]", "expected hours such as \"09:00-17:00\", found \(element.typeName)")
                    return nil
                }
                items.append((text.trimmingCharacters(in: .whitespaces), "\(path)[\(index)]"))
            }
        default:
            report(path, "expected hours such as \"09:00-17:00\", found \(value.typeName)")
            return nil
        }
        var intervals: [(range: Range<Int>, text: String)] = []
        var failed = false
        for (text, itemPath) in items {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]) else {
                report(itemPath, "\"\(text)\" is not HH:MM-HH:MM")
                failed = true
                continue
            }
            guard start < 1440 else {
                report(itemPath, "\"\(text)\" starts at the end of the day")
                failed = true
                continue
            }
            guard start < end else {
                report(itemPath, start == end
                    ? "\"\(text)\" is empty"
                    : "\"\(text)\" ends before it starts; split hours past midnight over two days")
                failed = true
                continue
            }
            if let overlapped = intervals.first(where: { $0.range.overlaps(start..<end) }) {
                report(itemPath, "\"\(text)\" overlaps \"\(overlapped.text)\"")
                failed = true
                continue
            }
            intervals.append((start..<end, text))
        }
        return failed ? nil : intervals.map(\.range).sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Minutes since midnight for `HH:MM` (one-digit hours allowed), up to `24:00`.
    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60,
            hour < 24 || (hour == 24 && minute == 0)
        else { return nil }
        return hour * 60 + minute
    }

    private static func parseHolidays(_ value: Value, path: String, report: (String, String) -> Void) -> Set<LocalDate> {
        guard case .array(let elements) = value else {
            report(path, "expected a list of dates such as [\"2026-12-25\"], found \(value.typeName)")
            return []
        }
        var holidays: Set<LocalDate> = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                report("\(path)[\(index)]", "expected a date such as \"2026-12-25\", found \(element.typeName)")
                continue
            }
            guard let date = LocalDate.parse(text) else {
                report("\(path)[\(index)]", "\"\(text)\" is not a date YYYY-MM-DD")
                continue
            }
            holidays.insert(date)
        }
        return holidays
    }
}
