import SchedulingModel
import SchedulingRules
import MIPKit

extension ScheduleFormulation {
    /// What a program keeps of the whole day's candidates; the default keeps everything.
    struct Scope {
        /// When given, only these requests keep their candidates; every other request is frozen to
        /// what the hints do with it (its start, draw, chair's group, nurse's group and prep, or left out).
        var freed: Set<Int>?
        /// The bound relaxation: latest draws only (and a hint's), no preps, no station or compounder rows.
        var relaxed = false
        /// Same-day draw starts tried per start (at least 1, the latest); a hint's draw is added.
        var draws = ScheduleFormulation.drawAlternatives
        /// For the requests named, only starts in the range are candidates.
        var startWindows: [Int: ClosedRange<Int>] = [:]
        /// For the requests named, only these starts are candidates.
        var startSets: [Int: Set<Int>] = [:]
        /// For the requests named, only chair groups holding one of these chairs are candidates.
        var chairSets: [Int: Set<Int>] = [:]
        /// For the requests named, only nurse groups holding one of these nurses are candidates.
        var nurseSets: [Int: Set<Int>] = [:]
        /// The re-planning rules and change terms for the requests the program decides.
        var replan: ReplanRules?
    }

    /// Builds one program: columns request by request, then the capacity rows and the peak load.
    ///
    /// The order of columns and rows, and their names, are part of the program: GLPK's search
    /// depends on them.
    struct Builder {
        /// An interval use for the capacity rows: a column that holds a resource over `interval`.
        typealias Use = (interval: Range<Int>, column: Int, coefficient: Double, request: Int)

        /// What one request gathers while its start columns are added, for its own rows.
        struct RequestDraft {
            let request: Int
            let name: String
            /// `.some(p)`: frozen to the hinted plan `p` (or left out when `p` is nil); nil: free.
            let frozen: Placement??
            var starts: [Int] = []
            var nurseLinks: [(start: Int, starts: [Int], nurses: [Int])] = []
            /// Sorted distinct candidate prep minutes.
            var preps: [Int] = []
            var prepWindows: [(starts: [Int], window: [Int], label: String)] = []
            /// Start columns that change a previous plan.
            var changedStarts: [Int] = []
            /// Nurse columns at the previous start with another nurse.
            var changedNurses: [Int] = []

            var isFree: Bool { frozen == nil }
            /// The hinted plan of a frozen, placed request.
            var kept: Placement? { if case .some(.some(let p)) = frozen { p } else { nil } }
            /// Lower bound of its columns: a frozen plan has one column of each kind, and fixing them
            /// at 1 spares the simplex the pivots that would bring them into the basis.
            var pinned: Double { kept != nil ? 1 : 0 }
        }

        let day: ResolvedDay
        let aggregation: NurseAggregation
        let admissible: [Bool]
        let deadline: ContinuousClock.Instant?
        let scope: Scope
        let names: [String]
        let chairGroups: [ChairGroup]
        let chairGroupOf: [Int]
        let nurseGroups: [NurseGroup]
        let nurseGroupOf: [Int]
        let hinted: [Int: Placement]
        let hintDraws: [Int: [Int: Int]]   // request → start → draw
        let hintPreps: [Int: Int]

        var ip = IntegerProgram()
        var columns: [Column] = []
        var startIndex: [StartChoice: Int] = [:]
        var nurseIndex: [NurseKey: Int] = [:]
        var prepIndex: [PrepKey: Int] = [:]
        var unscheduledIndex: [Int?]
        var peakIndex: Int?
        var nurseOptions: [Int: [Int]] = [:]
        var prepOptions: [Int: [Int]] = [:]
        var changeIndicators: [(column: Int, ways: [[Int]])] = []
        var interrupted = false

        var chairUses: [[Use]]
        var loadUses: [[Use]]
        var intensiveUses: [[Use]]
        var stationUses: [Use] = []
        var prepUses: [Use] = []
        var peakUses: [Use] = []
        var rows: [IntegerProgram.Row] = []

        init(day: ResolvedDay, aggregation: NurseAggregation, hints: [Placement], admissible: [Bool]?,
             deadline: ContinuousClock.Instant?, scope: Scope) {
            self.day = day
            self.aggregation = aggregation
            self.admissible = admissible ?? day.requests.indices.map { day.isAdmissible($0) }
            self.deadline = deadline
            self.scope = scope
            names = day.requests.enumerated().map { ScheduleFormulation.sanitize($1.id, index: $0) }
            (chairGroups, chairGroupOf) = Self.groupChairs(of: day, alone: scope.replan != nil)
            nurseGroups = ScheduleFormulation.nurseGroups(of: day, aggregation: aggregation)
            var nurseGroupOf = [Int](repeating: -1, count: day.nurses.count)
            for (h, group) in nurseGroups.enumerated() { for n in group.nurses { nurseGroupOf[n] = h } }
            self.nurseGroupOf = nurseGroupOf

            var hintDraws: [Int: [Int: Int]] = [:]
            var hintPreps: [Int: Int] = [:]
            var hinted: [Int: Placement] = [:]
            for p in hints {
                hinted[p.request] = p
                if let d = p.drawStart { hintDraws[p.request, default: [:]][p.start] = d }
                if let prep = p.prepStart { hintPreps[p.request] = prep }
            }
            self.hinted = hinted; self.hintDraws = hintDraws; self.hintPreps = hintPreps
            unscheduledIndex = [Int?](repeating: nil, count: day.requests.count)
            chairUses = [[Use]](repeating: [], count: chairGroups.count)
            loadUses = [[Use]](repeating: [], count: nurseGroups.count)
            intensiveUses = [[Use]](repeating: [], count: nurseGroups.count)
        }

        /// Chair groups (alone: every chair its own group) and the group of each chair. Chairs
        /// named by a fixed booking stand alone, so that the booking can be honoured.
        static func groupChairs(of day: ResolvedDay, alone: Bool) -> ([ChairGroup], [Int]) {
            let fixedChairs = Set(day.requests.compactMap(\.fixedChair))
            var chairGroups: [ChairGroup] = []
            var chairGroupOf = [Int](repeating: -1, count: day.chairs.count)
            for (c, chair) in day.chairs.enumerated() {
                if !alone, !fixedChairs.contains(c), let g = chairGroups.firstIndex(where: { group in
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
                    ? "chair_" + ScheduleFormulation.sanitize(day.chairs[first].id, index: first)
                    : ScheduleFormulation.sanitize(day.chairTypeNames[day.chairs[first].type], index: g) + "#\(g + 1)"
            }
            return (chairGroups, chairGroupOf)
        }

        /// The program: every request's columns and rows, then the capacity rows and the peak load.
        mutating func build() -> ScheduleFormulation {
            for r in day.requests.indices {
                if let deadline, ContinuousClock.now >= deadline || BuildStop.requested { interrupted = true; break }
                addRequest(r)
            }
            addCapacityRows()
            addPeakLoad()
            ip.rows = rows
            return ScheduleFormulation(self)
        }

        private mutating func add(_ column: Column, _ v: IntegerProgram.Variable) -> Int {
            columns.append(column)
            return ip.addVariable(v)
        }

        /// The columns and rows of request `r`.
        private mutating func addRequest(_ r: Int) {
            let q = day.requests[r]
            let replan = scope.replan
            // A fixed booking that cannot hold even alone is broken (SPEC §2.8): it is left out
            // like any inadmissible request. In a re-plan the events decide (see `addUnscheduled`).
            let fixed = q.fixedStart != nil && (admissible[r] || replan != nil)
            guard admissible[r] || fixed else { return }
            // A frozen request keeps exactly its hinted choice (or stays out: no start at all).
            var frozen: Placement?? = nil
            if let freed = scope.freed, !freed.contains(r) { frozen = .some(hinted[r]) }
            var request = RequestDraft(request: r, name: names[r], frozen: frozen)

            let starts: [Int]
            switch frozen {
            case .some(.some(let p)): starts = [p.start]
            case .some(.none): starts = []
            case .none:
                starts = day.candidateStarts(r).filter {
                    (scope.startWindows[r]?.contains($0) ?? true) && (scope.startSets[r]?.contains($0) ?? true)
                }
            }
            for s in starts where q.authorizationProblem == nil { addStart(s, to: &request) }
            addUnscheduled(request, fixed: fixed)
            addPreps(request)
        }

        /// The start, draw and chair columns of one start of a request, and its nurse columns.
        private mutating func addStart(_ s: Int, to request: inout RequestDraft) {
            let r = request.request
            let q = day.requests[r], reg = day.regimen(of: r)
            let e = s + reg.chairMinutes
            guard s >= day.open, e <= day.latestEnd else { return }
            if let latest = q.latest, e > latest { return }
            if reg.prepMinutes == 0, let ready = q.drugReadyAt, ready > s { return }
            // In a re-plan no nurse holds anyone before now: those minutes are past, and a frozen
            // patient handed over when a nurse went out is the new nurse's from now on (SPEC §7).
            let heldFrom = scope.replan.map { min(max(s, $0.now), e) } ?? s
            let intensive = heldFrom == s ? ResolvedDay.intensiveIntervals(start: s, end: e, regimen: reg)
                : Handover.intensive(start: s, end: e, regimen: reg, within: heldFrom..<e)
            let groups = groupsTaking(request, start: s, end: e, heldFrom: heldFrom, intensive: intensive)
            guard !groups.isEmpty, let draws = drawOptions(request, start: s) else { return }
            var columnsAtStart: [Int] = []
            for d in draws { columnsAtStart += addChoices(&request, start: s, draw: d) }
            guard !columnsAtStart.isEmpty else { return }
            request.starts += columnsAtStart
            var nurseColumns: [Int] = []
            for h in groups {
                let j = add(.nurse(request: r, start: s, group: h),
                            .init(name: "nurse(\(request.name)@\(clock(s)),\(nurseGroups[h].name))", lower: request.pinned, upper: 1,
                                  isInteger: true, objective: 0))
                nurseIndex[NurseKey(request: r, start: s, group: h)] = j
                nurseColumns.append(j)
                if request.isFree, let o = scope.replan?.old[r], s == o.start, o.nurse < 0 || nurseGroupOf[o.nurse] != h {
                    request.changedNurses.append(j)
                }
                loadUses[h].append((heldFrom..<e, j, Double(reg.acuity), r))
                for interval in intensive { intensiveUses[h].append((interval, j, 1, r)) }
            }
            request.nurseLinks.append((s, columnsAtStart, nurseColumns))
            for j in columnsAtStart { nurseOptions[j] = nurseColumns }
        }

        /// Nurse groups that can take the patient from `heldFrom` to `end`.
        private func groupsTaking(_ request: RequestDraft, start s: Int, end e: Int, heldFrom: Int,
                                  intensive: [Range<Int>]) -> [Int] {
            let r = request.request
            let q = day.requests[r], reg = day.regimen(of: r)
            var groups: [Int] = []
            for (h, group) in nurseGroups.enumerated() {
                if let n = q.fixedNurse, group.nurses != [n] { continue }
                if let p = request.kept, nurseGroupOf[p.nurse] != h { continue }
                if request.isFree, let allowed = scope.nurseSets[r], !group.nurses.contains(where: allowed.contains) { continue }
                if request.isFree, let rules = scope.replan, group.nurses.contains(where: { n in
                    rules.nurseLatestEnd[n].map { e > $0 } ?? false
                }) { continue }
                guard group.nurses.contains(where: { n in
                    let nurse = day.nurses[n]
                    return nurse.capacity >= reg.acuity && nurse.shift.lowerBound <= heldFrom && e <= nurse.shift.upperBound
                        && !intensive.contains(where: { $0.overlaps(nurse.breakTime) })
                }) else { continue }
                groups.append(h)
            }
            return groups
        }

        /// Draw options at start `s`: none, or the latest draw and a few earlier ones; nil when the
        /// start needs a draw the request does not allow.
        private func drawOptions(_ request: RequestDraft, start s: Int) -> [Int?]? {
            let r = request.request
            if case .some(.some(let p)) = request.frozen { return [p.drawStart] }
            guard day.needsDraw(r, start: s) else { return [nil] }
            guard day.requests[r].allowSameDayDraw else { return nil }
            let latestDraw = day.latestDraw(r, start: s)
            var options = (0..<(scope.relaxed ? 1 : max(1, scope.draws))).map { latestDraw - $0 * day.drawMinutes }
            if let hint = hintDraws[r]?[s], hint <= latestDraw, !options.contains(hint) { options.append(hint) }
            return options.filter { $0 >= day.earliestDraw(r) }.sorted(by: >).map { $0 }
        }

        /// The start columns of one start and draw, one per chair group that can take it; none when
        /// the arrival or the prep does not fit.
        private mutating func addChoices(_ request: inout RequestDraft, start s: Int, draw d: Int?) -> [Int] {
            let r = request.request
            let q = day.requests[r], reg = day.regimen(of: r)
            let e = s + reg.chairMinutes
            if d == nil, let earliest = q.earliest, s < earliest { return [] }
            if request.isFree, let rules = scope.replan {
                // An arrival that changes is at least the notice away; none is in the past.
                let arrival = d ?? s
                if arrival < rules.now { return [] }
                if arrival < rules.earliestArrival, arrival != rules.old[r]?.arrival { return [] }
            }
            guard let window = prepWindow(request, start: s, draw: d) else { return [] }
            let occupiedFrom = (d != nil && q.labsAtChair) ? d! : s
            let occupied = occupiedFrom..<(e + reg.bufferMinutes)
            let terms = day.termCosts(of: r, start: s, draw: d)
            var cost = terms.overtime + terms.wait + terms.preference
            if request.isFree, let rules = scope.replan, let o = rules.old[r] { cost += rules.shiftPerMinute * Double(abs(s - o.start)) }
            let drawLabel = d.map { ",draw" + clock($0) } ?? ""
            var choiceColumns: [Int] = []
            for (g, group) in chairGroups.enumerated() {
                if let c = q.fixedChair, group.chairs != [c] { continue }
                if let p = request.kept, chairGroupOf[p.chair] != g { continue }
                if request.isFree, let allowed = scope.chairSets[r], !group.chairs.contains(where: allowed.contains) { continue }
                let chair = group.chairs[0]
                guard reg.chairTypes.contains(day.chairs[chair].type), day.chairAvailable(chair, over: occupied) else { continue }
                let choice = StartChoice(request: r, start: s, draw: d, chairGroup: g)
                let j = add(.start(choice), .init(name: "start(\(request.name)@\(clock(s))\(drawLabel),\(group.name))",
                                                  lower: request.pinned, upper: 1, isInteger: true, objective: cost))
                startIndex[choice] = j
                choiceColumns.append(j)
                if request.isFree, let o = scope.replan?.old[r], s != o.start || (d ?? s) != o.arrival || group.chairs != [o.chair] {
                    request.changedStarts.append(j)
                }
                chairUses[g].append((occupied, j, 1, r))
                if let d, !q.labsAtChair, !scope.relaxed { stationUses.append((d..<(d + day.drawMinutes), j, 1, r)) }
                if day.weights.peakLoadPenalty > 0 { peakUses.append((s..<e, j, Double(reg.acuity), r)) }
            }
            guard !choiceColumns.isEmpty else { return [] }
            if reg.prepMinutes > 0, !scope.relaxed {
                for p in window where !request.preps.contains(p) { request.preps.append(p) }
                request.prepWindows.append((choiceColumns, window, "\(request.name)@\(clock(s))" + drawLabel))
            }
            return choiceColumns
        }

        /// Candidate prep minutes for start `s` and draw `d`, sorted (none without a prep); nil
        /// when no prep fits.
        private func prepWindow(_ request: RequestDraft, start s: Int, draw d: Int?) -> [Int]? {
            let r = request.request
            let reg = day.regimen(of: r)
            guard reg.prepMinutes > 0 else { return [] }
            let hi = s - reg.prepMinutes
            var lo = day.earliestPrep(r, resultsAt: d.map { $0 + day.drawMinutes + day.turnaroundMinutes })
            if let stability = reg.stabilityMinutes { lo = max(lo, hi - stability) }
            guard lo <= hi else { return nil }
            var window: [Int] = []
            var p = hi
            while p >= lo, window.count < ScheduleFormulation.prepAlternatives { window.append(p); p -= day.slotMinutes }
            if !window.contains(lo) { window.append(lo) }
            if let hint = hintPreps[r], hint >= lo, hint <= hi, !window.contains(hint) { window.append(hint) }
            if let placed = request.kept, let prep = placed.prepStart { window = [prep] }
            if request.isFree, let rules = scope.replan {
                // A prep under way stays; a new one does not begin in the past.
                if rules.prepLocked[r] {
                    window = rules.old[r]?.prepStart.map { $0 >= lo && $0 <= hi ? [$0] : [] } ?? []
                } else {
                    if lo < rules.now, rules.now <= hi, !window.contains(rules.now) { window.append(rules.now) }
                    window = window.filter { $0 >= rules.now }
                }
                guard !window.isEmpty else { return nil }
            }
            window.sort()
            return window
        }

        /// The request's unscheduled column (and, in a re-plan, its change column and rows), its
        /// assignment row and its nurse links.
        private mutating func addUnscheduled(_ request: RequestDraft, fixed: Bool) {
            let r = request.request, name = request.name
            let replan = scope.replan
            var fixed = fixed
            // Unscheduled: free for an admissible request, forbidden for a fixed booking.
            let penalty = (replan?.penalised[r] ?? admissible[r]) ? day.weights.unscheduledPenalty * day.requests[r].weight : 0
            var keep = request.kept != nil
            // A re-plan keeps a fixed booking that still holds; one the events broke may be left out.
            if replan != nil, request.isFree { keep = fixed && hinted[r] != nil; fixed = false }
            let starts = request.starts
            let u = add(.unscheduled(request: r), .init(name: "unscheduled(\(name))", lower: starts.isEmpty && !fixed ? 1 : 0,
                                                        upper: fixed || (keep && !starts.isEmpty) ? 0 : 1, isInteger: true, objective: penalty))
            unscheduledIndex[r] = u
            if request.isFree, let rules = replan, rules.old[r] != nil {
                // changed(r) >= each way of changing: another start/arrival/chair, another nurse, dropped.
                let k = add(.changed(request: r), .init(name: "changed(\(name))", lower: 0, upper: 1, isInteger: false,
                                                         objective: rules.changePenalty))
                let ways = [("start", request.changedStarts), ("nurse", request.changedNurses), ("drop", [u])]
                changeIndicators.append((k, ways.map(\.1).filter { !$0.isEmpty }))
                for (label, cols) in ways where !cols.isEmpty {
                    rows.append(.init(name: "changed_\(label)(\(name))", columns: cols + [k],
                                      coefficients: cols.map { _ in 1.0 } + [-1], lower: nil, upper: 0))
                }
            }
            rows.append(.init(name: "assign(\(name))", columns: starts + [u],
                              coefficients: [Double](repeating: 1, count: starts.count + 1), lower: 1, upper: 1))
            for link in request.nurseLinks {
                rows.append(.init(name: "nurseLink(\(name)@\(clock(link.start)))", columns: link.starts + link.nurses,
                                  coefficients: link.starts.map { _ in 1.0 } + link.nurses.map { _ in -1.0 }, lower: 0, upper: 0))
            }
        }

        /// The request's prep columns, and rows that give a scheduled request one prep that fits
        /// its start and draw.
        private mutating func addPreps(_ request: RequestDraft) {
            guard !request.preps.isEmpty else { return }
            let r = request.request, name = request.name
            let reg = day.regimen(of: r)
            let preps = request.preps.sorted()
            var prepColumn: [Int: Int] = [:]
            for p in preps {
                // A re-plan keeps a prep where it was unless moving it helps: any other minute
                // costs a trifle, far below every real term, so ties go to the pharmacy's plan.
                let other = request.isFree && scope.replan?.old[r].map { $0.prepStart != p } == true
                let j = add(.prep(request: r, prep: p), .init(name: "prep(\(name)@\(clock(p)))", lower: request.pinned, upper: 1, isInteger: true,
                                                               objective: other ? ScheduleFormulation.prepMoveCost : 0))
                prepIndex[PrepKey(request: r, prep: p)] = j
                prepColumn[p] = j
                prepUses.append((p..<(p + reg.prepMinutes), j, 1, r))
            }
            // Exactly one prep when scheduled…
            rows.append(.init(name: "prepCount(\(name))", columns: request.starts + preps.map { prepColumn[$0]! },
                              coefficients: request.starts.map { _ in 1.0 } + preps.map { _ in -1.0 }, lower: 0, upper: 0))
            // …and one that fits the chosen start and draw.
            for link in request.prepWindows {
                let cols = link.window.map { prepColumn[$0]! }
                for j in link.starts { prepOptions[j] = cols }
                rows.append(.init(name: "prepLink(\(link.label))", columns: link.starts + cols,
                                  coefficients: link.starts.map { _ in 1.0 } + cols.map { _ in -1.0 }, lower: nil, upper: 0))
            }
        }

        /// Chair, nurse load, intensive-minute, compounder and lab-station rows.
        private mutating func addCapacityRows() {
            for (g, group) in chairGroups.enumerated() {
                capacityRows(chairUses[g], capacity: Double(group.chairs.count)) { "chair(\(group.name)@\(clock($0)))" }
            }
            for (h, group) in nurseGroups.enumerated() {
                let load = group.nurses.reduce(0) { $0 + day.nurses[$1].capacity }
                capacityRows(loadUses[h], capacity: Double(load)) { "load(\(group.name)@\(clock($0)))" }
                capacityRows(intensiveUses[h], capacity: Double(group.nurses.count)) { "intensive(\(group.name)@\(clock($0)))" }
            }
            capacityRows(prepUses, capacity: Double(day.compounders), reserved: scope.replan?.reservedPreps ?? []) {
                "compounders(@\(clock($0)))"
            }
            capacityRows(stationUses, capacity: Double(day.stations), reserved: scope.replan?.reservedDraws ?? []) {
                "stations(@\(clock($0)))"
            }
        }

        /// At every start of an interval, the uses covering it fit the capacity.
        private mutating func capacityRows(_ uses: [Use], capacity total: Double, reserved: [Range<Int>] = [],
                                           label: (Int) -> String) {
            let points = Set(uses.map(\.interval.lowerBound) + reserved.map(\.lowerBound)).sorted()
            for t in points {
                if let deadline, ContinuousClock.now >= deadline || BuildStop.requested { interrupted = true; return }
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
                rows.append(.init(name: label(t), columns: cols, coefficients: coefs, lower: nil, upper: capacity))
            }
        }

        /// Peak load: z >= acuity in chair / nurses on shift, at every start and every shift end.
        private mutating func addPeakLoad() {
            let penalty = day.weights.peakLoadPenalty
            guard penalty > 0, !peakUses.isEmpty else { return }
            let maxPeak = day.requests.indices.reduce(0) { $0 + day.regimen(of: $1).acuity }
            let z = add(.peakLoad, .init(name: "peakLoad", lower: 0, upper: Double(maxPeak), isInteger: false, objective: penalty))
            peakIndex = z
            let points = Set(peakUses.map(\.interval.lowerBound) + day.nurses.map(\.shift.upperBound)).sorted()
            for t in points {
                let onShift = max(1, day.nurses.filter { $0.shift.contains(t) }.count)
                var cols: [Int] = [], coefs: [Double] = []
                for use in peakUses where use.interval.contains(t) {
                    cols.append(use.column); coefs.append(use.coefficient / Double(onShift))
                }
                guard !cols.isEmpty else { continue }
                rows.append(.init(name: "peak(@\(clock(t)))", columns: cols + [z], coefficients: coefs + [-1], lower: nil, upper: 0))
            }
        }
    }
}
