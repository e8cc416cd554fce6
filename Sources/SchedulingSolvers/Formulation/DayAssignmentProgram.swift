import SchedulingModel
import MIPKit

/// Items (courses) to assign to at most one option each (a tuple of dates), under aggregated
/// capacity rows and no-good exclusions, at least cost: the day-assignment program of batch
/// booking (docs/BOOKING.md, "Batch booking"), in plain Swift so that the booking layer can
/// build it without knowing the solver.
package struct DayAssignmentProblem: Sendable {
    /// One way to take an item.
    package struct Option: Sendable {
        /// What the option costs.
        package var cost: Double
        /// Amounts the option takes of capacity rows, by row index (each row at most once).
        package var uses: [(row: Int, amount: Double)]
        /// The keys it places (for a course: one per visit and date), which exclusions name.
        package var keys: [Int]

        /// Creates an option.
        package init(cost: Double, uses: [(row: Int, amount: Double)], keys: [Int]) {
            self.cost = cost; self.uses = uses; self.keys = keys
        }
    }

    /// Something to assign: its options and what leaving it out costs.
    package struct Item: Sendable {
        /// Cost of taking no option.
        package var unassignedCost: Double
        /// The options.
        package var options: [Option]

        /// Creates an item.
        package init(unassignedCost: Double, options: [Option]) { self.unassignedCost = unassignedCost; self.options = options }
    }

    /// The items.
    package var items: [Item] = []
    /// The upper limit of each capacity row (a negative one is read as 0).
    package var capacities: [Double] = []
    /// Sets of keys that may not all be chosen together (no-good cuts).
    package var exclusions: [Set<Int>] = []

    /// Creates an empty problem.
    package init() {}
}

/// The answer of ``DayAssignment/solve(_:start:workSeconds:cap:)``.
package struct DayAssignmentResult: Sendable {
    /// The chosen option of each item, or nil for none.
    package var choice: [Int?]
    /// How the program's search ended.
    package var status: MIPStatus
    /// The chosen options' cost (unassigned items included).
    package var objective: Double
    /// The solver's proven lower bound on the program's optimum, when it proved one.
    package var bound: Double?
}

/// Builds and solves the day-assignment program with GLPK.
///
/// Columns: a binary `x_i_o` per option `o` of item `i`, a binary `u_i` per item (left out).
/// Rows: `assign_i`: Σ_o x_i_o + u_i = 1; `cap_r`: Σ amount · x ≤ capacity (rows no option
/// uses are left out); `cut_c`: Σ over the options holding keys of exclusion `c` of how many
/// of them they hold ≤ |c| − 1.
package enum DayAssignment {
    /// The program of `problem`, and the column of each option and of each item's `u`.
    package static func program(_ problem: DayAssignmentProblem) -> (program: IntegerProgram, x: [[Int]], u: [Int]) {
        var ip = IntegerProgram()
        var x: [[Int]] = [], u: [Int] = []
        var capacityColumns = [[(Int, Double)]](repeating: [], count: problem.capacities.count)
        var holders: [Int: [Int]] = [:]
        for (i, item) in problem.items.enumerated() {
            var columns: [Int] = []
            for (o, option) in item.options.enumerated() {
                let j = ip.addVariable(.init(name: "x_\(i)_\(o)", lower: 0, upper: 1, isInteger: true, objective: option.cost))
                columns.append(j)
                for use in option.uses where use.amount != 0 { capacityColumns[use.row].append((j, use.amount)) }
                for key in Set(option.keys) { holders[key, default: []].append(j) }
            }
            let left = ip.addVariable(.init(name: "u_\(i)", lower: 0, upper: 1, isInteger: true, objective: item.unassignedCost))
            ip.addRow(.init(name: "assign_\(i)", columns: columns + [left], coefficients: [Double](repeating: 1, count: columns.count + 1),
                            lower: 1, upper: 1))
            x.append(columns); u.append(left)
        }
        for (r, entries) in capacityColumns.enumerated() where !entries.isEmpty {
            ip.addRow(.init(name: "cap_\(r)", columns: entries.map(\.0), coefficients: entries.map(\.1),
                            lower: nil, upper: max(0, problem.capacities[r])))
        }
        for (c, exclusion) in problem.exclusions.enumerated() where !exclusion.isEmpty {
            var count: [Int: Double] = [:]
            for key in exclusion { for j in holders[key] ?? [] { count[j, default: 0] += 1 } }
            let columns = count.keys.sorted()
            guard !columns.isEmpty else { continue }
            ip.addRow(.init(name: "cut_\(c)", columns: columns, coefficients: columns.map { count[$0]! },
                            lower: nil, upper: Double(exclusion.count - 1)))
        }
        return (ip, x, u)
    }

    /// Solves `problem` from `start` (each item's option, nil for none; used when it keeps every
    /// row) or else from leaving every item out, deterministically: the search
    /// stops after the simplex iterations that `workSeconds` reference seconds allow
    /// (docs/MODEL.md §11), or at the real instant `cap`, whichever comes first (only a run cut
    /// by `cap` may differ from another).
    ///
    /// The program is validated before GLPK sees it; a program GLPK cannot take, or a search
    /// that ends with nothing better, leaves every item out (status `failed` or `noSolution`); so
    /// does a GLPK error (status `failed` with its message).
    package static func solve(_ problem: DayAssignmentProblem, start given: [Int?]? = nil, workSeconds: Double,
                              cap: ContinuousClock.Instant, stop: StopSignal? = nil) -> DayAssignmentResult {
        let built = program(problem)
        let ip = built.program
        var empty = [Double](repeating: 0, count: ip.variables.count)
        for j in built.u { empty[j] = 1 }
        var start = empty
        if let given, given.count == problem.items.count {
            var vector = [Double](repeating: 0, count: ip.variables.count)
            for (i, o) in given.enumerated() {
                if let o, built.x[i].indices.contains(o) { vector[built.x[i][o]] = 1 } else { vector[built.u[i]] = 1 }
            }
            if ip.isFeasible(vector) { start = vector }
        }
        let none = DayAssignmentResult(choice: [Int?](repeating: nil, count: problem.items.count), status: .noSolution,
                                       objective: ip.objectiveValue(of: empty), bound: nil)
        if let problem = ip.validate() { return DayAssignmentResult(choice: none.choice, status: .failed("invalid model: \(problem)"), objective: none.objective) }
        let clock = SearchClock(pace: .deterministic, cap: cap, stop: stop)
        let result: GLPKResult
        do {
            result = try GLPKSolver.solve(ip, start: start, deadline: clock.now + .milliseconds(Int64(max(0, workSeconds) * 1000)),
                                          relativeGap: nil, clock: clock)
        } catch {
            return DayAssignmentResult(choice: none.choice, status: .failed(error.description), objective: none.objective)
        }
        guard let values = result.values, result.status == .optimal || result.status == .feasible else {
            var failed = none
            failed.status = result.status
            failed.bound = result.bound
            return failed
        }
        let choice = built.x.map { columns in columns.firstIndex { values[$0] > 0.5 } }
        return DayAssignmentResult(choice: choice, status: result.status, objective: ip.objectiveValue(of: values.map { $0.rounded() }),
                                   bound: result.bound)
    }
}
