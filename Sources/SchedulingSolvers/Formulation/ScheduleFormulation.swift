import SchedulingModel
import SchedulingRules
import MIPKit

/// The time-indexed integer program of one day (SPEC §2–§3), with the bookkeeping that turns
/// its solutions back into plans. See docs/MODEL.md for the mathematics.
///
/// Identical resources are aggregated: chairs of one type and availability form a chair group,
/// nurses of one shift pattern a nurse group (or every nurse its own group, which is exact),
/// compounders and lab stations one pool each. Concrete resources are assigned afterwards by
/// ``ResourceAssignment``.
package struct ScheduleFormulation: Sendable {
    /// How nurses enter the program.
    package enum NurseAggregation: Sendable, Hashable {
        /// Nurses with the same shift, break and capacity share capacity rows (small, a relaxation).
        case byShiftPattern
        /// Every nurse has rows of their own (larger, exact).
        case perNurse
        /// Nurses with the same shift share rows whatever their capacity and break: a group takes a
        /// patient when one of its nurses could, its load is the sum of their capacities (smallest,
        /// a coarser relaxation, used only for the bound).
        case byShift
    }

    /// Identical chairs: one type, the same availability windows.
    package struct ChairGroup: Sendable, Hashable {
        /// Readable name used in column and row names.
        package var name: String
        /// Chair indices, increasing.
        package var chairs: [Int]
    }

    /// Interchangeable nurses: the same shift, break and capacity.
    package struct NurseGroup: Sendable, Hashable {
        /// Readable name used in column and row names.
        package var name: String
        /// Nurse indices, increasing.
        package var nurses: [Int]
    }

    /// One start decision: request, start slot, same-day draw (if any) and chair group.
    package struct StartChoice: Sendable, Hashable {
        /// Request index.
        package var request: Int
        /// Start minute, on the slot grid.
        package var start: Int
        /// Start of the same-day draw, nil when the labs on file cover the start.
        package var draw: Int?
        /// Index into ``ScheduleFormulation/chairGroups``.
        package var chairGroup: Int
    }

    /// What a column of the program stands for.
    package enum Column: Sendable, Hashable {
        /// 1 when the request takes this start, draw and chair group.
        case start(StartChoice)
        /// 1 when the request starting at `start` has its primary nurse in `group`.
        case nurse(request: Int, start: Int, group: Int)
        /// 1 when the request's prep begins at `prep`.
        case prep(request: Int, prep: Int)
        /// 1 when the request is left unscheduled.
        case unscheduled(request: Int)
        /// The peak acuity per nurse on shift (continuous).
        case peakLoad
        /// 1 when a previously planned request changes (re-planning only; continuous, at least
        /// every indicator of a change).
        case changed(request: Int)
    }

    /// An aggregated plan for one request, as read from a solution.
    package struct PlannedVisit: Sendable, Hashable {
        /// Request index.
        package var request: Int
        /// Start minute.
        package var start: Int
        /// Draw start, when drawn.
        package var draw: Int?
        /// Index into ``ScheduleFormulation/chairGroups``.
        package var chairGroup: Int
        /// Index into ``ScheduleFormulation/nurseGroups``.
        package var nurseGroup: Int
        /// Prep start, when the regimen has one.
        package var prep: Int?
    }

    /// The rules a re-plan (SPEC §7) adds for the requests it may move, and its change terms.
    ///
    /// They apply to the requests the program decides (the freed ones); every other request
    /// keeps its hinted plan exactly, as in any neighbourhood program. With them every chair is
    /// a group of its own, so that a column knows its chair and the change penalty is exact.
    package struct ReplanRules: Sendable {
        /// Minute of `now`: no arrival and no new prep before it.
        package var now: Int
        /// `now + notice`: the earliest arrival that differs from the previous one.
        package var earliestArrival: Int
        /// The previous plan by request index (nil: not planned); its `nurse` is -1 when that nurse left.
        package var old: [Placement?]
        /// Requests whose prep began before `now`: they keep that prep minute.
        package var prepLocked: [Bool]
        /// By nurse: the latest end of a patient the nurse may take (they go out then), or nil.
        package var nurseLatestEnd: [Int?]
        /// Prep intervals already under way for requests no longer planned: compounders they hold.
        package var reservedPreps: [Range<Int>]
        /// Draw intervals already under way for requests no longer planned: stations they hold.
        package var reservedDraws: [Range<Int>]
        /// Cost of a previously planned request whose arrival, start, chair or nurse changes, or that is dropped.
        package var changePenalty: Double
        /// Cost per minute a previously planned start moves.
        package var shiftPerMinute: Double
        /// Requests whose leaving out costs the unscheduled penalty (those still reachable with the
        /// notice); the program's `admissible` then says only which requests get columns.
        package var penalised: [Bool]

        /// Creates the rules.
        package init(now: Int, earliestArrival: Int, old: [Placement?], prepLocked: [Bool], nurseLatestEnd: [Int?],
                    reservedPreps: [Range<Int>], reservedDraws: [Range<Int>], changePenalty: Double, shiftPerMinute: Double,
                    penalised: [Bool]) {
            self.now = now; self.earliestArrival = earliestArrival; self.old = old; self.prepLocked = prepLocked
            self.nurseLatestEnd = nurseLatestEnd; self.reservedPreps = reservedPreps; self.reservedDraws = reservedDraws
            self.changePenalty = changePenalty; self.shiftPerMinute = shiftPerMinute; self.penalised = penalised
        }
    }

    /// Objective coefficient of a re-planned prep at another minute than before: a tie-breaker only.
    package static let prepMoveCost = 0.001

    /// Same-day draw starts tried per start: the latest, then earlier by whole draw lengths.
    package static let drawAlternatives = 3
    /// Prep starts tried per start on the slot grid, counted back from the latest.
    package static let prepAlternatives = 8

    /// The day.
    package let day: ResolvedDay
    /// How nurses were aggregated.
    package let aggregation: NurseAggregation
    /// The program.
    package let program: IntegerProgram
    /// What each column stands for, parallel to `program.variables`.
    package let columns: [Column]
    /// Chair groups, in order of their first chair.
    package let chairGroups: [ChairGroup]
    /// Nurse groups, in order of their first nurse.
    package let nurseGroups: [NurseGroup]
    /// Chair group of each chair.
    package let chairGroupOf: [Int]
    /// Nurse group of each nurse.
    package let nurseGroupOf: [Int]
    /// Admissibility of each request (SPEC §3).
    package let admissible: [Bool]
    /// Whether the build stopped at its deadline, leaving the program incomplete.
    package let interrupted: Bool
    /// Whether this is the bound relaxation: latest draws only, no preps, no station or compounder rows.
    package let relaxed: Bool
    /// Whether any group holds more than one nurse (so a nurse assignment can fail).
    package var nursesAggregated: Bool { nurseGroups.contains { $0.nurses.count > 1 } }

    private let startIndex: [StartChoice: Int]
    private let nurseIndex: [NurseKey: Int]
    private let prepIndex: [PrepKey: Int]
    private let unscheduledIndex: [Int?]
    private let peakIndex: Int?
    /// For each start column: the nurse columns of its request and start.
    private let nurseOptions: [Int: [Int]]
    /// For each start column: the prep columns that fit its start and draw.
    private let prepOptions: [Int: [Int]]

    /// Re-planning: each `changed(r)` column with the column sets whose sum it must cover.
    private let changeIndicators: [(column: Int, ways: [[Int]])]

    struct NurseKey: Hashable { var request: Int, start: Int, group: Int }
    struct PrepKey: Hashable { var request: Int, prep: Int }

    /// The program `builder` made (see ScheduleFormulation+Programs.swift for the programs).
    init(_ builder: Builder) {
        day = builder.day
        aggregation = builder.aggregation
        relaxed = builder.scope.relaxed
        admissible = builder.admissible
        program = builder.ip
        columns = builder.columns
        chairGroups = builder.chairGroups
        nurseGroups = builder.nurseGroups
        chairGroupOf = builder.chairGroupOf
        nurseGroupOf = builder.nurseGroupOf
        startIndex = builder.startIndex
        nurseIndex = builder.nurseIndex
        prepIndex = builder.prepIndex
        unscheduledIndex = builder.unscheduledIndex
        peakIndex = builder.peakIndex
        interrupted = builder.interrupted
        nurseOptions = builder.nurseOptions
        prepOptions = builder.prepOptions
        changeIndicators = builder.changeIndicators
    }

    /// A first-fit solution of the program: requests by decreasing weight, each at its cheapest
    /// start, nurse group and prep that keep every capacity row; nil if the result is not feasible
    /// (a fixed booking that does not fit). It gives the solver an incumbent when the caller has none.
    ///
    /// - Complexity: O(start columns × nonzeros per column × capacity-row checks).
    /// - Parameter initial: a solution to extend (e.g. an encoded schedule): requests it leaves
    ///   unscheduled are inserted where they fit, the rest is kept.
    ///   - deadline: when it passes, requests not yet tried stay as they are in `initial`
    ///     (unscheduled without one).
    package func firstFit(from initial: [Double]? = nil, deadline: ContinuousClock.Instant? = nil) -> [Double]? {
        var values = [Double](repeating: 0, count: columns.count)
        if let initial, initial.count == columns.count { values = initial }
        // Capacity rows: upper bound only, non-negative coefficients.
        var activity = [Double](repeating: 0, count: program.rows.count)
        var rowsOf = [[(row: Int, coefficient: Double)]](repeating: [], count: columns.count)
        for (i, row) in program.rows.enumerated()
        where row.lower == nil && row.upper != nil && row.coefficients.allSatisfy({ $0 > 0 }) {
            for (k, j) in row.columns.enumerated() { rowsOf[j].append((i, row.coefficients[k])) }
        }
        for j in values.indices where values[j] > 0.5 { for (i, c) in rowsOf[j] { activity[i] += c } }
        func fits(_ cols: [Int]) -> Bool {
            var extra: [Int: Double] = [:]
            for j in cols { for (i, c) in rowsOf[j] { extra[i, default: 0] += c } }
            return extra.allSatisfy { activity[$0.key] + $0.value <= program.rows[$0.key].upper! + 1e-9 }
        }
        var byRequest = [[Int]](repeating: [], count: day.requests.count)
        for (j, column) in columns.enumerated() { if case .start(let c) = column { byRequest[c.request].append(j) } }
        let order = day.requests.indices.sorted {
            let a = day.requests[$0], b = day.requests[$1]
            return ((a.fixedStart != nil ? 0 : 1), -a.weight, $0) < ((b.fixedStart != nil ? 0 : 1), -b.weight, $1)
        }
        for r in order {
            if let deadline, ContinuousClock.now >= deadline { break }
            guard let u = unscheduledIndex[r], byRequest[r].allSatisfy({ values[$0] < 0.5 }) else { continue }
            values[u] = 0
            var placed = false
            let candidates = byRequest[r].sorted { (program.variables[$0].objective, $0) < (program.variables[$1].objective, $1) }
            search: for x in candidates {
                let preps = prepOptions[x] ?? []
                for n in nurseOptions[x] ?? [] {
                    for y in (preps.isEmpty ? [nil] : preps.reversed().map { Optional($0) }) {
                        let cols = [x, n] + (y.map { [$0] } ?? [])
                        guard fits(cols) else { continue }
                        for j in cols { values[j] = 1; for (i, c) in rowsOf[j] { activity[i] += c } }
                        placed = true
                        break search
                    }
                }
            }
            if !placed { values[u] = 1 }
        }
        if let z = peakIndex {
            var peak = 0.0
            for row in program.rows where row.columns.last == z && row.coefficients.last == -1 {
                var sum = 0.0
                for (k, j) in row.columns.dropLast().enumerated() { sum += row.coefficients[k] * values[j] }
                peak = max(peak, sum)
            }
            values[z] = peak
        }
        settleChanges(&values)
        return program.isFeasible(values) ? values : nil
    }

    /// Sets every `changed(r)` column to the least value its rows allow (1 when the solution
    /// changes the request's previous plan, else 0).
    func settleChanges(_ values: inout [Double]) {
        for (k, ways) in changeIndicators {
            values[k] = ways.map { $0.reduce(0) { $0 + values[$1] } }.max() ?? 0
        }
    }

    /// The starts each request takes with a positive value in `values` (e.g. an optimal linear
    /// relaxation): where a solution of the program puts its weight.
    package func startsUsed(by values: [Double], threshold: Double = 1e-6) -> [Int: Set<Int>] {
        var used: [Int: Set<Int>] = [:]
        for (j, column) in columns.enumerated() where j < values.count && values[j] > threshold {
            if case .start(let c) = column { used[c.request, default: []].insert(c.start) }
        }
        return used
    }

    /// For each request with start columns: the cheapest objective coefficient of its columns at
    /// each start (what the request costs there on its own, when nothing is in the way).
    package func startCosts() -> [Int: [Int: Double]] {
        var costs: [Int: [Int: Double]] = [:]
        for (j, column) in columns.enumerated() {
            guard case .start(let c) = column else { continue }
            let cost = program.variables[j].objective
            costs[c.request, default: [:]][c.start] = min(costs[c.request]?[c.start] ?? .infinity, cost)
        }
        return costs
    }

    /// A weak bound that needs no solver: every request takes exactly one of its start columns or
    /// its unscheduled column, and every other column costs nothing or more, so the sum over
    /// requests of their cheapest such column is a lower bound on the program's optimum.
    package func separableBound() -> Double {
        var cheapest = [Double](repeating: .infinity, count: day.requests.count)
        for (j, column) in columns.enumerated() {
            let r: Int
            switch column {
            case .start(let c): r = c.request
            case .unscheduled(let request): r = request
            case .nurse, .prep, .peakLoad, .changed: continue
            }
            cheapest[r] = min(cheapest[r], program.variables[j].objective)
        }
        return program.objectiveConstant + cheapest.reduce(0) { $0 + ($1.isFinite ? $1 : 0) }
    }

    /// The nurse groups of `day`: by shift, break and capacity, or one per nurse; a nurse named
    /// by a fixed booking always stands alone.
    package static func nurseGroups(of day: ResolvedDay, aggregation: NurseAggregation) -> [NurseGroup] {
        let fixedNurses = Set(day.requests.compactMap(\.fixedNurse))
        var groups: [NurseGroup] = []
        for (n, nurse) in day.nurses.enumerated() {
            if aggregation != .perNurse, !fixedNurses.contains(n), let h = groups.firstIndex(where: { group in
                let o = day.nurses[group.nurses[0]]
                return !fixedNurses.contains(group.nurses[0]) && o.shift == nurse.shift
                    && (aggregation == .byShift || (o.capacity == nurse.capacity && o.breakTime == nurse.breakTime))
            }) {
                groups[h].nurses.append(n)
            } else {
                groups.append(NurseGroup(name: "", nurses: [n]))
            }
        }
        for h in groups.indices {
            let first = groups[h].nurses[0]
            groups[h].name = groups[h].nurses.count == 1 ? "nurse_" + sanitize(day.nurses[first].id, index: first) : "shift#\(h + 1)"
        }
        return groups
    }

    /// A schedule written as a solution of the program (``encode(_:)``) with the requests it
    /// leaves out inserted where they fit (``firstFit(from:deadline:)``): the start handed to the
    /// solver. Nil when the schedule is not a solution of the program.
    package func completed(_ placements: [Placement], deadline: ContinuousClock.Instant? = nil) -> [Double]? {
        encode(placements).flatMap { firstFit(from: $0, deadline: deadline) }
    }

    /// Writes placements as a solution of the program, or nil when they are not one (a
    /// placement the candidates do not cover, or a broken capacity row).
    package func encode(_ placements: [Placement]) -> [Double]? {
        var values = [Double](repeating: 0, count: columns.count)
        var placed = Set<Int>()
        for p in placements {
            guard p.request >= 0, p.request < day.requests.count, !placed.contains(p.request),
                  p.chair >= 0, p.chair < chairGroupOf.count, p.nurse >= 0, p.nurse < nurseGroupOf.count else { return nil }
            placed.insert(p.request)
            guard let x = startIndex[StartChoice(request: p.request, start: p.start, draw: p.drawStart, chairGroup: chairGroupOf[p.chair])],
                  let n = nurseIndex[NurseKey(request: p.request, start: p.start, group: nurseGroupOf[p.nurse])] else { return nil }
            values[x] = 1; values[n] = 1
            if day.regimen(of: p.request).prepMinutes > 0, !relaxed {
                guard let prep = p.prepStart, let y = prepIndex[PrepKey(request: p.request, prep: prep)] else { return nil }
                values[y] = 1
            }
        }
        for r in day.requests.indices where !placed.contains(r) {
            guard let u = unscheduledIndex[r] else { continue }
            values[u] = 1
        }
        if let z = peakIndex { values[z] = day.peakLoadRatio(of: placements) }
        settleChanges(&values)
        return program.isFeasible(values) ? values : nil
    }

    /// Reads the aggregated plan from a solution (columns at value > 0.5).
    package func decode(_ values: [Double]) -> [PlannedVisit] {
        var visits: [Int: PlannedVisit] = [:]
        var nurseOf: [NurseKey: Bool] = [:]
        var nurseGroup: [Int: Int] = [:]
        var prepOf: [Int: Int] = [:]
        for (j, column) in columns.enumerated() where j < values.count && values[j] > 0.5 {
            switch column {
            case .start(let c):
                visits[c.request] = PlannedVisit(request: c.request, start: c.start, draw: c.draw, chairGroup: c.chairGroup, nurseGroup: -1, prep: nil)
            case .nurse(let r, let s, let h):
                nurseOf[NurseKey(request: r, start: s, group: h)] = true
                nurseGroup[r] = h
            case .prep(let r, let p):
                prepOf[r] = p
            case .unscheduled, .peakLoad, .changed:
                break
            }
        }
        return visits.keys.sorted().compactMap { r in
            guard var v = visits[r], let h = nurseGroup[r] else { return nil }
            v.nurseGroup = h
            v.prep = prepOf[r]
            return v
        }
    }

    /// `"HH.MM"`: a clock time as LP and MPS names allow (no colon).
    static func clock(_ minutes: Int) -> String {
        let m = min(max(minutes, 0), 1440)
        let h = m / 60, mm = m % 60
        return (h < 10 ? "0" : "") + String(h) + "." + (mm < 10 ? "0" : "") + String(mm)
    }

    /// An id made safe for LP and MPS names: letters, digits, `_` and `.` are kept; anything else
    /// becomes `_`, and then the 1-based index is appended after `~` so that names stay distinct.
    static func sanitize(_ id: String, index: Int) -> String {
        var changed = false
        let scalars = id.unicodeScalars.map { s -> Character in
            if s.isASCII, s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "." { return Character(s) }
            changed = true
            return "_"
        }
        let clean = String(scalars)
        return changed ? clean + "~\(index + 1)" : clean
    }
}
