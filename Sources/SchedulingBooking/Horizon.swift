import Foundation
import SchedulingModel

/// Clinic days ahead and the treatment courses to book into them, as written in an
/// `infusion-horizon/1` file (docs/BOOKING.md).
///
/// Each entry of ``days`` is a whole day file whose requests are the patients already booked; a
/// date without an entry is closed. A course is booked whole — every visit on its own day — or
/// not at all, and a booking never displaces a patient already booked.
public struct Horizon: Sendable, Hashable, Codable {
    /// The file format tag; always ``Horizon/formatTag``.
    public var format: String
    /// When the booking is made: no visit may start at or before it.
    public var now: LocalDateTime
    /// The open days, each a complete `infusion-day/1` day; dates are distinct.
    public var days: [Day]
    /// The courses to book.
    public var courses: [Course]
    /// Booking objective weights; absent terms take their defaults.
    public var objective: BookingWeights?

    /// The `format` value of a horizon file.
    public static let formatTag = "infusion-horizon/1"

    /// Creates a horizon.
    public init(format: String = Horizon.formatTag, now: LocalDateTime, days: [Day], courses: [Course],
                objective: BookingWeights? = nil) {
        self.format = format; self.now = now; self.days = days; self.courses = courses; self.objective = objective
    }
}

/// A treatment course: visits on days set apart by the regimen's cycle, booked together.
public struct Course: Sendable, Hashable, Codable {
    /// Opaque id; visit `k` is booked as the request `"<id>.<k>"`.
    public var id: String
    /// The regimen of every visit that names none.
    public var regimen: String
    /// Priority weight (default 1): multiplies the unbooked penalty and the delay.
    public var weight: Double?
    /// First date the first visit may take (default: the date of `now`).
    public var earliest: CivilDate?
    /// Last date the first visit may take (absent: no limit); later visits follow their offsets.
    public var latest: CivilDate?
    /// The visits in order; the first has offset 0.
    public var visits: [CourseVisit]
    /// When the patient can come on each visit day.
    public var window: PatientWindow?
    /// The start the patient would like on each visit day.
    public var preferredStart: ClockTime?
    /// Labs on file and whether a same-day draw is allowed; absent: no labs needed.
    public var labs: LabStatus?
    /// Whether a same-day draw is done at the chair through the port (default false).
    public var labsAtChair: Bool?
    /// Hours from `now` until the drug is in the pharmacy (absent or 0: ready).
    public var drugLeadHours: Int?
    /// The payer authorization covering the course; absent means none is needed.
    public var authorization: Authorization?

    /// Creates a course.
    public init(id: String, regimen: String, weight: Double? = nil, earliest: CivilDate? = nil, latest: CivilDate? = nil,
                visits: [CourseVisit], window: PatientWindow? = nil, preferredStart: ClockTime? = nil, labs: LabStatus? = nil,
                labsAtChair: Bool? = nil, drugLeadHours: Int? = nil, authorization: Authorization? = nil) {
        self.id = id; self.regimen = regimen; self.weight = weight; self.earliest = earliest; self.latest = latest
        self.visits = visits; self.window = window; self.preferredStart = preferredStart; self.labs = labs
        self.labsAtChair = labsAtChair; self.drugLeadHours = drugLeadHours; self.authorization = authorization
    }

    /// The id of visit `k` (1-based) as a request of the day it is booked into.
    public func visitId(_ k: Int) -> String { "\(id).\(k)" }

    /// The regimen of visit `k` (1-based): its own, or the course's (also for a `k` the course
    /// does not have).
    public func regimen(ofVisit k: Int) -> String {
        visits.indices.contains(k - 1) ? visits[k - 1].regimen ?? regimen : regimen
    }
}

/// One visit of a course, placed relative to the first.
public struct CourseVisit: Sendable, Hashable, Codable {
    /// Days after the first visit (0 for the first, required for every later one).
    public var offsetDays: Int?
    /// How many days the visit may move either way from its offset (default 0).
    public var toleranceDays: Int?
    /// The visit's regimen when it differs from the course's.
    public var regimen: String?

    /// Creates a visit.
    public init(offsetDays: Int? = nil, toleranceDays: Int? = nil, regimen: String? = nil) {
        self.offsetDays = offsetDays; self.toleranceDays = toleranceDays; self.regimen = regimen
    }
}

/// Weights of the booking objective (docs/BOOKING.md); each absent term takes its default.
public struct BookingWeights: Sendable, Hashable, Codable {
    /// Cost per unit of weight of a course left unbooked that could have been booked (default 10000).
    public var unbookedPenalty: Double?
    /// Cost per unit of weight per day the first visit falls after the course's earliest date (default 10).
    public var delayPerDay: Double?
    /// Cost per day a later visit lies away from its offset (default 50).
    public var offsetPerDay: Double?

    /// Creates weights.
    public init(unbookedPenalty: Double? = nil, delayPerDay: Double? = nil, offsetPerDay: Double? = nil) {
        self.unbookedPenalty = unbookedPenalty; self.delayPerDay = delayPerDay; self.offsetPerDay = offsetPerDay
    }
}
