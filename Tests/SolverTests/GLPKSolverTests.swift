import Foundation
import Testing
import TestSupport

@testable import MIPKit

@Suite struct GLPKSolverTests {
    /// Every return code of glp_simplex / glp_intopt, and what the library makes of it with and
    /// without a solution at hand.
    static let stopCases: [(GLPKStop, GLPKSolutionState, MIPStatus)] = [
        (.finished, .optimal, .optimal),
        (.finished, .feasible, .feasible),
        (.finished, .noFeasible, .noSolution),
        (.finished, .infeasible, .noSolution),
        (.finished, .unbounded, .failed("GLPK: the relaxation is unbounded")),
        (.finished, .undefined, .failed("GLPK: finished without a solution status")),
        (.timeLimit, .feasible, .feasible),
        (.timeLimit, .undefined, .noSolution),
        (.iterationLimit, .feasible, .feasible),
        (.iterationLimit, .undefined, .noSolution),
        (.gapReached, .feasible, .feasible),
        (.terminated, .feasible, .feasible),
        (.terminated, .undefined, .noSolution),
        (.noPrimalFeasible, .undefined, .noSolution),
        (.noDualFeasible, .undefined, .failed("GLPK: the relaxation is unbounded")),
        (.rootNotOptimal, .undefined, .failed("GLPK: root relaxation not solved")),
        (.invalidBounds, .undefined, .failed("GLPK: invalid bounds")),
        (.invalidBasis, .undefined, .failed("GLPK: invalid basis")),
        (.singularMatrix, .undefined, .failed("GLPK: singular basis matrix")),
        (.illConditioned, .undefined, .failed("GLPK: ill-conditioned basis matrix")),
        (.solverFailed, .undefined, .failed("GLPK: solver failure")),
        (.objectiveLimit, .undefined, .failed("GLPK: objective limit reached")),
        (.unknown(99), .undefined, .failed("GLPK: unknown return code 99")),
    ]

    @Test(arguments: stopCases)
    func statusMapping(_ stop: GLPKStop, _ state: GLPKSolutionState, _ expected: MIPStatus) {
        #expect(GLPKSolver.status(stop: stop, state: state) == expected)
    }

    @Test(arguments: GLPKStop.codes.map(\.code))
    func everyReturnCodeHasItsOwnCase(_ code: Int32) {
        let stop = GLPKStop(code: code)
        #expect(stop != .unknown(code))
        // Distinct codes map to distinct cases, except the two objective limits.
        let sharing = GLPKStop.codes.filter { $0.stop == stop }.count
        #expect(sharing == (stop == .objectiveLimit ? 2 : 1))
    }

    @Test func unknownCodesStayUnknown() {
        #expect(GLPKStop(code: 1234) == .unknown(1234))
        #expect(GLPKSolutionState(code: 1234) == .undefined)
    }

    @Test(arguments: GLPKSolutionState.allCases)
    func everySolutionStateHasACode(_ state: GLPKSolutionState) throws {
        let code = try #require(GLPKSolutionState.codes.first { $0.state == state }?.code)
        #expect(GLPKSolutionState(code: code) == state)
    }

    /// max 5a + 4b + 3c  s.t. 2a + 3b + c <= 5, 4a + b + 2c <= 11, 3a + 4b + 2c <= 8 (binary), as a minimisation.
    static func knapsack() -> IntegerProgram {
        var ip = IntegerProgram()
        for (name, c) in [("a", -5.0), ("b", -4.0), ("c", -3.0)] {
            ip.addVariable(.init(name: name, lower: 0, upper: 1, isInteger: true, objective: c))
        }
        ip.addRow(.init(name: "r1", columns: [0, 1, 2], coefficients: [2, 3, 1], lower: nil, upper: 5))
        ip.addRow(.init(name: "r2", columns: [0, 1, 2], coefficients: [4, 1, 2], lower: nil, upper: 11))
        ip.addRow(.init(name: "r3", columns: [0, 1, 2], coefficients: [3, 4, 2], lower: nil, upper: 8))
        return ip
    }

    static var later: ContinuousClock.Instant { .now + .seconds(10) }

    @Test func solvesASmallProgramToOptimality() throws {
        let result = try GLPKSolver.solve(Self.knapsack(), start: nil, deadline: Self.later, relativeGap: nil)
        #expect(result.status == .optimal)
        #expect(result.objective == -9)   // a + b
        #expect(result.values == [1, 1, 0])
        #expect(result.bound == -9)
    }

    @Test func anInfeasibleRelaxationIsNoSolution() throws {
        var ip = Self.knapsack()
        ip.addRow(.init(name: "impossible", columns: [0], coefficients: [1], lower: 2, upper: nil))
        #expect(try GLPKSolver.solve(ip, start: nil, deadline: Self.later, relativeGap: nil).status == .noSolution)
    }

    @Test func anIntegerInfeasibleProgramIsNoSolution() throws {
        var ip = IntegerProgram()
        ip.addVariable(.init(name: "x", lower: 0, upper: 1, isInteger: true, objective: 1))
        ip.addRow(.init(name: "half", columns: [0], coefficients: [2], lower: 1, upper: 1))
        let result = try GLPKSolver.solve(ip, start: nil, deadline: Self.later, relativeGap: nil)
        #expect(result.status == .noSolution)
        #expect(result.values == nil)
    }

    @Test func aPassedDeadlineGivesNoSolutionWithoutSolving() throws {
        let result = try GLPKSolver.solve(Self.knapsack(), start: nil, deadline: .now - .seconds(1), relativeGap: nil)
        #expect(result.status == .noSolution)
    }

    @Test func aPassedDeadlineKeepsAnOfferedStart() throws {
        let result = try GLPKSolver.solve(Self.knapsack(), start: [1, 0, 1], deadline: .now - .seconds(1), relativeGap: nil)
        #expect(result.status == .feasible)
        #expect(result.values == [1, 0, 1] && result.objective == -8)
        // An infeasible start is not taken.
        let bad = try GLPKSolver.solve(Self.knapsack(), start: [1, 1, 1], deadline: .now - .seconds(1), relativeGap: nil)
        #expect(bad.status == .noSolution && bad.values == nil)
    }

    @Test func anOfferedStartIsImprovedOnOrKept() throws {
        // A worse start (a + c) is improved on; the optimum itself comes back unchanged.
        let worse = try GLPKSolver.solve(Self.knapsack(), start: [1, 0, 1], deadline: Self.later, relativeGap: nil)
        #expect(worse.values == [1, 1, 0] && worse.status == .optimal)
        let best = try GLPKSolver.solve(Self.knapsack(), start: [1, 1, 0], deadline: Self.later, relativeGap: nil)
        #expect(best.values == [1, 1, 0] && best.objective == -9 && best.status == .optimal)
    }

    /// Whether `values` keeps every bound and row of `ip`, integrality aside.
    static func keepsRowsAndBounds(_ ip: IntegerProgram, _ values: [Double]) -> Bool {
        guard values.count == ip.variables.count else { return false }
        for (v, x) in zip(ip.variables, values) where x < v.lower - 1e-6 || x > v.upper + 1e-6 { return false }
        for row in ip.rows {
            let lhs = zip(row.columns, row.coefficients).reduce(0.0) { $0 + values[$1.0] * $1.1 }
            if let lower = row.lower, lhs < lower - 1e-6 { return false }
            if let upper = row.upper, lhs > upper + 1e-6 { return false }
        }
        return true
    }

    /// The presolved LP agrees with the root relaxation branch-and-cut starts from, and its values
    /// are a solution of the relaxation with that objective.
    @Test func thePresolvedRelaxationIsTheRootRelaxation() throws {
        let knapsack = try #require(try GLPKSolver.linearRelaxation(Self.knapsack(), deadline: Self.later))
        #expect(knapsack.objective <= -9 + 1e-9)   // below the integer optimum
        #expect(Self.keepsRowsAndBounds(Self.knapsack(), knapsack.values))
        for seed in UInt64(500)...505 {
            let day = try RandomDays.tiny(seed: seed, scarce: seed % 2 == 0)
            let ip = ScheduleFormulation.boundRelaxation(day).program
            let root = try GLPKSolver.solve(ip, start: nil, deadline: .now - .seconds(1), relativeGap: nil)
            #expect(root.relaxation == nil)   // nothing is solved after the deadline
            let lp = try #require(try GLPKSolver.linearRelaxation(ip, deadline: Self.later), "seed \(seed)")
            let plain = try #require(try GLPKSolver.solve(ip, start: nil, deadline: Self.later, relativeGap: nil).relaxation, "seed \(seed)")
            #expect(abs(lp.objective - ip.objectiveValue(of: plain)) < 1e-6, "seed \(seed)")
            #expect(abs(lp.objective - ip.objectiveValue(of: lp.values)) < 1e-6, "seed \(seed)")
            #expect(Self.keepsRowsAndBounds(ip, lp.values), "seed \(seed)")
        }
    }

    /// A multi-row knapsack of 24 items that GLPK does not solve at its root.
    static func hardKnapsack() -> IntegerProgram {
        var rng = SeededRandom(seed: 77)
        var ip = IntegerProgram()
        for j in 0..<24 { ip.addVariable(.init(name: "x\(j)", lower: 0, upper: 1, isInteger: true, objective: -Double(rng.int(in: 10...60)))) }
        for i in 0..<5 {
            let weights = (0..<24).map { _ in Double(rng.int(in: 5...40)) }
            ip.addRow(.init(name: "w\(i)", columns: Array(0..<24), coefficients: weights, lower: nil, upper: weights.reduce(0, +) / 3))
        }
        return ip
    }

    /// `stop` ends branch-and-cut at the next node: the answer is then not proven optimal.
    @Test func aStopRequestEndsBranching() throws {
        let ip = Self.hardKnapsack()
        let free = try GLPKSolver.solve(ip, start: nil, deadline: .now + .seconds(120), relativeGap: nil)
        #expect(free.status == .optimal)
        let stopped = try GLPKSolver.solve(ip, start: nil, deadline: .now + .seconds(120), relativeGap: nil, stop: { true })
        #expect(stopped.status != .optimal, "\(stopped.status)")
        #expect(stopped.bound.map { $0 <= free.objective! + 1e-9 } ?? true)
    }

    @Test func theRelaxationIsNilWhenItCannotBeSolved() throws {
        var infeasible = Self.knapsack()
        infeasible.rows.append(.init(name: "impossible", columns: [0], coefficients: [1], lower: 2, upper: nil))
        #expect(try GLPKSolver.linearRelaxation(infeasible, deadline: Self.later) == nil)
        #expect(try GLPKSolver.linearRelaxation(Self.knapsack(), deadline: .now - .seconds(1)) == nil)
        var nan = Self.knapsack(); nan.rows[0].coefficients[1] = .nan
        #expect(try GLPKSolver.linearRelaxation(nan, deadline: Self.later) == nil)
    }

    @Test func invalidProgramsFailInsteadOfAborting() throws {
        var nan = Self.knapsack(); nan.rows[0].coefficients[1] = .nan
        var range = Self.knapsack(); range.rows[1].columns[2] = 7
        var twice = Self.knapsack(); twice.rows[2].columns = [0, 0, 1]
        var bounds = Self.knapsack(); bounds.variables[0].lower = 2
        var rowBounds = Self.knapsack(); rowBounds.rows[0].lower = 9
        var longName = Self.knapsack(); longName.variables[1].name = String(repeating: "n", count: 256)
        var blank = Self.knapsack(); blank.rows[0].name = "has space"
        var fractional = Self.knapsack(); fractional.variables[2].upper = 0.5
        var infinite = Self.knapsack(); infinite.variables[0].upper = .infinity
        for (label, ip) in [("nan", nan), ("range", range), ("twice", twice), ("bounds", bounds), ("rowBounds", rowBounds),
                            ("longName", longName), ("blank", blank), ("fractional", fractional), ("infinite", infinite)] {
            #expect(ip.validate() != nil, "\(label)")
            let result = try GLPKSolver.solve(ip, start: nil, deadline: Self.later, relativeGap: nil)
            guard case .failed = result.status else { Issue.record("\(label): \(result.status)"); continue }
        }
        #expect(Self.knapsack().validate() == nil)
        #expect(try GLPKSolver.solve(Self.knapsack(), start: nil, deadline: Self.later, relativeGap: -1).status == .failed("invalid relative gap"))
        #expect(try GLPKSolver.solve(Self.knapsack(), start: [1], deadline: Self.later, relativeGap: nil).status == .failed("invalid starting solution"))
    }
}
