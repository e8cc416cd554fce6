import Foundation
import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// One re-plan under way (``Replanner/replan(day:schedule:events:options:files:)``): the
/// previous plan, the day with the events applied, and the plan being repaired, with one
/// method per step, called in order.
struct Replanning {
    let clock = ContinuousClock()
    let began: ContinuousClock.Instant
    /// Minute of `now`.
    let now: Int
    let options: ReplanOptions
    let files: ReplanFiles
    let schedule: Schedule
    let events: EventsFile
    /// Stops the greedy's moves and the program: 80 % of the time limit.
    let deadline: ContinuousClock.Instant
    /// The caller's way to stop the re-plan early.
    var control: SolveControl?
    /// Whether the caller asked to stop.
    var stopped: Bool { control?.isStopped ?? false }

    let oldDay: ResolvedDay
    /// The previous plan by request index of ``oldDay``.
    let oldPlan: [Placement?]
    let application: EventApplication
    /// Requests ended by an event, or cancelled in an earlier re-plan (they stay cancelled), by id.
    let ended: [String: EventApplication.Ending]
    /// By request index: whether the patient arrived before `now`.
    let frozen: [Bool]
    /// The fixed booking promised to each request of the applied day, by request index.
    let promised: [FixedBooking?]
    /// The booking the applied day holds for each request: loses what cannot be kept — a
    /// pinned nurse who goes out before its end at once, then the pins, then the start, only
    /// when the search finds no way to keep them.
    var fixedNow: [FixedBooking?]
    /// Nurses who stay past going out, until their frozen patient is done, by id.
    var keptUntil: [String: Int] = [:]

    /// The day with the events applied, as resolved last.
    var newDay: ResolvedDay
    /// The plan being repaired.
    var state: DayState
    /// Frozen requests, those who stay with their nurse first.
    var frozenOrder: [Int] = []
    /// Frozen request -> nurse id on the new day.
    var nurseChoice: [Int: String] = [:]
    /// Frozen request -> its handover, when handed over.
    var handovers: [Int: Handover] = [:]
    var overloads: [Alert] = []

    /// The previous plan in the new day's indices (requests and chairs keep theirs; `nurse` -1
    /// for a nurse no longer on the day).
    var old: [Placement?] = []
    /// Requests not frozen whose prep began before `now`.
    var prepLocked: [Bool] = []
    var isEnded: [Bool] = []
    var search: RepairSearch!
    /// Planned requests the events broke.
    var broken: [Int] = []
    /// Promises given up (pins, then starts).
    var relaxations = 0
    /// For each request, nil when it can still be reached with the notice, else why not.
    var reach: [(reason: UnscheduledReason, detail: String)?] = []
    var madeRoom = 0
    /// Promises the exact attempt placed, when the repair search had left some unkept.
    var exactPromises = 0
    /// The plan before the integer program, and what the program did.
    var repaired: DayState?
    var improvement: ReplanImprovement.Outcome?

    /// Checks the input, applies the events and resolves the day they leave.
    init(day: Day, schedule: Schedule, events: EventsFile, options: ReplanOptions, files: ReplanFiles) throws {
        began = clock.now
        now = options.now.minutes
        self.options = options; self.files = files; self.schedule = schedule; self.events = events
        guard (0...1440).contains(now) else { throw InputError(path: "now", message: "now must be a time of the day") }
        guard (0...1440).contains(options.noticeMinutes) else {
            throw InputError(path: "notice", message: "notice must be in 0...1440 minutes")
        }
        guard options.timeLimit.isFinite, options.timeLimit > 0 else {
            throw InputError(path: "timeLimit", message: "the time limit must be a positive number of seconds")
        }
        deadline = began + .milliseconds(Int64(min(options.timeLimit, 1e6) * 800))
        do { oldDay = try ResolvedDay(day) } catch let error as InputError { throw error.inFile(files.day) }
        oldPlan = try Replanner.placements(of: schedule, day: oldDay, file: files.schedule)

        do {
            application = try EventApplication(oldDay: oldDay, old: oldPlan, now: now, events: events)
        } catch let error as InputError { throw error.inFile(files.events) }
        var ended = application.ended
        for u in schedule.unscheduled where u.reason == .cancelled && oldDay.requestIndex[u.request] != nil {
            if ended[u.request] == nil { ended[u.request] = .init(reason: .cancelled, detail: u.detail ?? "cancelled") }
        }
        self.ended = ended
        frozen = application.frozen

        // Promises (SPEC §7): each fixed booking that is not frozen keeps its start and pins
        // unless the re-plan cannot keep it.
        promised = application.day.requests.map(\.fixed)
        var fixedNow = promised
        let requests = application.day.requests, regimens = oldDay.day.regimens
        for r in fixedNow.indices where !(r < frozen.count && frozen[r]) && ended[requests[r].id] == nil {
            guard let f = fixedNow[r], let n = f.nurse, let from = application.nurseOut[n],
                  let reg = regimens.first(where: { $0.id == requests[r].regimen }),
                  from < f.start.minutes + reg.chairMinutes else { continue }
            fixedNow[r]?.nurse = nil
        }
        self.fixedNow = fixedNow
        newDay = try Replanner.resolve(Self.appliedDay(application, frozen: frozen, fixedNow: fixedNow, keptUntil: [:]),
                                    application: application, files: files)
        state = DayState(day: newDay)
    }

    func isFrozenOld(_ r: Int) -> Bool { r < frozen.count && frozen[r] }

    /// The day with the events applied, the nurses out, and the promises that still bind.
    static func appliedDay(_ application: EventApplication, frozen: [Bool], fixedNow: [FixedBooking?], keptUntil: [String: Int]) -> Day {
        var d = application.dayWithNursesOut(keptUntil: keptUntil)
        for r in d.requests.indices where !(r < frozen.count && frozen[r]) { d.requests[r].fixed = fixedNow[r] }
        return d
    }

    /// Resolves the applied day again (after nurses are kept or promises given up) and moves
    /// the handovers to its nurse indices (a nurse kept longer may be back on it, which moves
    /// the indices of those after it).
    mutating func resolveAgain() throws {
        newDay = try Replanner.resolve(Self.appliedDay(application, frozen: frozen, fixedNow: fixedNow, keptUntil: keptUntil),
                                       application: application, files: files)
        for r in Array(handovers.keys) {
            handovers[r] = newDay.nurseIndex[oldDay.nurses[oldPlan[r]!.nurse].id].map { Handover(nurse: $0, at: now) }
        }
    }

    /// Whether frozen request `r`'s nurse goes out before the patient is done.
    func mustHandOver(_ r: Int) -> Bool {
        let o = oldPlan[r]!
        return application.nurseOut[oldDay.nurses[o.nurse].id].map { oldDay.end(of: o) > $0 } ?? false
    }

    /// Step 1: frozen patients stay; a nurse who goes out hands over; when no one can take a
    /// patient, the nurse stays until that patient is done (alert handoverOverload). Those who
    /// stay with their nurse go first, so that a handover never takes what they hold.
    mutating func placeFrozen() throws {
        frozenOrder = oldPlan.indices.filter { frozen[$0] && ended[oldDay.requests[$0].id] == nil }
            .sorted { (mustHandOver($0) ? 1 : 0, oldPlan[$0]!.start, $0) < (mustHandOver($1) ? 1 : 0, oldPlan[$1]!.start, $1) }
        for r in frozenOrder {
            let o = oldPlan[r]!
            let oldNurse = oldDay.nurses[o.nurse].id
            var p = o
            let outAt = application.nurseOut[oldNurse]
            if !mustHandOver(r), let n = newDay.nurseIndex[oldNurse] {
                p.nurse = n
                try placeFrozen(p, handover: nil)
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
        if !keptUntil.isEmpty {
            // Replay the same choices on the day where those nurses stay longer.
            try resolveAgain()
            state = DayState(day: newDay)
            for r in frozenOrder {
                var p = oldPlan[r]!
                p.nurse = newDay.nurseIndex[nurseChoice[r]!]!
                try placeFrozen(p, handover: handovers[r])
            }
        }
    }

    /// Places a frozen appointment, which must still fit (a library bug otherwise).
    private mutating func placeFrozen(_ p: Placement, handover: Handover?) throws {
        guard state.canPlace(p, handover: handover) else {
            let why = state.problem(with: p, handover: handover) ?? ""
            throw SchedulingError.invalidSchedule(method: "replan", violations: ["\(oldDay.requests[p.request].id): frozen appointment no longer fits: \(why)"])
        }
        state.place(p, handover: handover)
    }

    var count: Int { newDay.requests.count }

    /// What leaving `r` out costs: the unscheduled penalty.
    func penalty(_ r: Int) -> Double { newDay.weights.unscheduledPenalty * newDay.requests[r].weight }

    /// What breaking the promise of `r` weighs in the search (not in the reported objective):
    /// more than anything a move can save, so that a promise is broken only when it must be.
    func promiseWeight(_ r: Int) -> Double { r < promised.count && promised[r] != nil ? Replanner.promiseWeight : 0 }

    /// Step 2: the previous plan in the new day's indices; every other appointment that still
    /// holds stays, the broken ones go to their cheapest position or are dropped.
    mutating func keepWhatHolds() {
        old = [Placement?](repeating: nil, count: count)
        prepLocked = [Bool](repeating: false, count: count)
        for r in oldPlan.indices {
            guard var p = oldPlan[r] else { continue }
            p.nurse = newDay.nurseIndex[oldDay.nurses[p.nurse].id] ?? -1
            old[r] = p
            prepLocked[r] = !frozen[r] && (p.prepStart.map { $0 < now } ?? false)
        }
        let weights = events.objective
        search = repairSearch(changePenalty: weights?.changePenalty ?? 50, shiftPerMinute: weights?.shiftPerMinute ?? 1)
        isEnded = [Bool](repeating: false, count: count)
        for r in 0..<count where ended[newDay.requests[r].id] != nil { isEnded[r] = true }
        for r in oldPlan.indices where isEnded[r] {
            // What is already under way for them keeps its compounder and station.
            guard let o = oldPlan[r] else { continue }
            if let prep = o.prepStart, let k = o.compounder, prep < now {
                search.ghostPreps.append((k, prep..<(prep + oldDay.regimen(of: r).prepMinutes)))
            }
            if let d = o.drawStart, let s = o.station, d < now { search.ghostDraws.append((s, d..<(d + oldDay.drawMinutes))) }
        }

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
        for r in broken {
            // Leaving a planned patient out costs the change and (when reachable) the penalty.
            if let (p, cost) = search.cheapest(r, in: state), cost < penalty(r) + search.changePenalty + promiseWeight(r) {
                state.place(p)
            } else if prepLocked[r], let o = old[r], let prep = o.prepStart, let k = o.compounder {
                search.ghostPreps.append((k, prep..<(prep + newDay.regimen(of: r).prepMinutes)))
            }
        }
    }

    /// The repair search on the current ``newDay``.
    private func repairSearch(changePenalty: Double, shiftPerMinute: Double) -> RepairSearch {
        var outFrom = [Int?](repeating: nil, count: newDay.nurses.count)
        for (id, from) in application.nurseOut { if let n = newDay.nurseIndex[id] { outFrom[n] = from } }
        return RepairSearch(day: newDay, now: now, earliestArrival: now + options.noticeMinutes, old: old,
                            prepLocked: prepLocked, outFrom: outFrom, changePenalty: changePenalty, shiftPerMinute: shiftPerMinute)
    }

    /// Fixed bookings not frozen, not ended and not placed.
    private func unkeptPromises() -> [Int] {
        (0..<min(count, promised.count)).filter {
            promised[$0] != nil && !isFrozenOld($0) && !isEnded[$0] && state.placements[$0] == nil
                && newDay.requests[$0].authorizationProblem == nil
        }
    }

    /// Step 3: promises still not kept. Try hard (move the patients in the way who were not
    /// promised a time), then give up the pins but keep the start, then the start; each step
    /// that gives something up rebuilds the day and the state (every placement held still fits:
    /// the day only lost rules). What is given up is reported by the alert fixedBookingBroken.
    mutating func keepPromises() throws {
        let frozen = frozen, prepLocked = prepLocked
        let maySupportPromise = { (r: Int) -> Bool in !(r < frozen.count && frozen[r]) && !prepLocked[r] }
        for stage in 0..<3 {
            for r in unkeptPromises() {
                if let (p, _) = search.cheapest(r, in: state) { state.place(p); continue }
                _ = search.placeByClearing(r, in: &state, movable: maySupportPromise)
            }
            var left = unkeptPromises()
            // Before anything is given up: the exact decision over the promises.
            if stage == 0, !left.isEmpty, !stopped {
                let gained = keepPromisesExactly(left)
                if gained > 0 { exactPromises += gained; left = unkeptPromises() }
            }
            guard !left.isEmpty, stage < 2 else { break }
            for r in left {
                if stage == 0, let f = fixedNow[r], f.chair != nil || f.nurse != nil {
                    fixedNow[r] = FixedBooking(start: f.start)
                } else {
                    fixedNow[r] = nil
                }
            }
            relaxations += left.count
            try resolveAgain()
            var rebuilt = DayState(day: newDay)
            for p in state.placedList { rebuilt.place(p, handover: handovers[p.request]) }
            state = rebuilt
            var again = repairSearch(changePenalty: search.changePenalty, shiftPerMinute: search.shiftPerMinute)
            again.ghostPreps = search.ghostPreps
            again.ghostDraws = search.ghostDraws
            search = again
        }
    }

    /// What leaving `r` out costs in the backfill: the penalty, the change, the promise.
    func leave(_ r: Int) -> Double { penalty(r) + (old[r] != nil ? search.changePenalty : 0) + promiseWeight(r) }

    /// Step 4: which requests can still be reached with the notice (SPEC §7 admissibility; each
    /// judged alone, so one reading serves the backfill, the program and the reasons); then
    /// add-ons, waitlisted and dropped requests into what is free, heaviest first, and room
    /// made by moving one appointment while the time allows — neither a frozen one nor one
    /// whose prep already began (it has nowhere else to go). Without events nothing was
    /// freed: the plan comes back as it was, not reopened for its own sake.
    mutating func backfill() throws {
        reach = try Replanner.reachability(of: newDay, frozen: frozen, isEnded: isEnded, prepLocked: prepLocked,
                                           old: old, now: now, earliestArrival: now + options.noticeMinutes)
        let backfill = events.events.isEmpty ? [] : (0..<count).filter { state.placements[$0] == nil && !isEnded[$0] && reach[$0] == nil }
            .sorted { (-newDay.requests[$0].weight, $0) < (-newDay.requests[$1].weight, $1) }
        for r in backfill {
            if let (p, cost) = search.cheapest(r, in: state), cost < leave(r) { state.place(p) }
        }
        let frozen = frozen, prepLocked = prepLocked
        for r in backfill where state.placements[r] == nil {
            guard clock.now < deadline, !stopped else { break }
            if search.insertByMovingOne(r, in: &state, leave: leave(r), movable: { !(($0 < frozen.count && frozen[$0]) || prepLocked[$0]) }) {
                madeRoom += 1
            }
        }
    }

    /// Step 5, unless the method is greedy: the integer program, around what the events or the
    /// repair changed and every request still out, from the repaired plan.
    mutating func improve() {
        repaired = state
        guard options.method != .greedy, !events.events.isEmpty, clock.now < deadline, !stopped else { return }
        let movable = (0..<count).map { !isFrozenOld($0) && !isEnded[$0] }
        let penalised = (0..<count).map { movable[$0] && reach[$0] == nil && newDay.isAdmissible($0) }
        let rules = ScheduleFormulation.ReplanRules(
            now: now, earliestArrival: now + options.noticeMinutes, old: old, prepLocked: prepLocked, nurseLatestEnd: search.outFrom,
            reservedPreps: search.ghostPreps.map(\.range), reservedDraws: search.ghostDraws.map(\.range),
            changePenalty: search.changePenalty, shiftPerMinute: search.shiftPerMinute, penalised: penalised)
        let seeds = (0..<count).filter { r in
            movable[r] && (state.placements[r] != old[r] || (state.placements[r] == nil && penalised[r]))
        }
        var mip = ReplanImprovement(day: newDay, rules: rules, repair: search, movable: movable,
                                    placeable: (0..<count).map { !isEnded[$0] }, seeds: seeds,
                                    promised: (0..<count).map { $0 < promised.count && promised[$0] != nil && movable[$0] })
        mip.handovers = handovers
        mip.control = control
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

    /// Step 6: the schedule, checked; the program's plan is withheld when it breaks a rule its
    /// checks missed (the repair answers instead), and a plan that still breaks one is a bug.
    mutating func result() throws -> ReplanResult {
        var (result, changes, breaks) = finish(state)
        var withheld = false
        if !breaks.isEmpty, let improvement, improvement.improvements > 0, let repaired {
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
            result.solver = SolverReport(method: .mip, status: improvement.optimal ? .optimal : stopped ? .stopped : .feasible,
                                         bound: total, gap: total.map { _ in 0 }, seconds: elapsed)
        } else {
            // `fallback` says the program failed or its plan was withheld; a program with nothing
            // to free (no round) leaves the repair as the answer, which is no alarm.
            let fellBack = improvement.map { $0.failure != nil || withheld } ?? false
            result.solver = SolverReport(method: .greedy, status: fellBack ? .fallback : stopped ? .stopped : .feasible, seconds: elapsed)
        }

        var notes: [String] = []
        if let improvement {
            notes.append("integer program: \(improvement.rounds) neighbourhood(s), \(improvement.improvements) improvement(s)"
                         + (improvement.optimal ? ", proven optimal" : "") + (improvement.failure.map { "; \($0)" } ?? "")
                         + (withheld ? "; its plan broke a rule and was withheld, the repair answers" : ""))
        }
        notes.append("\(frozenOrder.count) frozen, \(broken.count) broken by the events, \(madeRoom) placed by moving another, \(changes.count) change(s)")
        let brokenCount = result.alerts.filter { $0.kind == .fixedBookingBroken }.count
        if exactPromises > 0 {
            notes.append("the fixed-bookings decision placed \(exactPromises) promise(s) the repair search could not keep")
        }
        if brokenCount > 0 || relaxations > 0 {
            notes.append("\(brokenCount) fixed booking(s) broken (alert fixedBookingBroken)")
        }
        return ReplanResult(schedule: result, day: newDay.day, placements: state.placedList,
                            frozen: frozenOrder.sorted().map { oldDay.requests[$0].id }, notes: notes)
    }
}
