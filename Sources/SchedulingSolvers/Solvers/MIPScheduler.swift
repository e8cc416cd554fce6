import SchedulingModel
import SchedulingRules
import MIPKit

/// Options of the integer-program scheduler.
public struct MIPOptions: Sendable, Hashable {
    /// Seconds for the whole solve, building the model included.
    public var timeLimit: Double
    /// Stop once `(incumbent - bound) / |incumbent|` is at most this; nil proves optimality.
    public var relativeGap: Double?
    /// What paces the search: the wall clock, or counted work (docs/MODEL.md §11).
    public var pace: SearchPace
    /// With counted work, how much: reference seconds (the time it takes on the reference machine);
    /// nil gives ``SolveOptions/defaultWorkShare`` of the time limit. The time limit stays a cap.
    public var work: Double?

    /// Creates options; the default is the command line's 30 seconds, a proven optimum and the wall clock.
    public init(timeLimit: Double = 30, relativeGap: Double? = nil, pace: SearchPace = .clock, work: Double? = nil) {
        self.timeLimit = timeLimit; self.relativeGap = relativeGap; self.pace = pace; self.work = work
    }
}

/// The result of ``MIPScheduler/solve(incumbent:)``.
public struct MIPOutcome: Sendable {
    /// The schedule, valid under SPEC §2; nil only when nothing was found and no incumbent was given.
    public var placements: [Placement]?
    /// How the solve ended.
    public var status: MIPStatus
    /// Proven lower bound on the objective of the model, when one was proven.
    public var bound: Double?
    /// Objective (SPEC §3) of `placements`, as ``SchedulingModel/ResolvedDay/objective(of:exempt:admissible:)`` computes it.
    public var objective: Double?
    /// Wall-clock seconds the solve took.
    public var seconds: Double
    /// How the result was reached when not straight from the solver: repairs, an ignored
    /// incumbent, time running out; nil otherwise. Holds only counts, never request content.
    public var repairNote: String?
    /// Whether `placements` is the incumbent given to ``MIPScheduler/solve(incumbent:)``, unchanged.
    public var usedIncumbent: Bool

    /// `(objective - bound) / max(1, |objective|)`, or nil without both.
    public var gap: Double? {
        guard let objective, let bound else { return nil }
        return max(0, objective - bound) / max(1, abs(objective))
    }
}

/// Schedules a day with integer programs solved by GLPK (docs/MODEL.md).
///
/// Small days first get the whole exact program. Otherwise a relaxation (nurses pooled by
/// shift, no compounder or station capacity) gives a lower bound valid for every schedule of
/// the day — its LP, or on large days its Lagrangian bound, on a second thread (`GuidedSearch`),
/// which also searches from the LP's solution or the Lagrangian prices — and the best schedule
/// is improved by a ruin-and-recreate search without a solver (`RuinAndRecreate`) and by a
/// large-neighbourhood search that frees a few requests, freezes the rest, and solves that small
/// exact program, until the time is up or the gap is closed.
/// Every schedule is made concrete and checked against every hard constraint; the result is
/// never worse than the incumbent.
public struct MIPScheduler: Sendable {
    /// The day.
    public let day: ResolvedDay
    /// The options.
    public let options: MIPOptions

    /// Creates a scheduler for `day`.
    public init(day: ResolvedDay, options: MIPOptions = MIPOptions()) {
        self.day = day; self.options = options
    }

    /// Solves the day within the time limit.
    ///
    /// - Parameter incumbent: a feasible schedule (the greedy one) to start from; the result is
    ///   never worse than it. An incumbent that breaks a hard constraint is ignored.
    public func solve(incumbent: [Placement]?) -> MIPOutcome {
        let began = ContinuousClock.now
        let limit = options.timeLimit.isNaN ? 0 : max(0, min(options.timeLimit, 1e7))
        let cap = began + .milliseconds(Int64(limit * 1000))
        // Every phase reads `clock`: the wall clock, or the work clock of a deterministic solve,
        // whose budget is the work asked for (the time limit stays the real cap).
        let clock = SearchClock(pace: options.pace, began: began, cap: cap)
        let budget = clock.counted ? Self.workBudget(options.work, timeLimit: limit) : limit
        let deadline = began + .milliseconds(Int64(budget * 1000))
        func elapsed() -> Double { SearchClock.seconds(ContinuousClock.now - began) }
        func seconds(_ d: Duration) -> Double { SearchClock.seconds(d) }
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        func cost(_ placements: [Placement]) -> Double { day.objective(of: placements, admissible: admissible).total }

        var notes: [String] = []
        var start = incumbent
        if let given = incumbent, let problem = Validator.violations(of: given, day: day).first?.description {
            notes.append("the incumbent was ignored: \(problem)")
            start = nil
        }
        // A little time is kept back for assignment, checks and the answer itself.
        let reserve = Duration.milliseconds(Int64(min(500, budget * 100)))
        let solverDeadline = deadline - reserve

        var bound: Double?               // proven lower bound on every valid schedule of the day
        var best: [Placement]? = start   // best valid schedule so far
        var bestCost = start.map(cost) ?? .infinity
        var fromSolver = false           // whether `best` came from a solver rather than the incumbent
        /// Keeps `placements` when valid and strictly better than the best so far (or as good,
        /// with `ties`, which lets the search move across plateaus).
        @discardableResult
        func consider(_ placements: [Placement], ties: Bool = false) -> Bool {
            clock.charge(SearchClock.checking(placements: placements.count))
            if let problem = Validator.violations(of: placements, day: day).first?.description {
                notes.append("a plan broke a rule and was discarded (\(problem))")
                return false
            }
            let c = cost(placements)
            guard best == nil || c < bestCost - 1e-9 || (ties && c <= bestCost + 1e-9) else { return false }
            best = placements; bestCost = c; fromSolver = true
            return true
        }
        /// Makes a solver answer concrete and considers it.
        func take(_ values: [Double], from formulation: ScheduleFormulation, ties: Bool = false) {
            clock.charge(SearchClock.checking(placements: day.requests.count))
            switch ResourceAssignment.assign(formulation.decode(values), formulation: formulation) {
            case .success(let placements): consider(placements, ties: ties)
            case .failure(let failure): notes.append("resource assignment failed (\(failure.description))")
            }
        }
        var guided: GuidedSearch?        // the relaxation's LP and the guided program, on their own thread
        var exchange: ContinuousClock.Instant?   // with counted work, when its schedules are taken
        var guidedTaken = 0              // generation of the last schedule of it taken
        var guidedNoted = false
        /// Takes what the guided search has found so far: its bound, and each new schedule of it.
        func absorb(_ findings: GuidedSearch.Findings) {
            if let b = findings.bound { bound = max(bound ?? b, b) }
            if findings.generation > guidedTaken, let placements = findings.placements {
                guidedTaken = findings.generation
                consider(placements)
            }
            if !guidedNoted, findings.finished, let note = findings.note {
                guidedNoted = true
                notes.append(findings.placements == nil ? note : note + ", best \(bestCost)")
            }
        }
        func finish(_ proven: MIPStatus?) -> MIPOutcome {
            if let guided { absorb(guided.finish(by: clock.counted ? cap : deadline)) }
            if clock.counted, clock.capReached {
                notes.append("the time limit cut the deterministic search before its counted work was done: another run may differ")
            }
            var status: MIPStatus = proven ?? (best == nil ? .noSolution : .feasible)
            var reported = bound
            if status == .optimal, best != nil { reported = bestCost }
            if let b = reported, best != nil { reported = min(b, bestCost) }
            if status == .optimal, best == nil { status = .noSolution }
            if let b = reported, best != nil, status != .optimal, bestCost - b <= 1e-9 * max(1, abs(bestCost)) { status = .optimal }
            return MIPOutcome(placements: best, status: status, bound: reported, objective: best == nil ? nil : bestCost,
                              seconds: elapsed(), repairNote: notes.isEmpty ? nil : notes.joined(separator: "; "),
                              usedIncumbent: best != nil && !fromSolver)
        }
        /// The start for a program: the best schedule written in its columns, with the requests it
        /// leaves out inserted where they fit, or the program's own first fit.
        func startValues(_ f: ScheduleFormulation, until end: ContinuousClock.Instant) -> [Double]? {
            let program = f.program
            clock.charge(SearchClock.building(columns: program.variables.count))
            return [best.flatMap { f.completed($0, deadline: clock.realDeadline(end)) },
                    best == nil ? f.firstFit(deadline: clock.realDeadline(end)) : nil]
                .compactMap { $0 }
                .min { program.objectiveValue(of: $0) < program.objectiveValue(of: $1) }
        }
        // Stop once the gap is this small: the requested one, else half a percent.
        let goal = options.relativeGap ?? 0.005
        /// Whether an objective `c` is within the goal of a bound `b`.
        func meetsGoal(_ c: Double, bound b: Double) -> Bool { c - b <= goal * max(1, abs(c)) + 1e-9 }
        func closed() -> Bool {
            guard let b = bound, best != nil else { return false }
            return meetsGoal(bestCost, bound: b)
        }

        // 1. Small days: the exact per-nurse program in one piece. With as many compounders and
        //    stations as requests its candidate draws and preps lose nothing, so its bound holds
        //    for the day; otherwise a proven optimum is an optimum of the restricted model.
        let lossless = day.stations >= day.requests.count && day.compounders >= day.requests.count
        let wholeShare = lossless ? 0.6 : 0
        if wholeShare > 0, clock.now < solverDeadline {
            let end = clock.now + (solverDeadline - clock.now) * wholeShare
            let f = clock.program(until: end) {
                ScheduleFormulation.wholeDay(day, nurses: .perNurse, hints: best ?? [], admissible: admissible, deadline: $0)
            }
            if f.interrupted {
                notes.append("the time ran out while building the model")
            } else {
                let result = GLPKSolver.solve(f.program, start: startValues(f, until: end), deadline: end, relativeGap: options.relativeGap,
                                              clock: clock)
                if case .failed = result.status { return finish(result.status) }
                if let values = result.values { take(values, from: f) }
                if result.status == .optimal, let o = result.objective, bestCost <= o + 1e-6 { return finish(.optimal) }
                if result.status == .noSolution, result.values == nil, clock.now < end, best == nil {
                    return finish(.noSolution)   // proven infeasible: conflicting fixed bookings
                }
                if lossless, let b = result.bound { bound = max(bound ?? b, b) }
                if lossless, closed() { return finish(nil) }
            }
        }

        // 2. The bound: the relaxation with nurses pooled by shift and neither compounders nor
        //    stations, which is a lower bound for every valid schedule of the day.
        if best == nil, clock.now < solverDeadline, let greedy = try? GreedyScheduler(day: day, deadline: cap).schedule() {
            // No incumbent given: the search starts from the greedy schedule.
            if consider(greedy) { notes.append("started from the greedy schedule") }
        }
        var startCosts: [Int: [Int: Double]] = [:]   // request → start → its own cost there
        var relaxationColumns: Int?      // size of the bound relaxation: tells a small day
        var separable: Double?           // every request at its own cheapest choice
        if !lossless, clock.now < solverDeadline {
            let began = clock.now
            let end = began + (solverDeadline - began) * Self.boundShare
            let r = clock.program(until: end) {
                ScheduleFormulation.boundRelaxation(day, hints: best ?? [], admissible: admissible, deadline: $0)
            }
            if r.interrupted {
                notes.append("the time ran out while building the bound")
            } else {
                // The cheapest choice of every request bounds every schedule; the relaxation's LP
                // bounds it better and guides the guided program, on a thread of their own.
                separable = r.separableBound()
                relaxationColumns = r.program.variables.count
                bound = max(bound ?? separable!, separable!)
                startCosts = r.startCosts()
                if clock.now < solverDeadline {
                    // With counted work this thread takes the other's schedules at one fixed point
                    // of its work, `exchange`, when the other's schedule-making phases end too.
                    exchange = clock.now + (solverDeadline - clock.now) * Self.exchangeShare
                    guided = GuidedSearch(day: day, admissible: admissible, relaxation: r, start: best ?? [],
                                          lpDeadline: clock.now + (solverDeadline - clock.now) * Self.relaxationShare,
                                          deadline: solverDeadline, clock: clock.fork(), exchange: exchange)
                }
            }
        }
        let candidates = day.requests.indices.filter { admissible[$0] || day.requests[$0].fixedStart != nil }
        // 2c. Ruin and recreate: thousands of quick moves without a solver, which repack many
        //     chairs and nurses at once; the exact neighbourhoods then polish what it leaves.
        let ruin = best == nil ? nil : RuinAndRecreate(day: day, admissible: admissible)
        var ruinRandom = SeededRandom(seed: 0x2A1E)
        /// Runs ruin and recreate from the best schedule, for `moves` moves or `share` of the time
        /// left, and keeps what it finds when that is better.
        func ruinAndRecreate(moves: Int, share: Double) -> Bool {
            guard let ruin, let current = best, !closed(), clock.now < solverDeadline else { return false }
            let end = clock.now + (solverDeadline - clock.now) * share
            // On the wall clock it gives way as soon as the guided search has a new schedule that
            // closes the gap; with counted work it makes the moves that fit before `end`.
            var looked = guidedTaken
            func guidedCloses() -> Bool {
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
        if ruinAndRecreate(moves: Self.ruinMovesPerRequest * candidates.count, share: Self.ruinShare) {
            notes.append("ruin and recreate improved the start")
        }
        // 2d. On a small day, the whole exact program from the best schedule, for a share of the
        //     time left: the one search that repacks every chair and nurse at once. Ruin and
        //     recreate and the neighbourhoods move a few requests; on a nearly full day a request
        //     left out may need most of the day repacked to get in (docs/MODEL.md §6.2). Its
        //     optimum is not the day's (its candidate draws and preps are a restriction, which
        //     the lossless case above avoids), so it only proposes schedules.
        var wholeDayRuns = 0
        func wholeDay(share: Double) {
            guard !lossless, let columns = relaxationColumns, columns <= Self.wholeDayColumns, let current = best, !closed(),
                  clock.now < solverDeadline else { return }
            let end = clock.now + (solverDeadline - clock.now) * share
            let f = clock.program(until: end) {
                ScheduleFormulation.wholeDay(day, nurses: .perNurse, hints: current, admissible: admissible, deadline: $0)
            }
            guard !f.interrupted else { return }
            let before = bestCost
            let result = GLPKSolver.solve(f.program, start: startValues(f, until: end), deadline: end, relativeGap: nil, clock: clock)
            if let values = result.values { take(values, from: f) }
            wholeDayRuns += 1
            notes.append("whole-day program \(wholeDayRuns): \(f.program.variables.count) columns, \(result.status)"
                         + (bestCost < before - 1e-9 ? ", improved to \(bestCost)" : ""))
        }
        wholeDay(share: Self.wholeDayShare)
        /// With counted work, the one point where the guided search's schedules are taken: the first
        /// time this thread's work clock passes `exchange`, waiting for them if need be.
        var exchanged = false
        func exchangeIfDue() {
            guard clock.counted, !exchanged, let guided, let exchange, clock.now >= exchange else { return }
            exchanged = true
            absorb(guided.waitForSchedules(by: cap))
        }
        // A day small enough to be one neighbourhood is solved whole, to a proven optimum.
        var size = min(candidates.count, 8)
        if closed(), size < candidates.count { return finish(nil) }

        // 3. Improvement search: free a neighbourhood of the best schedule, freeze the rest, solve
        //    that small exact program, keep what is better; until the time is up or the gap closed.
        var rng = SeededRandom(seed: 0x5EED_1F05)
        var round = 0
        let slice = Duration.milliseconds(Int64(1000 * max(0.25, min(1, budget * 0.03))))
        var coreSize = 8                 // core of the reassignment rounds, adapted like `size`
        var bandSize = 30                // requests of their band that may change nurse and chair, adapted too
        var frozenRound = 0              // rounds of the frozen kinds, which cycle through their kinds
        var fixingTried: Int?            // starts of the last excess-fixed program tried
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
                if ruinAndRecreate(moves: Self.ruinMovesPerRequest * candidates.count / 2, share: 0.5) {
                    notes.append("the second ruin and recreate improved the schedule")
                }
                // From the schedule the rounds and this search made, the whole-day program again.
                wholeDay(share: Self.wholeDayShare)
                continue
            }
            // When few starts are left within the gap, the program of those starts holds every
            // better schedule: solving it proves the best one optimal or finds a better one.
            if let separable, !startCosts.isEmpty {
                let sets = Self.excessStarts(startCosts, below: bestCost - separable, keeping: current, candidates: candidates)
                let count = sets.values.reduce(0) { $0 + $1.count }
                if count <= Self.fixingStartsPerRequest * candidates.count, fixingTried.map({ count < $0 * 7 / 10 }) ?? true {
                    fixingTried = count
                    let end = clock.now + (solverDeadline - clock.now) * 0.6
                    let f = clock.program(until: end) {
                        ScheduleFormulation.limitedStarts(day, starts: sets, hints: current, admissible: admissible, deadline: $0)
                    }
                    if !f.interrupted {
                        let result = GLPKSolver.solve(f.program, start: startValues(f, until: end), deadline: end, relativeGap: nil,
                                                      clock: clock)
                        if let values = result.values { take(values, from: f) }
                        notes.append("gap program: \(count) starts, \(result.status)")
                        if result.status == .optimal, let o = result.objective, bestCost <= o + 1e-6 { return finish(.optimal) }
                        continue
                    }
                }
            }
            let whole = size >= candidates.count
            // Every other round (unless the day is one neighbourhood) reassigns nurses and chairs of
            // everyone and moves a core around a costly request; the others free a few requests.
            let reassigning = !whole && round % 2 == 0
            round += 1
            let end = min(solverDeadline, clock.now + slice)
            let f: ScheduleFormulation
            if reassigning {
                let plan = reassignment(of: current, size: coreSize, bandSize: bandSize, admissible: admissible, startCosts: startCosts, rng: &rng)
                f = clock.program(until: end) {
                    ScheduleFormulation.neighbourhood(day, freeing: plan.freed, hints: current, admissible: admissible, deadline: $0,
                                                      draws: 1, startWindows: plan.startWindows, startSets: plan.startSets)
                }
            } else {
                let freed = whole ? Set(candidates)
                    : neighbourhood(of: current, size: size, round: frozenRound, admissible: admissible, startCosts: startCosts, rng: &rng)
                // Rounds not built around a costly request move placed requests by at most three hours.
                var windows: [Int: ClosedRange<Int>] = [:]
                if frozenRound % 2 == 0, !whole {
                    for p in current where freed.contains(p.request) && day.requests[p.request].fixedStart == nil {
                        windows[p.request] = (p.start - Self.bandShift)...(p.start + Self.bandShift)
                    }
                }
                frozenRound += 1
                // Neighbourhoods try only the latest draw (and the current one), which keeps them small;
                // the whole program keeps every candidate draw.
                f = clock.program(until: end) {
                    ScheduleFormulation.neighbourhood(day, freeing: freed, hints: current, admissible: admissible, deadline: $0,
                                                      draws: whole ? ScheduleFormulation.drawAlternatives : 1, startWindows: windows)
                }
            }
            guard !f.interrupted else { break }
            let began = clock.now
            let result = GLPKSolver.solve(f.program, start: startValues(f, until: end), deadline: end, relativeGap: nil, clock: clock)
            if let values = result.values { take(values, from: f, ties: true) }
            // Neighbourhoods grow while they are solved quickly and shrink when they time out.
            let quick = result.status == .optimal && seconds(clock.now - began) < 0.4 * seconds(slice)
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
            if whole, result.status == .optimal, let o = result.objective, bestCost <= o + 1e-6 {
                return finish(.optimal)
            }
        }
        if round > 0 { notes.append("improvement search: \(round) neighbourhoods") }
        return finish(nil)
    }

    /// Moves of the ruin-and-recreate search per request to place (fewer when its share of the
    /// time runs out first).
    static let ruinMovesPerRequest = 500
    /// Share of the time left that the ruin-and-recreate search may take.
    static let ruinShare = 0.6
    /// Share of the time left that building the bound relaxation may take.
    static let boundShare = 0.25
    /// Share of the time left by which the relaxation's LP must be solved, on the guided search's thread.
    static let relaxationShare = 0.6
    /// Bound relaxations up to this many columns mark a small day, whose whole exact program is
    /// solved from the best schedule after each ruin and recreate (docs/MODEL.md §6.2).
    static let wholeDayColumns = 6_000
    /// Share of the time left that each of those whole-day programs may take.
    static let wholeDayShare = 0.4

    /// With counted work, the share of the time left (when the guided search starts) at which its
    /// schedule-making phases end and the caller takes their schedule.
    static let exchangeShare = 0.7

    /// Reference seconds of counted work for a deterministic solve: `work`, or by default
    /// ``SolveOptions/defaultWorkShare`` of the time limit. Work that does not fit the time limit
    /// is cut by it, and the note says so.
    static func workBudget(_ work: Double?, timeLimit: Double) -> Double {
        guard let work, work.isFinite else { return timeLimit * SolveOptions.defaultWorkShare }
        return min(max(0, work), 1e7)
    }

    /// The excess-fixed program is tried once the starts within the gap are at most this many per request.
    static let fixingStartsPerRequest = 4

    /// For each candidate request, the starts whose own cost exceeds its cheapest start's by less
    /// than `gap` (with the start `keeping` gives it). A schedule cheaper than one `gap` above the
    /// separable bound has every request at such a start (its excesses add up to less than `gap`),
    /// so the program limited to them holds every better schedule.
    static func excessStarts(_ startCosts: [Int: [Int: Double]], below gap: Double, keeping: [Placement],
                             candidates: [Int]) -> [Int: Set<Int>] {
        var sets: [Int: Set<Int>] = [:]
        for r in candidates {
            let own = startCosts[r] ?? [:]
            let cheapest = own.values.min() ?? 0
            sets[r] = Set(own.filter { $0.value - cheapest < gap - 1e-9 }.keys)
        }
        for p in keeping { sets[p.request, default: []].insert(p.start) }
        return sets
    }

    /// Minutes a placed request may move in a round not built around a costly request.
    static let bandShift = 180

    /// The requests to free in one round of the improvement search: some left-out ones, and
    /// placed ones near a costly request, sharing a time band, a few nurses or a few chairs (by turns).
    ///
    /// `startCosts` (request → start → what the request alone costs there) turns the cost of a
    /// request into its *excess* over its cheapest start, so rounds go where a gain is possible,
    /// and lets a costly request aim at its cheapest starts.
    private func neighbourhood(of placements: [Placement], size: Int, round: Int, admissible: [Bool],
                               startCosts: [Int: [Int: Double]], rng: inout SeededRandom) -> Set<Int> {
        let placed = Set(placements.map(\.request))
        let out = day.requests.indices.filter { admissible[$0] && !placed.contains($0) }
        var freed = Set(rng.sample(out, count: min(out.count, max(1, size / 3))))
        var pool: [Int] = []
        // Every other round starts from a costly request; the rest cycle through the other kinds.
        switch round % 2 == 1 ? 3 : (round / 2) % 3 {
        case 3:
            // Around a request picked by its cost (left out, late, far from its preferred start).
            let costs = excessCosts(of: placements, admissible: admissible, startCosts: startCosts)
            if let pivot = rng.weightedIndex(costs) {
                freed.insert(pivot)
                // Free those in the way of one of its possible starts (for a placed pivot, half
                // the time its neighbours where it is).
                let length = day.regimen(of: pivot).chairMinutes
                let q = day.requests[pivot]
                let starts = day.candidateStarts(pivot).filter { s in
                    s >= (q.earliest ?? Int.min) && s + length <= min(q.latest ?? Int.max, day.latestEnd)
                }
                let current = placements.first { $0.request == pivot }?.start
                // Its cheapest starts, where it would go if nothing were in the way.
                let own = startCosts[pivot] ?? [:]
                let cheapest = own.values.min() ?? 0
                let best = starts.filter { (own[$0] ?? .infinity) <= cheapest + 1e-9 }
                if rng.chance(0.5) {
                    // Or the whole days of a few chairs it could use, to be reshuffled around it.
                    let types = day.regimen(of: pivot).chairTypes
                    var chairs = rng.shuffled(day.chairs.indices.filter { types.contains(day.chairs[$0].type) })
                    if let t = rng.pick(best) {
                        // The chairs in the way of a cheapest start first: those are the ones to repack.
                        let target = t..<(t + length)
                        let busy = Set(placements.filter { $0.request != pivot && day.chairOccupancy(of: $0).overlaps(target) }.map(\.chair))
                        chairs = chairs.filter { busy.contains($0) } + chairs.filter { !busy.contains($0) }
                    }
                    for c in chairs where pool.count < size {
                        pool += placements.filter { $0.chair == c && $0.request != pivot }.map(\.request)
                    }
                } else {
                    let s = (current != nil && rng.chance(0.3) ? current : rng.pick(best.isEmpty || rng.chance(0.3) ? starts : best))
                        ?? current ?? day.open
                    let around = s == current ? (s - 60)..<(s + length + 60) : s..<(s + length)
                    pool = placements.filter { ($0.start..<day.end(of: $0)).overlaps(around) }.map(\.request)
                }
            }
        case 0:
            let t = rng.int(in: day.open...max(day.open, day.latestEnd))
            let band = (t - 90)..<(t + 90)
            pool = placements.filter { ($0.start..<day.end(of: $0)).overlaps(band) }.map(\.request)
        case 1:
            for n in rng.shuffled(Array(day.nurses.indices)) where pool.count < size {
                pool += placements.filter { $0.nurse == n }.map(\.request)
            }
        default:
            for c in rng.shuffled(Array(day.chairs.indices)) where pool.count < size {
                pool += placements.filter { $0.chair == c }.map(\.request)
            }
        }
        for r in rng.shuffled(pool) where freed.count < size { freed.insert(r) }
        return freed
    }

    /// Writes the integer program to `path`: CPLEX LP for `.lp`, free MPS for `.mps`.
    ///
    /// The program written is the whole program with nurses aggregated by shift pattern and no
    /// incumbent (``solve(incumbent:)`` solves it per nurse, or in neighbourhoods). Rows and columns carry readable names such as
    /// `start(R012@09.15,recliner#1)` and `chair(recliner#1@10.00)` (LP names allow no `:` or `[`).
    ///
    /// - Throws: ``SchedulingModel/InputError`` for any other extension or when the file cannot be written.
    public func exportModel(to path: String) throws {
        let lower = path.lowercased()
        let format: GLPKSolver.FileFormat
        if lower.hasSuffix(".lp") { format = .cplexLP }
        else if lower.hasSuffix(".mps") { format = .freeMPS }
        else { throw InputError(file: path, path: "", message: "model file must end in .lp or .mps") }
        do { try GLPKSolver.write(ScheduleFormulation.wholeDay(day).program, to: path, format: format) }
        catch { throw InputError(file: path, path: "", message: error.message) }
    }
}
