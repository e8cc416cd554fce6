/// Options of the integer-program scheduler.
public struct MIPOptions: Sendable, Hashable {
    /// Seconds for the whole solve, building the model included.
    public var timeLimit: Double
    /// Stop once `(incumbent - bound) / |incumbent|` is at most this; nil proves optimality.
    public var relativeGap: Double?

    /// Creates options; the default is the command line's 30 seconds and a proven optimum.
    public init(timeLimit: Double = 30, relativeGap: Double? = nil) {
        self.timeLimit = timeLimit; self.relativeGap = relativeGap
    }
}

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

/// The result of ``MIPScheduler/solve(incumbent:)``.
public struct MIPOutcome: Sendable {
    /// The schedule, valid under SPEC §2; nil only when nothing was found and no incumbent was given.
    public var placements: [Placement]?
    /// How the solve ended.
    public var status: MIPStatus
    /// Proven lower bound on the objective of the model, when one was proven.
    public var bound: Double?
    /// Objective (SPEC §3) of `placements`, as ``ResolvedDay/objective(of:exempt:admissible:)`` computes it.
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

/// Schedules a day by solving the integer program of docs/MODEL.md with GLPK.
///
/// The solver's plan is made concrete (chairs, nurses, compounders, stations) and checked
/// against every hard constraint before it is returned. With nurses aggregated by shift
/// pattern the program is a relaxation, so it gets half the time and the exact per-nurse
/// program continues from its best schedule (repaired when its nurses do not split). The
/// result is never worse than the incumbent, which is also what comes back when nothing
/// better was found.
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
        let clock = ContinuousClock()
        let began = clock.now
        let limit = options.timeLimit.isNaN ? 0 : max(0, min(options.timeLimit, 1e7))
        let deadline = began + .milliseconds(Int64(limit * 1000))
        func elapsed() -> Double {
            let d = clock.now - began
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        func cost(_ placements: [Placement]) -> Double { day.objective(of: placements, admissible: admissible).total }

        var notes: [String] = []
        var start = incumbent
        if let given = incumbent, let problem = Validator.violations(of: given, day: day).first?.description {
            notes.append("the incumbent was ignored: \(problem)")
            start = nil
        }
        // The best of the solver's schedule, a repaired one and the incumbent; the incumbent
        // wins only when strictly better, so that ties keep the solver's answer.
        func finish(_ status: MIPStatus, bound: Double?, found: [Placement]?) -> MIPOutcome {
            var status = status
            var chosen = found
            var usedIncumbent = false
            if let start, found == nil || cost(start) < cost(found!) - 1e-9 {
                chosen = start
                usedIncumbent = true
                // Better than the model's optimum means the model missed it: nothing is proven then.
                if status == .noSolution || (status == .optimal && found != nil) { status = .feasible }
            }
            let objective = chosen.map(cost)
            var proven = bound
            if let b = bound, let o = objective { proven = min(b, o) }
            if status == .optimal, let o = objective { proven = o }
            return MIPOutcome(placements: chosen, status: status, bound: proven, objective: objective, seconds: elapsed(),
                              repairNote: notes.isEmpty ? nil : notes.joined(separator: "; "), usedIncumbent: usedIncumbent)
        }
        // A little time is kept back for assignment, checks and the answer itself.
        let reserve = Duration.milliseconds(Int64(min(500, limit * 100)))
        let solverDeadline = deadline - reserve

        var bound: Double?
        var best: [Placement]?          // best valid schedule made from a solver answer
        func consider(_ placements: [Placement]) {
            if let problem = Validator.violations(of: placements, day: day).first?.description {
                notes.append("a plan broke a rule and was discarded (\(problem))")
            } else if best == nil || cost(placements) < cost(best!) - 1e-9 {
                best = placements
            }
        }
        /// Builds and solves one program; nil when the time ran out before the solver could start.
        func run(_ aggregation: ScheduleFormulation.NurseAggregation, until end: ContinuousClock.Instant)
            -> (formulation: ScheduleFormulation, result: GLPKResult)? {
            guard clock.now < end else { notes.append("no time was left for the solver"); return nil }
            let hints = [best, start].compactMap { $0 }.min { cost($0) < cost($1) } ?? []
            let formulation = ScheduleFormulation(day: day, nurses: aggregation, hints: hints, admissible: admissible, deadline: end)
            guard !formulation.interrupted else { notes.append("the time ran out while building the model"); return nil }
            // The solver starts from the best of the known schedule (with the requests it leaves
            // out inserted where they fit) and a first fit of the program's own.
            let program = formulation.program
            let encoded = [formulation.encode(hints).flatMap { formulation.firstFit(from: $0, deadline: end) },
                           formulation.firstFit(deadline: end)]
                .compactMap { $0 }
                .min { program.objectiveValue(of: $0) < program.objectiveValue(of: $1) }
            let result: GLPKResult
            if clock.now < end {
                result = GLPKSolver.solve(program, start: encoded, deadline: end, relativeGap: options.relativeGap)
            } else {
                notes.append("no time was left for the solver")
                result = GLPKResult(status: encoded == nil ? .noSolution : .feasible, values: encoded,
                                    objective: encoded.map(program.objectiveValue(of:)))
            }
            if let b = result.bound { bound = max(bound ?? b, b) }
            return (formulation, result)
        }

        // First the program with nurses aggregated by shift pattern: small, and exact whenever
        // its plan splits into single nurses. When it holds groups of several nurses it gets half
        // the time, and the exact per-nurse program continues from its best schedule.
        let aggregated = ScheduleFormulation.nurseGroups(of: day, aggregation: .byShiftPattern).contains { $0.nurses.count > 1 }
        let firstEnd = aggregated ? clock.now + (solverDeadline - clock.now) / 2 : solverDeadline
        guard let (f1, r1) = run(.byShiftPattern, until: firstEnd) else {
            return aggregated ? finishExact() : finish(best == nil ? .noSolution : .feasible, bound: bound, found: best)
        }
        guard let values = r1.values else {
            // Failed, proven infeasible (ended before its time), or out of time with nothing found.
            if case .failed = r1.status { return finish(r1.status, bound: bound, found: best) }
            if !aggregated || clock.now < firstEnd { return finish(r1.status, bound: bound, found: best) }
            return finishExact()
        }
        let plan = f1.decode(values)
        switch ResourceAssignment.assign(plan, formulation: f1) {
        case .success(let placements):
            consider(placements)
            // An optimum of the relaxation that splits into single nurses is an optimum.
            if !aggregated || r1.status == .optimal { return finish(best == nil ? .noSolution : r1.status, bound: bound, found: best) }
        case .failure(let failure):
            notes.append("nurse assignment failed (\(failure.description))")
            if case .success(let repaired) = ResourceAssignment.assign(plan, formulation: f1, dropping: true) {
                notes.append("repaired by leaving out \(plan.count - repaired.count) of \(plan.count) patients")
                consider(repaired)
            }
            if !aggregated { return finish(.feasible, bound: bound, found: best) }
        }
        return finishExact()

        /// The per-nurse program from the best schedule so far, with the rest of the time.
        func finishExact() -> MIPOutcome {
            guard let (f2, r2) = run(.perNurse, until: solverDeadline), let values = r2.values else {
                return finish(best == nil ? .noSolution : .feasible, bound: bound, found: best)
            }
            switch ResourceAssignment.assign(f2.decode(values), formulation: f2) {
            case .success(let placements):
                consider(placements)
                return finish(r2.status, bound: bound, found: best)
            case .failure(let failure):
                notes.append("assignment failed in the per-nurse program (\(failure.description))")
                return finish(.feasible, bound: bound, found: best)
            }
        }
    }

    /// Writes the integer program to `path`: CPLEX LP for `.lp`, free MPS for `.mps`.
    ///
    /// The program written is the first stage of ``solve(incumbent:)``: nurses aggregated by
    /// shift pattern, no incumbent. Rows and columns carry readable names such as
    /// `start(R012@09.15,recliner#1)` and `chair(recliner#1@10.00)` (LP names allow no `:` or `[`).
    ///
    /// - Throws: ``InputError`` for any other extension or when the file cannot be written.
    public func exportModel(to path: String) throws {
        let lower = path.lowercased()
        let format: GLPKSolver.FileFormat
        if lower.hasSuffix(".lp") { format = .cplexLP }
        else if lower.hasSuffix(".mps") { format = .freeMPS }
        else { throw InputError(file: path, path: "", message: "model file must end in .lp or .mps") }
        try GLPKSolver.write(ScheduleFormulation(day: day).program, to: path, format: format)
    }
}
