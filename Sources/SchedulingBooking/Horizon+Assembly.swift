import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// Chosen visits that cannot be written as valid bookings (a visit or a patient already booked
/// that the day's schedule leaves out, an unknown course, a visit missing).
package struct BookingAssemblyError: Error, Sendable, CustomStringConvertible {
    package var description: String
}

extension Horizon {
    /// The bookings file for courses booked at chosen dates and starts: each day that receives
    /// visits is augmented and scheduled by the greedy scheduler (deterministic pace), each visit
    /// takes the chair and nurse that schedule gives it, every other course is listed unbooked
    /// with its reason, and the objective and alerts are filled in.
    ///
    /// - Parameter chosen: by course id, the date and start of each of its visits, in order.
    /// - Throws: ``BookingAssemblyError`` when the choice breaks the format (an unknown course, a
    ///   visit missing) or a day's schedule leaves a visit or an admissible patient already booked
    ///   out; ``SchedulingModel/InputError`` or ``SchedulingSolvers/SchedulingError`` from a day's solve.
    package func bookings(placing chosen: [String: [(date: CivilDate, start: ClockTime)]]) throws -> Bookings {
        var refs: [CivilDate: [VisitBooking]] = [:]
        for course in courses {
            guard let visits = chosen[course.id] else { continue }
            guard visits.count == course.visits.count else {
                throw BookingAssemblyError(description: "\(course.id): \(visits.count) of its \(course.visits.count) visits chosen")
            }
            for (k, v) in visits.enumerated() { refs[v.date, default: []].append(VisitBooking(course: course.id, visit: k + 1, start: v.start)) }
        }
        if let unknown = chosen.keys.sorted().first(where: { id in !courses.contains { $0.id == id } }) {
            throw BookingAssemblyError(description: "unknown course \"\(clip(unknown))\"")
        }

        var days: [CivilDate: (day: ResolvedDay, schedule: Schedule)] = [:]
        var seconds = 0.0
        for date in refs.keys.sorted() {
            let visits = refs[date]!
            let day = try ResolvedDay(augmentedDay(on: date, with: visits))
            let solved = try Scheduler.solve(day, options: SolveOptions(method: .greedy, pace: .deterministic))
            let scheduled = Set(solved.schedule.appointments.map(\.request))
            let visitIds = Set(visits.map { "\($0.course).\($0.visit)" })
            if let missing = visitIds.sorted().first(where: { !scheduled.contains($0) }) {
                throw BookingAssemblyError(description: "\(date): visit \(missing) cannot be scheduled at its start")
            }
            for r in 0..<(day.requests.count - visits.count) where !scheduled.contains(day.requests[r].id) && day.isAdmissible(r) {
                throw BookingAssemblyError(description: "\(date): the schedule leaves out \(day.requests[r].id), a patient already booked")
            }
            seconds += solved.solver.seconds
            days[date] = (day, solved.schedule)
        }
        return bookings(placing: chosen, days: days, solver: SolverReport(method: .greedy, status: .feasible, seconds: seconds))
    }

    /// The bookings file for courses booked at chosen dates and starts, with each day that
    /// receives visits already scheduled (its augmented day, resolved, and a schedule holding
    /// every visit and every admissible patient already booked): each visit takes the chair and
    /// nurse of its day's schedule, every other course is listed unbooked with its reason, and
    /// the objective and alerts are filled in.
    ///
    /// - Parameters:
    ///   - chosen: by course id, the date and start of each of its visits, in order (checked by the caller).
    ///   - days: by date, the augmented day and its schedule, for every date that receives a visit.
    ///   - solver: the report written as `solver`.
    package func bookings(placing chosen: [String: [(date: CivilDate, start: ClockTime)]],
                          days scheduled: [CivilDate: (day: ResolvedDay, schedule: Schedule)], solver: SolverReport) -> Bookings {
        var days: [BookedDay] = []
        var augmented: [CivilDate: ResolvedDay] = [:]
        var placed: [String: Appointment] = [:]
        var alerts: [Alert] = []
        let visitIds = Set(courses.flatMap { course in chosen[course.id].map { $0.indices.map { course.visitId($0 + 1) } } ?? [] })
        for date in scheduled.keys.sorted() {
            let (day, schedule) = scheduled[date]!
            for a in schedule.appointments where visitIds.contains(a.request) { placed[a.request] = a }
            alerts += schedule.alerts.filter { $0.request.map(visitIds.contains) ?? false }
            augmented[date] = day
            days.append(BookedDay(date: date, schedule: schedule))
        }

        var booked: [CourseBooking] = []
        var bookedCourses: [BookedCourse] = []
        var unbooked: [UnbookedCourse] = []
        var unbookedBookable: [Course] = []
        let bookability = Bookability(self)
        for course in courses {
            if let visits = chosen[course.id] {
                let slots = visits.enumerated().map { k, v -> VisitSlot in
                    let a = placed[course.visitId(k + 1)]!
                    return VisitSlot(date: v.date, start: a.start, end: a.end, chair: a.chair, nurse: a.nurse)
                }
                booked.append(CourseBooking(course: course.id, visits: slots))
                bookedCourses.append(BookedCourse(course: course, visits: visits.map { ($0.date, $0.start.minutes) }))
            } else if let why = bookability.unbookability(of: course) {
                unbooked.append(UnbookedCourse(course: course.id, reason: why.reason, detail: why.detail))
            } else {
                unbooked.append(UnbookedCourse(course: course.id, reason: .capacity, detail: "no room beside the patients already booked"))
                unbookedBookable.append(course)
            }
        }
        return Bookings(bookings: booked, unbooked: unbooked, days: days,
                        objective: objective(booked: bookedCourses, unbookedBookable: unbookedBookable, augmented: augmented),
                        alerts: alerts, solver: solver)
    }
}
