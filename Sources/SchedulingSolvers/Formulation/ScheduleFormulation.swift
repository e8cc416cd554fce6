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

    private struct NurseKey: Hashable { var request: Int, start: Int, group: Int }
    private struct PrepKey: Hashable { var request: Int, prep: Int }

    /// Builds the program.
    ///
    /// - Parameters:
    ///   - hints: placements (e.g. the greedy schedule) whose draw and prep minutes are added to
    ///     the candidates, so that they can be written as a solution with ``encode(_:)``.
    ///   - admissible: precomputed admissibility, else computed here.
    /// - Complexity: O(requests × starts × (draws × chair groups + nurse groups) + rows × candidates).
    ///   - deadline: when it passes during the build, building stops and ``interrupted`` is true
    ///     (the program is then incomplete and must not be solved).
    ///   - freed: when given, only these requests keep all their candidates; every other request
    ///     is frozen to what `hints` does with it (its start, draw, chair's group, nurse's group and
    ///     prep, or left out). This is the small program of one neighbourhood of the improvement search.
    ///   - relaxed: builds the bound relaxation instead: each start keeps only its latest draw (and
    ///     a hint's), preps get no columns and compounders and lab stations no rows. Without those
    ///     two capacities the latest draw and the latest prep are always best, so the relaxation's
    ///     optimum is a lower bound on every valid schedule of the day, not only on the restricted ones.
    ///   - draws: same-day draw starts tried per start (at least 1, the latest); a hint's draw is added.
    ///   - startWindows: for the requests named, only starts in the range are candidates.
    ///   - startSets: for the requests named, only these starts are candidates.
    ///   - chairSets: for the requests named, only chair groups holding one of these chairs are candidates.
    ///   - nurseSets: for the requests named, only nurse groups holding one of these nurses are candidates.
    ///   - replan: the re-planning rules and change terms for the requests the program decides.
    package init(day: ResolvedDay, nurses aggregation: NurseAggregation = .byShiftPattern,
                hints: [Placement] = [], admissible: [Bool]? = nil, deadline: ContinuousClock.Instant? = nil,
                freed: Set<Int>? = nil, relaxed: Bool = false, draws drawCount: Int = drawAlternatives,
                startWindows: [Int: ClosedRange<Int>] = [:], startSets: [Int: Set<Int>] = [:],
                chairSets: [Int: Set<Int>] = [:], nurseSets: [Int: Set<Int>] = [:], replan: ReplanRules? = nil) {
        self.day = day
        self.aggregation = aggregation
        self.relaxed = relaxed
        let admissible = admissible ?? day.requests.indices.map { day.isAdmissible($0) }
        self.admissible = admissible
        let names = RequestNames(day: day)

        // Chairs and nurses named by a fixed booking stand alone, so that the booking can be honoured.
        let fixedChairs = Set(day.requests.compactMap(\.fixedChair))
        var chairGroups: [ChairGroup] = []
        var chairGroupOf = [Int](repeating: -1, count: day.chairs.count)
        for (c, chair) in day.chairs.enumerated() {
            if replan == nil, !fixedChairs.contains(c), let g = chairGroups.firstIndex(where: { group in
                let other = group.chairs[0]
                return !fixedChairs.contains(other) && day.chairs[other].type == chair.type && day.chairs[other].windows == chair.windows
            }) {
                chairGroups[g].chairs.append(c)
                chairGroupOf[c] = g
            } else {
                chairGroupOf[c] = chairGroups.count
                chairGroups.append(ChairGroup(name: "", chairs: [c]))
            }
        }
        for g in chairGroups.indices {
            let first = chairGroups[g].chairs[0]
            chairGroups[g].name = chairGroups[g].chairs.count == 1
                ? "chair_" + Self.sanitize(day.chairs[first].id, index: first)
                : Self.sanitize(day.chairTypeNames[day.chairs[first].type], index: g) + "#\(g + 1)"
        }
        let nurseGroups = Self.nurseGroups(of: day, aggregation: aggregation)
        var nurseGroupOf = [Int](repeating: -1, count: day.nurses.count)
        for (h, group) in nurseGroups.enumerated() { for n in group.nurses { nurseGroupOf[n] = h } }

        var hintDraws: [Int: [Int: Int]] = [:]   // request → start → draw
        var hintPreps: [Int: Int] = [:]
        var hinted: [Int: Placement] = [:]
        for p in hints {
            hinted[p.request] = p
            if let d = p.drawStart { hintDraws[p.request, default: [:]][p.start] = d }
            if let prep = p.prepStart { hintPreps[p.request] = prep }
        }

        var ip = IntegerProgram()
        var columns: [Column] = []
        var startIndex: [StartChoice: Int] = [:]
        var nurseIndex: [NurseKey: Int] = [:]
        var prepIndex: [PrepKey: Int] = [:]
        var unscheduledIndex = [Int?](repeating: nil, count: day.requests.count)
        var nurseOptions: [Int: [Int]] = [:]
        var prepOptions: [Int: [Int]] = [:]
        var changeIndicators: [(column: Int, ways: [[Int]])] = []
        func add(_ column: Column, _ v: IntegerProgram.Variable) -> Int {
            columns.append(column)
            return ip.addVariable(v)
        }
        let w = day.weights

        // Interval uses for the capacity rows: (interval, column, coefficient, request).
        typealias Use = (interval: Range<Int>, column: Int, coefficient: Double, request: Int)
        var chairUses = [[Use]](repeating: [], count: chairGroups.count)
        var loadUses = [[Use]](repeating: [], count: nurseGroups.count)
        var intensiveUses = [[Use]](repeating: [], count: nurseGroups.count)
        var stationUses: [Use] = []
        var prepUses: [Use] = []
        var peakUses: [Use] = []
        var pendingRows: [IntegerProgram.Row] = []

        var interrupted = false
        for r in day.requests.indices {
            if let deadline, ContinuousClock.now >= deadline { interrupted = true; break }
            let q = day.requests[r]
            // A fixed booking that cannot hold even alone is broken (SPEC §2.8): it is left out
            // like any inadmissible request. In a re-plan the events decide (see below).
            var fixed = q.fixedStart != nil && (admissible[r] || replan != nil)
            guard admissible[r] || fixed else { continue }
            let reg = day.regimen(of: r)
            // A frozen request keeps exactly its hinted choice (or stays out: no start at all).
            var frozen: Placement?? = nil
            if let freed, !freed.contains(r) { frozen = .some(hinted[r]) }
            // A frozen plan has one column of each kind: fixing them at 1 spares the simplex the
            // pivots that would bring them into the basis.
            var pinned = 0.0
            if case .some(.some) = frozen { pinned = 1 }
            let name = names[r]
            var requestStarts: [Int] = []
            var nurseLinks: [(start: Int, starts: [Int], nurses: [Int])] = []
            var preps: [Int] = []            // sorted distinct candidate prep minutes
            var prepWindows: [(starts: [Int], window: [Int], label: String)] = []
            var changedStarts: [Int] = []   // start columns that change a previous plan
            var changedNurses: [Int] = []   // nurse columns at the previous start with another nurse

            let starts: [Int]
            switch frozen {
            case .some(.some(let p)): starts = [p.start]
            case .some(.none): starts = []
            case .none: starts = day.candidateStarts(r).filter { (startWindows[r]?.contains($0) ?? true) && (startSets[r]?.contains($0) ?? true) }
            }
            for s in starts where q.authorizationProblem == nil {
                let e = s + reg.chairMinutes
                guard s >= day.open, e <= day.latestEnd else { continue }
                if let latest = q.latest, e > latest { continue }
                if reg.prepMinutes == 0, let ready = q.drugReadyAt, ready > s { continue }
                // Nurse groups that can take the patient at this start. In a re-plan no nurse holds
                // anyone before now: those minutes are past, and a frozen patient handed over when
                // a nurse went out is the new nurse's from now on (SPEC §7).
                let heldFrom = replan.map { min(max(s, $0.now), e) } ?? s
                let intensive = heldFrom == s ? ResolvedDay.intensiveIntervals(start: s, end: e, regimen: reg)
                    : Handover.intensive(start: s, end: e, regimen: reg, within: heldFrom..<e)
                var groups: [Int] = []
                for (h, group) in nurseGroups.enumerated() {
                    if let n = q.fixedNurse, group.nurses != [n] { continue }
                    if case .some(.some(let p)) = frozen, nurseGroupOf[p.nurse] != h { continue }
                    if frozen == nil, let allowed = nurseSets[r], !group.nurses.contains(where: allowed.contains) { continue }
                    if frozen == nil, let rules = replan, group.nurses.contains(where: { n in
                        rules.nurseLatestEnd[n].map { e > $0 } ?? false
                    }) { continue }
                    guard group.nurses.contains(where: { n in
                        let nurse = day.nurses[n]
                        return nurse.capacity >= reg.acuity && nurse.shift.lowerBound <= heldFrom && e <= nurse.shift.upperBound
                            && !intensive.contains(where: { $0.overlaps(nurse.breakTime) })
                    }) else { continue }
                    groups.append(h)
                }
                guard !groups.isEmpty else { continue }
                // Draw options: none, or the latest draw and a few earlier ones.
                var draws: [Int?] = []
                if case .some(.some(let p)) = frozen {
                    draws = [p.drawStart]
                } else if day.needsDraw(r, start: s) {
                    guard q.allowSameDayDraw else { continue }
                    let latestDraw = day.latestDraw(r, start: s)
                    var options = (0..<(relaxed ? 1 : max(1, drawCount))).map { latestDraw - $0 * day.drawMinutes }
                    if let hint = hintDraws[r]?[s], hint <= latestDraw, !options.contains(hint) { options.append(hint) }
                    draws = options.filter { $0 >= day.earliestDraw(r) }.sorted(by: >).map { $0 }
                } else {
                    draws = [nil]
                }
                var columnsAtStart: [Int] = []
                for d in draws {
                    if d == nil, let earliest = q.earliest, s < earliest { continue }
                    if frozen == nil, let rules = replan {
                        // An arrival that changes is at least the notice away; none is in the past.
                        let arrival = d ?? s
                        if arrival < rules.now { continue }
                        if arrival < rules.earliestArrival, arrival != rules.old[r]?.arrival { continue }
                    }
                    // Prep window for this start and draw.
                    var window: [Int] = []
                    if reg.prepMinutes > 0 {
                        let hi = s - reg.prepMinutes
                        var lo = day.earliestPrep(r, resultsAt: d.map { $0 + day.drawMinutes + day.turnaroundMinutes })
                        if let stability = reg.stabilityMinutes { lo = max(lo, hi - stability) }
                        guard lo <= hi else { continue }
                        var p = hi
                        while p >= lo, window.count < Self.prepAlternatives { window.append(p); p -= day.slotMinutes }
                        if !window.contains(lo) { window.append(lo) }
                        if let hint = hintPreps[r], hint >= lo, hint <= hi, !window.contains(hint) { window.append(hint) }
                        if case .some(.some(let placed)) = frozen, let prep = placed.prepStart { window = [prep] }
                        if frozen == nil, let rules = replan {
                            // A prep under way stays; a new one does not begin in the past.
                            if rules.prepLocked[r] {
                                window = rules.old[r]?.prepStart.map { $0 >= lo && $0 <= hi ? [$0] : [] } ?? []
                            } else {
                                if lo < rules.now, rules.now <= hi, !window.contains(rules.now) { window.append(rules.now) }
                                window = window.filter { $0 >= rules.now }
                            }
                            guard !window.isEmpty else { continue }
                        }
                        window.sort()
                    }
                    let occupiedFrom = (d != nil && q.labsAtChair) ? d! : s
                    let occupied = occupiedFrom..<(e + reg.bufferMinutes)
                    let terms = day.termCosts(of: r, start: s, draw: d)
                    var cost = terms.overtime + terms.wait + terms.preference
                    if frozen == nil, let rules = replan, let o = rules.old[r] { cost += rules.shiftPerMinute * Double(abs(s - o.start)) }
                    var choiceColumns: [Int] = []
                    for (g, group) in chairGroups.enumerated() {
                        if let c = q.fixedChair, group.chairs != [c] { continue }
                        if case .some(.some(let p)) = frozen, chairGroupOf[p.chair] != g { continue }
                        if frozen == nil, let allowed = chairSets[r], !group.chairs.contains(where: allowed.contains) { continue }
                        let chair = group.chairs[0]
                        guard reg.chairTypes.contains(day.chairs[chair].type), day.chairAvailable(chair, over: occupied) else { continue }
                        let choice = StartChoice(request: r, start: s, draw: d, chairGroup: g)
                        let drawLabel = d.map { ",draw" + Self.clock($0) } ?? ""
                        let j = add(.start(choice), .init(name: "start(\(name)@\(Self.clock(s))\(drawLabel),\(group.name))",
                                                          lower: pinned, upper: 1, isInteger: true, objective: cost))
                        startIndex[choice] = j
                        choiceColumns.append(j)
                        if frozen == nil, let o = replan?.old[r], s != o.start || (d ?? s) != o.arrival || group.chairs != [o.chair] {
                            changedStarts.append(j)
                        }
                        chairUses[g].append((occupied, j, 1, r))
                        if let d, !q.labsAtChair, !relaxed { stationUses.append((d..<(d + day.drawMinutes), j, 1, r)) }
                        if w.peakLoadPenalty > 0 { peakUses.append((s..<e, j, Double(reg.acuity), r)) }
                    }
                    guard !choiceColumns.isEmpty else { continue }
                    columnsAtStart += choiceColumns
                    if reg.prepMinutes > 0, !relaxed {
                        for p in window where !preps.contains(p) { preps.append(p) }
                        prepWindows.append((choiceColumns, window, "\(name)@\(Self.clock(s))" + (d.map { ",draw" + Self.clock($0) } ?? "")))
                    }
                }
                guard !columnsAtStart.isEmpty else { continue }
                requestStarts += columnsAtStart
                var nurseColumns: [Int] = []
                for h in groups {
                    let j = add(.nurse(request: r, start: s, group: h),
                                .init(name: "nurse(\(name)@\(Self.clock(s)),\(nurseGroups[h].name))", lower: pinned, upper: 1, isInteger: true, objective: 0))
                    nurseIndex[NurseKey(request: r, start: s, group: h)] = j
                    nurseColumns.append(j)
                    if frozen == nil, let o = replan?.old[r], s == o.start, o.nurse < 0 || nurseGroupOf[o.nurse] != h {
                        changedNurses.append(j)
                    }
                    loadUses[h].append((heldFrom..<e, j, Double(reg.acuity), r))
                    for interval in intensive { intensiveUses[h].append((interval, j, 1, r)) }
                }
                nurseLinks.append((s, columnsAtStart, nurseColumns))
                for j in columnsAtStart { nurseOptions[j] = nurseColumns }
            }

            // Unscheduled: free for an admissible request, forbidden for a fixed booking.
            let penalty = (replan?.penalised[r] ?? admissible[r]) ? w.unscheduledPenalty * q.weight : 0
            var keep: Bool
            if case .some(.some) = frozen { keep = true } else { keep = false }
            // A re-plan keeps a fixed booking that still holds; one the events broke may be left out.
            if replan != nil, frozen == nil { keep = fixed && hinted[r] != nil; fixed = false }
            let u = add(.unscheduled(request: r), .init(name: "unscheduled(\(name))", lower: requestStarts.isEmpty && !fixed ? 1 : 0,
                                                        upper: fixed || (keep && !requestStarts.isEmpty) ? 0 : 1, isInteger: true, objective: penalty))
            unscheduledIndex[r] = u
            if frozen == nil, let rules = replan, rules.old[r] != nil {
                // changed(r) >= each way of changing: another start/arrival/chair, another nurse, dropped.
                let k = add(.changed(request: r), .init(name: "changed(\(name))", lower: 0, upper: 1, isInteger: false,
                                                         objective: rules.changePenalty))
                changeIndicators.append((k, [changedStarts, changedNurses, [u]].filter { !$0.isEmpty }))
                for (label, cols) in [("start", changedStarts), ("nurse", changedNurses), ("drop", [u])] where !cols.isEmpty {
                    pendingRows.append(.init(name: "changed_\(label)(\(name))", columns: cols + [k],
                                             coefficients: cols.map { _ in 1.0 } + [-1], lower: nil, upper: 0))
                }
            }
            pendingRows.append(.init(name: "assign(\(name))", columns: requestStarts + [u],
                                     coefficients: [Double](repeating: 1, count: requestStarts.count + 1), lower: 1, upper: 1))
            for link in nurseLinks {
                pendingRows.append(.init(name: "nurseLink(\(name)@\(Self.clock(link.start)))", columns: link.starts + link.nurses,
                                         coefficients: link.starts.map { _ in 1.0 } + link.nurses.map { _ in -1.0 }, lower: 0, upper: 0))
            }
            if !preps.isEmpty {
                preps.sort()
                var prepColumn: [Int: Int] = [:]
                for p in preps {
                    // A re-plan keeps a prep where it was unless moving it helps: any other minute
                    // costs a trifle, far below every real term, so ties go to the pharmacy's plan.
                    let other = frozen == nil && replan?.old[r].map { $0.prepStart != p } == true
                    let j = add(.prep(request: r, prep: p), .init(name: "prep(\(name)@\(Self.clock(p)))", lower: pinned, upper: 1, isInteger: true,
                                                                   objective: other ? Self.prepMoveCost : 0))
                    prepIndex[PrepKey(request: r, prep: p)] = j
                    prepColumn[p] = j
                    prepUses.append((p..<(p + reg.prepMinutes), j, 1, r))
                }
                // Exactly one prep when scheduled…
                pendingRows.append(.init(name: "prepCount(\(name))", columns: requestStarts + preps.map { prepColumn[$0]! },
                                         coefficients: requestStarts.map { _ in 1.0 } + preps.map { _ in -1.0 }, lower: 0, upper: 0))
                // …and one that fits the chosen start and draw.
                for link in prepWindows {
                    let cols = link.window.map { prepColumn[$0]! }
                    for j in link.starts { prepOptions[j] = cols }
                    pendingRows.append(.init(name: "prepLink(\(link.label))", columns: link.starts + cols,
                                             coefficients: link.starts.map { _ in 1.0 } + cols.map { _ in -1.0 }, lower: nil, upper: 0))
                }
            }
        }

        // Capacity rows: at every start of an interval, the uses covering it fit the capacity.
        func capacityRows(_ uses: [Use], capacity total: Double, reserved: [Range<Int>] = [], label: (Int) -> String) {
            let points = Set(uses.map(\.interval.lowerBound) + reserved.map(\.lowerBound)).sorted()
            for t in points {
                if let deadline, ContinuousClock.now >= deadline { interrupted = true; return }
                // Intervals already under way outside the program hold part of the capacity.
                var capacity = total - Double(reserved.filter { $0.contains(t) }.count)
                var cols: [Int] = [], coefs: [Double] = []
                var worst: [Int: Double] = [:]   // per request: its largest use at t (one choice is taken)
                for use in uses where use.interval.contains(t) {
                    // A column fixed at 1 (a frozen plan) is a constant: it only lowers the capacity.
                    if ip.variables[use.column].lower >= 1 { capacity -= use.coefficient; continue }
                    cols.append(use.column); coefs.append(use.coefficient)
                    worst[use.request] = max(worst[use.request] ?? 0, use.coefficient)
                }
                // A row that no combination of choices can break only slows the solver.
                guard worst.values.reduce(0, +) > capacity + 1e-9, !cols.isEmpty else { continue }
                pendingRows.append(.init(name: label(t), columns: cols, coefficients: coefs, lower: nil, upper: capacity))
            }
        }
        for (g, group) in chairGroups.enumerated() {
            capacityRows(chairUses[g], capacity: Double(group.chairs.count)) { "chair(\(group.name)@\(Self.clock($0)))" }
        }
        for (h, group) in nurseGroups.enumerated() {
            let load = group.nurses.reduce(0) { $0 + day.nurses[$1].capacity }
            capacityRows(loadUses[h], capacity: Double(load)) { "load(\(group.name)@\(Self.clock($0)))" }
            capacityRows(intensiveUses[h], capacity: Double(group.nurses.count)) { "intensive(\(group.name)@\(Self.clock($0)))" }
        }
        capacityRows(prepUses, capacity: Double(day.compounders), reserved: replan?.reservedPreps ?? []) { "compounders(@\(Self.clock($0)))" }
        capacityRows(stationUses, capacity: Double(day.stations), reserved: replan?.reservedDraws ?? []) { "stations(@\(Self.clock($0)))" }

        // Peak load: z >= acuity in chair / nurses on shift, at every start and every shift end.
        var peakIndex: Int?
        if w.peakLoadPenalty > 0, !peakUses.isEmpty {
            let z = add(.peakLoad, .init(name: "peakLoad", lower: 0, upper: Double(Self.maxPeak(day)), isInteger: false,
                                          objective: w.peakLoadPenalty))
            peakIndex = z
            let points = Set(peakUses.map(\.interval.lowerBound) + day.nurses.map(\.shift.upperBound)).sorted()
            for t in points {
                let onShift = max(1, day.nurses.filter { $0.shift.contains(t) }.count)
                var cols: [Int] = [], coefs: [Double] = []
                for use in peakUses where use.interval.contains(t) {
                    cols.append(use.column); coefs.append(use.coefficient / Double(onShift))
                }
                guard !cols.isEmpty else { continue }
                pendingRows.append(.init(name: "peak(@\(Self.clock(t)))", columns: cols + [z], coefficients: coefs + [-1], lower: nil, upper: 0))
            }
        }
        ip.rows = pendingRows
        self.program = ip
        self.columns = columns
        self.chairGroups = chairGroups
        self.nurseGroups = nurseGroups
        self.chairGroupOf = chairGroupOf
        self.nurseGroupOf = nurseGroupOf
        self.startIndex = startIndex
        self.nurseIndex = nurseIndex
        self.prepIndex = prepIndex
        self.unscheduledIndex = unscheduledIndex
        self.peakIndex = peakIndex
        self.interrupted = interrupted
        self.nurseOptions = nurseOptions
        self.prepOptions = prepOptions
        self.changeIndicators = changeIndicators
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

    /// Largest possible peak ratio: every acuity at once over one nurse.
    private static func maxPeak(_ day: ResolvedDay) -> Int {
        day.requests.indices.reduce(0) { $0 + day.regimen(of: $1).acuity }
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

    /// Sanitized request ids, computed once.
    private struct RequestNames {
        let names: [String]
        init(day: ResolvedDay) { names = day.requests.enumerated().map { ScheduleFormulation.sanitize($1.id, index: $0) } }
        subscript(r: Int) -> String { names[r] }
    }
}
