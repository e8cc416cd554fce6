import SchedulingModel
import SchedulingRules
import MIPKit

extension MIPScheduler {
    /// The optimum of the linear relaxation of the day's integer program: a lower bound on the
    /// objective that no schedule of the program can beat, or nil when it is not found within
    /// `options.timeLimit` (building the program included), or when GLPK reports an error.
    ///
    /// The relaxation is that of the program nurses aggregated by shift pattern; with every
    /// column fractional, splitting a group's share evenly over its identical nurses gives the
    /// per-nurse program the same value, so the two relaxations agree and the smaller is solved.
    /// The bound holds for schedules whose draws and preps fall on the program's candidate
    /// minutes (docs/MODEL.md §6), which is every schedule on days with enough stations and
    /// compounders. Unlike ``MIPOutcome/bound`` it does not depend on how long branching ran,
    /// which makes it the fixed reference a benchmark measures both solvers against.
    ///
    /// - Complexity: one simplex run on the program of ``exportModel(to:)``; seconds on an xl day.
    public func relaxationBound() -> Double? {
        let limit = options.timeLimit.isNaN ? 0 : max(0, min(options.timeLimit, 1e7))
        let deadline = ContinuousClock.now + .milliseconds(Int64(limit * 1000))
        let formulation = ScheduleFormulation.wholeDay(day, nurses: .byShiftPattern, deadline: deadline)
        guard !formulation.interrupted else { return nil }
        return (try? GLPKSolver.linearRelaxation(formulation.program, deadline: deadline))??.objective
    }
}
