import SchedulingModel
import SchedulingRules

/// Whether a course could be booked into the horizon with every day otherwise empty, and if not
/// why (docs/BOOKING.md): the reading that tells `capacity` (counted in the objective) from the
/// reasons that no booking could overcome.
///
/// Each visit is judged alone on its day: the day's resources without its requests, the visit as
/// its only request, some start on the grid after `now` at which it keeps every hard rule
/// (``SchedulingRules``' single-request admissibility).
package struct Bookability {
    let horizon: Horizon
    /// The open days without their requests, by date.
    private let emptyDays: [Day]
    /// Index into `emptyDays` by day number.
    private let dayIndex: [Int: Int]

    /// Prepares the check for `horizon`.
    package init(_ horizon: Horizon) {
        self.horizon = horizon
        emptyDays = horizon.days.map { day in
            var empty = day
            empty.requests = []
            return empty
        }
        dayIndex = Dictionary(horizon.days.enumerated().map { ($0.element.date.dayNumber, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    /// Nil when `course` is bookable; otherwise the first reason that applies of
    /// `authorization` (not approved, or its dates rule out every date the course's dates
    /// allow), `drugLead` (it would fit with its drug ready at once), `window` (anything else:
    /// the course's dates, window, labs or the clinics' hours leave no booking).
    ///
    /// - Complexity: O(visits × open days × starts × (chairs + nurses)).
    package func unbookability(of course: Course) -> (reason: UnbookedReason, detail: String)? {
        if let status = course.authorization?.status, status != .approved {
            return (.authorization, "authorization \(status.rawValue)")
        }
        var alone: [Bool: [Int: Bool]] = [true: [:], false: [:]]
        func fitsAlone(_ k: Int, _ d: Int, drug: Bool) -> Bool {
            let key = k * emptyDays.count + d
            if let known = alone[drug]?[key] { return known }
            let fits = visitFitsAlone(course, visit: k, day: emptyDays[d], drug: drug)
            alone[drug]?[key] = fits
            return fits
        }
        // The dates alone: the visit's regimen is defined there and the date is not past.
        func calendar(_ k: Int, _ d: Int) -> Bool {
            let day = emptyDays[d]
            return day.date >= horizon.now.date && day.regimens.contains { $0.id == course.regimen(ofVisit: k) }
        }
        if fits(course, { calendar($0, $1) && fitsAlone($0, $1, drug: true) }) { return nil }
        if let a = course.authorization, fits(course, calendar) {
            let covered = { (d: Int) -> Bool in
                let date = emptyDays[d].date
                return (a.validFrom.map { $0 <= date } ?? true) && (a.validTo.map { date <= $0 } ?? true)
            }
            if !fits(course, { calendar($0, $1) && covered($1) }) {
                return (.authorization, "the authorization's dates rule out every date the course could take")
            }
        }
        if (course.drugLeadHours ?? 0) > 0, fits(course, { calendar($0, $1) && fitsAlone($0, $1, drug: false) }) {
            return (.drugLead, "the drug is not ready in time for any date the course could take")
        }
        return (.window, "the course's dates, window and the clinics' hours leave no booking in an empty horizon")
    }

    /// Whether some first date in `earliest...latest` and, for each later visit, some date within
    /// its tolerance of its offset are open days where `ok(visit, day index)` holds.
    private func fits(_ course: Course, _ ok: (Int, Int) -> Bool) -> Bool {
        let first = horizon.earliest(of: course).dayNumber
        let last = course.latest?.dayNumber ?? Int.max
        for (d1, day) in emptyDays.enumerated() {
            let n1 = day.date.dayNumber
            guard n1 >= first, n1 <= last, ok(1, d1) else { continue }
            let rest = course.visits.indices.dropFirst().allSatisfy { i in
                let target = n1 + (course.visits[i].offsetDays ?? 0)
                let tolerance = course.visits[i].toleranceDays ?? 0
                return (target - tolerance...target + tolerance).contains { n in dayIndex[n].map { ok(i + 1, $0) } ?? false }
            }
            if rest { return true }
        }
        return false
    }

    /// Whether visit `k` of `course`, alone on `day` (emptied), has a start after `now` that
    /// keeps every hard rule; without `drug`, as if its drug were ready at once.
    private func visitFitsAlone(_ course: Course, visit k: Int, day: Day, drug: Bool) -> Bool {
        guard day.regimens.contains(where: { $0.id == course.regimen(ofVisit: k) }) else { return false }
        var request = horizon.visitRequest(course, visit: k, start: nil)
        if !drug { request.drugReadyAt = nil }
        var alone = day
        alone.requests = [request]
        guard let resolved = try? ResolvedDay(alone), resolved.requests[0].authorizationProblem == nil else { return false }
        let now = horizon.now.minutes(relativeTo: day.date)
        return resolved.startsFeasibleAlone(0).contains { $0 > now }
    }
}
