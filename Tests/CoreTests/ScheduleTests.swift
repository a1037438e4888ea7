import Core
import Foundation
import Testing

@Suite struct ScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func at(_ text: String) -> Timestamp { Timestamp.parse(text)! }

    static func schedule(_ text: String, _ timeZone: TimeZone = utc) throws -> Schedule {
        try Schedule.parse(text, timeZone: timeZone).get()
    }

    /// The next `count` fires after `start`, each strictly after the one before.
    static func fires(_ text: String, _ timeZone: TimeZone = utc, after start: String, count: Int) throws -> [Timestamp] {
        let schedule = try schedule(text, timeZone)
        var result: [Timestamp] = []
        var cursor = at(start)
        for _ in 0..<count {
            guard let next = schedule.nextFire(after: cursor) else { break }
            result.append(next)
            cursor = next
        }
        return result
    }

    static func times(_ texts: String...) -> [Timestamp] { texts.map(at) }

    // MARK: every

    @Test func every15m_firesOnTheQuarterHoursOfLocalTime() throws {
        #expect(try Self.fires("every 15m", Self.berlin, after: "2026-06-01T10:07:00+02:00", count: 4) == Self.times(
            "2026-06-01T10:15:00+02:00", "2026-06-01T10:30:00+02:00", "2026-06-01T10:45:00+02:00",
            "2026-06-01T11:00:00+02:00"))
    }

    @Test func every_alignsToLocalMidnightNotToTheEpoch() throws {
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))  // +05:30
        #expect(try Self.fires("every 1h", kolkata, after: "2026-06-01T10:10:00Z", count: 2) == Self.times(
            "2026-06-01T10:30:00Z", "2026-06-01T11:30:00Z"))
        #expect(try Self.fires("every 90m", kolkata, after: "2026-06-01T23:50:00+05:30", count: 3) == Self.times(
            "2026-06-02T00:00:00+05:30", "2026-06-02T01:30:00+05:30", "2026-06-02T03:00:00+05:30"))
    }

    @Test func every_isStrictlyAfterTheGivenInstant() throws {
        let schedule = try Self.schedule("every 15m")
        #expect(schedule.nextFire(after: Self.at("2026-06-01T10:15:00Z")) == Self.at("2026-06-01T10:30:00Z"))
        #expect(schedule.nextFire(after: Self.at("2026-06-01T10:14:59.999Z")) == Self.at("2026-06-01T10:15:00Z"))
    }

    @Test func everyDays_fireAtLocalMidnightOnDaysCountedFromTheEpoch() throws {
        #expect(try Self.fires("every 1d", Self.berlin, after: "2026-06-01T12:00:00+02:00", count: 2) == Self.times(
            "2026-06-02T00:00:00+02:00", "2026-06-03T00:00:00+02:00"))
        let everyOther = try Self.fires("every 2d", after: "2026-06-01T12:00:00Z", count: 3)
        #expect(everyOther.count == 3)
        for fire in everyOther {
            #expect(fire.millisecondsSinceEpoch % (2 * 86_400_000) == 0)
        }
        #expect(try Self.fires("every 24h", after: "2026-06-01T12:00:00Z", count: 1) == Self.times("2026-06-02T00:00:00Z"))
    }

    // MARK: cron fields

    @Test func cron_singleValues_fireDailyAtThatTime() throws {
        #expect(try Self.fires("30 9 * * *", after: "2026-06-01T09:30:00Z", count: 2) == Self.times(
            "2026-06-02T09:30:00Z", "2026-06-03T09:30:00Z"))
    }

    @Test func cron_listsAndRanges_combine() throws {
        #expect(try Self.fires("0,30 9,17 * * *", after: "2026-06-01T00:00:00Z", count: 5) == Self.times(
            "2026-06-01T09:00:00Z", "2026-06-01T09:30:00Z", "2026-06-01T17:00:00Z", "2026-06-01T17:30:00Z",
            "2026-06-02T09:00:00Z"))
        #expect(try Self.fires("0 9-11 * * *", after: "2026-06-01T00:00:00Z", count: 4) == Self.times(
            "2026-06-01T09:00:00Z", "2026-06-01T10:00:00Z", "2026-06-01T11:00:00Z", "2026-06-02T09:00:00Z"))
    }

    @Test func cron_steps_countFromTheStartOfTheirRange() throws {
        #expect(try Self.fires("*/20 * * * *", after: "2026-06-01T10:00:00Z", count: 3) == Self.times(
            "2026-06-01T10:20:00Z", "2026-06-01T10:40:00Z", "2026-06-01T11:00:00Z"))
        #expect(try Self.fires("10-50/20 * * * *", after: "2026-06-01T10:00:00Z", count: 4) == Self.times(
            "2026-06-01T10:10:00Z", "2026-06-01T10:30:00Z", "2026-06-01T10:50:00Z", "2026-06-01T11:10:00Z"))
        #expect(try Self.fires("5/20 * * * *", after: "2026-06-01T10:00:00Z", count: 3) == Self.times(
            "2026-06-01T10:05:00Z", "2026-06-01T10:25:00Z", "2026-06-01T10:45:00Z"))
    }

    @Test func cron_names_areCaseInsensitive() throws {
        // 2026-06-05 is a Friday; the next weekday in January or July is 2026-07-01, a Wednesday.
        #expect(try Self.fires("0 9 * JAN,jul Mon-FRI", after: "2026-06-05T00:00:00Z", count: 3) == Self.times(
            "2026-07-01T09:00:00Z", "2026-07-02T09:00:00Z", "2026-07-03T09:00:00Z"))
        #expect(try Self.fires("0 9 * * saturday", after: "2026-06-01T00:00:00Z", count: 1) == Self.times(
            "2026-06-06T09:00:00Z"))
    }

    @Test func cron_dayOfWeekZeroAndSeven_areBothSunday() throws {
        let sundays = Self.times("2026-06-07T12:00:00Z", "2026-06-14T12:00:00Z")
        for text in ["0 12 * * 0", "0 12 * * 7", "0 12 * * sun"] {
            #expect(try Self.fires(text, after: "2026-06-01T00:00:00Z", count: 2) == sundays)
        }
        // Sunday closes a range as 7: fri-sun is Friday to Sunday.
        #expect(try Self.fires("0 12 * * fri-sun", after: "2026-06-01T00:00:00Z", count: 4) == Self.times(
            "2026-06-05T12:00:00Z", "2026-06-06T12:00:00Z", "2026-06-07T12:00:00Z", "2026-06-12T12:00:00Z"))
    }

    @Test func cron_whenBothDayFieldsRestricted_eitherMatches() throws {
        // April 2026: Fridays are the 3rd, 10th, 17th; the 13th is a Monday.
        #expect(try Self.fires("0 0 13 * fri", after: "2026-04-01T00:00:00Z", count: 4) == Self.times(
            "2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-17T00:00:00Z"))
    }

    @Test func cron_whenADayFieldStartsWithStar_bothMustMatch() throws {
        // Vixie: `*/7` counts as unrestricted, so the day must be 1, 8, 15, 22 or 29 and a Friday.
        #expect(try Self.fires("0 0 */7 * fri", after: "2026-04-01T00:00:00Z", count: 1) == Self.times(
            "2026-05-01T00:00:00Z"))
        #expect(try Self.fires("0 0 * * fri", after: "2026-04-01T00:00:00Z", count: 1) == Self.times(
            "2026-04-03T00:00:00Z"))
    }

    @Test func cron_aliases_standForTheirExpressions() throws {
        #expect(try Self.fires("@daily", after: "2026-06-01T10:00:00Z", count: 1) == Self.times("2026-06-02T00:00:00Z"))
        #expect(try Self.fires("@hourly", after: "2026-06-01T10:00:00Z", count: 1) == Self.times("2026-06-01T11:00:00Z"))
        #expect(try Self.fires("@weekly", after: "2026-06-01T10:00:00Z", count: 1) == Self.times("2026-06-07T00:00:00Z"))
        #expect(try Self.fires("@monthly", after: "2026-06-01T10:00:00Z", count: 1) == Self.times("2026-07-01T00:00:00Z"))
        #expect(try Self.fires("@yearly", after: "2026-06-01T10:00:00Z", count: 1) == Self.times("2027-01-01T00:00:00Z"))
    }

    // MARK: month ends, leap years, impossible dates

    @Test func nextFire_skipsMonthsWithoutTheDay() throws {
        #expect(try Self.fires("0 0 31 * *", after: "2026-04-01T00:00:00Z", count: 3) == Self.times(
            "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z"))
        #expect(try Self.fires("59 23 31 12 *", after: "2026-12-31T23:59:00Z", count: 1) == Self.times(
            "2027-12-31T23:59:00Z"))
    }

    @Test func nextFire_findsFebruary29InTheNextLeapYear() throws {
        #expect(try Self.fires("0 0 29 2 *", after: "2026-01-01T00:00:00Z", count: 2) == Self.times(
            "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"))
        // 2100 is not a leap year: eight years from 2096 to 2104.
        #expect(try Self.fires("0 0 29 2 *", after: "2096-03-01T00:00:00Z", count: 1) == Self.times(
            "2104-02-29T00:00:00Z"))
    }

    @Test(arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 feb *"])
    func nextFire_whenExpressionCanNeverMatch_isNil(text: String) throws {
        let schedule = try Self.schedule(text, Self.berlin)
        #expect(schedule.nextFire(after: Self.at("2026-01-01T00:00:00Z")) == nil)
        #expect(schedule.fires(between: Self.at("2026-01-01T00:00:00Z"), and: Self.at("2036-01-01T00:00:00Z")).isEmpty)
    }

    @Test func fires_areAfterTheStartUpToAndIncludingTheEnd_andLimited() throws {
        let schedule = try Self.schedule("every 15m")
        #expect(schedule.fires(between: Self.at("2026-06-01T10:00:00Z"), and: Self.at("2026-06-01T10:45:00Z")) == Self.times(
            "2026-06-01T10:15:00Z", "2026-06-01T10:30:00Z", "2026-06-01T10:45:00Z"))
        #expect(schedule.fires(between: Self.at("2026-06-01T10:00:00Z"), and: Self.at("2026-06-30T00:00:00Z"), limit: 2)
            == Self.times("2026-06-01T10:15:00Z", "2026-06-01T10:30:00Z"))
        #expect(schedule.fires(between: Self.at("2026-06-01T10:00:00Z"), and: Self.at("2026-06-01T10:00:00Z")).isEmpty)
    }

    // MARK: daylight saving time

    @Test func berlinSpringForward_fixedTimeInTheGap_firesOnceWhenTheGapEnds() throws {
        #expect(try Self.fires("30 2 * * *", Self.berlin, after: "2026-03-28T12:00:00+01:00", count: 2) == Self.times(
            "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"))
        #expect(try Self.fires("0,30 2 * * *", Self.berlin, after: "2026-03-28T12:00:00+01:00", count: 2) == Self.times(
            "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"))
        // 02:00 is skipped to 03:00, which also matches: one fire, not two.
        #expect(try Self.fires("0 2,3 * * *", Self.berlin, after: "2026-03-28T12:00:00+01:00", count: 2) == Self.times(
            "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"))
    }

    @Test func berlinSpringForward_intervalSchedules_skipTheMissingTimes() throws {
        #expect(try Self.fires("*/30 * * * *", Self.berlin, after: "2026-03-29T00:45:00+01:00", count: 4) == Self.times(
            "2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00",
            "2026-03-29T03:30:00+02:00"))
        #expect(try Self.fires("every 1h", Self.berlin, after: "2026-03-28T23:30:00+01:00", count: 3) == Self.times(
            "2026-03-29T00:00:00+01:00", "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00"))
    }

    @Test func berlinSpringForward_everyDay_staysAtLocalMidnight() throws {
        #expect(try Self.fires("every 1d", Self.berlin, after: "2026-03-28T12:00:00+01:00", count: 2) == Self.times(
            "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"))
    }

    @Test func berlinFallBack_fixedTimeInTheRepeatedHour_firesOnFirstPassOnly() throws {
        #expect(try Self.fires("30 2 * * *", Self.berlin, after: "2026-10-24T12:00:00+02:00", count: 2) == Self.times(
            "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"))
        // Asked during the second pass, it does not fire again that day.
        #expect(try Self.fires("30 2 * * *", Self.berlin, after: "2026-10-25T02:10:00+01:00", count: 1) == Self.times(
            "2026-10-26T02:30:00+01:00"))
    }

    @Test func berlinFallBack_intervalSchedules_fireOnBothPasses() throws {
        #expect(try Self.fires("*/30 * * * *", Self.berlin, after: "2026-10-25T01:45:00+02:00", count: 5) == Self.times(
            "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T02:00:00+01:00",
            "2026-10-25T02:30:00+01:00", "2026-10-25T03:00:00+01:00"))
        #expect(try Self.fires("every 1h", Self.berlin, after: "2026-10-25T01:30:00+02:00", count: 3) == Self.times(
            "2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"))
    }

    @Test func newYorkSpringForward_fixedTimeInTheGap_firesWhenTheGapEnds() throws {
        #expect(try Self.fires("30 2 * * *", Self.newYork, after: "2026-03-07T12:00:00-05:00", count: 3) == Self.times(
            "2026-03-08T03:00:00-04:00",
            "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"))
        #expect(try Self.fires("0 * * * *", Self.newYork, after: "2026-03-08T00:30:00-05:00", count: 3) == Self.times(
            "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"))
    }

    @Test func newYorkFallBack_fixedTimeOnce_intervalTwice() throws {
        #expect(try Self.fires("30 1 * * *", Self.newYork, after: "2026-10-31T12:00:00-04:00", count: 2) == Self.times(
            "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"))
        #expect(try Self.fires("0 * * * *", Self.newYork, after: "2026-11-01T00:30:00-04:00", count: 3) == Self.times(
            "2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"))
    }

    @Test func skippedMidnight_everyDayFiresWhenTheDayBegins() throws {
        // Brazil moved clocks from 00:00 to 01:00 on 2018-11-04.
        let saoPaulo = try #require(TimeZone(identifier: "America/Sao_Paulo"))
        #expect(try Self.fires("every 1d", saoPaulo, after: "2018-11-03T12:00:00-03:00", count: 2) == Self.times(
            "2018-11-04T01:00:00-02:00", "2018-11-05T00:00:00-02:00"))
    }

    // MARK: parse errors

    struct Failure: Sendable, CustomTestStringConvertible {
        let text: String
        let field: String?
        let offset: Int
        let description: String
        var testDescription: String { text }
    }

    static let failures: [Failure] = [
        Failure(text: "", field: nil, offset: 0,
                description: "the schedule is empty; write `every 15m` or a cron expression such as `0 9 * * mon-fri`"),
        Failure(text: "0 9 * *", field: nil, offset: 7,
                description: "expected 5 fields (minute hour day-of-month month day-of-week), found 4; or write `every 15m`"),
        Failure(text: "0 9 * * * *", field: nil, offset: 10,
                description: "expected 5 fields (minute hour day-of-month month day-of-week), found 6; or write `every 15m`"),
        Failure(text: "60 * * * *", field: "minute", offset: 0, description: "minute: 60 is out of range 0-59"),
        Failure(text: "0 24 * * *", field: "hour", offset: 2, description: "hour: 24 is out of range 0-23"),
        Failure(text: "0 9 0 * *", field: "day-of-month", offset: 4, description: "day-of-month: 0 is out of range 1-31"),
        Failure(text: "0 9 * 1,13 *", field: "month", offset: 8, description: "month: 13 is out of range 1-12"),
        Failure(text: "0 9 * * 8", field: "day-of-week", offset: 8, description: "day-of-week: 8 is out of range 0-7"),
        Failure(text: "0 9 * janu *", field: "month", offset: 6,
                description: "month: `janu` is not a month (1-12 or jan-dec); did you mean `jan`?"),
        Failure(text: "0 9 * * mon-fry", field: "day-of-week", offset: 12,
                description: "day-of-week: `fry` is not a day (0-7 or sun-sat); did you mean `fri`?"),
        Failure(text: "0 9 * * mon-", field: "day-of-week", offset: 12,
                description: "day-of-week: expected a day (0-7 or sun-sat)"),
        Failure(text: "x 9 * * *", field: "minute", offset: 0, description: "minute: `x` is not a number"),
        Failure(text: "0 17-9 * * *", field: "hour", offset: 2, description: "hour: range 17-9 runs backwards"),
        Failure(text: "*/0 * * * *", field: "minute", offset: 2,
                description: "minute: step `0` is not a positive whole number"),
        Failure(text: "1,,2 * * * *", field: "minute", offset: 2, description: "minute: empty list item"),
        Failure(text: "  0 9 L * *", field: "day-of-month", offset: 6, description: "day-of-month: `L` is not a number"),
        Failure(text: "every", field: "span", offset: 5, description: "`every` needs a span such as 15m, 1h or 1d"),
        Failure(text: "every fortnight", field: "span", offset: 6,
                description: "`fortnight` is not a span such as 15m, 1h or 1d"),
        Failure(text: "every 15 m", field: "span", offset: 9,
                description: "unexpected `m` after the span; write the span without spaces, such as `1h30m`"),
        Failure(text: "every 0m", field: "span", offset: 6, description: "`0m` is too short; the shortest is 1m"),
        Failure(text: "every 90s", field: "span", offset: 6, description: "`90s` is not a whole number of minutes"),
        Failure(text: "every 7m", field: "span", offset: 6,
                description: "`7m` does not divide a day evenly; try 5m, 10m, 15m, 20m or 30m"),
        Failure(text: "every 5h", field: "span", offset: 6,
                description: "`5h` does not divide a day evenly; try 1h, 2h, 3h, 4h, 6h, 8h or 12h"),
        Failure(text: "every 36h", field: "span", offset: 6,
                description: "`36h` is longer than a day but not a whole number of days"),
        Failure(text: "@reboot", field: nil, offset: 0,
                description: "`@reboot` is not a schedule; use @hourly, @daily, @weekly, @monthly or @yearly"),
    ]

    @Test(arguments: failures)
    func parse_whenMalformed_pointsAtTheFieldAndColumn(failure: Failure) {
        let result = Schedule.parse(failure.text, timeZone: Self.utc)
        guard case .failure(let error) = result else {
            Issue.record("\(failure.text) parsed")
            return
        }
        #expect(error.description == failure.description)
        #expect(error.offset == failure.offset)
        #expect(error.field == failure.field)
    }

    @Test func parseError_locatesItselfInTheWorkflowFile() {
        guard case .failure(let error) = Schedule.parse("0 25 * * *", timeZone: Self.utc) else {
            Issue.record("parsed")
            return
        }
        let start = Core.SourceLocation(file: "w.yaml", line: 3, column: 16)
        #expect(error.location(inTextAt: start) == Core.SourceLocation(file: "w.yaml", line: 3, column: 18))
    }

    @Test func parse_keepsTheTextWithoutSurroundingSpaces() throws {
        let schedule = try Self.schedule("  */5 9-17 * * mon-fri ", Self.berlin)
        #expect(schedule.description == "*/5 9-17 * * mon-fri")
        #expect(schedule == (try Self.schedule("*/5 9-17 * * mon-fri", Self.berlin)))
        #expect(schedule != (try Self.schedule("*/5 9-17 * * mon-fri", Self.newYork)))
    }
}
