import Foundation
import SchedulingModel
import SchedulingRules

import MIPKit

/// The relaxation's LP and the guided program, or the Lagrangian bound and the priced search, on
/// a thread of their own while ``MIPScheduler`` searches on the calling one (docs/MODEL.md §6, 2
/// and 5).
///
/// The LP of a medium day takes GLPK seconds, which the search would otherwise lose; on a
/// second core it costs the search nothing. The thread solves the LP (GLPK's presolved simplex),
/// reports its optimum as a bound, branches on the relaxation for a better bound when the LP was
/// quick, and then solves the exact per-nurse program limited to the starts the LP solution uses
/// and the starting schedule's, and reports that program's best schedule. On a relaxation too
/// large for the LP in time (and wherever the LP is not solved in time) it raises the Lagrangian
/// bound instead, builds a schedule at its prices and improves it by ruin and recreate, reporting
/// each better schedule (the *priced search*). The caller reads what
/// is there with ``poll()`` and checks every schedule itself; ``finish(by:)`` stops what still runs
/// and waits for the thread up to the solve's deadline. GLPK keeps its state per thread.
///
/// With a clock that counts work (a deterministic solve, docs/MODEL.md §11) the thread is never
/// stopped midway and the caller reads it at two fixed points only: ``waitForSchedules(by:)``, once
/// the schedule-making phases have ended at `exchange` on the thread's work clock, and
/// ``finish(by:)``, which then waits for the bound's branching to end at `deadline`.
final class GuidedSearch: @unchecked Sendable {
    /// What the thread has found so far.
    struct Findings: Sendable {
        /// The relaxation's proven lower bound, once the LP is solved (raised by branching).
        var bound: Double?
        /// The best schedule of the thread's programs so far, made concrete.
        var placements: [Placement]?
        /// How many schedules the thread has reported (a new one replaces `placements`).
        var generation = 0
        /// Counts for the solve's note: columns of the guided program and how its solve ended.
        var note: String?
        /// Whether the thread is done.
        var finished = false
        /// The GLPK error that ended the thread's work, if one did.
        var failure: GLPKFailure?
    }

    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    /// Signalled once the schedule-making phases are over (counted work only).
    private let schedulesDone = DispatchSemaphore(value: 0)
    /// What the thread had found when its schedule-making phases ended, or passed `exchange` (the
    /// priced search goes on to `deadline`: what it finds later is taken at the end).
    private var snapshot: Findings?
    /// The thread's own clock (forked from the caller's).
    private let clock: SearchClock
    private var findings = Findings()
    private var stopped = false

    /// Starts the thread.
    ///
    /// - Parameters:
    ///   - relaxation: the bound relaxation (``ScheduleFormulation/boundRelaxation(_:hints:admissible:deadline:)``).
    ///   - start: the schedule to start the guided program from (the greedy one); its starts join the guide.
    ///   - lpDeadline: when the LP must be solved by; `deadline`: when everything must end.
    ///   - clock: the thread's clock, forked from the caller's; every instant is read on it (default: the wall clock).
    ///   - exchange: with counted work, when the schedule-making phases end (then the caller takes
    ///     their schedule); on the wall clock they run to `deadline`.
    ///   - lagrangianFirst: relaxations with more columns skip the LP for the Lagrangian bound
    ///     and the priced search (``lagrangianFirstColumns``; tests lower it).
    init(day: ResolvedDay, admissible: [Bool], relaxation: ScheduleFormulation, start: [Placement],
         lpDeadline: ContinuousClock.Instant, deadline: ContinuousClock.Instant, clock: SearchClock? = nil,
         exchange: ContinuousClock.Instant? = nil, lagrangianFirst: Int = GuidedSearch.lagrangianFirstColumns) {
        let clock = clock ?? SearchClock(pace: .clock, cap: deadline)
        self.clock = clock
        let searchEnd = clock.counted ? min(exchange ?? deadline, deadline) : deadline
        // The tests' GLPK fault (docs/ARCHITECTURE.md, "GLPK errors") reaches this thread too.
        let fault = GLPKSolver.faultArmedOnThisThread
        let signal = clock.stop
        signal?.threadStarted()
        let thread = Thread { [self] in
            defer { signal?.threadEnded() }
            // A GLPK error ends this thread's work (GLPK freed this thread's environment, which
            // held only this thread's problems); the caller reads it and ends the solve.
            do throws(GLPKFailure) {
                try GLPKSolver.withInjectedFault(fault) { () throws(GLPKFailure) in
                    try run(day: day, admissible: admissible, relaxation: relaxation, start: start, lpDeadline: min(lpDeadline, searchEnd),
                            searchEnd: searchEnd, deadline: deadline, lagrangianFirst: lagrangianFirst)
                }
            } catch {
                lock.withLock { findings.failure = error }
            }
            lock.withLock { findings.finished = true }
            schedulesDone.signal()
            done.signal()
        }
        thread.stackSize = 16 << 20   // as the main thread's: GLPK recurses in its presolver
        thread.start()
    }

    /// What the thread has found so far.
    func poll() -> Findings { lock.withLock { findings } }

    /// Whether ``finish(by:)`` was called.
    private var isStopped: Bool { clock.stopped || lock.withLock { stopped } }

    /// With counted work: waits until the schedule-making phases are over (until `deadline` at
    /// most, a real instant) and returns what the thread found. On the wall clock: ``poll()``.
    func waitForSchedules(by deadline: ContinuousClock.Instant) -> Findings {
        guard clock.counted else { return poll() }
        if schedulesDone.wait(timeout: Self.dispatchTime(deadline)) == .success { schedulesDone.signal() }
        return lock.withLock { snapshot ?? findings }
    }

    private static func dispatchTime(_ deadline: ContinuousClock.Instant) -> DispatchTime {
        let left = deadline - ContinuousClock.now
        let ms = max(0, Int(left.components.seconds) * 1000 + Int(left.components.attoseconds / 1_000_000_000_000_000))
        return .now() + .milliseconds(ms)
    }

    /// Stops the thread's work at its next check whatever the clock, without waiting: a GLPK
    /// error ended the solve, and nothing the thread finds will be used.
    func abandon() { lock.withLock { stopped = true } }

    /// Stops branching at the next node and waits for the thread, until `deadline` at most.
    /// With counted work it stops nothing: the thread's work is counted, so it only waits.
    ///
    /// GLPK's LP presolver does not look at the clock: on a very large relaxation (hundreds of
    /// thousands of columns) it can outlast the time limit. Then the solve does not wait: the
    /// thread ends on its own once GLPK returns, and what it finds is dropped.
    @discardableResult
    func finish(by deadline: ContinuousClock.Instant = .now + .seconds(86_400)) -> Findings {
        if !clock.counted { lock.withLock { stopped = true } }
        if done.wait(timeout: Self.dispatchTime(deadline)) == .success { done.signal() }
        return poll()
    }

    private func run(day: ResolvedDay, admissible: [Bool], relaxation r: ScheduleFormulation, start: [Placement],
                     lpDeadline: ContinuousClock.Instant, searchEnd: ContinuousClock.Instant, deadline: ContinuousClock.Instant,
                     lagrangianFirst: Int) throws(GLPKFailure) {
        let stop: @Sendable () -> Bool = { [self] in isStopped }
        /// Tells the caller that the schedule-making phases are over (counted work), once.
        var told = false
        func schedulesOver() {
            guard !told else { return }
            told = true
            lock.withLock { snapshot = findings }
            schedulesDone.signal()
        }
        defer { schedulesOver() }
        func raise(_ bound: Double) { lock.withLock { findings.bound = max(findings.bound ?? bound, bound) } }
        // The Lagrangian bound needs no solver and comes close to the LP's; on a relaxation too
        // large for the LP to be solved in time it comes first, elsewhere only when the LP fails.
        let large = r.program.variables.count > lagrangianFirst
        let target = day.objective(of: start, admissible: admissible).total
        @discardableResult
        func lagrangian(until end: ContinuousClock.Instant) -> LagrangianBound? {
            let each = SearchClock.subgradientStep(columns: r.program.variables.count)
            let steps = min(Self.lagrangianSteps, clock.allowance(until: end, each: each) ?? Self.lagrangianSteps)
            defer { clock.charge(Double(steps) * each) }
            guard !isStopped, clock.now < end, steps > 0,
                  let l = r.lagrangianBound(target: target, iterations: steps, deadline: clock.realDeadline(end), stop: stop) else { return nil }
            raise(l.bound)
            return l
        }
        if large {
            // The LP would not be solved in time; the prices of the Lagrangian bound build a
            // schedule instead, which ruin and recreate improves here until the time is up.
            guard let l = lagrangian(until: lpDeadline) else { return }
            pricedSearch(day: day, admissible: admissible, slack: l.startSlack, start: start, exchange: searchEnd,
                         atExchange: schedulesOver, deadline: deadline)
            return
        }
        let began = clock.now
        guard !isStopped, clock.now < lpDeadline, let lp = try GLPKSolver.linearRelaxation(r.program, deadline: lpDeadline, clock: clock) else {
            lock.withLock { findings.note = "the relaxation's LP was not solved in time" }
            if let l = lagrangian(until: searchEnd) {
                pricedSearch(day: day, admissible: admissible, slack: l.startSlack, start: start, exchange: searchEnd,
                         atExchange: schedulesOver, deadline: deadline)
            }
            return
        }
        raise(lp.objective)
        let quick = clock.now - began < (lpDeadline - began) * 0.2
        // On a small day the thread spends what is left of the time branching on the relaxation
        // again, from the best schedule it has: a better bound may close the gap (not after a
        // GLPK error, which ends the thread's work).
        var failed = false
        defer {
            schedulesOver()
            if !failed, quick, r.program.variables.count <= Self.wholeProgramColumns, !isStopped, clock.now < deadline {
                do {
                    let result = try GLPKSolver.solve(r.program, start: r.encode(poll().placements ?? start), deadline: deadline,
                                                      relativeGap: nil, stop: stop, clock: clock)
                    if let b = result.bound { raise(b) }
                } catch {
                    lock.withLock { findings.failure = error }
                }
            }
        }
        do {
            try guidedPrograms(day: day, admissible: admissible, relaxation: r, start: start, lp: lp, quick: quick, began: began,
                               lpDeadline: lpDeadline, searchEnd: searchEnd, stop: stop)
        } catch {
            failed = true
            throw error
        }
    }

    /// After the LP: branching on the relaxation for the bound when the LP was quick, then the
    /// guided program and (on a small day) the whole exact program from its answer.
    private func guidedPrograms(day: ResolvedDay, admissible: [Bool], relaxation r: ScheduleFormulation, start: [Placement],
                                lp: (objective: Double, values: [Double]), quick: Bool, began: ContinuousClock.Instant,
                                lpDeadline: ContinuousClock.Instant, searchEnd: ContinuousClock.Instant,
                                stop: @escaping @Sendable () -> Bool) throws(GLPKFailure) {
        func raise(_ bound: Double) { lock.withLock { findings.bound = max(findings.bound ?? bound, bound) } }
        // When the LP was quick (small days), branching on the relaxation may raise the bound.
        if quick, !isStopped {
            let end = min(lpDeadline, clock.now + (lpDeadline - began) * 0.3)
            let result = try GLPKSolver.solve(r.program, start: r.encode(start), deadline: end, relativeGap: nil, stop: stop, clock: clock)
            if let b = result.bound { raise(b) }
        }
        guard !isStopped, clock.now < searchEnd else { return }
        var sets = r.startsUsed(by: lp.values)
        for p in start { sets[p.request, default: []].insert(p.start) }
        for q in day.requests.indices where sets[q] == nil { sets[q] = [] }
        let f = clock.program(until: searchEnd) {
            ScheduleFormulation.limitedStarts(day, starts: sets, hints: start, admissible: admissible, deadline: $0)
        }
        guard !f.interrupted else {
            lock.withLock { findings.note = "the time ran out while building the guided program" }
            return
        }
        let first = f.completed(start, deadline: clock.realDeadline(searchEnd))
        clock.charge(SearchClock.building(columns: f.program.variables.count))
        let result = try GLPKSolver.solve(f.program, start: first, deadline: searchEnd, relativeGap: nil, stop: stop, clock: clock)
        var note = "guided program: \(f.program.variables.count) columns, \(result.status)"
        var placements: [Placement]?
        if let values = result.values {
            switch ResourceAssignment.assign(f.decode(values), formulation: f) {
            case .success(let p): placements = p
            case .failure(let failure): note += ", resource assignment failed (\(failure.description))"
            }
        }
        lock.withLock {
            findings.note = note
            if let placements { findings.placements = placements; findings.generation += 1 }
        }
        // A small day's whole exact program, from the guided program's answer, when that is not
        // yet at the bound: the thread has the rest of the time for it.
        guard r.program.variables.count <= Self.wholeProgramColumns, !isStopped, clock.now < searchEnd,
              let objective = result.objective, result.status == .optimal,
              objective - (poll().bound ?? -.infinity) > 1e-6 * max(1, abs(objective)) else { return }
        let guidedPlan = placements ?? start
        let whole = clock.program(until: searchEnd) {
            ScheduleFormulation.wholeDay(day, nurses: .perNurse, hints: guidedPlan, admissible: admissible, deadline: $0)
        }
        guard !whole.interrupted else { return }
        let from = whole.completed(guidedPlan, deadline: clock.realDeadline(searchEnd))
        clock.charge(SearchClock.building(columns: whole.program.variables.count))
        let answer = try GLPKSolver.solve(whole.program, start: from, deadline: searchEnd, relativeGap: nil, stop: stop, clock: clock)
        guard let wholeValues = answer.values, let o = answer.objective, o < objective - 1e-6,
              case .success(let better) = ResourceAssignment.assign(whole.decode(wholeValues), formulation: whole) else { return }
        lock.withLock {
            findings.placements = better; findings.generation += 1
            findings.note = note + "; whole program: \(whole.program.variables.count) columns, \(answer.status)"
        }
    }

    /// Builds a schedule at the Lagrangian prices and improves it by ruin and recreate in rounds
    /// of ``pricedRoundMoves`` moves per request, reporting each better schedule, until the
    /// deadline or ``finish(by:)``.
    private func pricedSearch(day: ResolvedDay, admissible: [Bool], slack: [Int: [Int: Double]], start: [Placement],
                              exchange: ContinuousClock.Instant, atExchange: () -> Void,
                              deadline: ContinuousClock.Instant) {
        let search = RuinAndRecreate(day: day, admissible: admissible)
        var plan = search.pricedConstruction(slack: slack, keeping: start.filter { day.requests[$0.request].fixedStart != nil })
        var reported = Double.infinity
        var rng = SeededRandom(seed: Self.pricedSeed)
        let bound = poll().bound ?? -.infinity
        var rounds = 0
        let each = SearchClock.ruinMove(requests: day.requests.count)
        while !isStopped, clock.now < deadline, !clock.capReached {
            let moves = min(Self.pricedRoundMoves * day.requests.count, clock.allowance(until: deadline, each: each) ?? .max)
            guard moves > 0 else { break }
            plan = search.improve(plan, moves: moves, until: clock.realDeadline(deadline), target: bound,
                                  rng: &rng, interrupt: { [self] in isStopped })
            clock.charge(Double(moves) * each)
            defer { if clock.now >= exchange { atExchange() } }
            rounds += 1
            let cost = day.objective(of: plan, admissible: admissible).total
            if cost < reported - 1e-9 {
                reported = cost
                lock.withLock {
                    findings.placements = plan; findings.generation += 1
                    findings.note = "priced construction and \(rounds) round(s) of ruin and recreate on the second thread, reaching \(cost)"
                }
            }
            if cost <= bound + 1e-9 { break }   // at the bound: nothing left to find
        }
    }

    /// Relaxations up to this many columns (small days) have their day's whole exact program
    /// solved on the thread after the guided program, and are branched on again for the bound.
    static let wholeProgramColumns = 6_000
    /// Relaxations above this many columns get the Lagrangian bound before the LP: their LP takes
    /// GLPK longer than a time limit of a minute allows (docs/MODEL.md §8).
    static let lagrangianFirstColumns = 20_000
    /// Subgradient steps of the Lagrangian bound (their cost and the bound they reach: docs/MODEL.md §8).
    static let lagrangianSteps = 3_000
    /// Moves per request of each round of ruin and recreate after the priced construction.
    static let pricedRoundMoves = 100
    /// Seed of that search (the calling thread's ruin and recreate has its own).
    static let pricedSeed: UInt64 = 0x5EED_2
}
