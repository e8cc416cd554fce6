import SchedulingModel
import SchedulingRules

import SchedulingSolvers

/// Re-plans the rest of a day after things change (SPEC §7): cancellations, late patients and
/// labs, delayed drugs, chairs and nurses out, add-ons.
///
/// The re-plan repairs the previous plan rather than solving the day afresh, because a good
/// re-plan moves few people, by little, and never someone already in a chair:
/// 1. frozen appointments (the patient arrived before `now`) stay as they are; a nurse going
///    out hands their patients still in chair to the least-loaded nurse who can take them;
/// 2. every other appointment that still keeps the rules of the day with the events applied
///    stays as it is;
/// 3. the broken ones go to their cheapest position under the re-planning rules (arrival at
///    least `notice` away when it changes), or are dropped when none is left;
/// 4. freed capacity goes to add-ons, waitlisted and dropped requests, heaviest first, when
///    placing them costs less than leaving them out;
/// 5. a request still out may take the place of one planned appointment that moves elsewhere
///    (never one that is frozen or whose prep began, and never by dropping it).
/// 6. unless the method is `greedy`, the integer program improves the result: a few requests
///    around each one the events or the repair changed are freed, everything else stays fixed,
///    and GLPK solves that small exact program with the notice rule and the change terms in it
///    (`ReplanImprovement`); an answer is kept only when it is valid and cheaper.
/// Costs are SPEC §3 plus the change terms of §7.
public enum Replanner {
    /// What breaking a promise (a fixed booking) weighs inside the search: more than any saving
    /// a move could bring, so a promise is broken only when no plan keeps it. It is not part of
    /// the reported objective.
    static let promiseWeight = 100_000.0

    /// Re-plans `schedule` for `day` after `events`.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming the file and JSON path of bad input: a schedule that is
    ///   not valid for the day, an event naming an unknown id, cancelling a frozen appointment,
    ///   a `from` before `now`, and so on. ``SchedulingSolvers/SchedulingError`` only for a library bug (a re-plan
    ///   that fails validation is withheld).
    ///
    /// - Parameters:
    ///   - day: the day as it was planned.
    ///   - schedule: the plan being followed (valid for `day`).
    ///   - events: what happened (SPEC §7).
    ///   - options: `now`, the notice, the method and its time limit.
    ///   - files: the input files' names, for the errors.
    ///   - control: lets another thread stop the re-plan early: it then returns the best
    ///     valid re-plan so far (the repaired plan at least), status `stopped`.
    public static func replan(day: Day, schedule: Schedule, events: EventsFile, options: ReplanOptions,
                              files: ReplanFiles = ReplanFiles(), control: SolveControl? = nil) throws -> ReplanResult {
        var run = try Replanning(day: day, schedule: schedule, events: events, options: options, files: files)
        run.control = control
        try run.placeFrozen()
        run.keepWhatHolds()
        try run.keepPromises()
        try run.backfill()
        run.improve()
        return try run.result()
    }

    /// ``replan(day:schedule:events:options:files:control:)`` off the calling task; cancelling
    /// the task stops it (the best valid re-plan so far, status `stopped`).
    public static func replan(day: Day, schedule: Schedule, events: EventsFile, options: ReplanOptions,
                              files: ReplanFiles = ReplanFiles()) async throws -> ReplanResult {
        try await SolveControl().run {
            try replan(day: day, schedule: schedule, events: events, options: options, files: files, control: $0)
        }
    }

    /// Resolves the day with the events applied; a problem inside an add-on is reported at the
    /// event that brought it.
    static func resolve(_ day: Day, application: EventApplication, files: ReplanFiles) throws -> ResolvedDay {
        do {
            return try ResolvedDay(day)
        } catch let error as InputError {
            for (r, event) in application.addOnEvent.sorted(by: { $0.key < $1.key }) {
                let prefix = "requests[\(r)]"
                if error.path == prefix || error.path.hasPrefix(prefix + ".") {
                    var moved = error
                    moved.file = files.events
                    moved.path = "events[\(event)].request" + String(error.path.dropFirst(prefix.count))
                    throw moved
                }
            }
            throw error.inFile(files.day)
        }
    }

    /// The previous schedule in index form, by request index; it must be valid for the day.
    static func placements(of schedule: Schedule, day: ResolvedDay, file: String?) throws -> [Placement?] {
        func fail(_ path: String, _ message: String, _ kind: InputError.Kind = .invalidValue) -> InputError {
            InputError(file: file, path: path, message: message, kind: kind)
        }
        guard schedule.date == day.day.date else { throw fail("date", "schedule is for \(schedule.date) but the day is \(day.day.date)") }
        var plan = [Placement?](repeating: nil, count: day.requests.count)
        var list: [Placement] = []
        for (i, a) in schedule.appointments.enumerated() {
            let path = "appointments[\(i)]"
            guard let r = day.requestIndex[a.request] else { throw fail(path + ".request", "unknown request \"\(clip(a.request))\"", .unknownReference) }
            guard plan[r] == nil else { throw fail(path + ".request", "request \(a.request) appears more than once") }
            guard let c = day.chairIndex[a.chair] else { throw fail(path + ".chair", "unknown chair \"\(clip(a.chair))\"", .unknownReference) }
            guard let n = day.nurseIndex[a.nurse] else { throw fail(path + ".nurse", "unknown nurse \"\(clip(a.nurse))\"", .unknownReference) }
            let p = Placement(request: r, chair: c, nurse: n, start: a.start.minutes,
                              drawStart: a.labDraw?.start.minutes, station: a.labDraw?.station.map { $0 - 1 },
                              prepStart: a.prep?.start.minutes, compounder: a.prep.map { $0.compounder - 1 })
            plan[r] = p
            list.append(p)
        }
        if let v = Validator.violations(of: list, day: day).first {
            throw fail("appointments", "the schedule is not valid for the day: \(v)")
        }
        return plan
    }

    /// For each request neither frozen nor ended, nil when it can still be reached — placed alone
    /// with an arrival at least `notice` away and a prep not in the past — else why not (SPEC §7).
    ///
    /// A request whose previous arrival is still ahead (`>= now`) but closer than the notice can
    /// also be reached by keeping that arrival (``reachableAtArrival(_:arrival:day:now:lockedPrep:)``).
    static func reachability(of day: ResolvedDay, frozen: [Bool], isEnded: [Bool], prepLocked: [Bool],
                             old: [Placement?] = [], now: Int, earliestArrival: Int) throws -> [(reason: UnscheduledReason, detail: String)?] {
        var reachDay = day.day
        var result = [(reason: UnscheduledReason, detail: String)?](repeating: nil, count: day.requests.count)
        var check: [Int] = []
        for r in day.requests.indices where !isEnded[r] && !(r < frozen.count && frozen[r]) {
            var q = reachDay.requests[r]
            var window = q.window ?? PatientWindow()
            if let latest = window.latest, latest.minutes <= earliestArrival {
                result[r] = (.noFeasibleStart, "the window closes before an arrival with notice")
                continue
            }
            window.earliest = ClockTime(minutes: max(window.earliest?.minutes ?? 0, min(1440, earliestArrival)))
            q.window = window
            if !prepLocked[r], (q.drugReadyAt?.minutes(relativeTo: day.day.date) ?? Int.min) < now {
                q.drugReadyAt = LocalDateTime(date: day.day.date, time: ClockTime(minutes: now))
            }
            reachDay.requests[r] = q
            check.append(r)
        }
        let resolved = try ResolvedDay(reachDay)
        for r in check { result[r] = resolved.inadmissibility(of: r) }
        // Still reachable at the arrival she was told, though every moved arrival is too late.
        for r in day.requests.indices where result[r] != nil && result[r]!.reason != .authorization
            && r < old.count && !isEnded[r] && !(r < frozen.count && frozen[r]) {
            guard let o = old[r], o.arrival >= now, o.arrival < earliestArrival else { continue }
            let locked = prepLocked[r] ? o.prepStart.flatMap { s in o.compounder.map { (start: s, compounder: $0) } } : nil
            if reachableAtArrival(r, arrival: o.arrival, day: day, now: now, lockedPrep: locked) { result[r] = nil }
        }
        return result
    }
}
