/// Why a schedule's text could not be parsed, and where in the text.
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The cron field at fault (`minute`, `hour`, `day-of-month`, `month`,
    /// `day-of-week`), `span` for `every …`, or `nil` for the whole text.
    public var field: String?
    /// What is wrong, starting with the field: `minute: 60 is out of range 0-59`.
    public var message: String
    /// Where the problem starts, in Unicode scalars from the start of the text.
    public var offset: Int
    /// A short suggestion such as "did you mean `mon`?".
    public var hint: String?

    public init(field: String?, message: String, offset: Int, hint: String? = nil) {
        self.field = field
        self.message = message
        self.offset = offset
        self.hint = hint
    }

    /// The place of the problem, given where the schedule's text starts.
    public func location(inTextAt start: SourceLocation) -> SourceLocation {
        start.advanced(byColumns: offset)
    }

    public var description: String {
        hint.map { "\(message); \($0)" } ?? message
    }
}
