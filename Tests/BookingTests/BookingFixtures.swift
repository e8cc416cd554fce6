import Foundation
import Testing

import TestSupport

/// A horizon built in code for the booking tests, and bookings made for it by hand: the
/// augmented days solved by the library's greedy scheduler, the objective written out term by term.
enum BookingFixtures {
    static func date(_ day: Int) -> CivilDate { CivilDate(year: 2026, month: 12, day: day)! }
    static func time(_ hour: Int, _ minute: Int = 0) -> ClockTime { ClockTime(hour: hour, minute: minute)! }

    /// Three open days (Tuesday 8, Tuesday 15, Thursday 17 December), each a small generated day
    /// cut to its first six requests (the patients already booked); now is Monday 7 December, 16:00.
    ///
    /// Courses: `K1` IRON on days 0 and 7 (tolerance 2), weight 2, preferring 09:30, approved
    /// until 20 December (so its visits carry authorizationExpiring alerts); `K2` pending;
    /// `K3` one HYDRATION visit from 15 December, bookable.
    static func horizon(now: LocalDateTime = LocalDateTime(date: date(7), time: time(16))) -> Horizon {
        let days = [8, 15, 17].map { d -> Day in
            var day = DayGenerator.generate(profile: .small, seed: UInt64(d), date: date(d))
            day.requests = Array(day.requests.prefix(6))
            return day
        }
        let k1 = Course(id: "K1", regimen: "IRON", weight: 2,
                        visits: [CourseVisit(offsetDays: 0), CourseVisit(offsetDays: 7, toleranceDays: 2)],
                        preferredStart: time(9, 30),
                        authorization: Authorization(status: .approved, validFrom: date(1), validTo: date(20)))
        let k2 = Course(id: "K2", regimen: "IRON", visits: [CourseVisit()], authorization: Authorization(status: .pending))
        let k3 = Course(id: "K3", regimen: "HYDRATION", earliest: date(15), visits: [CourseVisit()])
        return Horizon(now: now, days: days, courses: [k1, k2, k3])
    }

    /// `K1` booked on 8 December and 17 December, both at 10:00, by hand; `K2` and `K3` unbooked.
    ///
    /// Objective: unbooked 10000 (K3, weight 1, bookable); delay 2 × 10 × 1 day (earliest is the
    /// date of now, 7 December) = 20; offset 50 × |17 − 8 − 7| = 100; overtime 0 (IRON ends at
    /// 11:00); preference 0.2 × 30 minutes × 2 visits = 12; total 10132.
    static func bookings(for horizon: Horizon) throws -> Bookings {
        var slots: [VisitSlot] = []
        var days: [BookedDay] = []
        var alerts: [Alert] = []
        for (k, d) in [8, 17].enumerated() {
            let augmented = try horizon.augmentedDay(on: date(d), with: [VisitBooking(course: "K1", visit: k + 1, start: time(10))])
            let solved = try Scheduler.solve(augmented, options: SolveOptions(method: .greedy, pace: .deterministic))
            let a = try #require(solved.schedule.appointments.first { $0.request == "K1.\(k + 1)" })
            slots.append(VisitSlot(date: date(d), start: a.start, end: a.end, chair: a.chair, nurse: a.nurse))
            days.append(BookedDay(date: date(d), schedule: solved.schedule))
            alerts += solved.schedule.alerts.filter { $0.request == "K1.\(k + 1)" }
        }
        return Bookings(bookings: [CourseBooking(course: "K1", visits: slots)],
                        unbooked: [UnbookedCourse(course: "K2", reason: .authorization, detail: "authorization pending"),
                                   UnbookedCourse(course: "K3", reason: .capacity)],
                        days: days,
                        objective: BookingObjective(unbooked: 10_000, delay: 20, offset: 100, overtime: 0, preference: 12),
                        alerts: alerts, solver: SolverReport(method: .greedy, status: .feasible, seconds: 0))
    }

    /// The bookings file of `offer` for `courseID` with every other course unbooked (its reason, or
    /// `capacity` when bookable), the objective recomputed and the offer's days as proofs.
    static func bookings(_ offer: Offer, course courseID: String, horizon: Horizon) throws -> Bookings {
        let course = try #require(horizon.courses.first { $0.id == courseID })
        let bookability = Bookability(horizon)
        var unbooked: [UnbookedCourse] = []
        var bookable: [Course] = []
        for other in horizon.courses where other.id != courseID {
            if let why = bookability.unbookability(of: other) {
                unbooked.append(UnbookedCourse(course: other.id, reason: why.reason, detail: why.detail))
            } else {
                unbooked.append(UnbookedCourse(course: other.id, reason: .capacity))
                bookable.append(other)
            }
        }
        var augmented: [CivilDate: ResolvedDay] = [:]
        for date in Set(offer.visits.map(\.date)) {
            let visits = offer.visits.enumerated().filter { $0.element.date == date }
                .map { VisitBooking(course: courseID, visit: $0.offset + 1, start: $0.element.start) }
            augmented[date] = try ResolvedDay(horizon.augmentedDay(on: date, with: visits))
        }
        let booked = BookedCourse(course: course, visits: offer.visits.map { (date: $0.date, start: $0.start.minutes) })
        let objective = horizon.objective(booked: [booked], unbookedBookable: bookable, augmented: augmented)
        #expect(abs(objective.total - objective.unbooked - offer.cost) < 1e-6, "the offer's cost is its booking's objective")
        let ids = Set(course.visits.indices.map { course.visitId($0 + 1) })
        let alerts = offer.days.flatMap { $0.schedule.alerts.filter { $0.request.map(ids.contains) ?? false } }
        return Bookings(bookings: [CourseBooking(course: courseID, visits: offer.visits)], unbooked: unbooked,
                        days: offer.days, objective: objective, alerts: alerts)
    }

    /// `text` (a JSON object) with the value at `path` (keys and indices) replaced, or removed
    /// when `value` is nil, as JSON bytes: for tests that break one field.
    static func changing(_ text: String, _ path: [Any], to value: Any?) throws -> Data {
        func set(_ node: Any, _ rest: ArraySlice<Any>) -> Any? {
            guard let step = rest.first else { return value }
            if var object = node as? [String: Any], let key = step as? String {
                object[key] = set(object[key] ?? NSNull(), rest.dropFirst())
                return object
            }
            if var array = node as? [Any], let index = step as? Int {
                if let changed = set(array[index], rest.dropFirst()) { array[index] = changed } else { array.remove(at: index) }
                return array
            }
            return node
        }
        let root = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try JSONSerialization.data(withJSONObject: set(root, path[...]) ?? [:], options: [.sortedKeys])
    }
}
