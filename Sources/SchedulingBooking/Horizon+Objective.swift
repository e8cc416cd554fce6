import SchedulingModel
import SchedulingRules

/// A booked course as the objective reads it: the day and start of each visit, in visit order.
package struct BookedCourse: Sendable {
    /// The course.
    package var course: Course
    /// Date and start (minutes) of each visit.
    package var visits: [(date: CivilDate, start: Int)]

    /// Creates a booked course.
    package init(course: Course, visits: [(date: CivilDate, start: Int)]) { self.course = course; self.visits = visits }
}

extension Horizon {
    /// The booking objective (docs/BOOKING.md), term by term: `unbookedPenalty × weight` for each
    /// of `unbookedBookable`; for each booked course `weight × delayPerDay × (d1 − earliest)` and
    /// `offsetPerDay × Σ |dk − d1 − offset_k|`; for each visit the overtime and preference terms
    /// of the day's own weights (``SchedulingRules``' per-placement terms on the augmented day).
    ///
    /// - Parameters:
    ///   - booked: the booked courses.
    ///   - unbookedBookable: the courses left unbooked that could have been booked.
    ///   - augmented: the augmented day of every date that received a visit; a visit whose day
    ///     is missing, or that is not a request of it, pays no overtime or preference.
    package func objective(booked: [BookedCourse], unbookedBookable: [Course], augmented: [CivilDate: ResolvedDay]) -> BookingObjective {
        let w = weights
        var unbooked = 0.0, delay = 0.0, offset = 0.0, overtime = 0.0, preference = 0.0
        for course in unbookedBookable { unbooked += w.unbookedPenalty * (course.weight ?? 1) }
        for b in booked {
            guard let first = b.visits.first else { continue }
            let d1 = first.date.dayNumber
            delay += (b.course.weight ?? 1) * w.delayPerDay * Double(d1 - earliest(of: b.course).dayNumber)
            for (k, v) in b.visits.enumerated() {
                if k > 0, k < b.course.visits.count {
                    let target = d1 + (b.course.visits[k].offsetDays ?? 0)
                    offset += w.offsetPerDay * Double(abs(v.date.dayNumber - target))
                }
                guard let day = augmented[v.date], let r = day.requestIndex[b.course.visitId(k + 1)] else { continue }
                overtime += day.weights.overtimePerMinute * Double(day.overtimeMinutes(of: r, start: v.start))
                preference += day.weights.preferencePerMinute * Double(day.preferenceMinutes(of: r, start: v.start))
            }
        }
        return BookingObjective(unbooked: unbooked, delay: delay, offset: offset, overtime: overtime, preference: preference)
    }
}
