public import Foundation

/// Dates written in UTC with a fixed pattern (`DateFormatter` in the POSIX locale), the one way
/// the library prints a day ("2026-04-01"), a mail's Date header or an mbox From line.
public enum UTCDates {
    public static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    /// "2026-04-01".
    public static func day(_ date: Date) -> String { format(date, "yyyy-MM-dd") }
}
