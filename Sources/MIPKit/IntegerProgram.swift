/// A minimisation integer program in plain Swift: named variables with bounds, integrality
/// and objective coefficients, and named rows with sparse coefficients and bounds.
///
/// It is what the formulation builds and what a solver binding translates; keeping it free of
/// any solver lets the formulation be tested without GLPK, and lets ``validate()`` check
/// everything a C solver would abort on before it is handed over.
package struct IntegerProgram: Sendable, Hashable {
    /// One column of the program.
    package struct Variable: Sendable, Hashable {
        /// Readable name, e.g. `start(R012@09.15,recliner#1)`.
        package var name: String
        /// Lower bound (finite).
        package var lower: Double
        /// Upper bound (finite, `>= lower`).
        package var upper: Double
        /// Whether the variable must take an integer value.
        package var isInteger: Bool
        /// Coefficient in the minimised objective.
        package var objective: Double

        /// Creates a variable.
        package init(name: String, lower: Double, upper: Double, isInteger: Bool, objective: Double) {
            self.name = name; self.lower = lower; self.upper = upper; self.isInteger = isInteger; self.objective = objective
        }
    }

    /// One linear row `lower <= Σ coefficient · variable <= upper` (a nil side is unbounded).
    package struct Row: Sendable, Hashable {
        /// Readable name, e.g. `chair(recliner#1@10.00)`.
        package var name: String
        /// Column indices, each at most once.
        package var columns: [Int]
        /// Coefficients, parallel to `columns`.
        package var coefficients: [Double]
        /// Lower bound, or nil for none.
        package var lower: Double?
        /// Upper bound, or nil for none.
        package var upper: Double?

        /// Creates a row.
        package init(name: String, columns: [Int], coefficients: [Double], lower: Double?, upper: Double?) {
            self.name = name; self.columns = columns; self.coefficients = coefficients; self.lower = lower; self.upper = upper
        }
    }

    /// Longest name a solver accepts (GLPK's limit).
    package static let maxNameLength = 255

    /// The columns.
    package var variables: [Variable] = []
    /// The rows.
    package var rows: [Row] = []
    /// Constant added to the objective.
    package var objectiveConstant: Double = 0

    /// Creates an empty program.
    package init() {}

    /// Appends a variable and returns its index.
    @discardableResult
    package mutating func addVariable(_ v: Variable) -> Int {
        variables.append(v)
        return variables.count - 1
    }

    /// Appends a row.
    package mutating func addRow(_ row: Row) { rows.append(row) }

    /// The objective value of a full assignment of the columns.
    package func objectiveValue(of values: [Double]) -> Double {
        var total = objectiveConstant
        for (j, v) in variables.enumerated() { total += v.objective * values[j] }
        return total
    }

    /// Whether `values` keeps every bound, row and integrality within `tolerance`.
    package func isFeasible(_ values: [Double], tolerance: Double = 1e-6) -> Bool {
        guard values.count == variables.count else { return false }
        for (j, v) in variables.enumerated() {
            let x = values[j]
            guard x >= v.lower - tolerance, x <= v.upper + tolerance else { return false }
            if v.isInteger, abs(x - x.rounded()) > tolerance { return false }
        }
        for row in rows {
            var sum = 0.0
            for (k, j) in row.columns.enumerated() { sum += row.coefficients[k] * values[j] }
            if let lo = row.lower, sum < lo - tolerance { return false }
            if let up = row.upper, sum > up + tolerance { return false }
        }
        return true
    }

    /// The first thing in the program a C solver would reject by aborting, or nil when none.
    ///
    /// Checks finite coefficients and bounds, consistent bounds, column indices in range and
    /// not repeated within a row, names that are non-empty, at most ``maxNameLength`` bytes and
    /// free of NUL and whitespace, and sizes that fit a C `int`.
    ///
    /// - Complexity: O(variables + nonzeros).
    package func validate() -> String? {
        let limit = Int(Int32.max) - 1
        guard variables.count <= limit, rows.count <= limit else { return "program too large" }
        func badName(_ name: String) -> Bool {
            name.isEmpty || name.utf8.count > Self.maxNameLength || name.utf8.contains { $0 <= 32 || $0 == 127 }
        }
        guard objectiveConstant.isFinite else { return "objective constant is not finite" }
        for (j, v) in variables.enumerated() {
            if badName(v.name) { return "variable \(j) has an invalid name" }
            guard v.lower.isFinite, v.upper.isFinite, v.objective.isFinite else { return "variable \(v.name) has a non-finite value" }
            guard v.lower <= v.upper else { return "variable \(v.name) has lower bound above upper bound" }
            if v.isInteger, v.lower != v.lower.rounded() || v.upper != v.upper.rounded() {
                return "integer variable \(v.name) has fractional bounds"
            }
        }
        var nonzeros = 0
        var seen = [Int](repeating: -1, count: variables.count)
        for (i, row) in rows.enumerated() {
            if badName(row.name) { return "row \(i) has an invalid name" }
            guard row.columns.count == row.coefficients.count else { return "row \(row.name) has mismatched arrays" }
            if let lo = row.lower { guard lo.isFinite else { return "row \(row.name) has a non-finite bound" } }
            if let up = row.upper { guard up.isFinite else { return "row \(row.name) has a non-finite bound" } }
            if let lo = row.lower, let up = row.upper, lo > up { return "row \(row.name) has lower bound above upper bound" }
            for (k, j) in row.columns.enumerated() {
                guard j >= 0, j < variables.count else { return "row \(row.name) names column \(j) out of range" }
                guard seen[j] != i else { return "row \(row.name) names column \(j) twice" }
                seen[j] = i
                guard row.coefficients[k].isFinite else { return "row \(row.name) has a non-finite coefficient" }
            }
            nonzeros += row.columns.count
            guard nonzeros <= limit else { return "program too large" }
        }
        return nil
    }
}
