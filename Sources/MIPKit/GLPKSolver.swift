import SchedulingModel

import CGLPK
import CGLPKShim

/// GLPK reported an error during a call (misuse of its API, a failed internal check, memory
/// exhausted): the call is abandoned and this is thrown instead of GLPK aborting the process.
///
/// GLPK's environment of the calling thread was invalid after the error and has been freed
/// (with every GLPK object of that thread); the next call on the thread starts a new one.
package struct GLPKFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What GLPK printed, on one line (e.g. `glp_set_col_bnds: j = 0; column number out of range`).
    package var message: String

    package init(message: String) { self.message = message }

    package var description: String { "GLPK failed: \(message)" }

    /// The failure this thread's guard last caught.
    static func caught() -> GLPKFailure {
        let text = String(cString: iglp_failure_message())
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed() }
            .map { String($0) }.filter { !$0.isEmpty }
        return GLPKFailure(message: lines.isEmpty ? "GLPK reported an error" : lines.joined(separator: "; "))
    }
}

/// Throws the failure a guarded GLPK call (`iglp_*`, Sources/CGLPKShim) reports.
@inline(__always)
private func check(_ code: Int32) throws(GLPKFailure) {
    if code != IGLP_OK { throw GLPKFailure.caught() }
}

/// The value a guarded GLPK call writes to its `out` parameter.
@inline(__always)
private func value<T>(_ initial: T, _ call: (UnsafeMutablePointer<T>) -> Int32) throws(GLPKFailure) -> T {
    var result = initial
    try check(call(&result))
    return result
}

/// Values of columns 1...n that a guarded GLPK call writes (`iglp_get_col_prims`, `iglp_mip_col_vals`).
private func columnValues(_ n: Int, _ call: (UnsafeMutablePointer<Double>?) -> Int32) throws(GLPKFailure) -> [Double] {
    var values = [Double](repeating: 0, count: n)
    try check(values.withUnsafeMutableBufferPointer { call($0.baseAddress) })
    return values
}

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
/// Every program is checked with ``IntegerProgram/validate()`` before any GLPK call. Should GLPK
/// still report an error (a bug here, or memory exhausted), it does not abort the process: every
/// GLPK call goes through the guarded functions of `CGLPKShim` (`iglp_*`, whose header states the
/// rule that keeps long jumps out of Swift frames), and the call throws ``GLPKFailure``. Never call
/// a `glp_*` function directly: only `CGLPKShim`'s guards catch its errors.
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

    /// Owns one `glp_prob` and frees it when done, unless a GLPK failure on this thread has freed
    /// it already with the environment (its generation is then past).
    ///
    /// A problem lives within one call of this type, on the thread of that call: nothing uses it
    /// after a failure, which the call throws at once.
    private final class Problem {
        let pointer: OpaquePointer
        /// The generation of this thread's GLPK environment that holds the problem.
        private let generation: UInt

        private init(_ pointer: OpaquePointer) {
            self.pointer = pointer
            generation = iglp_generation()
        }

        /// The problem of `ip`.
        static func make(_ ip: IntegerProgram) throws(GLPKFailure) -> Problem {
            guard let created = try value(OpaquePointer?.none, { iglp_create_prob($0) }) else {
                throw GLPKFailure(message: "glp_create_prob returned no problem")
            }
            let problem = Problem(created)
            try problem.load(ip)
            return problem
        }

        private func load(_ ip: IntegerProgram) throws(GLPKFailure) {
            try check(iglp_set_obj_dir(pointer, GLP_MIN))
            try check(iglp_set_obj_coef(pointer, 0, ip.objectiveConstant))
            let n = ip.variables.count, m = ip.rows.count
            if n > 0 { try check(iglp_add_cols(pointer, Int32(n))) }
            if m > 0 { try check(iglp_add_rows(pointer, Int32(m))) }
            for (j, v) in ip.variables.enumerated() {
                let col = Int32(j + 1)
                try check(iglp_set_col_name(pointer, col, v.name))
                try check(iglp_set_col_kind(pointer, col, v.isInteger ? GLP_IV : GLP_CV))
                try check(iglp_set_col_bnds(pointer, col, v.lower == v.upper ? GLP_FX : GLP_DB, v.lower, v.upper))
                try check(iglp_set_obj_coef(pointer, col, v.objective))
            }
            var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
            for (i, row) in ip.rows.enumerated() {
                let r = Int32(i + 1)
                try check(iglp_set_row_name(pointer, r, row.name))
                switch (row.lower, row.upper) {
                case let (lo?, up?): try check(iglp_set_row_bnds(pointer, r, lo == up ? GLP_FX : GLP_DB, lo, up))
                case let (lo?, nil): try check(iglp_set_row_bnds(pointer, r, GLP_LO, lo, 0))
                case let (nil, up?): try check(iglp_set_row_bnds(pointer, r, GLP_UP, 0, up))
                case (nil, nil): try check(iglp_set_row_bnds(pointer, r, GLP_FR, 0, 0))
                }
                for (k, j) in row.columns.enumerated() {
                    ia.append(r); ja.append(Int32(j + 1)); ar.append(row.coefficients[k])
                }
            }
            if ia.count > 1 { try check(iglp_load_matrix(pointer, Int32(ia.count - 1), ia, ja, ar)) }
        }

        deinit {
            if iglp_generation() == generation { _ = iglp_delete_prob(pointer) }
        }
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
    ///
    /// - Throws: ``GLPKFailure`` when GLPK reports an error (the call is abandoned).
    package static func solve(_ ip: IntegerProgram, start: [Double]?, deadline: ContinuousClock.Instant, relativeGap: Double?,
                      stop: (@Sendable () -> Bool)? = nil, feasibility: Bool = false,
                      clock: SearchClock? = nil) throws(GLPKFailure) -> GLPKResult {
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
        var result = try run(ip, start: start, deadline: realDeadline, iterationLimit: iterations, relativeGap: relativeGap,
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

    /// The GLPK run itself, for ``solve(_:start:deadline:relativeGap:stop:feasibility:clock:)`` once its inputs are checked.
    private static func run(_ ip: IntegerProgram, start: [Double]?, deadline: ContinuousClock.Instant, iterationLimit: Int32?,
                            relativeGap: Double?, feasibility: Bool,
                            stop shouldStop: (@Sendable () -> Bool)?) throws(GLPKFailure) -> GLPKResult {
        try check(iglp_term_out(GLP_OFF))
        guard millisecondsLeft(deadline) > 0, iterationLimit.map({ $0 > 0 }) ?? true else { return GLPKResult(status: .noSolution) }
        let problem = try Problem.make(ip)
        let P = problem.pointer
        let n = ip.variables.count

        // The relaxation first, without presolve, so that branch-and-cut sees the original columns.
        var smcp = glp_smcp()
        try check(iglp_init_smcp(&smcp))
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_OFF
        smcp.tm_lim = millisecondsLeft(deadline)
        if let iterationLimit { smcp.it_lim = iterationLimit }
        guard smcp.tm_lim > 0 else { return GLPKResult(status: .noSolution) }
        let lpStop = GLPKStop(code: try value(0) { iglp_simplex(P, &smcp, $0) })
        let lpState = GLPKSolutionState(code: try value(0) { iglp_get_status(P, $0) })
        guard lpStop == .finished, lpState == .optimal else {
            var result = GLPKResult(status: status(stop: lpStop, state: lpState))
            result.iterations = Int(try value(0) { iglp_get_it_cnt(P, $0) })
            result.provenInfeasible = (lpStop == .finished && lpState == .noFeasible) || lpStop == .noPrimalFeasible
            return result
        }
        let rootBound = try value(0.0) { iglp_get_obj_val(P, $0) }
        let relaxation = try columnValues(n) { iglp_get_col_prims(P, Int32(n), $0) }

        let context = CallbackContext(start: start.map { [0] + $0 }, deadline: deadline, stop: shouldStop, iterationLimit: iterationLimit)
        var iocp = glp_iocp()
        try check(iglp_init_iocp(&iocp))
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
        let stop = try withExtendedLifetime(context) { () throws(GLPKFailure) in
            GLPKStop(code: try value(0) { iglp_intopt(P, &iocp, branchAndCutCallback, Unmanaged.passUnretained(context).toOpaque(), $0) })
        }
        let state = GLPKSolutionState(code: try value(0) { iglp_mip_status(P, $0) })
        let result = status(stop: stop, state: state)
        var bound = max(rootBound, context.bound)
        var values: [Double]?, objective: Double?
        if state == .optimal || state == .feasible {
            values = try columnValues(n) { iglp_mip_col_vals(P, Int32(n), $0) }
            let value = try value(0.0) { iglp_mip_obj_val(P, $0) }
            objective = value
            if result == .optimal { bound = value }
            bound = min(bound, value)
        }
        return GLPKResult(status: result, values: values, objective: objective, bound: bound.isFinite ? bound : nil,
                          relaxation: relaxation,
                          provenInfeasible: stop == .finished && state == .noFeasible,
                          iterations: Int(try value(0) { iglp_get_it_cnt(P, $0) }))
    }

    /// The branch-and-cut callback (`info`: the run's ``CallbackContext``), called by the C
    /// trampoline of `iglp_intopt`.
    ///
    /// It runs inside `glp_intopt`, so each GLPK call here is a *nested* guarded call
    /// (Sources/CGLPKShim/include/glpk_guard.h): when one fails, return at once — every later
    /// call would fail too — and the trampoline, below this Swift frame, ends `glp_intopt` with
    /// the failure, which ``run`` then throws. No Swift error or allocation failure may cross
    /// this C frame either: only plain reads and calls.
    private static let branchAndCutCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { tree, info in
        guard let tree, let info else { return }
        let context = Unmanaged<CallbackContext>.fromOpaque(info).takeUnretainedValue()
        if iglp_fault() == IGLP_FAULT_CALLBACK {
            // A fault armed by a test (``GLPKSolver/withInjectedFault(_:)``): an invalid subproblem number.
            var ignored = 0.0
            _ = iglp_ios_node_bound(tree, -1, &ignored)
            return
        }
        var node: Int32 = 0, reason: Int32 = 0
        guard iglp_ios_best_node(tree, &node) == IGLP_OK else { return }
        if node != 0 {
            var bound = 0.0
            guard iglp_ios_node_bound(tree, node, &bound) == IGLP_OK else { return }
            context.bound = max(context.bound, bound)
        }
        guard iglp_ios_reason(tree, &reason) == IGLP_OK else { return }
        if reason == GLP_IHEUR, !context.offered, let x = context.start {
            context.offered = true
            var accepted: Int32 = 0
            guard x.withUnsafeBufferPointer({ iglp_ios_heur_sol(tree, $0.baseAddress, &accepted) }) == IGLP_OK else { return }
        }
        if let limit = context.iterationLimit {
            var iterations: Int32 = 0
            guard iglp_ios_it_cnt(tree, &iterations) == IGLP_OK else { return }
            if iterations >= limit { guard iglp_ios_terminate(tree) == IGLP_OK else { return } }
        }
        if ContinuousClock.now >= context.deadline || context.stop?() == true { _ = iglp_ios_terminate(tree) }
    }

    /// Runs `body` with a GLPK error provoked in every branch-and-cut callback on this thread
    /// (an invalid call, which GLPK reports as an error) when `armed`: a seam for the tests of
    /// the guard, package-visible only. Other threads are not affected, except those a solve
    /// starts, which take their caller's (``faultArmedOnThisThread``).
    package static func withInjectedFault<T, E: Error>(_ armed: Bool = true, _ body: () throws(E) -> T) throws(E) -> T {
        guard armed else { return try body() }
        iglp_arm_thread_fault(IGLP_FAULT_CALLBACK)
        defer { iglp_arm_thread_fault(IGLP_FAULT_NONE) }
        return try body()
    }

    /// Whether ``withInjectedFault(_:_:)`` armed the fault on this thread.
    package static var faultArmedOnThisThread: Bool { iglp_thread_fault() == IGLP_FAULT_CALLBACK }

    /// Provokes a GLPK error in every branch-and-cut callback of this process from now on (the
    /// CLI's test seam, docs/ARCHITECTURE.md): every MIP solve then fails.
    package static func injectFaultInEverySolve() {
        iglp_arm_process_fault(IGLP_FAULT_CALLBACK)
    }

    /// Makes one invalid GLPK call (the bounds of a column of a problem without columns) and
    /// throws the failure GLPK reports: a seam for the tests of the guard, package-visible only.
    package static func provokeFailure() throws(GLPKFailure) {
        let problem = try Problem.make(IntegerProgram())
        try check(iglp_set_col_bnds(problem.pointer, 1, GLP_FX, 0, 0))
    }

    /// Why a program could not be written; the caller names the file.
    package struct WriteError: Error, Sendable { package var message: String }

    /// Model file formats GLPK writes.
    package enum FileFormat: Sendable { case cplexLP, freeMPS }

    /// Writes `ip` to `path`.
    ///
    /// - Throws: ``WriteError`` when the program is invalid or the file cannot be written;
    ///   ``GLPKFailure`` when GLPK reports an error.
    package static func write(_ ip: IntegerProgram, to path: String, format: FileFormat) throws {
        if let problem = ip.validate() { throw WriteError(message: "cannot export an invalid model: \(problem)") }
        guard !path.isEmpty, !path.utf8.contains(0) else { throw WriteError(message: "invalid file name") }
        try check(iglp_term_out(GLP_OFF))
        let problem = try Problem.make(ip)
        try check(iglp_set_prob_name(problem.pointer, "infusion_day"))
        try check(iglp_set_obj_name(problem.pointer, "cost"))
        let code: Int32
        switch format {
        case .cplexLP: code = try value(0) { iglp_write_lp(problem.pointer, path, $0) }
        case .freeMPS: code = try value(0) { iglp_write_mps(problem.pointer, GLP_MPS_FILE, path, $0) }
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
    ///
    /// - Throws: ``GLPKFailure`` when GLPK reports an error.
    package static func linearRelaxation(_ ip: IntegerProgram, deadline: ContinuousClock.Instant,
                                 clock: SearchClock? = nil) throws(GLPKFailure) -> (objective: Double, values: [Double])? {
        guard ip.validate() == nil else { return nil }
        try check(iglp_term_out(GLP_OFF))
        let problem = try Problem.make(ip)
        let P = problem.pointer
        let (realDeadline, iterations, cost) = limits(ip, until: deadline, clock: clock)
        var smcp = glp_smcp()
        try check(iglp_init_smcp(&smcp))
        smcp.msg_lev = GLP_MSG_OFF
        smcp.presolve = GLP_ON
        smcp.tm_lim = millisecondsLeft(realDeadline)
        if let iterations { smcp.it_lim = iterations }
        guard smcp.tm_lim > 0, iterations.map({ $0 > 0 }) ?? true else { return nil }
        let stop = GLPKStop(code: try value(0) { iglp_simplex(P, &smcp, $0) })
        clock?.charge(Double(try value(0) { iglp_get_it_cnt(P, $0) }) * cost)
        guard stop == .finished, GLPKSolutionState(code: try value(0) { iglp_get_status(P, $0) }) == .optimal else { return nil }
        let n = ip.variables.count
        let values = try columnValues(n) { iglp_get_col_prims(P, Int32(n), $0) }
        return (try value(0.0) { iglp_get_obj_val(P, $0) }, values)
    }
}
