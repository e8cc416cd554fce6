/// A clock time on the scheduled day, written `"HH:MM"` in files and held as minutes since midnight.
///
/// `"24:00"` is accepted as the end of the day so that a window may close at midnight.
public struct ClockTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Minutes since midnight, `0...1440`.
    public var minutes: Int

    /// Creates a clock time from minutes since midnight.
    public init(minutes: Int) { self.minutes = minutes }

    /// Creates `hour:minute`, e.g. `ClockTime(hour: 9, minute: 30)` for `"09:30"`; nil outside
    /// `00:00...24:00` (as ``init(parsing:)``).
    public init?(hour: Int, minute: Int) {
        guard (0..<60).contains(minute), (0..<24).contains(hour) || (hour == 24 && minute == 0) else { return nil }
        minutes = hour * 60 + minute
    }

    /// Parses `"HH:MM"`; returns `nil` for anything else.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              let h = twoDigits(bytes[0], bytes[1]), let m = twoDigits(bytes[3], bytes[4]),
              m < 60, h < 24 || (h == 24 && m == 0) else { return nil }
        minutes = h * 60 + m
    }

    /// The `"HH:MM"` form; minutes outside the day are clamped to `00:00...24:00`.
    public var description: String {
        let m = min(max(minutes, 0), 1440)
        return pad2(m / 60) + ":" + pad2(m % 60)
    }

    public static func < (a: ClockTime, b: ClockTime) -> Bool { a.minutes < b.minutes }

    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, as: "time", expected: "HH:MM", parse: ClockTime.init(parsing:))
    }

    public func encode(to encoder: any Encoder) throws { try encodeText(description, to: encoder) }
}

/// A calendar date, written `"YYYY-MM-DD"`.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, `1...9999`.
    public var year: Int
    /// The month, `1...12`.
    public var month: Int
    /// The day of the month, `1...31` (checked against the month's length).
    public var day: Int

    /// Creates a date; returns `nil` when it does not exist on the proleptic Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `"YYYY-MM-DD"`; returns `nil` for anything else, including dates that do not exist.
    public init?(parsing text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y1 = twoDigits(b[0], b[1]), let y2 = twoDigits(b[2], b[3]),
              let m = twoDigits(b[5], b[6]), let d = twoDigits(b[8], b[9]) else { return nil }
        self.init(year: y1 * 100 + y2, month: m, day: d)
    }

    /// Days since 1970-01-01 (negative before it).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> CivilDate {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return CivilDate(year: min(max(y, 1), 9999), month: m, day: d) ?? self
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + pad2(month) + "-" + pad2(day)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, as: "date", expected: "YYYY-MM-DD", parse: CivilDate.init(parsing:))
    }

    public func encode(to encoder: any Encoder) throws { try encodeText(description, to: encoder) }
}

/// A local date and time, written `"YYYY-MM-DDTHH:MM"`: an instant that may fall on another day
/// than the scheduled one (labs drawn yesterday, a drug delivered tomorrow).
public struct LocalDateTime: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The calendar date.
    public var date: CivilDate
    /// The clock time on that date.
    public var time: ClockTime

    /// Creates a date-time.
    public init(date: CivilDate, time: ClockTime) { self.date = date; self.time = time }

    /// Parses `"YYYY-MM-DDTHH:MM"`; returns `nil` for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let d = CivilDate(parsing: String(parts[0])),
              let t = ClockTime(parsing: String(parts[1])) else { return nil }
        self.init(date: d, time: t)
    }

    /// Minutes after midnight of `day`, clamped to ten days either side so that arithmetic on
    /// the result cannot overflow while every comparison with a time on `day` keeps its answer.
    public func minutes(relativeTo day: CivilDate) -> Int {
        let days = min(max(date.dayNumber - day.dayNumber, -10), 10)
        return days * 1440 + time.minutes
    }

    public var description: String { date.description + "T" + time.description }

    public init(from decoder: any Decoder) throws {
        self = try decodeText(from: decoder, as: "date-time", expected: "YYYY-MM-DDTHH:MM", parse: LocalDateTime.init(parsing:))
    }

    public func encode(to encoder: any Encoder) throws { try encodeText(description, to: encoder) }
}

/// A half-open window of clock times `[start, end)`, written `["HH:MM", "HH:MM"]`.
public struct TimeWindow: Sendable, Hashable, Codable {
    /// The first minute inside the window.
    public var start: ClockTime
    /// The first minute after the window.
    public var end: ClockTime

    /// Creates a window.
    public init(start: ClockTime, end: ClockTime) { self.start = start; self.end = end }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        if let count = container.count, count != 2 {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a window is [\"HH:MM\", \"HH:MM\"], found \(count) element(s)"))
        }
        start = try container.decode(ClockTime.self)
        end = try container.decode(ClockTime.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(start)
        try container.encode(end)
    }
}

@inline(__always) private func digit(_ b: UInt8) -> Int? {
    b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? Int(b - UInt8(ascii: "0")) : nil
}

@inline(__always) private func twoDigits(_ a: UInt8, _ b: UInt8) -> Int? {
    guard let x = digit(a), let y = digit(b) else { return nil }
    return x * 10 + y
}

/// A value written as one JSON string, read by `parse`; a string it does not read is "malformed
/// `noun`", with the form expected.
private func decodeText<T>(from decoder: any Decoder, as noun: String, expected form: String, parse: (String) -> T?) throws -> T {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let value = parse(text) else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "malformed \(noun) \"\(clip(text))\": expected \(form)")
    }
    return value
}

/// Writes a value as the one JSON string `text`.
private func encodeText(_ text: String, to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
}

package func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// Shortens user text quoted in an error message.
package func clip(_ text: String) -> String {
    text.count <= 40 ? text : String(text.prefix(40)) + "…"
}
