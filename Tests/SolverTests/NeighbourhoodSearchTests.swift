import Foundation
import Testing
import TestSupport
@testable import MIPKit

@testable import SchedulingSolvers

/// The large-neighbourhood search that solve and re-plan share: what it keeps, and what it refuses.
@Suite struct NeighbourhoodSearchTests {
    /// A minute from when it is read.
    static var later: ContinuousClock.Instant { .now + .seconds(60) }

    /// Schedules checked and priced as a solve does, with a veto on answers a test sets.
    struct VetoedPlans: NeighbourhoodProblem {
        let plans: SolvePlans
        /// Answers placing fewer requests than this are refused.
        let atLeast: Int

        func placements(of plan: [Placement]) -> [Placement] { plan }
        func cost(of plan: [Placement]) -> Double { plans.cost(of: plan) }
        func plan(from visits: [ScheduleFormulation.PlannedVisit], of formulation: ScheduleFormulation, freed: Set<Int>?,
                  best: [Placement]?) -> Result<[Placement], NeighbourhoodSearch<VetoedPlans>.Rejection> {
            switch plans.plan(from: visits, of: formulation, freed: freed, best: best) {
            case .success(let plan) where plan.count >= atLeast: return .success(plan)
            case .success: return .failure(.init("vetoed"))
            case .failure(let why): return .failure(.init(why.description))
            }
        }
    }

    /// A valid schedule of the day with its last placed request taken out (it fits where it was).
    func weakened(_ day: ResolvedDay) throws -> (start: [Placement], full: [Placement]) {
        let full = try GreedyScheduler(day: day).schedule()
        return (Array(full.dropLast()), full)
    }

    func search(_ day: ResolvedDay, start: [Placement], atLeast: Int = 0) -> NeighbourhoodSearch<VetoedPlans> {
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let clock = SearchClock(pace: .clock, cap: Self.later)
        return NeighbourhoodSearch(day: day, problem: VetoedPlans(plans: SolvePlans(day: day, admissible: admissible, clock: clock),
                                                                 atLeast: atLeast),
                                   admissible: admissible, clock: clock, start: start)
    }

    /// Freeing the request left out and a few around it puts it back: the answer is kept, counted
    /// as an improvement, and the requests not freed keep their times (a solve's program groups
    /// identical chairs and nurses, so their machines may be given again).
    @Test func aRoundKeepsACheaperValidPlan() throws {
        for seed in UInt64(1)...3 {
            let day = try RandomDays.small(seed: seed, requestCount: 14, chairCount: 4, nurseCount: 3)
            let (start, full) = try weakened(day)
            let s = search(day, start: start)
            let out = try #require(full.last).request
            let freed = Set([out] + start.suffix(3).map(\.request))
            let answer = try #require(s.round(Neighbourhood(freed: freed), until: Self.later), "seed \(seed)")
            #expect(answer.planned && answer.kept, "seed \(seed)")
            #expect(s.improvements == 1 && s.rounds == 1, "seed \(seed)")
            let best = try #require(s.best)
            #expect(s.bestCost < day.objective(of: start, admissible: s.admissible).total - 1e-9, "seed \(seed)")
            #expect(Validator.violations(of: best, day: day).isEmpty, "seed \(seed)")
            for p in start where !freed.contains(p.request) {
                let now = best.first { $0.request == p.request }
                #expect(now?.start == p.start && now?.drawStart == p.drawStart && now?.prepStart == p.prepStart,
                        "request \(p.request) was not freed and moved (seed \(seed))")
            }
        }
    }

    /// An answer the problem refuses is never kept, however cheap, and the refusal is reported.
    @Test func aRefusedAnswerLeavesTheBestAlone() throws {
        let day = try RandomDays.small(seed: 2, requestCount: 14, chairCount: 4, nurseCount: 3)
        let (start, _) = try weakened(day)
        let s = search(day, start: start, atLeast: day.requests.count + 1)
        let cost = s.bestCost
        let answer = try #require(s.round(Neighbourhood(freed: Set(day.requests.indices.prefix(6))), until: Self.later))
        #expect(answer.answered && !answer.planned && !answer.kept)
        #expect(answer.rejection?.description == "vetoed")
        #expect(s.best == start && s.bestCost == cost && s.improvements == 0 && s.rounds == 1)
    }

    /// A plan as cheap as the best replaces it only when ties are allowed.
    @Test func tiesMoveOnlyWhenAsked() throws {
        let day = try RandomDays.small(seed: 3, requestCount: 10, chairCount: 4, nurseCount: 3)
        let (_, full) = try weakened(day)
        let s = search(day, start: full)
        let reordered = Array(full.reversed())
        #expect(!s.offer(reordered))
        #expect(s.best == full)
        #expect(s.offer(reordered, ties: true))
        #expect(s.best == reordered && s.improvements == 0)
    }

    /// A program that cannot hold the best plan is not solved: its answers could not be compared.
    @Test func aProgramWithoutTheBestPlanIsNotSolved() throws {
        let day = try RandomDays.small(seed: 1, requestCount: 12, chairCount: 4, nurseCount: 3)
        let (start, _) = try weakened(day)
        let s = search(day, start: start)
        // A program frozen to another plan (everyone left out) cannot write the best one.
        let other = ScheduleFormulation.neighbourhood(day, Neighbourhood(freed: []), hints: [])
        #expect(s.solve(other, freed: [], until: Self.later) == nil)
        #expect(s.rounds == 0)
    }
}
