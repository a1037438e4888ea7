/// Everything wrong with a `business_hours` configuration, each problem with
/// the path of the field at fault.
public struct BusinessCalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One bad field: `business_hours.weekly.mon-fri: "9-17" is not HH:MM-HH:MM`.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// Dotted keys from the configuration's root, with `[n]` for list items.
        public var path: String
        public var message: String

        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }

        public var description: String { "\(path): \(message)" }
    }

    /// In the order the fields appear.
    public var problems: [Problem]

    public init(_ problems: [Problem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
