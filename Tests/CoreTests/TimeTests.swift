import Core
import Testing

@Suite struct TimeTests {
    @Test func timestamp_parsesUTCAndOffsetsToTheSameInstant() throws {
        let utc = try #require(Timestamp.parse("2026-11-22T10:00:00Z"))
        let offset = try #require(Timestamp.parse("2026-11-22T11:30:00+01:30"))
        #expect(utc == offset)
        #expect(utc.millisecondsSinceEpoch == 1_795_341_600_000)
        #expect(utc.description == "2026-11-22T10:00:00Z")
    }

    @Test func timestamp_keepsMilliseconds() throws {
        let time = try #require(Timestamp.parse("2024-02-29T23:59:59.25Z"))
        #expect(time.description == "2024-02-29T23:59:59.250Z")
    }

    @Test(arguments: ["2026-02-30T00:00:00Z", "2026-11-22", "2026-11-22T10:00:00", "2026-13-01T00:00:00Z", "yesterday", "2026-11-22T24:00:00Z"])
    func timestamp_whenImpossibleOrIncomplete_isNil(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func timeSpan_parsesUnitsAndCombinations() {
        #expect(TimeSpan.parse("4h") == .hours(4))
        #expect(TimeSpan.parse("1h30m") == .minutes(90))
        #expect(TimeSpan.parse("7d") == .days(7))
        #expect(TimeSpan.parse("90s")?.description == "1m30s")
    }

    /// Workflow parameters are checked and then handed to actions written
    /// out: `cooldown: 0m` reaches the action as "0ms", which must read back
    /// as zero, not fail (and fall back to a default).
    @Test(arguments: [0, 1, 1500, 60_000, 90_061_001, 8 * 86_400_000])
    func timeSpan_writtenOut_readsBackTheSame(milliseconds: Int64) {
        let span = TimeSpan(milliseconds: milliseconds)
        #expect(TimeSpan.parse(span.description) == span, "\(span)")
    }

    @Test(arguments: ["", "4", "h", "30m1h", "-4h", "4x", "99999999999999999999d", "5ms1s", "ms", "1m1ms1s", "36501d", "106751991167d"])
    func timeSpan_whenMalformed_isNil(text: String) {
        #expect(TimeSpan.parse(text) == nil)
    }
}
