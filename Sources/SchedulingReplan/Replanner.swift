import Foundation
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
    public static func replan(day: Day, schedule: Schedule, events: EventsFile, options: ReplanOptions,
                              files: ReplanFiles = ReplanFiles()) throws -> ReplanResult {
        let clock = ContinuousClock()
        let began = clock.now
        let now = options.now.minutes
        guard (0...1440).contains(now) else { throw InputError(path: "now", message: "now must be a time of the day") }
        guard (0...1440).contains(options.noticeMinutes) else {
            throw InputError(path: "notice", message: "notice must be in 0...1440 minutes")
        }
        guard options.timeLimit.isFinite, options.timeLimit > 0 else {
            throw InputError(path: "timeLimit", message: "the time limit must be a positive number of seconds")
        }
        let oldDay: ResolvedDay
        do { oldDay = try ResolvedDay(day) } catch let error as InputError { throw error.inFile(files.day) }
        let oldPlan = try placements(of: schedule, day: oldDay, file: files.schedule)

        // The events, applied to the day.
        let application: EventApplication
        do {
            application = try EventApplication(oldDay: oldDay, old: oldPlan, now: now, events: events)
        } catch let error as InputError { throw error.inFile(files.events) }
        // Requests cancelled in an earlier re-plan stay cancelled.
        var ended = application.ended
        for u in schedule.unscheduled where u.reason == .cancelled && oldDay.requestIndex[u.request] != nil {
            if ended[u.request] == nil { ended[u.request] = .init(reason: .cancelled, detail: u.detail ?? "cancelled") }
        }
        let frozen = application.frozen
        func isFrozenOld(_ r: Int) -> Bool { r < frozen.count && frozen[r] }

        // Promises (SPEC §7): each fixed booking that is not frozen keeps its start and pins
        // unless the re-plan cannot keep it. `fixedNow` is the booking the applied day holds; it
        // loses what cannot be kept — a pinned nurse who goes out before its end at once, then
        // (below) the pins, then the start, only when the search finds no way to keep them.
        let promised = application.day.requests.map(\.fixed)
        var fixedNow = promised
        for r in fixedNow.indices where !isFrozenOld(r) && ended[application.day.requests[r].id] == nil {
            guard let f = fixedNow[r], let n = f.nurse, let from = application.nurseOut[n],
                  let reg = oldDay.day.regimens.first(where: { $0.id == application.day.requests[r].regimen }),
                  from < f.start.minutes + reg.chairMinutes else { continue }
            fixedNow[r]?.nurse = nil
        }
        var keptUntil: [String: Int] = [:]
        /// The day with the events applied, the nurses out, and the promises that still bind.
        func appliedDay() -> Day {
            var d = application.dayWithNursesOut(keptUntil: keptUntil)
            for r in d.requests.indices where !isFrozenOld(r) { d.requests[r].fixed = fixedNow[r] }
            return d
        }

        // Frozen patients first: a nurse who goes out hands over; when no one can take a
        // patient, the nurse stays until that patient is done (alert handoverOverload).
        var nurseChoice: [Int: String] = [:]      // frozen request -> nurse id on the new day
        var handovers: [Int: Handover] = [:]      // frozen request -> its handover, when handed over
        var overloads: [Alert] = []
        var newDay = try resolve(appliedDay(), application: application, files: files)
        var state = DayState(day: newDay)
        // Those who stay with their nurse go first, so that a handover never takes what they hold.
        func mustHandOver(_ r: Int) -> Bool {
            let o = oldPlan[r]!
            return application.nurseOut[oldDay.nurses[o.nurse].id].map { oldDay.end(of: o) > $0 } ?? false
        }
        let frozenOrder = oldPlan.indices.filter { frozen[$0] && ended[oldDay.requests[$0].id] == nil }
            .sorted { (mustHandOver($0) ? 1 : 0, oldPlan[$0]!.start, $0) < (mustHandOver($1) ? 1 : 0, oldPlan[$1]!.start, $1) }
        for r in frozenOrder {
            let o = oldPlan[r]!
            let oldNurse = oldDay.nurses[o.nurse].id
            var p = o
            let outAt = application.nurseOut[oldNurse]
            if !mustHandOver(r), let n = newDay.nurseIndex[oldNurse] {
                p.nurse = n
                guard state.canPlace(p) else {
                    throw SchedulingError.invalidSchedule(method: "replan", violations: ["\(oldDay.requests[r].id): frozen appointment no longer fits: \(state.problem(with: p) ?? "")"])
                }
                state.place(p)
                nurseChoice[r] = oldNurse
                continue
            }
            // Least-loaded nurse who can take the patient from now to the end of the treatment
            // (SPEC §7: the minutes before now were the old nurse's, who holds them on the new
            // day too; a nurse who never started is no longer on it, and the new one takes all).
            let handover = newDay.nurseIndex[oldNurse].map { Handover(nurse: $0, at: now) }
            let order = newDay.nurses.indices.filter { newDay.nurses[$0].id != oldNurse }
                .sorted { (state.nurseWork[$0], $0) < (state.nurseWork[$1], $1) }
            if let n = order.first(where: { var q = o; q.nurse = $0; return state.canPlace(q, handover: handover) }) {
                p.nurse = n
                state.place(p, handover: handover)
                handovers[r] = handover
                nurseChoice[r] = newDay.nurses[n].id
            } else {
                nurseChoice[r] = oldNurse
                keptUntil[oldNurse] = max(keptUntil[oldNurse] ?? Int.min, oldDay.end(of: o))
                overloads.append(Alert(request: oldDay.requests[r].id, kind: .handoverOverload,
                                       detail: "no nurse can take over from \(oldNurse) at \(clockText(outAt ?? 0)); \(oldNurse) stays until \(clockText(oldDay.end(of: o)))"))
            }
        }
        /// The handovers in the indices of `newDay` (a nurse kept longer may be back on a
        /// rebuilt day, which moves the indices of those after it).
        func reindexHandovers() {
            for r in Array(handovers.keys) {
                handovers[r] = newDay.nurseIndex[oldDay.nurses[oldPlan[r]!.nurse].id].map { Handover(nurse: $0, at: now) }
            }
        }
        if !keptUntil.isEmpty {
            // Replay the same choices on the day where those nurses stay longer.
            newDay = try resolve(appliedDay(), application: application, files: files)
            reindexHandovers()
            state = DayState(day: newDay)
            for r in frozenOrder {
                var p = oldPlan[r]!
                p.nurse = newDay.nurseIndex[nurseChoice[r]!]!
                guard state.canPlace(p, handover: handovers[r]) else {
                    throw SchedulingError.invalidSchedule(method: "replan", violations: ["\(oldDay.requests[r].id): frozen appointment no longer fits: \(state.problem(with: p, handover: handovers[r]) ?? "")"])
                }
                state.place(p, handover: handovers[r])
            }
        }

        // The previous plan in the new day's indices (requests and chairs keep theirs).
        let count = newDay.requests.count
        var old = [Placement?](repeating: nil, count: count)
        var prepLocked = [Bool](repeating: false, count: count)
        for r in oldPlan.indices {
            guard var p = oldPlan[r] else { continue }
            p.nurse = newDay.nurseIndex[oldDay.nurses[p.nurse].id] ?? -1
            old[r] = p
            prepLocked[r] = !frozen[r] && (p.prepStart.map { $0 < now } ?? false)
        }
        var outFrom = [Int?](repeating: nil, count: newDay.nurses.count)
        for (id, from) in application.nurseOut { if let n = newDay.nurseIndex[id] { outFrom[n] = from } }
        let weights = events.objective
        var search = RepairSearch(day: newDay, now: now, earliestArrival: now + options.noticeMinutes, old: old,
                                  prepLocked: prepLocked, outFrom: outFrom,
                                  changePenalty: weights?.changePenalty ?? 50, shiftPerMinute: weights?.shiftPerMinute ?? 1)
        var isEnded = [Bool](repeating: false, count: count)
        for r in 0..<count where ended[newDay.requests[r].id] != nil { isEnded[r] = true }
        for r in oldPlan.indices where isEnded[r] {
            // What is already under way for them keeps its compounder and station.
            guard let o = oldPlan[r] else { continue }
            if let prep = o.prepStart, let k = o.compounder, prep < now {
                search.ghostPreps.append((k, prep..<(prep + oldDay.regimen(of: r).prepMinutes)))
            }
            if let d = o.drawStart, let s = o.station, d < now { search.ghostDraws.append((s, d..<(d + oldDay.drawMinutes))) }
        }

        // Keep every other appointment that still holds; collect the broken ones.
        var broken: [Int] = []
        let keepOrder = (0..<count).filter { old[$0] != nil && !frozen[$0] && !isEnded[$0] }
            .sorted { (old[$0]!.start, $0) < (old[$1]!.start, $1) }
        for r in keepOrder {
            let p = old[r]!
            if p.nurse >= 0, state.canPlace(p), search.keepsReplanRules(p) { state.place(p) } else { broken.append(r) }
        }
        // Those holding a prep already begun first: they have the fewest places left; then the
        // promised ones (a fixed booking has one start).
        func rank(_ r: Int) -> Int { prepLocked[r] ? 0 : (newDay.requests[r].fixedStart != nil ? 1 : 2) }
        broken.sort { (rank($0), old[$0]!.start, $0) < (rank($1), old[$1]!.start, $1) }
        let penalty = { (r: Int) -> Double in newDay.weights.unscheduledPenalty * newDay.requests[r].weight }
        /// What breaking the promise of `r` weighs in the search (not in the reported objective):
        /// more than anything a move can save, so that a promise is broken only when it must be.
        func promiseWeight(_ r: Int) -> Double { r < promised.count && promised[r] != nil ? Self.promiseWeight : 0 }
        for r in broken {
            // Leaving a planned patient out costs the change and (when reachable) the penalty.
            if let (p, cost) = search.cheapest(r, in: state), cost < penalty(r) + search.changePenalty + promiseWeight(r) {
                state.place(p)
            } else if prepLocked[r], let o = old[r], let prep = o.prepStart, let k = o.compounder {
                search.ghostPreps.append((k, prep..<(prep + newDay.regimen(of: r).prepMinutes)))
            }
        }

        // Promises still not kept: try hard (move the patients in the way who were not promised a
        // time), then give up the pins but keep the start, then the start; each step that gives
        // something up rebuilds the day and the state (every placement held still fits: the day
        // only lost rules). What is given up is reported by the alert fixedBookingBroken.
        let maySupportPromise = { (r: Int) -> Bool in !isFrozenOld(r) && !prepLocked[r] }
        func unkeptPromises() -> [Int] {
            (0..<min(count, promised.count)).filter {
                promised[$0] != nil && !isFrozenOld($0) && !isEnded[$0] && state.placements[$0] == nil
                    && newDay.requests[$0].authorizationProblem == nil
            }
        }
        var relaxations = 0
        for stage in 0..<3 {
            for r in unkeptPromises() {
                if let (p, _) = search.cheapest(r, in: state) { state.place(p); continue }
                _ = search.placeByClearing(r, in: &state, movable: maySupportPromise)
            }
            let left = unkeptPromises()
            guard !left.isEmpty, stage < 2 else { break }
            for r in left {
                if stage == 0, let f = fixedNow[r], f.chair != nil || f.nurse != nil {
                    fixedNow[r] = FixedBooking(start: f.start)
                } else {
                    fixedNow[r] = nil
                }
            }
            relaxations += left.count
            newDay = try resolve(appliedDay(), application: application, files: files)
            reindexHandovers()
            var rebuilt = DayState(day: newDay)
            for p in state.placedList { rebuilt.place(p, handover: handovers[p.request]) }
            state = rebuilt
            var again = RepairSearch(day: newDay, now: now, earliestArrival: search.earliestArrival, old: old,
                                     prepLocked: prepLocked, outFrom: outFrom,
                                     changePenalty: search.changePenalty, shiftPerMinute: search.shiftPerMinute)
            again.ghostPreps = search.ghostPreps
            again.ghostDraws = search.ghostDraws
            search = again
        }

        // Which requests can still be reached with the notice (SPEC §7 admissibility): each is
        // judged alone, so one reading serves the backfill, the program and the reasons.
        let reach = try reachability(of: newDay, frozen: frozen, isEnded: isEnded, prepLocked: prepLocked,
                                     old: old, now: now, earliestArrival: now + options.noticeMinutes)
        // Backfill: add-ons, waitlisted and dropped requests into what is free, heaviest first.
        // Without events nothing was freed: the plan comes back as it was, not reopened for its own sake.
        let backfill = events.events.isEmpty ? [] : (0..<count).filter { state.placements[$0] == nil && !isEnded[$0] && reach[$0] == nil }
            .sorted { (-newDay.requests[$0].weight, $0) < (-newDay.requests[$1].weight, $1) }
        func leave(_ r: Int) -> Double { penalty(r) + (old[r] != nil ? search.changePenalty : 0) + promiseWeight(r) }
        for r in backfill {
            if let (p, cost) = search.cheapest(r, in: state), cost < leave(r) { state.place(p) }
        }
        // Then make room by moving one appointment, while the time allows: neither a frozen
        // one nor one whose prep already began (it has nowhere else to go).
        let deadline = began + .milliseconds(Int64(min(options.timeLimit, 1e6) * 800))
        var madeRoom = 0
        for r in backfill where state.placements[r] == nil {
            guard clock.now < deadline else { break }
            if search.insertByMovingOne(r, in: &state, leave: leave(r), movable: { !(($0 < frozen.count && frozen[$0]) || prepLocked[$0]) }) {
                madeRoom += 1
            }
        }

        // The integer program, around what the events touched, from the repaired plan.
        let repaired = state
        var improvement: ReplanImprovement.Outcome?
        if options.method != .greedy, !events.events.isEmpty, clock.now < deadline {
            let isFrozen = (0..<count).map { $0 < frozen.count && frozen[$0] }
            let movable = (0..<count).map { !isFrozen[$0] && !isEnded[$0] }
            let penalised = (0..<count).map { movable[$0] && reach[$0] == nil && newDay.isAdmissible($0) }
            let rules = ScheduleFormulation.ReplanRules(
                now: now, earliestArrival: now + options.noticeMinutes, old: old, prepLocked: prepLocked, nurseLatestEnd: outFrom,
                reservedPreps: search.ghostPreps.map(\.range), reservedDraws: search.ghostDraws.map(\.range),
                changePenalty: search.changePenalty, shiftPerMinute: search.shiftPerMinute, penalised: penalised)
            // Around every request the events or the repair changed, and every one still out.
            let seeds = (0..<count).filter { r in
                movable[r] && (state.placements[r] != old[r] || (state.placements[r] == nil && penalised[r]))
            }
            var mip = ReplanImprovement(day: newDay, rules: rules, repair: search, movable: movable,
                                        placeable: (0..<count).map { !isEnded[$0] }, seeds: seeds,
                                        promised: (0..<count).map { $0 < promised.count && promised[$0] != nil && movable[$0] })
            mip.handovers = handovers
            var outcome = mip.improve(state.placements, deadline: deadline)
            if let fault = ReplanFaults.improvement { outcome = fault(outcome) }
            if outcome.improvements > 0 {
                var improved = DayState(day: newDay)
                for p in outcome.placements.compactMap({ $0 }) { improved.place(p, handover: handovers[p.request]) }
                state = improved
            }
            improvement = outcome
        }

        /// The alert fixedBookingBroken for every fixed booking, not frozen and not ended by the
        /// patient (`cancel`, `labsOutOfRange`), that the plan drops or moves off its start or pins.
        func brokenPromises(_ state: DayState) -> [Alert] {
            var alerts: [Alert] = []
            for r in 0..<min(count, promised.count) {
                guard let f = promised[r], !isFrozenOld(r) else { continue }
                let id = newDay.requests[r].id
                if let e = ended[id], !e.isDrop { continue }
                let promise = "fixed at \(f.start)" + (f.chair.map { " on \($0)" } ?? "") + (f.nurse.map { " with \($0)" } ?? "")
                guard let p = state.placements[r] else {
                    alerts.append(Alert(request: id, kind: .fixedBookingBroken, detail: promise + "; dropped, the patient must be called"))
                    continue
                }
                let chair = newDay.chairs[p.chair].id, nurse = newDay.nurses[p.nurse].id
                if p.start != f.start.minutes || (f.chair.map { $0 != chair } ?? false) || (f.nurse.map { $0 != nurse } ?? false) {
                    alerts.append(Alert(request: id, kind: .fixedBookingBroken,
                                        detail: promise + "; now \(clockText(p.start)) on \(chair) with \(nurse)"))
                }
            }
            return alerts
        }

        /// The schedule of a plan, its change list, and what it breaks (hard rules, then SPEC §7 rules).
        func finish(_ state: DayState) -> (schedule: Schedule, changes: [PlanChange], breaks: [String]) {
            let placements = state.placedList
            let violations = Validator.violationLines(of: placements, day: newDay, handovers: handovers)
            var reasons: [Int: (UnscheduledReason, String?)] = [:]
            var alerts = application.alerts + overloads
            for r in 0..<count where state.placements[r] == nil {
                if let e = ended[newDay.requests[r].id] { reasons[r] = (e.reason, e.detail) }
                else if let why = reach[r] { reasons[r] = (why.reason, why.detail) }
            }
            alerts += brokenPromises(state)
            var result = newDay.makeSchedule(placements: placements, solver: SolverReport(method: .greedy, status: .feasible, seconds: 0),
                                             reasons: reasons, extraAlerts: alerts)
            let changes = PlanChanges.list(oldDay: oldDay, oldPlan: oldPlan, newDay: newDay, newPlan: state.placements, ended: ended)
            var changeCost = 0.0
            for r in 0..<count where old[r] != nil && (!isEnded[r] || ended[newDay.requests[r].id]!.isDrop) {
                if let p = state.placements[r] { changeCost += search.changeCost(r, p) } else { changeCost += search.changePenalty }
            }
            if let o = result.objective {
                result.objective = ObjectiveBreakdown(unscheduled: o.unscheduled, overtime: o.overtime, wait: o.wait,
                                                      preference: o.preference, peakLoad: o.peakLoad, changes: changeCost)
            }
            result.changes = changes
            let breaks = violations
                + PlanChanges.ruleBreaks(old: schedule, new: result, now: options.now, noticeMinutes: options.noticeMinutes,
                                         nursesOut: Set(application.nurseOut.keys))
            return (result, changes, breaks)
        }
        var (result, changes, breaks) = finish(state)
        var withheld = false
        if !breaks.isEmpty, let improvement, improvement.improvements > 0 {
            // The program's answer broke a rule its checks missed: the repair answers instead.
            withheld = true
            state = repaired
            (result, changes, breaks) = finish(state)
        }
        guard breaks.isEmpty else { throw SchedulingError.invalidSchedule(method: "replan", violations: breaks) }
        let seconds = clock.now - began
        let elapsed = Double(seconds.components.seconds) + Double(seconds.components.attoseconds) * 1e-18
        if let improvement, improvement.failure == nil, improvement.rounds > 0, !withheld {
            // A proven optimum of the whole program bounds the total: the rest of it is fixed.
            let total = improvement.optimal ? result.objective?.total : nil
            result.solver = SolverReport(method: .mip, status: improvement.optimal ? .optimal : .feasible,
                                         bound: total, gap: total.map { _ in 0 }, seconds: elapsed)
        } else {
            // `fallback` says the program failed or its plan was withheld; a program with nothing
            // to free (no round) leaves the repair as the answer, which is no alarm.
            let fellBack = improvement.map { $0.failure != nil || withheld } ?? false
            result.solver = SolverReport(method: .greedy, status: fellBack ? .fallback : .feasible, seconds: elapsed)
        }

        var notes: [String] = []
        if let improvement {
            notes.append("integer program: \(improvement.rounds) neighbourhood(s), \(improvement.improvements) improvement(s)"
                         + (improvement.optimal ? ", proven optimal" : "") + (improvement.failure.map { "; GLPK failed: \($0)" } ?? "")
                         + (withheld ? "; its plan broke a rule and was withheld, the repair answers" : ""))
        }
        notes.append("\(frozenOrder.count) frozen, \(broken.count) broken by the events, \(madeRoom) placed by moving another, \(changes.count) change(s)")
        let brokenCount = result.alerts.filter { $0.kind == .fixedBookingBroken }.count
        if brokenCount > 0 || relaxations > 0 {
            notes.append("\(brokenCount) fixed booking(s) broken (alert fixedBookingBroken)")
        }
        return ReplanResult(schedule: result, day: newDay.day, placements: state.placedList,
                            frozen: frozenOrder.sorted().map { oldDay.requests[$0].id }, notes: notes)
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
