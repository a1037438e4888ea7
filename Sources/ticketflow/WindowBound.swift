import ArgumentParser
import Core

/// One end of a backtest window as written on the command line: a
/// duration (`7d`, `12h`) counted back from the last event in the log, or
/// an RFC 3339 time.
///
/// Counting from the log's last event rather than the wall clock makes a
/// backtest of a copied or archived log give the same window tomorrow.
enum WindowBound: Equatable {
    case beforeLastEvent(TimeSpan)
    case at(Timestamp)

    init(parsing text: String, option: String) throws {
        if let span = TimeSpan.parse(text) {
            self = .beforeLastEvent(span)
        } else if let time = Timestamp.parse(text) {
            self = .at(time)
        } else {
            throw ValidationError(
                "\(option) must be a duration counted back from the log's last event (7d, 12h) or an RFC 3339 time such as 2026-11-15T00:00:00Z")
        }
    }

    /// The instant, given the time of the log's last event.
    func resolve(lastEvent: Timestamp) -> Timestamp {
        switch self {
        case .at(let time): time
        case .beforeLastEvent(let span): lastEvent.adding(TimeSpan(milliseconds: -span.milliseconds))
        }
    }
}
