import Foundation
import SchedulingModel

/// Courses booked into a horizon, as written in an `infusion-bookings/1` file (docs/BOOKING.md):
/// the visits of each booked course, the courses left unbooked with their reason, and for every
/// day that received a visit the schedule of that day with the visits added, which proves that
/// no patient already booked is displaced.
public struct Bookings: Sendable, Hashable, Codable {
    /// The file format tag; always ``Bookings/formatTag``.
    public var format: String
    /// The booked courses, each with all its visits.
    public var bookings: [CourseBooking]
    /// The courses not booked, each with its reason.
    public var unbooked: [UnbookedCourse]
    /// For every day that received a visit, the schedule of its augmented day.
    public var days: [BookedDay]
    /// The booking objective, term by term.
    public var objective: BookingObjective?
    /// Alerts for booked visits (as a schedule's: `authorizationExpiring`, `fixedBookingBroken`).
    public var alerts: [Alert]
    /// How the bookings were found.
    public var solver: SolverReport?

    /// The `format` value of a bookings file.
    public static let formatTag = "infusion-bookings/1"

    /// Creates bookings.
    public init(format: String = Bookings.formatTag, bookings: [CourseBooking], unbooked: [UnbookedCourse], days: [BookedDay],
                objective: BookingObjective? = nil, alerts: [Alert] = [], solver: SolverReport? = nil) {
        self.format = format; self.bookings = bookings; self.unbooked = unbooked; self.days = days
        self.objective = objective; self.alerts = alerts; self.solver = solver
    }
}

/// A booked course: one entry per visit, in visit order.
public struct CourseBooking: Sendable, Hashable, Codable {
    /// The course's id.
    public var course: String
    /// Where and when each visit takes place.
    public var visits: [VisitSlot]

    /// Creates a booking.
    public init(course: String, visits: [VisitSlot]) { self.course = course; self.visits = visits }
}

/// Where and when one visit of a booked course takes place.
public struct VisitSlot: Sendable, Hashable, Codable {
    /// The visit's date.
    public var date: CivilDate
    /// When the patient sits down in the chair.
    public var start: ClockTime
    /// `start + chairMinutes` of the visit's regimen.
    public var end: ClockTime
    /// The chair's id on that day.
    public var chair: String
    /// The primary nurse's id on that day.
    public var nurse: String

    /// Creates a visit slot.
    public init(date: CivilDate, start: ClockTime, end: ClockTime, chair: String, nurse: String) {
        self.date = date; self.start = start; self.end = end; self.chair = chair; self.nurse = nurse
    }
}

/// Why a course is not booked.
public enum UnbookedReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The course is not approved, or its authorization's dates rule out every date it could take.
    case authorization
    /// The drug would not be ready for any date the course could otherwise take.
    case drugLead
    /// The course's dates, window and the clinic's hours leave no booking even in an empty horizon.
    case window
    /// The course fits an otherwise empty horizon, but not beside the patients already booked:
    /// counted in the objective.
    case capacity

    /// Reads the file's string; another one is an error that lists the reasons.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let reason = UnbookedReason(rawValue: text) else {
            let known = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown reason \"\(clip(text))\": expected one of \(known)")
        }
        self = reason
    }
}

/// A course left unbooked, with its reason.
public struct UnbookedCourse: Sendable, Hashable, Codable {
    /// The course's id.
    public var course: String
    /// Why.
    public var reason: UnbookedReason
    /// A short explanation without patient content.
    public var detail: String?

    /// Creates an entry.
    public init(course: String, reason: UnbookedReason, detail: String? = nil) {
        self.course = course; self.reason = reason; self.detail = detail
    }
}

/// A day that received visits, with the schedule of its augmented day.
public struct BookedDay: Sendable, Hashable, Codable {
    /// The day's date.
    public var date: CivilDate
    /// An `infusion-schedule/1` schedule of the day with the booked visits added.
    public var schedule: Schedule

    /// Creates an entry.
    public init(date: CivilDate, schedule: Schedule) { self.date = date; self.schedule = schedule }
}

/// The booking objective, term by term (docs/BOOKING.md), each already multiplied by its weight.
public struct BookingObjective: Sendable, Hashable, Codable {
    /// Sum of the terms.
    public var total: Double
    /// Penalty for courses left unbooked that could have been booked.
    public var unbooked: Double
    /// Cost of first visits after the courses' earliest dates.
    public var delay: Double
    /// Cost of later visits away from their offsets.
    public var offset: Double
    /// Cost of booked visits that run past the day's closing time.
    public var overtime: Double
    /// Cost of booked visits away from the course's preferred start.
    public var preference: Double

    /// Creates a breakdown; `total` is the sum of the terms.
    public init(unbooked: Double, delay: Double, offset: Double, overtime: Double, preference: Double) {
        self.unbooked = unbooked; self.delay = delay; self.offset = offset; self.overtime = overtime; self.preference = preference
        total = unbooked + delay + offset + overtime + preference
    }
}

extension Bookings: ContractFile {
    /// Decodes a bookings file, read strictly (no duplicate keys, no trailing commas).
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming `file` and the JSON path of the first problem.
    public static func decode(_ data: Data, file: String? = nil) throws -> Bookings { try decodeStrictly(data, file: file) }

    /// Reads and decodes a bookings file.
    public static func load(path: String) throws -> Bookings { try loadStrictly(path: path) }

    /// The format tags, the file's own and each day's schedule's; the rest is the validator's.
    package func checked(file: String?) throws -> Bookings {
        try Self.checkFormat(format, expected: Self.formatTag, file: file)
        for (i, day) in days.enumerated() where day.schedule.format != Schedule.formatTag {
            throw InputError(file: file, path: "days[\(i)].schedule.format",
                             message: "unknown format \"\(clip(day.schedule.format))\": expected \"\(Schedule.formatTag)\"",
                             kind: .unsupportedFormat)
        }
        return self
    }

    /// The bookings as deterministic, pretty-printed JSON in the format's key order.
    public func jsonString() -> String {
        // Encoding plain value types into a tree cannot fail.
        (try? OrderedJSONEncoder.string(self)) ?? "{}\n"
    }
}
