import SchedulingModel

import MIPKit

extension ScheduleFormulation {
    /// GLPK's answer to this program from `start` (column values, e.g. ``encode(_:)``'s), by
    /// `deadline`: how it ended and the best column values found. The one way layers above the
    /// solvers reach GLPK with a formulation of theirs. A GLPK error is status `failed` with its message.
    package func solve(start: [Double]?, deadline: ContinuousClock.Instant,
                       relativeGap: Double? = nil) -> (status: MIPStatus, values: [Double]?) {
        do {
            let result = try GLPKSolver.solve(program, start: start, deadline: deadline, relativeGap: relativeGap)
            return (result.status, result.values)
        } catch {
            return (.failed(error.description), nil)
        }
    }
}
