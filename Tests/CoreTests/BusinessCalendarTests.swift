import Core
import Foundation
import Testing

@Suite struct BusinessCalendarTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func at(_ text: String) -> Timestamp { Timestamp.parse(text)! }
    static func date(_ text: String) -> LocalDate { LocalDate.parse(text)! }
    static func hours(_ start: Int, _ end: Int) -> Range<Int> { start * 60..<end * 60 }

    /// Berlin, Monday to Friday 09:00-17:00, closed on 24 and 25 December 2026.
    static let office = BusinessCalendar(
        weekly: [.monday: [hours(9, 17)], .tuesday: [hours(9, 17)], .wednesday: [hours(9, 17)],
                 .thursday: [hours(9, 17)], .friday: [hours(9, 17)]],
        timeZone: berlin, holidays: [date("2026-12-24"), date("2026-12-25")])

    /// Open around the clock every day, to see DST days whole.
    static func allDay(_ timeZone: TimeZone) -> BusinessCalendar {
        BusinessCalendar(weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [hours(0, 24)]) }),
                         timeZone: timeZone)
    }

    static func duration(_ calendar: BusinessCalendar, _ from: String, _ to: String) -> TimeSpan {
        calendar.businessDuration(from: at(from), to: at(to))
    }

    // MARK: configuration

    @Test func parse_readsTheDocumentedShape() throws {
        let config: Value = [
            "time_zone": "Europe/Berlin",
            "weekly": ["mon-fri": "09:00-17:00", "sat": "10:00-14:00"],
            "holidays": ["2026-12-24", "2026-12-25", "2027-01-01"],
        ]
        let calendar = try BusinessCalendar.parse(config).get()
        #expect(calendar.timeZone.identifier == "Europe/Berlin")
        #expect(calendar.weekly[.monday] == [540..<1020])
        #expect(calendar.weekly[.friday] == [540..<1020])
        #expect(calendar.weekly[.saturday] == [600..<840])
        #expect(calendar.weekly[.sunday] == nil)
        #expect(calendar.holidays == [Self.date("2026-12-24"), Self.date("2026-12-25"), Self.date("2027-01-01")])
    }

    @Test func parse_acceptsSplitDaysListsAndWrappingRanges() throws {
        let config: Value = [
            "time_zone": "America/New_York",
            "weekly": ["mon,wed": "9:00-12:00, 13:00-17:00", "thu": ["13:00-17:00", "08:00-12:00"],
                       "fri-sun": "closed", "tue": "00:00-24:00"],
        ]
        let calendar = try BusinessCalendar.parse(config).get()
        #expect(calendar.weekly[.monday] == [540..<720, 780..<1020])
        #expect(calendar.weekly[.wednesday] == [540..<720, 780..<1020])
        #expect(calendar.weekly[.thursday] == [480..<720, 780..<1020])
        #expect(calendar.weekly[.tuesday] == [0..<1440])
        #expect(calendar.weekly[.friday] == nil)
        #expect(calendar.weekly[.sunday] == nil)
    }

    static let badConfigs: [(Value, [String])] = [
        (["time_zone": "Europe/Berlin", "weekly": ["mon-fri": "9-17"]],
         [#"business_hours.weekly.mon-fri: "9-17" is not HH:MM-HH:MM"#]),
        (["time_zone": "Europe/Berln", "weekly": ["mon": "09:00-17:00"]],
         [#"business_hours.time_zone: "Europe/Berln" is not a known time zone; did you mean `Europe/Berlin`?"#]),
        (["time_zone": 1, "weekly": ["mon": "09:00-17:00"]],
         [#"business_hours.time_zone: expected a time zone name such as "Europe/Berlin", found integer"#]),
        (["time_zone": "UTC", "wekly": ["mon": "09:00-17:00"]],
         ["business_hours.wekly: unknown key; did you mean `weekly`?", "business_hours: missing required key `weekly`"]),
        (["weekly": ["mon": "09:00-17:00"]], ["business_hours: missing required key `time_zone`"]),
        (["time_zone": "UTC", "weekly": ["mon": "09:00-17:00"], "holidays": ["2026-12-24", "2026-02-30", 7]],
         [#"business_hours.holidays[1]: "2026-02-30" is not a date YYYY-MM-DD"#,
          #"business_hours.holidays[2]: expected a date such as "2026-12-25", found integer"#]),
        (["time_zone": "UTC", "weekly": ["mon": "17:00-09:00", "tue": "09:00-09:00", "wed": "09:00-25:00"]],
         [#"business_hours.weekly.mon: "17:00-09:00" ends before it starts; split hours past midnight over two days"#,
          #"business_hours.weekly.tue: "09:00-09:00" is empty"#,
          #"business_hours.weekly.wed: "09:00-25:00" is not HH:MM-HH:MM"#]),
        (["time_zone": "UTC", "weekly": ["mon": ["09:00-13:00", "12:00-14:00"]]],
         [#"business_hours.weekly.mon[1]: "12:00-14:00" overlaps "09:00-13:00""#]),
        (["time_zone": "UTC", "weekly": ["mon-sat": "09:00-17:00", "sat": "10:00-14:00"]],
         ["business_hours.weekly.sat: sat is already given by `mon-sat`"]),
        (["time_zone": "UTC", "weekly": ["tues": "09:00-17:00"]],
         [#"business_hours.weekly.tues: "tues" is not a day such as mon or a range such as mon-fri; did you mean `tue`?"#]),
        (["time_zone": "UTC", "weekly": ["mon": 9]],
         [#"business_hours.weekly.mon: expected hours such as "09:00-17:00", found integer"#]),
        (["time_zone": "UTC", "weekly": ["sat-sun": "closed"]],
         [#"business_hours.weekly: no open hours; open at least one day, e.g. `mon-fri: "09:00-17:00"`"#]),
        ("mon-fri 9-5", ["business_hours: expected an object with `time_zone` and `weekly`, found string"]),
    ]

    @Test(arguments: badConfigs.indices)
    func parse_whenMalformed_namesThePathOfEveryBadField(index: Int) {
        let (config, expected) = Self.badConfigs[index]
        guard case .failure(let error) = BusinessCalendar.parse(config) else {
            Issue.record("parsed \(config)")
            return
        }
        #expect(error.problems.map(\.description) == expected)
    }

    @Test func parse_usesTheGivenPath() {
        guard case .failure(let error) = BusinessCalendar.parse(
            ["time_zone": "UTC", "weekly": ["mon": "nine to five"]], path: "calendars.support")
        else {
            Issue.record("parsed")
            return
        }
        #expect(error.description == #"calendars.support.weekly.mon: "nine to five" is not HH:MM-HH:MM"#)
    }

    @Test func localDate_parsesRealDatesOnly() {
        #expect(LocalDate.parse("2028-02-29")?.weekday == .tuesday)
        #expect(LocalDate.parse("2026-12-24")?.description == "2026-12-24")
        #expect(LocalDate(daysSinceEpoch: 0) == LocalDate(year: 1970, month: 1, day: 1))
        for text in ["2027-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-01-01T00:00:00Z"] {
            #expect(LocalDate.parse(text) == nil, "\(text)")
        }
    }

    @Test func weekday_readsShortAndFullNamesInAnyCase() {
        #expect(Weekday(name: "MON") == .monday)
        #expect(Weekday(name: "Sunday") == .sunday)
        #expect(Weekday(name: "tues") == nil)
    }

    @Test func init_mergesOverlappingIntervalsAndDropsEmptyOnes() {
        let calendar = BusinessCalendar(
            weekly: [.monday: [720..<900, 540..<780, 1000..<1000, 1380..<1500], .tuesday: []], timeZone: Self.berlin)
        #expect(calendar.weekly == [.monday: [540..<900, 1380..<1440]])
    }

    // MARK: isOpen

    @Test func isOpen_followsWeeklyHoursAndHolidays() {
        let office = Self.office
        #expect(office.isOpen(at: Self.at("2026-11-16T09:00:00+01:00")))  // Monday, opening minute
        #expect(office.isOpen(at: Self.at("2026-11-16T16:59:59.999+01:00")))
        #expect(!office.isOpen(at: Self.at("2026-11-16T17:00:00+01:00")))  // closing is exclusive
        #expect(!office.isOpen(at: Self.at("2026-11-16T08:59:00+01:00")))
        #expect(!office.isOpen(at: Self.at("2026-11-21T12:00:00+01:00")))  // Saturday
        #expect(!office.isOpen(at: Self.at("2026-12-24T12:00:00+01:00")))  // holiday
        #expect(office.isOpen(at: Self.at("2026-12-23T12:00:00+01:00")))
    }

    @Test func isOpen_inTheRepeatedHourOfAFallBack_isOpenOnBothPasses() {
        let night = BusinessCalendar(weekly: [.sunday: [Self.hours(1, 2)]], timeZone: Self.newYork)
        #expect(night.isOpen(at: Self.at("2026-11-01T01:30:00-04:00")))
        #expect(night.isOpen(at: Self.at("2026-11-01T01:30:00-05:00")))
        #expect(!night.isOpen(at: Self.at("2026-11-01T02:00:00-05:00")))
    }

    // MARK: businessDuration

    @Test func businessDuration_withinADay_isTheOpenPart() {
        #expect(Self.duration(Self.office, "2026-11-16T08:00:00+01:00", "2026-11-16T10:30:00+01:00") == .minutes(90))
        #expect(Self.duration(Self.office, "2026-11-16T10:00:00+01:00", "2026-11-16T20:00:00+01:00") == .hours(7))
    }

    @Test func businessDuration_whenEndIsNotAfterStart_isZero() {
        #expect(Self.duration(Self.office, "2026-11-16T12:00:00+01:00", "2026-11-16T10:00:00+01:00") == .zeroForTests)
        #expect(Self.duration(Self.office, "2026-11-16T12:00:00+01:00", "2026-11-16T12:00:00+01:00") == .zeroForTests)
    }

    @Test func businessDuration_acrossANight_countsOnlyOpenHours() {
        #expect(Self.duration(Self.office, "2026-11-16T16:00:00+01:00", "2026-11-17T10:00:00+01:00") == .hours(2))
    }

    @Test func businessDuration_acrossAWeekend_skipsIt() {
        // Friday 15:00 to Monday 11:00: two hours each side.
        #expect(Self.duration(Self.office, "2026-11-20T15:00:00+01:00", "2026-11-23T11:00:00+01:00") == .hours(4))
    }

    @Test func businessDuration_acrossHolidays_skipsThem() {
        // Wednesday 23 December 16:00 to Monday 28 December 10:00: 24th and 25th closed, then the weekend.
        #expect(Self.duration(Self.office, "2026-12-23T16:00:00+01:00", "2026-12-28T10:00:00+01:00") == .hours(2))
    }

    @Test func businessDuration_withALunchBreak_leavesItOut() {
        let split = BusinessCalendar(weekly: [.monday: [Self.hours(9, 12), Self.hours(13, 17)]], timeZone: Self.berlin)
        #expect(Self.duration(split, "2026-11-16T11:00:00+01:00", "2026-11-16T14:00:00+01:00") == .hours(2))
        #expect(Self.duration(split, "2026-11-16T00:00:00+01:00", "2026-11-17T00:00:00+01:00") == .hours(7))
    }

    @Test func businessDuration_overAYear_countsEveryWorkingDay() {
        // 2026 has 261 weekdays; two holidays fall on them.
        #expect(Self.duration(Self.office, "2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00") == .hours(259 * 8))
    }

    @Test func berlinSpringForward_officeHoursStayEightHours() {
        // Friday 27 March to Monday 30 March 2026; clocks go forward on Sunday the 29th.
        #expect(Self.duration(Self.office, "2026-03-27T09:00:00+01:00", "2026-03-30T17:00:00+02:00") == .hours(16))
        let everyDay = BusinessCalendar(
            weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [Self.hours(9, 17)]) }),
            timeZone: Self.berlin)
        #expect(Self.duration(everyDay, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00") == .hours(8))
    }

    @Test func berlinDSTDays_lastTheirWallClockLength() {
        let allDay = Self.allDay(Self.berlin)
        #expect(Self.duration(allDay, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00") == .hours(23))
        #expect(Self.duration(allDay, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00") == .hours(25))
        // 01:00-04:00 spans the change: two real hours in spring, four in autumn.
        let night = BusinessCalendar(weekly: [.sunday: [Self.hours(1, 4)]], timeZone: Self.berlin)
        #expect(Self.duration(night, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00") == .hours(2))
        #expect(Self.duration(night, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00") == .hours(4))
    }

    @Test func newYorkDSTDays_keepOfficeHoursAndChangeWholeDays() {
        let everyDay = BusinessCalendar(
            weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [Self.hours(9, 17)]) }),
            timeZone: Self.newYork)
        // Saturday noon to Sunday noon across the spring-forward: 5 h + 3 h.
        #expect(Self.duration(everyDay, "2026-03-07T12:00:00-05:00", "2026-03-08T12:00:00-04:00") == .hours(8))
        #expect(Self.duration(everyDay, "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00") == .hours(8))
        let allDay = Self.allDay(Self.newYork)
        #expect(Self.duration(allDay, "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00") == .hours(23))
        #expect(Self.duration(allDay, "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00") == .hours(25))
        let night = BusinessCalendar(weekly: [.sunday: [Self.hours(1, 2)]], timeZone: Self.newYork)
        #expect(Self.duration(night, "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00") == .hours(2))
    }

    // MARK: adding

    @Test func adding_withinTheDay_movesForward() {
        #expect(Self.office.adding(.hours(2), to: Self.at("2026-11-16T10:00:00+01:00")) == Self.at("2026-11-16T12:00:00+01:00"))
    }

    @Test func adding_thatUsesUpTheDay_endsAtClosingNotAtNextOpening() {
        #expect(Self.office.adding(.hours(8), to: Self.at("2026-11-16T09:00:00+01:00")) == Self.at("2026-11-16T17:00:00+01:00"))
    }

    @Test func adding_beforeOpening_startsCountingAtOpening() {
        #expect(Self.office.adding(.hours(1), to: Self.at("2026-11-16T07:00:00+01:00")) == Self.at("2026-11-16T10:00:00+01:00"))
    }

    @Test func adding_acrossANightAndAWeekend_skipsClosedTime() {
        #expect(Self.office.adding(.hours(2), to: Self.at("2026-11-16T16:00:00+01:00")) == Self.at("2026-11-17T10:00:00+01:00"))
        #expect(Self.office.adding(.hours(2), to: Self.at("2026-11-20T16:00:00+01:00")) == Self.at("2026-11-23T10:00:00+01:00"))
        #expect(Self.office.adding(.hours(2), to: Self.at("2026-11-21T12:00:00+01:00")) == Self.at("2026-11-23T11:00:00+01:00"))
    }

    @Test func adding_acrossHolidays_skipsThem() {
        #expect(Self.office.adding(.hours(2), to: Self.at("2026-12-23T16:00:00+01:00")) == Self.at("2026-12-28T10:00:00+01:00"))
    }

    @Test func adding_acrossSpringForward_landsOnLocalHours() {
        #expect(Self.office.adding(.hours(2), to: Self.at("2026-03-27T16:00:00+01:00")) == Self.at("2026-03-30T10:00:00+02:00"))
        let allDay = Self.allDay(Self.newYork)
        #expect(allDay.adding(.hours(3), to: Self.at("2026-03-08T00:00:00-05:00")) == Self.at("2026-03-08T04:00:00-04:00"))
    }

    @Test func adding_nothing_returnsTheStart() {
        let start = Self.at("2026-11-21T12:00:00+01:00")
        #expect(Self.office.adding(.minutes(0), to: start) == start)
    }

    @Test func adding_whenNeverOpen_answersTheLatestInstant() {
        let closed = BusinessCalendar(weekly: [:], timeZone: Self.berlin)
        #expect(closed.adding(.hours(1), to: Self.at("2026-11-16T10:00:00Z")) == Self.at("9999-12-31T23:59:59.999Z"))
        #expect(closed.businessDuration(from: Self.at("2026-01-01T00:00:00Z"), to: Self.at("2027-01-01T00:00:00Z")) == .zeroForTests)
    }

    // MARK: properties

    @Test(arguments: ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
    func businessDurationOfAdding_givesBackTheSpan(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let calendar = BusinessCalendar(
            weekly: [.monday: [Self.hours(9, 12), Self.hours(13, 17)], .tuesday: [Self.hours(0, 24)],
                     .wednesday: [Self.hours(1, 3), 150..<210], .thursday: [Self.hours(9, 17)],
                     .friday: [Self.hours(9, 17)], .saturday: [Self.hours(22, 24)], .sunday: [Self.hours(0, 4)]],
            timeZone: timeZone, holidays: [Self.date("2026-12-24"), Self.date("2027-01-01"), Self.date("2027-03-29")])
        var random = SplitMix64(seed: 20_261_116)
        let start = Self.at("2025-06-01T00:00:00Z").millisecondsSinceEpoch
        for _ in 0..<2000 {
            let from = Timestamp(millisecondsSinceEpoch: start + Int64.random(in: 0..<(3 * 365 * 86_400_000), using: &random))
            let span = TimeSpan(milliseconds: Int64.random(in: 0..<(400 * 3_600_000), using: &random))
            let end = calendar.adding(span, to: from)
            #expect(end >= from)
            #expect(calendar.businessDuration(from: from, to: end) == span, "from \(from) adding \(span) gave \(end)")
            // Business time from a to c is the time from a to b plus b to c.
            let middle = Timestamp(millisecondsSinceEpoch: (from.millisecondsSinceEpoch + end.millisecondsSinceEpoch) / 2)
            #expect(calendar.businessDuration(from: from, to: middle).milliseconds
                + calendar.businessDuration(from: middle, to: end).milliseconds == span.milliseconds)
        }
    }

    @Test func businessDuration_overTenYears_countsEveryWorkingHour() {
        let from = Self.at("2020-01-01T00:00:00Z"), to = Self.at("2030-01-01T00:00:00Z")
        let total = Self.office.businessDuration(from: from, to: to)
        // Speed is measured by the benchmarks, not here; ten years are 20,000+ office hours.
        #expect(total > .hours(20_000))
        #expect(total < .hours(21_000))
    }
}

/// A seeded generator, so the property checks are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension TimeSpan {
    fileprivate static let zeroForTests = TimeSpan(milliseconds: 0)
}
