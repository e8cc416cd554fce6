import SchedulingModel
import SchedulingRules
import MIPKit

/// A lower bound on a program's optimum without a solver: the Lagrangian dual of its capacity
/// rows, raised by subgradient steps (docs/MODEL.md §6, 2).
///
/// Every row but the ones that tie a request's columns together — its `assign` row (one start
/// or unscheduled) and its `nurseLink` rows (a nurse at the start taken) — moves into the
/// objective with a multiplier `y` of the row's sign (`y >= 0` on an upper bound, `y <= 0` on a
/// lower one). What is left falls apart by request: each takes its cheapest start (cheapest
/// start column plus cheapest nurse column there, at their reduced costs) or its unscheduled
/// column, and the other columns sit at the cheaper end of their bounds. For any such `y` the
/// result is at most the program's optimum, because for every feasible solution each moved row
/// adds `y · (activity - bound) <= 0`. Since each request's part is a choice of one column pair,
/// the best `y` gives the bound of the program's LP; a few thousand cheap steps come close to it
/// on days whose LP is too slow for GLPK (docs/MODEL.md §8 has the figures).
package struct LagrangianBound: Sendable {
    /// The best bound found (rounded up to a whole unit when every cost is whole).
    package var bound: Double
    /// Steps taken.
    package var iterations: Int
    /// For each request with start columns: its reduced cost at each of its starts under the
    /// multipliers of the best bound, less the cheapest (0 at its best start).
    package var startSlack: [Int: [Int: Double]]

    /// The starts of each request within `slack` of its cheapest under the best multipliers.
    package func starts(within slack: Double) -> [Int: Set<Int>] {
        startSlack.mapValues { Set($0.filter { $0.value <= slack }.keys) }
    }
}

extension ScheduleFormulation {
    /// The Lagrangian bound of this program (see ``LagrangianBound``), or nil when the program
    /// has no feasible choice for some request or has columns fixed at 1 (frozen requests: the
    /// neighbourhood programs, which need no bound).
    ///
    /// - Parameters:
    ///   - target: an objective reached by a known solution (the best schedule's): the step
    ///     sizes aim at it. Must be finite.
    ///   - iterations: subgradient steps at most; the result is the same for the same program,
    ///     target and count, unless the deadline or `stop` cuts the steps short.
    ///   - deadline: no step begins after it.
    ///   - stop: asked before every step; true stops.
    ///   - patience: steps without a better bound after which the step factor `theta` halves
    ///     (the steps end when it falls below 10⁻⁴).
    ///   - theta: the first step factor (Polyak's rule: `theta × (goal - value) / |direction|²`).
    ///   - deflection: share of the previous direction added to the subgradient, which damps the
    ///     zigzag between capacity rows that trade the same patients.
    ///   - aim: the goal of each step is the best bound so far plus this share of its distance to
    ///     `target`. The defaults were tuned on large-1 and xl-1 (docs/MODEL.md §8).
    /// - Complexity: O(iterations × nonzeros).
    package func lagrangianBound(target: Double, iterations: Int, deadline: ContinuousClock.Instant? = nil,
                                stop: (@Sendable () -> Bool)? = nil, patience: Int = 300, theta initialTheta: Double = 1,
                                deflection: Double = 0.9, aim: Double = 0.15) -> LagrangianBound? {
        guard target.isFinite, !interrupted else { return nil }
        let n = columns.count
        // The per-request structure, from what each column stands for.
        struct Option { var start: Int; var starts: [Int]; var nurses: [Int] }
        var options = [[Option]](repeating: [], count: day.requests.count)
        var optionAt = [[Int: Int]](repeating: [:], count: day.requests.count)
        var unscheduled = [Int?](repeating: nil, count: day.requests.count)
        var free: [Int] = []          // columns outside any request's choice: at a bound
        func option(_ r: Int, _ s: Int) -> Int {
            if let k = optionAt[r][s] { return k }
            options[r].append(Option(start: s, starts: [], nurses: []))
            optionAt[r][s] = options[r].count - 1
            return options[r].count - 1
        }
        for (j, column) in columns.enumerated() {
            let v = program.variables[j]
            switch column {
            case .start(let c):
                guard v.lower <= 0 else { return nil }
                options[c.request][option(c.request, c.start)].starts.append(j)
            case .nurse(let r, let s, _):
                guard v.lower <= 0 else { return nil }
                options[r][option(r, s)].nurses.append(j)
            case .unscheduled(let r):
                unscheduled[r] = j
            case .prep, .peakLoad, .changed:
                free.append(j)
            }
        }
        // Options missing a start or a nurse column cannot be taken.
        for r in options.indices { options[r].removeAll { $0.starts.isEmpty || $0.nurses.isEmpty } }

        // Rows kept as structure: exactly those the per-request choice already keeps.
        func structural(_ row: IntegerProgram.Row) -> Bool {
            guard row.lower != nil, row.lower == row.upper else { return false }
            if row.lower == 1 {
                return row.coefficients.allSatisfy { $0 == 1 } && row.columns.contains { j in
                    if case .unscheduled = columns[j] { return true } else { return false }
                } && Set(row.columns.map { j -> Int in
                    switch columns[j] {
                    case .start(let c): return c.request
                    case .unscheduled(let r): return r
                    default: return -1
                    }
                }).count == 1
            }
            guard row.lower == 0 else { return false }
            var key: (Int, Int)?
            for (k, j) in row.columns.enumerated() {
                let here: (Int, Int)
                switch columns[j] {
                case .start(let c) where row.coefficients[k] == 1: here = (c.request, c.start)
                case .nurse(let r, let s, _) where row.coefficients[k] == -1: here = (r, s)
                default: return false
                }
                if let key, key != here { return false }
                key = here
            }
            return key != nil
        }
        // The moved rows, column-wise.
        var moved: [Int] = []
        var entriesOf = [[(row: Int32, coefficient: Double)]](repeating: [], count: n)
        for (i, row) in program.rows.enumerated() where !structural(row) {
            let m = Int32(moved.count)
            moved.append(i)
            for (k, j) in row.columns.enumerated() { entriesOf[j].append((m, row.coefficients[k])) }
        }
        var begin = [Int](repeating: 0, count: n + 1)
        var rowOf: [Int32] = [], coefficientOf: [Double] = []
        for j in 0..<n {
            for e in entriesOf[j] { rowOf.append(e.row); coefficientOf.append(e.coefficient) }
            begin[j + 1] = rowOf.count
        }
        entriesOf = []
        let lower = moved.map { program.rows[$0].lower }
        let upper = moved.map { program.rows[$0].upper }
        let cost = program.variables.map(\.objective)
        let whole = program.objectiveConstant == program.objectiveConstant.rounded()
            && program.variables.allSatisfy { $0.isInteger && $0.objective == $0.objective.rounded() }

        var y = [Double](repeating: 0, count: moved.count)
        var reduced = cost
        /// Sets `reduced` to the columns' costs under the multipliers `y`.
        func price(_ y: [Double]) {
            for j in 0..<n {
                var c = cost[j]
                for k in begin[j]..<begin[j + 1] { c += y[Int(rowOf[k])] * coefficientOf[k] }
                reduced[j] = c
            }
        }
        var activity = [Double](repeating: 0, count: moved.count)
        var best = -Double.infinity, bestY = y
        var theta = initialTheta, sinceBest = 0, steps = 0
        var previous = [Double](repeating: 0, count: moved.count)
        while steps < iterations {
            if let deadline, ContinuousClock.now >= deadline { break }
            if let stop, stop() { break }
            steps += 1
            // Reduced costs and the value of the Lagrangian at y.
            price(y)
            var value = program.objectiveConstant
            for m in moved.indices where y[m] != 0 { value -= y[m] * (y[m] > 0 ? upper[m]! : lower[m]!) }
            for i in activity.indices { activity[i] = 0 }
            func take(_ j: Int, _ x: Double) {
                guard x != 0 else { return }
                for k in begin[j]..<begin[j + 1] { activity[Int(rowOf[k])] += coefficientOf[k] * x }
            }
            for r in options.indices {
                var bestCost = Double.infinity, pick: (Int, Int)? = nil
                for o in options[r] {
                    var s = o.starts[0], sc = reduced[s]
                    for j in o.starts.dropFirst() where reduced[j] < sc { s = j; sc = reduced[j] }
                    var h = o.nurses[0], hc = reduced[h]
                    for j in o.nurses.dropFirst() where reduced[j] < hc { h = j; hc = reduced[j] }
                    if sc + hc < bestCost { bestCost = sc + hc; pick = (s, h) }
                }
                if let u = unscheduled[r] {
                    let v = program.variables[u]
                    if v.lower >= 1 || (v.upper >= 1 && reduced[u] <= bestCost) || pick == nil {
                        guard v.upper >= 1 else { return nil }   // must be placed, has nowhere to go
                        value += reduced[u]; take(u, 1); continue
                    }
                }
                guard let pick else { continue }   // no column at all: not in the program
                value += bestCost; take(pick.0, 1); take(pick.1, 1)
            }
            for j in free {
                let v = program.variables[j]
                let x = reduced[j] < 0 ? v.upper : v.lower
                value += reduced[j] * x; take(j, x)
            }
            if value > best + 1e-9 { best = value; bestY = y; sinceBest = 0 } else { sinceBest += 1 }
            if best >= target - 1e-9 { break }   // nothing better to prove
            if sinceBest >= patience { theta /= 2; sinceBest = 0 }
            // The subgradient, projected on the multipliers' signs.
            var g = [Double](repeating: 0, count: moved.count), norm = 0.0
            for m in moved.indices {
                let a = activity[m]
                var d = 0.0
                if let up = upper[m], a > up || y[m] > 0 { d = a - up }
                else if let lo = lower[m], a < lo || y[m] < 0 { d = a - lo }
                d += deflection * previous[m]
                // A component that would push a multiplier past its sign moves nothing.
                if d < 0, y[m] <= 0, lower[m] == nil { d = 0 }
                if d > 0, y[m] >= 0, upper[m] == nil { d = 0 }
                g[m] = d; norm += d * d
            }
            previous = g
            if norm < 1e-12 { break }   // the choice keeps every row: the bound is the optimum
            let goal = best.isFinite ? best + aim * (target - best) : target
            let t = theta * max(goal - value, 1e-3 * max(1, abs(target))) / norm
            for m in moved.indices where g[m] != 0 {
                var v = y[m] + t * g[m]
                if upper[m] == nil { v = min(v, 0) }
                if lower[m] == nil { v = max(v, 0) }
                y[m] = v
            }
            if theta < 1e-4 { break }
        }
        guard best.isFinite else { return nil }
        // The reduced costs at the best multipliers, for the start slack.
        var slack: [Int: [Int: Double]] = [:]
        price(bestY)
        for r in options.indices where !options[r].isEmpty {
            var at: [Int: Double] = [:]
            for o in options[r] {
                let c = o.starts.map { reduced[$0] }.min()! + o.nurses.map { reduced[$0] }.min()!
                at[o.start] = min(at[o.start] ?? .infinity, c)
            }
            let least = at.values.min()!
            slack[r] = at.mapValues { $0 - least }
        }
        let bound = whole ? (best - 1e-6 * max(1, abs(best))).rounded(.up) : best
        return LagrangianBound(bound: bound, iterations: steps, startSlack: slack)
    }
}
