import SchedulingModel
import SchedulingRules
import MIPKit

/// A neighbourhood of a plan: the requests a program frees, and limits on their choices that
/// keep the program small. Every request not freed is frozen to what the plan does with it.
package struct Neighbourhood: Sendable, Hashable {
    /// The requests the program decides.
    package var freed: Set<Int>
    /// Same-day draw starts tried per start (at least 1, the latest); the plan's own draw is added.
    package var draws = ScheduleFormulation.drawAlternatives
    /// For the requests named, only starts in the range are candidates.
    package var startWindows: [Int: ClosedRange<Int>] = [:]
    /// For the requests named, only these starts are candidates.
    package var startSets: [Int: Set<Int>] = [:]
    /// For the requests named, only chair groups holding one of these chairs are candidates.
    package var chairSets: [Int: Set<Int>] = [:]
    /// For the requests named, only nurse groups holding one of these nurses are candidates.
    package var nurseSets: [Int: Set<Int>] = [:]

    /// A neighbourhood freeing `freed`, with the limits given.
    package init(freed: Set<Int>, draws: Int = ScheduleFormulation.drawAlternatives, startWindows: [Int: ClosedRange<Int>] = [:],
                 startSets: [Int: Set<Int>] = [:], chairSets: [Int: Set<Int>] = [:], nurseSets: [Int: Set<Int>] = [:]) {
        self.freed = freed; self.draws = draws; self.startWindows = startWindows; self.startSets = startSets
        self.chairSets = chairSets; self.nurseSets = nurseSets
    }
}

/// What a search over plans of a day is about: how a plan is written, checked and priced.
/// Solving a day (``MIPScheduler``) and re-planning one (SPEC §7) each give one.
package protocol NeighbourhoodProblem {
    /// A plan of the day, in the form its search keeps it.
    associatedtype Plan
    /// The placements of a plan: the program's hints (what a neighbourhood freezes) and its start.
    func placements(of plan: Plan) -> [Placement]
    /// A solver's answer as a plan, with its machines given and every rule checked, from the best
    /// plan so far (`freed`: the requests the program decided, nil when it decided every one);
    /// a failure says why, with counts and rules only.
    func plan(from visits: [ScheduleFormulation.PlannedVisit], of formulation: ScheduleFormulation, freed: Set<Int>?,
              best: Plan?) -> Result<Plan, NeighbourhoodSearch<Self>.Rejection>
    /// What a plan costs; the search keeps the cheapest.
    func cost(of plan: Plan) -> Double
}

/// The large-neighbourhood search that solving a day and re-planning one share (docs/MODEL.md §6,
/// docs/REPLANNING.md): the best plan so far, and rounds that free a neighbourhood of it, freeze
/// everything else to it, solve that small exact program by GLPK starting from it, and keep the
/// answer when it passes the problem's checks and costs less. Which neighbourhoods to try is the
/// caller's strategy; the program (with the re-planning rules when there are some), its start,
/// the making of a plan from the answer and the keeping of the best are this type's.
package final class NeighbourhoodSearch<Problem: NeighbourhoodProblem> {
    /// Why an answer was not made a plan.
    package struct Rejection: Error, Sendable, CustomStringConvertible {
        /// A note for the solver report: counts and rules, never request content.
        package var description: String
        /// A rejection with its note.
        package init(_ description: String) { self.description = description }
    }

    /// What one program gave.
    package struct Answer {
        /// How GLPK ended.
        package var status: MIPStatus
        /// GLPK's objective of its answer (the program's, which may differ from the plan's by a constant).
        package var objective: Double?
        /// GLPK's proven bound on the program.
        package var bound: Double?
        /// Whether GLPK returned column values.
        package var answered: Bool
        /// Whether the answer made a plan that passed every check (kept or not).
        package var planned: Bool
        /// Why the answer made no plan, when it made none.
        package var rejection: Rejection?
        /// Whether the plan was kept as the new best.
        package var kept: Bool
        /// Seconds on the search's clock from the start values to the answer taken.
        package var seconds: Double
    }

    /// The day.
    package let day: ResolvedDay
    /// How plans are written, checked and priced.
    package let problem: Problem
    /// Requests a program may place.
    package let admissible: [Bool]
    /// The re-planning rules of every program, when re-planning.
    package let rules: ScheduleFormulation.ReplanRules?
    /// The clock every phase reads (wall clock or counted work).
    package let clock: SearchClock

    /// The best plan so far.
    package private(set) var best: Problem.Plan?
    /// Its cost (infinite without one).
    package private(set) var bestCost: Double
    /// Programs solved.
    package private(set) var rounds = 0
    /// Plans kept after the first.
    package private(set) var improvements = 0
    /// The GLPK error that ended the search, if one did: every later ``solve(_:freed:until:relativeGap:ties:)``
    /// answers `failed` at once, and the caller decides what the failure means (docs/ARCHITECTURE.md).
    package private(set) var failure: GLPKFailure?

    /// A search from `start` (already checked by the caller).
    package init(day: ResolvedDay, problem: Problem, admissible: [Bool], rules: ScheduleFormulation.ReplanRules? = nil,
                 clock: SearchClock, start: Problem.Plan?) {
        self.day = day; self.problem = problem; self.admissible = admissible; self.rules = rules; self.clock = clock
        best = start
        bestCost = start.map { problem.cost(of: $0) } ?? .infinity
    }

    /// A search on the wall clock until `deadline` (sooner when `stop` is set), from `start`
    /// (already checked by the caller).
    package convenience init(day: ResolvedDay, problem: Problem, admissible: [Bool], rules: ScheduleFormulation.ReplanRules? = nil,
                             deadline: ContinuousClock.Instant, stop: SolveControl? = nil, start: Problem.Plan?) {
        self.init(day: day, problem: problem, admissible: admissible, rules: rules,
                  clock: SearchClock(pace: .clock, cap: deadline, stop: stop?.signal), start: start)
    }

    /// Keeps `plan` (checked by the caller) when it costs less than the best (or as much, with
    /// `ties`, which lets the search move across plateaus); returns whether it was kept.
    @discardableResult
    package func offer(_ plan: Problem.Plan, ties: Bool = false) -> Bool {
        let c = problem.cost(of: plan)
        guard best == nil || c < bestCost - 1e-9 || (ties && c <= bestCost + 1e-9) else { return false }
        if best != nil, c < bestCost - 1e-9 { improvements += 1 }
        best = plan; bestCost = c
        return true
    }

    /// The program of `neighbourhood` around the best plan, built by `end` on the clock.
    package func program(_ neighbourhood: Neighbourhood, until end: ContinuousClock.Instant) -> ScheduleFormulation {
        let hints = best.map { problem.placements(of: $0) } ?? []
        return clock.program(until: end) {
            ScheduleFormulation.neighbourhood(day, neighbourhood, hints: hints, admissible: admissible, deadline: $0, rules: rules)
        }
    }

    /// The start for a program: the best plan written in its columns with the requests it leaves
    /// out inserted where they fit (the plan as it is when none fits), or without a best plan the
    /// program's own first fit. Nil when the program cannot hold the best plan.
    private func startValues(_ f: ScheduleFormulation, until end: ContinuousClock.Instant) -> [Double]? {
        clock.charge(SearchClock.building(columns: f.program.variables.count))
        let deadline = clock.realDeadline(end)
        guard let best else { return f.firstFit(deadline: deadline) }
        guard let written = f.encode(problem.placements(of: best)) else { return nil }
        return f.firstFit(from: written, deadline: deadline) ?? written
    }

    /// Solves `f` from the best plan by `end` and offers its answer as a plan. `freed`: the
    /// requests the program decides (nil: all). Nil when the program was interrupted while it was
    /// built, or cannot hold the best plan (nothing is solved then). When GLPK reports an error
    /// (now or earlier: ``failure``) the answer's status is `failed`, with the failure's message.
    package func solve(_ f: ScheduleFormulation, freed: Set<Int>?, until end: ContinuousClock.Instant,
                       relativeGap: Double? = nil, ties: Bool = false) -> Answer? {
        guard !f.interrupted else { return nil }
        let began = clock.now
        let failed = { (failure: GLPKFailure) in
            Answer(status: .failed(failure.description), objective: nil, bound: nil, answered: false, planned: false,
                   rejection: nil, kept: false, seconds: SearchClock.seconds(self.clock.now - began))
        }
        if let failure { return failed(failure) }
        let start = startValues(f, until: end)
        if best != nil, start == nil { return nil }
        let result: GLPKResult
        do {
            result = try GLPKSolver.solve(f.program, start: start, deadline: end, relativeGap: relativeGap, clock: clock)
        } catch {
            failure = error
            return failed(error)
        }
        rounds += 1
        var answer = Answer(status: result.status, objective: result.objective, bound: result.bound, answered: result.values != nil,
                            planned: false, rejection: nil, kept: false, seconds: 0)
        if let values = result.values {
            switch problem.plan(from: f.decode(values), of: f, freed: freed, best: best) {
            case .success(let plan):
                answer.planned = true
                answer.kept = offer(plan, ties: ties)
            case .failure(let rejection):
                answer.rejection = rejection
            }
        }
        answer.seconds = SearchClock.seconds(clock.now - began)
        return answer
    }

    /// Builds and solves the program of `neighbourhood` (see ``solve(_:freed:until:relativeGap:ties:)``).
    package func round(_ neighbourhood: Neighbourhood, until end: ContinuousClock.Instant, ties: Bool = false) -> Answer? {
        solve(program(neighbourhood, until: end), freed: neighbourhood.freed, until: end, ties: ties)
    }
}
