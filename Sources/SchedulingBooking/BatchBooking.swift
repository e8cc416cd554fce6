import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// How batch booking chooses the courses' dates (docs/BOOKING.md, "Batch booking").
public enum BookingMethod: String, Sendable, Hashable, CaseIterable {
    /// Courses in file order, each at its earliest dates and starts that fit beside the courses
    /// booked before it.
    case firstfit
    /// A day-assignment integer program over the courses' date tuples, checked day by day with
    /// no-good cuts, completed by first-fit; never worse than first-fit.
    case mip
}

/// Books every course of a horizon at once, the courses competing for the same days
/// (docs/BOOKING.md, "Batch booking"; SPEC §8).
public enum BatchBooking {
    /// The bookings of all courses of `horizon`, checked by ``BookingValidator`` before they are
    /// returned.
    ///
    /// The program's searches are limited by counted work, so the same horizon gives the same
    /// bookings (byte for byte, but `solver.seconds`); `timeLimit` is only a cap on real time,
    /// and a run cut by it says so in `solver.note`.
    ///
    /// - Parameters:
    ///   - horizon: a horizon that passed its checks (``Horizon/load(path:)``).
    ///   - method: first-fit or the program.
    ///   - timeLimit: seconds, a cap on real time: first-fit's thorough pass stops at 90 % of it
    ///     (a third with ``BookingMethod/mip``), the program's rounds at 70 %, the final fill at 90 %.
    ///   - control: lets another thread stop the search (``SchedulingSolvers/SolveControl/stop()``):
    ///     the bookings found so far are returned, checked, with `solver.status` `stopped`.
    /// - Throws: ``SchedulingModel/InputError`` when a day does not resolve;
    ///   ``SchedulingSolvers/SchedulingError/invalidSchedule(method:violations:)`` when the
    ///   bookings found fail the validator (a bug: no wrong file is written).
    public static func book(_ horizon: Horizon, method: BookingMethod = .mip, timeLimit: Double = 60,
                            control: SolveControl? = nil) throws -> Bookings {
        let began = ContinuousClock.now
        let search = try BatchSearch(horizon, stop: control?.signal)
        let limit = max(0.1, timeLimit)
        var firstFit = BatchSearch.Plan()
        // First-fit's thorough pass may take most of the limit alone, a third of it before the program.
        let whole = search.firstFit(Array(horizon.courses.indices),
                                    until: began + .milliseconds(Int64(limit * (method == .mip ? 333 : 900))), into: &firstFit)
        let cut = whole || search.stopped ? "" : "; the time cap cut first-fit's thorough pass (another run may differ)"
        var report = SolverReport(method: .greedy, status: .feasible, bound: nil, gap: nil, seconds: 0,
                                  note: cut.isEmpty ? nil : String(cut.dropFirst(2)))
        var plan = firstFit
        if method == .mip {
            let cap = began + .milliseconds(Int64(limit * 700)), end = began + .milliseconds(Int64(limit * 900))
            let outcome = search.optimise(start: firstFit, rounds: 8, workSeconds: limit * 0.05, cap: cap, end: end)
            let won = !search.better(firstFit, than: outcome.plan)
            plan = won ? outcome.plan : firstFit
            let total = search.objective(of: plan)
            // The first program's bound covers the candidate tuples only; a plan it does not
            // cover (first-fit booking a course the program could not) gets none.
            let bound = outcome.bound.flatMap { $0 <= total + 1e-6 * max(1, abs(total)) ? min($0, total) : nil }
            let gap = bound.map { (total - $0) / max(1, abs(total)) }
            let booked = { (p: BatchSearch.Plan) in p.booked.count }
            let tie = !search.better(outcome.plan, than: firstFit)
            var note = "\(!won ? "first-fit won" : tie ? "a tie, the program's bookings returned" : "mip won"): mip books \(booked(outcome.plan)), first-fit \(booked(firstFit)); "
                + "\(outcome.rounds) program(s), \(outcome.cuts) cut(s)"
            if outcome.capReached { note += "; the time cap cut the search (another run may differ)" }
            note += cut
            let status: SolverStatus = !won ? .fallback : (gap == 0 && outcome.optimal ? .optimal : .feasible)
            report = SolverReport(method: .mip, status: status, bound: bound, gap: gap, seconds: 0, note: note)
        }
        if search.stopped {
            report.status = .stopped
            report.note = "stopped on request: the bookings found by then" + (report.note.map { "; " + $0 } ?? "")
        }
        var bookings = try assemble(plan, of: search, solver: report)
        if search.stopped {
            // `capacity` is the only reason a bookable course can have (SPEC §8); after a stop it
            // is not a proven "no room", and the detail says so.
            for i in bookings.unbooked.indices where bookings.unbooked[i].reason == .capacity {
                bookings.unbooked[i].detail = "not booked before the search was stopped (room not ruled out)"
            }
        }
        let elapsed = (ContinuousClock.now - began).components
        bookings.solver?.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        return bookings
    }

    /// ``book(_:method:timeLimit:control:)`` off the calling task; cancelling the task stops the
    /// search, which then returns the bookings found so far (checked), `solver.status` `stopped`,
    /// within about a second (a day check or a program's node under way ends first).
    public static func book(_ horizon: Horizon, method: BookingMethod = .mip, timeLimit: Double = 60) async throws -> Bookings {
        try await SolveControl().run { try book(horizon, method: method, timeLimit: timeLimit, control: $0) }
    }

    /// The bookings file of `plan`: each day that received visits with the schedule that proved
    /// its last visit, checked by the validator.
    static func assemble(_ plan: BatchSearch.Plan, of search: BatchSearch, solver: SolverReport) throws -> Bookings {
        let horizon = search.horizon
        var chosen: [String: [(date: CivilDate, start: ClockTime)]] = [:]
        for (c, visits) in plan.booked { chosen[horizon.courses[c].id] = visits.map { ($0.date, ClockTime(minutes: $0.start)) } }
        var days: [CivilDate: (day: ResolvedDay, schedule: Schedule)] = [:]
        for (date, day) in plan.days {
            guard let placements = day.schedule else {
                throw SchedulingError.invalidSchedule(method: "batch booking", violations: ["\(date): a booked day without a schedule"])
            }
            days[date] = (day.resolved, day.resolved.makeSchedule(placements: placements, solver: SolverReport(method: .greedy, status: .feasible, seconds: 0)))
        }
        let bookings = horizon.bookings(placing: chosen, days: days, solver: solver)
        let report = BookingValidator.validate(bookings, horizon: horizon)
        guard report.isValid else {
            throw SchedulingError.invalidSchedule(method: "batch booking", violations: report.violations.map(\.description))
        }
        return bookings
    }
}
