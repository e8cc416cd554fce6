import SchedulingModel

/// One visit of a course booked on a day at a start: what a booking adds to that day.
public struct VisitBooking: Sendable, Hashable {
    /// The course's id.
    public var course: String
    /// The visit's number in the course, from 1.
    public var visit: Int
    /// When the patient sits down in the chair.
    public var start: ClockTime

    /// Creates a visit booking.
    public init(course: String, visit: Int, start: ClockTime) { self.course = course; self.visit = visit; self.start = start }
}

extension Horizon {
    /// The request that visit `k` (from 1) of `course` is on a day: id `"<course>.<k>"`, the
    /// visit's regimen (else the course's), the course's weight, window, preferred start, labs,
    /// port draw and authorization, the drug ready at `now + drugLeadHours` (none when the lead
    /// is 0 or absent), and `fixed.start` = `start` when one is given.
    ///
    /// This is the one reading of a booked visit: the augmented day, the bookings validator and
    /// the bookability check build visits with it.
    public func visitRequest(_ course: Course, visit k: Int, start: ClockTime?) -> TreatmentRequest {
        let lead = course.drugLeadHours ?? 0
        return TreatmentRequest(
            id: course.visitId(k), regimen: course.regimen(ofVisit: k), weight: course.weight, window: course.window,
            preferredStart: course.preferredStart, labs: course.labs, labsAtChair: course.labsAtChair,
            drugReadyAt: lead > 0 ? now.adding(minutes: lead * 60) : nil, authorization: course.authorization,
            fixed: start.map { FixedBooking(start: $0) })
    }

    /// The day open on `date` with `visits` added as fixed requests (``visitRequest(_:visit:start:)``):
    /// the *augmented day*, whose schedule must keep every visit at its start and every patient
    /// already booked who can be placed at all.
    ///
    /// - Throws: ``SchedulingModel/InputError`` when `date` is closed, or a visit names an
    ///   unknown course or a visit the course does not have.
    public func augmentedDay(on date: CivilDate, with visits: [VisitBooking]) throws -> Day {
        guard var day = day(on: date) else {
            throw InputError(path: "", message: "\(date) is not an open date of the horizon", kind: .unknownReference)
        }
        for v in visits {
            guard let course = courses.first(where: { $0.id == v.course }) else {
                throw InputError(path: "", message: "unknown course \"\(clip(v.course))\"", kind: .unknownReference)
            }
            guard course.visits.indices.contains(v.visit - 1) else {
                throw InputError(path: "", message: "course \"\(clip(v.course))\" has no visit \(v.visit)", kind: .unknownReference)
            }
            day.requests.append(visitRequest(course, visit: v.visit, start: v.start))
        }
        return day
    }
}

extension LocalDateTime {
    /// The instant `minutes` later (earlier when negative), across midnights.
    package func adding(minutes: Int) -> LocalDateTime {
        let total = time.minutes + minutes
        let days = total >= 0 ? total / 1440 : -((-total + 1439) / 1440)
        return LocalDateTime(date: date.adding(days: days), time: ClockTime(minutes: total - days * 1440))
    }
}
