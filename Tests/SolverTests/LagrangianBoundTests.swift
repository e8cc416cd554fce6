import Foundation
import Testing
import TestSupport

@testable import MIPKit

/// The Lagrangian bound of the relaxation (docs/MODEL.md §6, 2): valid, and close to the LP.
@Suite struct LagrangianBoundTests {
    /// Crowded days: more requests than the chairs and nurses hold in the clinic's hours.
    static func crowded(_ seed: UInt64) throws -> ResolvedDay {
        try RandomDays.small(seed: seed, requestCount: 16, chairCount: 3, nurseCount: 2)
    }

    /// The relaxation's LP optimum (GLPK), for comparison.
    static func lp(_ r: ScheduleFormulation) throws -> Double? {
        try GLPKSolver.linearRelaxation(r.program, deadline: .now + .seconds(120))?.objective
    }

    /// Never above the day's optimum (exhaustive, on tiny days with scarce chairs and nurses),
    /// never above the LP (rounded up to whole units), never below the separable bound.
    @Test func theBoundNeverExceedsTheOptimum() throws {
        for seed in UInt64(40)..<70 {
            let day = try RandomDays.tiny(seed: seed, scarce: true)
            let r = ScheduleFormulation.boundRelaxation(day)
            let optimum = ExhaustiveReference.optimum(day)
            let lp = try Self.lp(r)
            try #require(lp != nil, "seed \(seed)")
            let lag = r.lagrangianBound(target: optimum + 100, iterations: 2_000)
            try #require(lag != nil, "seed \(seed)")
            #expect(lag!.bound <= optimum + 1e-6, "seed \(seed): \(lag!.bound) above the optimum \(optimum)")
            #expect(lag!.bound <= lp!.rounded(.up) + 1e-6, "seed \(seed): \(lag!.bound) above the LP \(lp!)")
            #expect(lag!.bound >= r.separableBound() - 1e-6, "seed \(seed)")
        }
    }

    /// On crowded days the bound is well above the separable bound and close to the LP, and every
    /// request with starts has one at zero slack.
    @Test func onCrowdedDaysTheBoundComesCloseToTheLP() throws {
        var raised = 0
        for seed in UInt64(900)...905 {
            let day = try Self.crowded(seed)
            let r = ScheduleFormulation.boundRelaxation(day)
            let lp = try Self.lp(r)
            try #require(lp != nil, "seed \(seed)")
            let greedy = day.objective(of: try GreedyScheduler(day: day).schedule()).total
            let lag = r.lagrangianBound(target: greedy, iterations: 3_000)
            try #require(lag != nil, "seed \(seed)")
            let bound = lag!.bound, separable = r.separableBound()
            #expect(bound <= lp!.rounded(.up) + 1e-6, "seed \(seed): \(bound) above the LP \(lp!)")
            #expect(bound >= separable + 0.9 * (lp! - separable) - 1e-6, "seed \(seed): \(bound), separable \(separable), LP \(lp!)")
            if bound > separable + 1 { raised += 1 }
            for (request, slack) in lag!.startSlack {
                #expect(slack.values.min() == 0, "seed \(seed), request \(request)")
                #expect(lag!.starts(within: 0)[request]?.isEmpty == false)
            }
        }
        #expect(raised >= 3, "the bound rose above the separable one on only \(raised) of 6 days")
    }

    /// The steps stop at once when asked or past the deadline (no bound then), and programs
    /// with frozen requests are refused.
    @Test func stopsAndRefusals() throws {
        let day = try Self.crowded(901)
        let r = ScheduleFormulation.boundRelaxation(day)
        #expect(r.lagrangianBound(target: 1e4, iterations: 100, stop: { true }) == nil)
        #expect(r.lagrangianBound(target: 1e4, iterations: 100, deadline: .now - .seconds(1)) == nil)
        #expect(r.lagrangianBound(target: .infinity, iterations: 100) == nil)
        let one = try #require(r.lagrangianBound(target: 1e4, iterations: 1))
        #expect(one.iterations == 1 && abs(one.bound - r.separableBound().rounded(.up)) < 1e-6)   // y = 0: each request's cheapest
        let greedy = try GreedyScheduler(day: day).schedule()
        let frozen = ScheduleFormulation.neighbourhood(day, Neighbourhood(freed: [0, 1]), hints: greedy)
        #expect(frozen.lagrangianBound(target: 1e4, iterations: 100) == nil)
    }
}
