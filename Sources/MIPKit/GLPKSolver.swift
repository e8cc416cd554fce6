import SchedulingModel

import CGLPK

/// Why GLPK's simplex or branch-and-cut stopped, in the library's words.
///
/// Every return code of `glp_simplex` and `glp_intopt` has a case; ``init(code:)`` is the
/// only place that knows GLPK's numbers.
package enum GLPKStop: Sendable, Hashable {
    case finished, timeLimit, iterationLimit, gapReached, terminated
    case noPrimalFeasible, noDualFeasible, rootNotOptimal, invalidBounds
    case invalidBasis, singularMatrix, illConditioned, solverFailed, objectiveLimit
    case unknown(Int32)

    /// Every named case with its GLPK return code (`objectiveLimit` stands for both EOBJLL and EOBJUL).
    package static let codes: [(code: Int32, stop: GLPKStop)] = [
        (0, .finished), (GLP_ETMLIM, .timeLimit), (GLP_EITLIM, .iterationLimit), (GLP_EMIPGAP, .gapReached),
        (GLP_ESTOP, .terminated), (GLP_ENOPFS, .noPrimalFeasible), (GLP_ENODFS, .noDualFeasible),
        (GLP_EROOT, .rootNotOptimal), (GLP_EBOUND, .invalidBounds), (GLP_EBADB, .invalidBasis),
        (GLP_ESING, .singularMatrix), (GLP_ECOND, .illConditioned), (GLP_EFAIL, .solverFailed),
        (GLP_EOBJLL, .objectiveLimit), (GLP_EOBJUL, .objectiveLimit),
    ]

    /// The stop for a return code of `glp_simplex` or `glp_intopt`.
    package init(code: Int32) {
        self = Self.codes.first { $0.code == code }?.stop ?? .unknown(code)
    }
}

/// The state of the solution GLPK holds (`glp_get_status` / `glp_mip_status`).
package enum GLPKSolutionState: Sendable, Hashable, CaseIterable {
    case undefined, optimal, feasible, infeasible, noFeasible, unbounded

    /// Every case with its GLPK status code.
    package static let codes: [(code: Int32, state: GLPKSolutionState)] = [
        (GLP_UNDEF, .undefined), (GLP_OPT, .optimal), (GLP_FEAS, .feasible),
        (GLP_INFEAS, .infeasible), (GLP_NOFEAS, .noFeasible), (GLP_UNBND, .unbounded),
    ]

    /// The state for a GLPK status code; an unknown code is `undefined`.
    package init(code: Int32) {
        self = Self.codes.first { $0.code == code }?.state ?? .undefined
    }
}

/// What a GLPK run produced.
package struct GLPKResult: Sendable {
    /// The library status of the run, before an incumbent of the caller is taken into account.
    package var status: MIPStatus
    /// Column values of the best integer solution, when there is one.
    package var values: [Double]?
    /// Its objective value.
    package var objective: Double?
    /// Proven lower bound, when one was proven.
    package var bound: Double?
    /// Column values of the optimal linear relaxation (the root of branch-and-cut), when it was solved.
    package var relaxation: [Double]? = nil
    /// Whether GLPK proved that the program has no integer solution (its relaxation or the
    /// completed branch-and-cut found none), as opposed to stopping before it found one.
    package var provenInfeasible = false
    /// Simplex iterations GLPK made (the root relaxation and every node's).
    package var iterations = 0
}

/// The only bridge to GLPK: translates an ``IntegerProgram`` into a `glp_prob`, solves it or
/// writes it, and maps every answer to library types. No other file imports GLPK.
///
/// GLPK aborts the process on invalid arguments, so every program is checked with
/// ``IntegerProgram/validate()`` before any GLPK call; GLPK's error hook is not used, because
/// returning from it is not allowed and a long jump cannot unwind Swift frames.
package enum GLPKSolver {
    /// The library status for how a run stopped and what it holds.
    ///
    /// `state` is the MIP status after `glp_intopt`, or the LP status when the simplex stage
    /// already ended the run (its `optimal` then never reaches here as a final answer).
    package static func status(stop: GLPKStop, state: GLPKSolutionState) -> MIPStatus {
        switch stop {
        case .finished:
            switch state {
            case .optimal: return .optimal
            case .feasible: return .feasible
            case .infeasible, .noFeasible: return .noSolution
            case .unbounded: return .failed("GLPK: the relaxation is unbounded")
            case .undefined: return .failed("GLPK: finished without a solution status")
            }
        case .timeLimit, .iterationLimit, .gapReached, .terminated:
            return (state == .feasible || state == .optimal) ? .feasible : .noSolution
        case .noPrimalFeasible:
            return .noSolution
        case .noDualFeasible:
            return .failed("GLPK: the relaxation is unbounded")
        case .rootNotOptimal:
            return .failed("GLPK: root relaxation not solved")
        case .invalidBounds:
            return .failed("GLPK: invalid bounds")
        case .invalidBasis:
            return .failed("GLPK: invalid basis")
        case .singularMatrix:
            return .failed("GLPK: singular basis matrix")
        case .illConditioned:
            return .failed("GLPK: ill-conditioned basis matrix")
        case .solverFailed:
            return .failed("GLPK: solver failure")
        case .objectiveLimit:
            return .failed("GLPK: objective limit reached")
        case .unknown(let code):
            return .failed("GLPK: unknown return code \(code)")
        }
    }

    /// Milliseconds left before `deadline`, clamped to GLPK's `int` range; 0 when none are left.
    private static func millisecondsLeft(_ deadline: ContinuousClock.Instant) -> Int32 {
        let left = deadline - ContinuousClock.now
        let ms = Double(left.components.seconds) * 1000 + Double(left.components.attoseconds) / 1e15
        guard ms > 0 else { return 0 }
        return Int32(min(ms, Double(Int32.max)))
    }

    /// State shared with the branch-and-cut callback; touched only on the solving thread.
    private final class CallbackContext {
        let start: [Double]?
        let deadline: ContinuousClock.Instant
        var offered = false
        var bound = -Double.infinity
        let stop: (@Sendable () -> Bool)?
        /// Simplex iterations after which the search stops (counted work), or nil.
        let iterationLimit: Int32?
        init(start: [Double]?, deadline: ContinuousClock.Instant, stop: (@Sendable () -> Bool)?, iterationLimit: Int32?) {
            self.start = start; self.deadline = deadline; self.stop = stop; self.iterationLimit = iterationLimit
        }
    }

    /// The real deadline and the simplex iteration limit of a call that must end at `end` on
    /// `clock` (docs/MODEL.md §11): on a work clock the iterations the work left allows, weighted
    /// by the program's size; otherwise `end` alone.
    private static func limits(_ ip: IntegerProgram, until end: ContinuousClock.Instant,
                               clock: SearchClock?) -> (deadline: ContinuousClock.Instant, iterations: Int32?, cost: Double) {
        let cost = SearchClock.simplexIteration(columns: ip.variables.count, rows: ip.rows.count)
        guard let clock, clock.counted else { return (clock.map { min(end, $0.cap) } ?? end, nil, cost) }
        return (clock.realDeadline(end), Int32(clock.allowance(until: end, each: cost) ?? 0), cost)
    }

    /// Owns one `glp_prob` and frees it when done.
    private final class Problem {
        let pointer: OpaquePointer
        init(_ ip: IntegerProgram) {
            pointer = glp_create_prob()
            glp_set_obj_dir(pointer, GLP_MIN)
            glp_set_obj_coef(pointer, 0, ip.objectiveConstant)
            let n = ip.variables.count, m = ip.rows.count
            if n > 0 { glp_add_cols(pointer, Int32(n)) }
            if m > 0 { glp_add_rows(pointer, Int32(m)) }
            for (j, v) in ip.variables.enumerated() {
                let col = Int32(j + 1)
                glp_set_col_name(pointer, col, v.name)
                glp_set_col_kind(pointer, col, v.isInteger ? GLP_IV : GLP_CV)
                glp_set_col_bnds(pointer, col, v.lower == v.upper ? GLP_FX : GLP_DB, v.lower, v.upper)
                glp_set_obj_coef(pointer, col, v.objective)
            }
            var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
            for (i, row) in ip.rows.enumerated() {
                let r = Int32(i + 1)
                glp_set_row_name(pointer, r, row.name)
                switch (row.lower, row.upper) {
                case let (lo?, up?): glp_set_row_bnds(pointer, r, lo == up ? GLP_FX : GLP_DB, lo, up)
                case let (lo?, nil): glp_set_row_bnds(pointer, r, GLP_LO, lo, 0)
                case let (nil, up?): glp_set_row_bnds(pointer, r, GLP_UP, 0, up)
                case (nil, nil): glp_set_row_bnds(pointer, r, GLP_FR, 0, 0)
                }
                for (k, j) in row.columns.enumerated() {
                    ia.append(r); ja.append(Int32(j + 1)); ar.append(row.coefficients[k])
                }
            }
            if ia.count > 1 { glp_load_matrix(pointer, Int32(ia.count - 1), ia, ja, ar) }
        }
        deinit { glp_delete_prob(pointer) }
    }

    /// Solves `ip` before `deadline`, offering `start` (a feasible column vector) as the first
    /// incumbent, and stopping at `relativeGap` when given.
    ///
    /// `stop`, when given, is asked between branch-and-cut nodes and ends the search when true
    /// (another thread may set what it reads; the relaxation itself runs to `deadline`).
    ///
    /// With a `clock` that counts work, `deadline` is read on that clock: the search stops after
    /// the simplex iterations that fit before it (the same for every run) or at the clock's real
    /// cap, and the iterations are charged to the clock.
    package static func solve(_ ip: IntegerProgram, start: [Double]?, deadline: ContinuousClock.Instant, relativeGap: Double?,
                      stop: (@Sendable () -> Bool)? = nil, feasibility: Bool = false, clock: SearchClock? = nil) -> GLPKResult {
        if let problem = ip.validate() { return GLPKResult(status: .failed("invalid model: \(problem)")) }
        if let gap = relativeGap, !(gap.isFinite && gap >= 0) { return GLPKResult(status: .failed("invalid relative gap")) }
        if let start, start.count != ip.variables.count || start.contains(where: { !$0.isFinite }) {
            return GLPKResult(status: .failed("invalid starting solution"))
        }
        let (realDeadline, iterations, cost) = limits(ip, until: deadline, clock: clock)
        // A stop asked of the clock also ends the branch and cut at its next node.
        let signal = clock?.stop
        var shouldStop = stop
        if let signal {
            shouldStop = { @Sendable in signal.isSet || (stop?() ?? false) }
        }
        var result = run(ip, start: start, deadline: realDeadline, iterationLimit: iterations, relativeGap: relativeGap,
                         feasibility: feasibility, stop: shouldStop)
        clock?.charge(Double(result.iterations) * cost)
        // GLPK may end a limited search holding a worse solution than the one offered, or none
        // when it stopped before asking for a heuristic one: keep the better of the two.
        if let start, ip.isFeasible(start) {
            let startObjective = ip.objectiveValue(of: start)
            if result.objective == nil || startObjective < result.objective! - 1e-9 {
                result.values = start
                result.objective = startObjective
                if result.status == .noSolution { result.status = .feasible }
            }
        }
        if let objective = result.objective, let bound = result.bound { result.bound = min(bound, objective) }
        return result
    }

    /// The GLPK run itself, for ``solve(_:start:deadline:relativeGap:)`` once its inputs are checked.
    private static func run(_ ip: IntegerProgram, start: [Double]?, deadline: ContinuousClock.Instant, iterationLimit: Int32?,
                            relativeGap: Double?, feasibility: Bool, stop shouldStop: (@Sendable () -> Bool)?) -> GLPKResult {
        glp_term_out(GLP_OFF)
        guard millisecondsLeft(deadline) > 0, iterationLimit.map({ $0 > 0 }) ?? true else { return GLPKResult(status: .noSolution) }
        let problem = Problem(ip)
        let P = problem.pointer

        // The relaxation first, without presolve, so that branch-and-cut sees the original columns.
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_OFF
        smcp.tm_lim = millisecondsLeft(deadline)
        if let iterationLimit { smcp.it_lim = iterationLimit }
        guard smcp.tm_lim > 0 else { return GLPKResult(status: .noSolution) }
        let lpStop = GLPKStop(code: glp_simplex(P, &smcp))
        let lpState = GLPKSolutionState(code: glp_get_status(P))
        guard lpStop == .finished, lpState == .optimal else {
            var result = GLPKResult(status: status(stop: lpStop, state: lpState))
            result.iterations = Int(glp_get_it_cnt(P))
            result.provenInfeasible = (lpStop == .finished && lpState == .noFeasible) || lpStop == .noPrimalFeasible
            return result
        }
        let rootBound = glp_get_obj_val(P)
        let relaxation = (0..<ip.variables.count).map { glp_get_col_prim(P, Int32($0 + 1)) }

        let context = CallbackContext(start: start.map { [0] + $0 }, deadline: deadline, stop: shouldStop, iterationLimit: iterationLimit)
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_OFF
        iocp.presolve = GLP_OFF
        iocp.tm_lim = millisecondsLeft(deadline)
        if let gap = relativeGap { iocp.mip_gap = gap }
        // Driebeck–Tomlin branching scans the whole tableau between two callbacks (seconds on a
        // large day), which breaks the time limit; the most fractional variable is cheap.
        iocp.br_tech = GLP_BR_MFV
        if feasibility {
            // A program without an objective (is there any solution?): the feasibility pump
            // looks for one from the relaxation, and clique cuts tighten set-packing rows.
            iocp.fp_heur = GLP_ON
            iocp.clq_cuts = GLP_ON
        }
        guard iocp.tm_lim > 0 else { return GLPKResult(status: .noSolution, bound: rootBound, relaxation: relaxation) }
        iocp.cb_info = Unmanaged.passUnretained(context).toOpaque()
        iocp.cb_func = { tree, info in
            // No Swift error or allocation failure may cross this C frame: only plain reads and calls.
            guard let tree, let info else { return }
            let context = Unmanaged<CallbackContext>.fromOpaque(info).takeUnretainedValue()
            let node = glp_ios_best_node(tree)
            if node != 0 { context.bound = max(context.bound, glp_ios_node_bound(tree, node)) }
            if glp_ios_reason(tree) == GLP_IHEUR, !context.offered, let x = context.start {
                context.offered = true
                x.withUnsafeBufferPointer { _ = glp_ios_heur_sol(tree, $0.baseAddress) }
            }
            if let limit = context.iterationLimit, glp_get_it_cnt(glp_ios_get_prob(tree)) >= limit { glp_ios_terminate(tree) }
            if ContinuousClock.now >= context.deadline || context.stop?() == true { glp_ios_terminate(tree) }
        }
        let stop = withExtendedLifetime(context) { GLPKStop(code: glp_intopt(P, &iocp)) }
        let state = GLPKSolutionState(code: glp_mip_status(P))
        let result = status(stop: stop, state: state)
        var bound = max(rootBound, context.bound)
        var values: [Double]?, objective: Double?
        if state == .optimal || state == .feasible {
            values = (0..<ip.variables.count).map { glp_mip_col_val(P, Int32($0 + 1)) }
            let value = glp_mip_obj_val(P)
            objective = value
            if result == .optimal { bound = value }
            bound = min(bound, value)
        }
        return GLPKResult(status: result, values: values, objective: objective, bound: bound.isFinite ? bound : nil,
                          relaxation: relaxation,
                          provenInfeasible: stop == .finished && state == .noFeasible,
                          iterations: Int(glp_get_it_cnt(P)))
    }

    /// Why a program could not be written; the caller names the file.
    package struct WriteError: Error, Sendable { package var message: String }

    /// Model file formats GLPK writes.
    package enum FileFormat: Sendable { case cplexLP, freeMPS }

    /// Writes `ip` to `path`.
    ///
    /// - Throws: ``WriteError`` when the program is invalid or the file cannot be written.
    package static func write(_ ip: IntegerProgram, to path: String, format: FileFormat) throws(WriteError) {
        if let problem = ip.validate() { throw WriteError(message: "cannot export an invalid model: \(problem)") }
        guard !path.isEmpty, !path.utf8.contains(0) else { throw WriteError(message: "invalid file name") }
        glp_term_out(GLP_OFF)
        let problem = Problem(ip)
        glp_set_prob_name(problem.pointer, "infusion_day")
        glp_set_obj_name(problem.pointer, "cost")
        let code: Int32
        switch format {
        case .cplexLP: code = glp_write_lp(problem.pointer, nil, path)
        case .freeMPS: code = glp_write_mps(problem.pointer, GLP_MPS_FILE, nil, path)
        }
        guard code == 0 else { throw WriteError(message: "cannot be written") }
    }
}

extension GLPKSolver {
    /// The optimum of the linear relaxation of `ip` (every column continuous within its bounds)
    /// and its column values, or nil when the program is invalid, the relaxation is infeasible or
    /// not solved before `deadline`.
    ///
    /// GLPK's LP presolver is on (faster on a day's program than the plain simplex that starts
    /// branch-and-cut); GLPK recovers the solution of the original columns after it.
    ///
    /// With a `clock` that counts work, `deadline` is read on that clock (as in ``solve(_:start:deadline:relativeGap:stop:feasibility:clock:)``).
    package static func linearRelaxation(_ ip: IntegerProgram, deadline: ContinuousClock.Instant,
                                 clock: SearchClock? = nil) -> (objective: Double, values: [Double])? {
        guard ip.validate() == nil else { return nil }
        glp_term_out(GLP_OFF)
        let problem = Problem(ip)
        let (realDeadline, iterations, cost) = limits(ip, until: deadline, clock: clock)
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_ON
        smcp.tm_lim = millisecondsLeft(realDeadline)
        if let iterations { smcp.it_lim = iterations }
        guard smcp.tm_lim > 0, iterations.map({ $0 > 0 }) ?? true else { return nil }
        let stop = GLPKStop(code: glp_simplex(problem.pointer, &smcp))
        clock?.charge(Double(glp_get_it_cnt(problem.pointer)) * cost)
        guard stop == .finished, GLPKSolutionState(code: glp_get_status(problem.pointer)) == .optimal else { return nil }
        let values = (0..<ip.variables.count).map { glp_get_col_prim(problem.pointer, Int32($0 + 1)) }
        return (glp_get_obj_val(problem.pointer), values)
    }
}
