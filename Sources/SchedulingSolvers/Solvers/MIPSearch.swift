import SchedulingModel
import SchedulingRules
import MIPKit

/// One run of ``MIPScheduler/solve(incumbent:)``: the clock and its deadlines, the best schedule
/// so far, the bound and the notes of the outcome, with each phase of the search a method
/// (docs/MODEL.md §6).
final class MIPSearch {
    /// What a round of the improvement search tells its loop.
    private enum RoundEnd { case next, stop, optimal }

    private let day: ResolvedDay
    private let options: MIPOptions
    private let scheduler: MIPScheduler
    private let admissible: [Bool]
    /// Requests a program may place: admissible ones and fixed bookings.
    private let candidates: [Int]

    private let began: ContinuousClock.Instant
    /// The real cap: the time limit.
    private let cap: ContinuousClock.Instant
    /// Every phase reads `clock`: the wall clock, or the work clock of a deterministic solve,
    /// whose budget is the work asked for (the time limit stays the real cap).
    private let clock: SearchClock
    /// Seconds of the budget on `clock`.
    private let budget: Double
    private let deadline: ContinuousClock.Instant
    /// `deadline` less a little time kept back for assignment, checks and the answer itself.
    private let solverDeadline: ContinuousClock.Instant
    /// Stop once the gap is this small: the requested one, else half a percent.
    private let goal: Double
    /// Whether the day has as many compounders and stations as requests, so that the whole exact
    /// program's candidate draws and preps lose nothing.
    private let lossless: Bool

    private var notes: [String] = []
    /// Proven lower bound on every valid schedule of the day.
    private var bound: Double?
    /// The best valid schedule so far, and the programs solved from it.
    private let search: NeighbourhoodSearch<SolvePlans>
    /// Best valid schedule so far.
    private var best: [Placement]? { search.best }
    private var bestCost: Double { search.bestCost }
    /// Whether `best` came from a solver rather than the incumbent.
    private var fromSolver = false

    /// The relaxation's LP and the guided program, on their own thread.
    private var guided: GuidedSearch?
    /// With counted work, when the guided search's schedules are taken.
    private var exchange: ContinuousClock.Instant?
    /// Generation of the last schedule of the guided search taken.
    private var guidedTaken = 0
    private var guidedNoted = false
    private var exchanged = false
    /// A GLPK error on the guided search's thread.
    private var guidedFailure: GLPKFailure?
    /// The GLPK error that ended the search, on either thread: every phase then ends, and the
    /// outcome is `failed` with it (the caller throws it, docs/ARCHITECTURE.md "GLPK errors").
    private var failure: GLPKFailure? { search.failure ?? guidedFailure }

    /// Request → start → its own cost there, from the bound relaxation.
    private var startCosts: [Int: [Int: Double]] = [:]
    /// Size of the bound relaxation: tells a small day.
    private var relaxationColumns: Int?
    /// Every request at its own cheapest choice.
    private var separable: Double?

    private var ruin: RuinAndRecreate?
    private var ruinRandom = SeededRandom(seed: 0x2A1E)
    private var wholeDayRuns = 0

    // The improvement search's rounds, adapted as they go.
    private var rng = SeededRandom(seed: 0x5EED_1F05)
    /// Time of one round.
    private let slice: Duration
    private var round = 0
    /// Requests a frozen round frees.
    private var size: Int
    /// Core of the reassignment rounds, adapted like `size`.
    private var coreSize = 8
    /// Requests of their band that may change nurse and chair, adapted too.
    private var bandSize = 30
    /// Rounds of the frozen kinds, which cycle through their kinds.
    private var frozenRound = 0
    /// Starts of the last excess-fixed program tried.
    private var fixingTried: Int?

    /// Sets up the search; an incumbent that breaks a hard constraint is noted and ignored.
    init(_ scheduler: MIPScheduler, incumbent: [Placement]?) {
        let day = scheduler.day, options = scheduler.options
        self.day = day; self.options = options; self.scheduler = scheduler
        began = ContinuousClock.now
        let limit = options.timeLimit.isNaN ? 0 : max(0, min(options.timeLimit, 1e7))
        cap = began + .milliseconds(Int64(limit * 1000))
        clock = SearchClock(pace: options.pace, began: began, cap: cap, stop: scheduler.stop)
        budget = clock.counted ? MIPScheduler.workBudget(options.work, timeLimit: limit) : limit
        deadline = began + .milliseconds(Int64(budget * 1000))
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        self.admissible = admissible
        var start = incumbent
        if let given = incumbent, let problem = Validator.violations(of: given, day: day).first?.description {
            notes.append("the incumbent was ignored: \(problem)")
            start = nil
        }
        solverDeadline = deadline - Duration.milliseconds(Int64(min(500, budget * 100)))
        search = NeighbourhoodSearch(day: day, problem: SolvePlans(day: day, admissible: admissible, clock: clock),
                                     admissible: admissible, clock: clock, start: start)
        goal = options.relativeGap ?? 0.005
        lossless = day.stations >= day.requests.count && day.compounders >= day.requests.count
        candidates = day.requests.indices.filter { admissible[$0] || day.requests[$0].fixedStart != nil }
        // A day small enough to be one neighbourhood is solved whole, to a proven optimum.
        size = min(candidates.count, 8)
        slice = Duration.milliseconds(Int64(1000 * max(0.25, min(1, budget * 0.03))))
    }

    /// Runs every phase until the time is up or the gap is closed.
    func run() -> MIPOutcome {
        if let outcome = solveLossless() { return outcome }
        if failure != nil { return finish(nil) }
        startBound()
        // 2c. Ruin and recreate: thousands of quick moves without a solver, which repack many
        //     chairs and nurses at once; the exact neighbourhoods then polish what it leaves.
        ruin = best == nil ? nil : RuinAndRecreate(day: day, admissible: admissible)
        if ruinAndRecreate(moves: MIPScheduler.ruinMovesPerRequest * candidates.count, share: MIPScheduler.ruinShare) {
            notes.append("ruin and recreate improved the start")
        }
        wholeDay(share: MIPScheduler.wholeDayShare)
        if closed(), size < candidates.count { return finish(nil) }
        return improve()
    }

    private func elapsed() -> Double { SearchClock.seconds(ContinuousClock.now - began) }
    private func seconds(_ d: Duration) -> Double { SearchClock.seconds(d) }
    private func cost(_ placements: [Placement]) -> Double { search.problem.cost(of: placements) }

    /// Keeps `placements` when valid and strictly better than the best so far.
    @discardableResult
    private func consider(_ placements: [Placement]) -> Bool {
        switch search.problem.check(placements) {
        case .failure(let rejection):
            notes.append(rejection.description)
            return false
        case .success(let valid):
            guard search.offer(valid) else { return false }
            improved()
            return true
        }
    }

    /// Notes that the best schedule now comes from a search, and says so to the caller.
    private func improved() {
        fromSolver = true
        progressed()
    }

    /// Tells the caller of the best objective and bound so far.
    private func progressed() {
        guard let progress = scheduler.progress, best != nil else { return }
        progress(bestCost, bound.map { min($0, bestCost) })
    }

    /// Raises the proven bound to `b` when that is higher, and says so.
    private func raiseBound(_ b: Double) {
        guard b > (bound ?? -.infinity) else { return }
        bound = b
        progressed()
    }

    /// Solves a program from the best schedule and takes its answer (see
    /// ``NeighbourhoodSearch/solve(_:freed:until:relativeGap:ties:)``); nil when it was not solved.
    private func solve(_ f: ScheduleFormulation, freed: Set<Int>? = nil, until end: ContinuousClock.Instant,
                       relativeGap: Double? = nil, ties: Bool = false) -> NeighbourhoodSearch<SolvePlans>.Answer? {
        let answer = search.solve(f, freed: freed, until: end, relativeGap: relativeGap, ties: ties)
        if let rejection = answer?.rejection { notes.append(rejection.description) }
        if answer?.kept == true { improved() }
        return answer
    }

    /// Takes what the guided search has found so far: its bound, and each new schedule of it.
    private func absorb(_ findings: GuidedSearch.Findings) {
        if let b = findings.bound { raiseBound(b) }
        if let failed = findings.failure, guidedFailure == nil { guidedFailure = failed }
        if findings.generation > guidedTaken, let placements = findings.placements {
            guidedTaken = findings.generation
            consider(placements)
        }
        if !guidedNoted, findings.finished, let note = findings.note {
            guidedNoted = true
            notes.append(findings.placements == nil ? note : note + ", best \(bestCost)")
        }
    }

    /// The outcome: the best schedule, its status and the bound (`proven`: a status a solver proved).
    private func finish(_ proven: MIPStatus?) -> MIPOutcome {
        // A stopped solve does not wait for the second thread: an LP it is solving cannot be
        // interrupted, so it ends on its own and what it finds after now is dropped.
        if let guided {
            if failure != nil { guided.abandon() }
            absorb(guided.finish(by: clock.stopped || failure != nil ? .now : clock.counted ? cap : deadline))
        }
        if clock.stopped { notes.append("stopped on request: the best schedule found by then") }
        if clock.counted, clock.capReached, !clock.stopped {
            notes.append("the time limit cut the deterministic search before its counted work was done: another run may differ")
        }
        var status: MIPStatus = proven ?? (best == nil ? .noSolution : .feasible)
        var reported = bound
        if status == .optimal, best != nil { reported = bestCost }
        if let b = reported, best != nil { reported = min(b, bestCost) }
        if status == .optimal, best == nil { status = .noSolution }
        if let failure { status = .failed(failure.description) }
        if let b = reported, best != nil, status != .optimal, bestCost - b <= 1e-9 * max(1, abs(bestCost)) { status = .optimal }
        return MIPOutcome(placements: best, status: status, bound: reported, objective: best == nil ? nil : bestCost,
                          seconds: elapsed(), repairNote: notes.isEmpty ? nil : notes.joined(separator: "; "),
                          usedIncumbent: best != nil && !fromSolver, failure: failure)
    }

    /// Whether an objective `c` is within the goal of a bound `b`.
    private func meetsGoal(_ c: Double, bound b: Double) -> Bool { c - b <= goal * max(1, abs(c)) + 1e-9 }

    /// Whether the search is over: the best schedule is within the goal of the bound (or a GLPK
    /// error ended the search).
    private func closed() -> Bool {
        if failure != nil { return true }
        guard let b = bound, best != nil else { return false }
        return meetsGoal(bestCost, bound: b)
    }

    /// 1. Small days: the exact per-nurse program in one piece. With as many compounders and
    ///    stations as requests its candidate draws and preps lose nothing, so its bound holds
    ///    for the day; otherwise a proven optimum is an optimum of the restricted model.
    ///    Returns the outcome when that settles the day.
    private func solveLossless() -> MIPOutcome? {
        let wholeShare = lossless ? 0.6 : 0
        guard wholeShare > 0, clock.now < solverDeadline else { return nil }
        let end = clock.now + (solverDeadline - clock.now) * wholeShare
        let f = clock.program(until: end) {
            ScheduleFormulation.wholeDay(day, nurses: .perNurse, hints: best ?? [], admissible: admissible, deadline: $0)
        }
        if f.interrupted {
            notes.append("the time ran out while building the model")
            return nil
        }
        guard let result = solve(f, until: end, relativeGap: options.relativeGap) else { return nil }
        if case .failed = result.status { return finish(result.status) }
        if result.status == .optimal, let o = result.objective, bestCost <= o + 1e-6 { return finish(.optimal) }
        if result.status == .noSolution, !result.answered, clock.now < end, best == nil {
            return finish(.noSolution)   // proven infeasible: conflicting fixed bookings
        }
        if lossless, let b = result.bound { raiseBound(b) }
        if lossless, closed() { return finish(nil) }
        return nil
    }

    /// 2. The bound: the relaxation with nurses pooled by shift and neither compounders nor
    ///    stations, which is a lower bound for every valid schedule of the day.
    private func startBound() {
        guard failure == nil else { return }
        if best == nil, clock.now < solverDeadline, let greedy = try? GreedyScheduler(day: day, deadline: cap).schedule() {
            // No incumbent given: the search starts from the greedy schedule.
            if consider(greedy) { notes.append("started from the greedy schedule") }
        }
        guard !lossless, clock.now < solverDeadline else { return }
        let from = clock.now
        let end = from + (solverDeadline - from) * MIPScheduler.boundShare
        let r = clock.program(until: end) {
            ScheduleFormulation.boundRelaxation(day, hints: best ?? [], admissible: admissible, deadline: $0)
        }
        if r.interrupted {
            notes.append("the time ran out while building the bound")
            return
        }
        // The cheapest choice of every request bounds every schedule; the relaxation's LP
        // bounds it better and guides the guided program, on a thread of their own.
        let separable = r.separableBound()
        self.separable = separable
        relaxationColumns = r.program.variables.count
        raiseBound(separable)
        startCosts = r.startCosts()
        if clock.now < solverDeadline {
            // With counted work this thread takes the other's schedules at one fixed point
            // of its work, `exchange`, when the other's schedule-making phases end too.
            exchange = clock.now + (solverDeadline - clock.now) * MIPScheduler.exchangeShare
            guided = GuidedSearch(day: day, admissible: admissible, relaxation: r, start: best ?? [],
                                  lpDeadline: clock.now + (solverDeadline - clock.now) * MIPScheduler.relaxationShare,
                                  deadline: solverDeadline, clock: clock.fork(), exchange: exchange)
        }
    }

    /// Runs ruin and recreate from the best schedule, for `moves` moves or `share` of the time
    /// left, and keeps what it finds when that is better.
    private func ruinAndRecreate(moves: Int, share: Double) -> Bool {
        guard let ruin, let current = best, !closed(), clock.now < solverDeadline else { return false }
        let end = clock.now + (solverDeadline - clock.now) * share
        // On the wall clock it gives way as soon as the guided search has a new schedule that
        // closes the gap; with counted work it makes the moves that fit before `end`.
        var looked = guidedTaken
        func guidedCloses() -> Bool {
            if clock.stopped { return true }
            guard !clock.counted, let findings = guided?.poll(), findings.generation > looked,
                  let placements = findings.placements else { return false }
            looked = findings.generation
            return meetsGoal(cost(placements), bound: max(bound ?? -.infinity, findings.bound ?? -.infinity))
        }
        let each = SearchClock.ruinMove(requests: day.requests.count)
        let count = min(moves, clock.allowance(until: end, each: each) ?? moves)
        let improved = consider(ruin.improve(current, moves: count, until: clock.realDeadline(end), target: bound ?? -.infinity,
                                             rng: &ruinRandom, interrupt: guidedCloses))
        clock.charge(Double(count) * each)
        if let guided, !clock.counted { absorb(guided.poll()) }
        return improved
    }

    /// 2d. On a small day, the whole exact program from the best schedule, for a share of the
    ///     time left: the one search that repacks every chair and nurse at once. Ruin and
    ///     recreate and the neighbourhoods move a few requests; on a nearly full day a request
    ///     left out may need most of the day repacked to get in (docs/MODEL.md §6.2). Its
    ///     optimum is not the day's (its candidate draws and preps are a restriction, which
    ///     the lossless case avoids), so it only proposes schedules.
    private func wholeDay(share: Double) {
        guard wholeDayFits, let current = best, !closed(), clock.now < solverDeadline else { return }
        guard let outcome = solveWholeDay(from: current, until: clock.now + (solverDeadline - clock.now) * share) else { return }
        wholeDayRuns += 1
        notes.append("whole-day program \(wholeDayRuns): \(outcome)")
    }

    /// Whether the day gets whole-day programs: a small day (its bound relaxation at most
    /// ``MIPScheduler/wholeDayColumns`` columns) whose pharmacy and lab are not lossless.
    private var wholeDayFits: Bool {
        !lossless && (relaxationColumns.map { $0 <= MIPScheduler.wholeDayColumns } ?? false)
    }

    /// The whole exact program from `current`, built and solved by `end`: "N columns, status"
    /// (and ", improved to C" when it found a better schedule); nil when it was not built or
    /// solved in time.
    private func solveWholeDay(from current: [Placement], until end: ContinuousClock.Instant) -> String? {
        let f = clock.program(until: end) {
            ScheduleFormulation.wholeDay(day, nurses: .perNurse, hints: current, admissible: admissible, deadline: $0)
        }
        guard !f.interrupted else { return nil }
        let before = bestCost
        guard let result = solve(f, until: end) else { return nil }
        return "\(f.program.variables.count) columns, \(result.status)" + (bestCost < before - 1e-9 ? ", improved to \(bestCost)" : "")
    }

    /// With counted work, when the best schedule still leaves an admissible request out on a small
    /// day: one more whole-day program from it, with half the work again (the default work is
    /// half the time limit, so this stays within the limit on the reference machine). A patient
    /// left out is a claim that there is no room; the whole program is the one search that
    /// repacks enough to test it.
    private func lastChanceForTheLeftOut() {
        guard clock.counted, !clock.stopped, !clock.capReached, wholeDayFits, let current = best else { return }
        let placed = Set(current.map(\.request))
        guard admissible.indices.contains(where: { admissible[$0] && !placed.contains($0) }) else { return }
        guard let outcome = solveWholeDay(from: current, until: clock.now + .milliseconds(Int64(budget * 500))) else { return }
        notes.append("a request was left out: one more whole-day program, \(outcome)")
    }

    /// With counted work, the one point where the guided search's schedules are taken: the first
    /// time this thread's work clock passes `exchange`, waiting for them if need be.
    private func exchangeIfDue() {
        guard clock.counted, !exchanged, let guided, let exchange, clock.now >= exchange else { return }
        exchanged = true
        absorb(guided.waitForSchedules(by: cap))
    }

    /// 3. Improvement search: free a neighbourhood of the best schedule, freeze the rest, solve
    ///    that small exact program, keep what is better; until the time is up or the gap closed.
    private func improve() -> MIPOutcome {
        let secondRuin = clock.now + (solverDeadline - clock.now) * 0.5
        var ruinedAgain = false
        while clock.now < solverDeadline, !clock.capReached, let current = best, !closed() || (round == 0 && size >= candidates.count) {
            if let guided, !clock.counted {
                absorb(guided.poll())
                if closed() { break }
            }
            exchangeIfDue()
            if closed() { break }
            // Halfway, ruin and recreate again from the best schedule the exact rounds made: their
            // exact choices of nurse, chair, prep and draw open moves its heuristic choices did not.
            if !ruinedAgain, clock.now >= secondRuin {
                ruinedAgain = true
                if ruinAndRecreate(moves: MIPScheduler.ruinMovesPerRequest * candidates.count / 2, share: 0.5) {
                    notes.append("the second ruin and recreate improved the schedule")
                }
                // From the schedule the rounds and this search made, the whole-day program again.
                wholeDay(share: MIPScheduler.wholeDayShare)
                continue
            }
            let end = gapProgram(keeping: current) ?? neighbourhoodRound(from: current)
            if end == .optimal { return finish(.optimal) }
            if end == .stop { break }
        }
        if round > 0 { notes.append("improvement search: \(round) neighbourhoods") }
        lastChanceForTheLeftOut()
        return finish(nil)
    }

    /// When few starts are left within the gap, the program of those starts holds every better
    /// schedule: solving it proves the best one optimal or finds a better one. Nil when it is
    /// not tried (or not built in time).
    private func gapProgram(keeping current: [Placement]) -> RoundEnd? {
        guard let separable, !startCosts.isEmpty else { return nil }
        let sets = MIPScheduler.excessStarts(startCosts, below: bestCost - separable, keeping: current, candidates: candidates)
        let count = sets.values.reduce(0) { $0 + $1.count }
        guard count <= MIPScheduler.fixingStartsPerRequest * candidates.count, fixingTried.map({ count < $0 * 7 / 10 }) ?? true else {
            return nil
        }
        fixingTried = count
        let end = clock.now + (solverDeadline - clock.now) * 0.6
        let f = clock.program(until: end) {
            ScheduleFormulation.limitedStarts(day, starts: sets, hints: current, admissible: admissible, deadline: $0)
        }
        guard !f.interrupted else { return nil }
        guard let result = solve(f, until: end) else { return nil }
        notes.append("gap program: \(count) starts, \(result.status)")
        if result.status == .optimal, let o = result.objective, bestCost <= o + 1e-6 { return .optimal }
        return .next
    }

    /// One neighbourhood of the improvement search, solved from `current`; the neighbourhoods
    /// grow while they are solved quickly and shrink when they time out.
    private func neighbourhoodRound(from current: [Placement]) -> RoundEnd {
        let whole = size >= candidates.count
        // Every other round (unless the day is one neighbourhood) reassigns nurses and chairs of
        // everyone and moves a core around a costly request; the others free a few requests.
        let reassigning = !whole && round % 2 == 0
        round += 1
        let end = min(solverDeadline, clock.now + slice)
        let neighbourhood: Neighbourhood
        if reassigning {
            let plan = scheduler.reassignment(of: current, size: coreSize, bandSize: bandSize, admissible: admissible,
                                              startCosts: startCosts, rng: &rng)
            neighbourhood = Neighbourhood(freed: plan.freed, draws: 1, startWindows: plan.startWindows, startSets: plan.startSets)
        } else {
            let freed = whole ? Set(candidates)
                : scheduler.neighbourhood(of: current, size: size, round: frozenRound, admissible: admissible,
                                          startCosts: startCosts, rng: &rng)
            // Rounds not built around a costly request move placed requests by at most three hours.
            var windows: [Int: ClosedRange<Int>] = [:]
            if frozenRound % 2 == 0, !whole {
                for p in current where freed.contains(p.request) && day.requests[p.request].fixedStart == nil {
                    windows[p.request] = (p.start - MIPScheduler.bandShift)...(p.start + MIPScheduler.bandShift)
                }
            }
            frozenRound += 1
            // Neighbourhoods try only the latest draw (and the current one), which keeps them small;
            // the whole program keeps every candidate draw.
            neighbourhood = Neighbourhood(freed: freed, draws: whole ? ScheduleFormulation.drawAlternatives : 1, startWindows: windows)
        }
        let f = search.program(neighbourhood, until: end)
        guard !f.interrupted else { return .stop }
        guard let result = solve(f, freed: neighbourhood.freed, until: end, ties: true) else { return .next }
        let quick = result.status == .optimal && result.seconds < 0.4 * seconds(slice)
        if reassigning {
            if quick {
                coreSize = min(candidates.count, coreSize + 2); bandSize = min(candidates.count, bandSize + 4)
            } else if result.status != .optimal {
                coreSize = max(2, coreSize - 2); bandSize = max(10, bandSize * 4 / 5)
            }
        } else if quick {
            size = min(candidates.count, size + 2)
        } else if result.status != .optimal {
            size = max(4, size - 2)
        }
        if whole, result.status == .optimal, let o = result.objective, bestCost <= o + 1e-6 { return .optimal }
        return .next
    }
}

/// The plans of a solve: schedules of the day, checked against every hard rule and priced by
/// the day's objective (SPEC §2, §3). With counted work, each check is charged to the clock.
struct SolvePlans: NeighbourhoodProblem {
    let day: ResolvedDay
    let admissible: [Bool]
    let clock: SearchClock

    func placements(of plan: [Placement]) -> [Placement] { plan }

    func cost(of plan: [Placement]) -> Double { day.objective(of: plan, admissible: admissible).total }

    /// The chairs, nurses, compounders and stations of the answer's groups, then ``check(_:)``.
    func plan(from visits: [ScheduleFormulation.PlannedVisit], of formulation: ScheduleFormulation, freed: Set<Int>?,
              best: [Placement]?) -> Result<[Placement], NeighbourhoodSearch<SolvePlans>.Rejection> {
        clock.charge(SearchClock.checking(placements: day.requests.count))
        switch ResourceAssignment.assign(visits, formulation: formulation) {
        case .success(let placements): return check(placements)
        case .failure(let failure): return .failure(.init("resource assignment failed (\(failure.description))"))
        }
    }

    /// The schedule when it keeps every hard rule; else the first rule it breaks.
    func check(_ placements: [Placement]) -> Result<[Placement], NeighbourhoodSearch<SolvePlans>.Rejection> {
        clock.charge(SearchClock.checking(placements: placements.count))
        if let problem = Validator.violations(of: placements, day: day).first?.description {
            return .failure(.init("a plan broke a rule and was discarded (\(problem))"))
        }
        return .success(placements)
    }
}
