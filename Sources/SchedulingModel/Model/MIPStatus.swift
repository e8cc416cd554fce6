/// How an integer-program solve ended.
public enum MIPStatus: Sendable, Hashable {
    /// The schedule is optimal for the model.
    case optimal
    /// A schedule is at hand but not proven optimal (time limit or gap reached).
    case feasible
    /// Nothing was found: the time ran out first, or the model is infeasible.
    case noSolution
    /// The solver failed (the message names why, e.g. a GLPK return code).
    case failed(String)
}
