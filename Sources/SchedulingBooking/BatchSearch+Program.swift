import SchedulingModel
import SchedulingRules
import SchedulingSolvers

extension BatchSearch {
    /// What the optimising method found: the plan, the program's bound on it, and the rounds.
    struct ProgramOutcome {
        var plan: Plan
        /// The first program's proven lower bound on the booking objective over the candidate
        /// tuples, when GLPK proved one.
        var bound: Double?
        /// Whether the first program was solved to optimality.
        var optimal: Bool
        /// Programs solved and no-good cuts added.
        var rounds: Int
        var cuts: Int
        /// Whether the real time cap cut a search (the run may then differ from another).
        var capReached: Bool
    }

    /// The day-assignment program over the courses' date tuples (docs/BOOKING.md, "Batch
    /// booking"): per bookable course with tuples, one option per tuple costing its delay and
    /// offsets plus each visit's least cost alone (``lowCost(_:_:_:)``); per date, aggregated
    /// capacity rows; the keys of (course, visit, date) for the cuts.
    struct AssignmentModel {
        var problem = DayAssignmentProblem()
        /// The course of each item.
        var courses: [Int] = []
        /// Each item's tuples, parallel to its options.
        var tuples: [[Tuple]] = []
        /// The key of each (course, visit, date) some option places.
        var keys: [String: Int] = [:]
        /// Penalties of bookable courses without any tuple (always left out).
        var constant = 0.0
    }

    func visitKey(_ c: Int, _ k: Int, _ date: CivilDate) -> String { "\(c)|\(k)|\(date)" }

    /// Builds the program. Each date's rows bound what its new visits may take of a resource
    /// class, each visit taking what its placement on the day beside the day's own patients
    /// takes (``baseSlot(_:_:_:)``'s proof):
    /// - chairs: for each set of chair types some regimen of the day accepts (and all types),
    ///   the chair minutes of visits whose regimen accepts only types of the set, within the
    ///   minutes the set's chairs are available (plus the longest cleaning and a draw);
    /// - nurses: acuity-minutes within Σ capacity × shift, intensive minutes within Σ shift;
    /// - compounders: prep minutes within compounders × (latest end − pharmacy opening);
    /// - lab stations: draw minutes within stations × (latest end − lab opening);
    /// each less what the day's own patients take in their placed schedule.
    func assignmentModel() -> AssignmentModel {
        var model = AssignmentModel()
        var dayRows: [CivilDate: DayRows] = [:]
        func rowsOf(_ date: CivilDate) -> DayRows {
            if let known = dayRows[date] { return known }
            let made = DayRows(base[date]!, capacities: &model.problem.capacities)
            dayRows[date] = made
            return made
        }
        for c in horizon.courses.indices where unbookability[c] == nil {
            // A stop leaves the program unbuilt; the caller solves nothing then.
            if stopped { break }
            let tuples = tuples(c)
            guard !tuples.isEmpty else { model.constant += penalty[c]; continue }
            var options: [DayAssignmentProblem.Option] = []
            for tuple in tuples {
                var cost = tuple.fixedCost
                var uses: [Int: Double] = [:]
                var keys: [Int] = []
                for (k, date) in tuple.dates.enumerated() {
                    cost += lowCost(c, k, date)
                    if let slot = baseSlot(c, k, date) {
                        for (row, amount) in rowsOf(date).uses(ofLastVisitIn: slot.day) { uses[row, default: 0] += amount }
                    }
                    let name = visitKey(c, k, date)
                    if model.keys[name] == nil { model.keys[name] = model.keys.count }
                    keys.append(model.keys[name]!)
                }
                options.append(.init(cost: cost, uses: uses.keys.sorted().map { ($0, uses[$0]!) }, keys: keys))
            }
            model.problem.items.append(.init(unassignedCost: penalty[c], options: options))
            model.courses.append(c)
            model.tuples.append(tuples)
        }
        return model
    }

    /// The optimising method: solve the program, then book each chosen course in file order at
    /// its tuple, each visit at its cheapest start (``book(_:at:order:in:)``); when a visit finds
    /// no start, forbid the visits its date then held together with it (a no-good cut) and solve
    /// again, up to `rounds` programs or until the real time `cap`. Each round's bookings are
    /// completed by first-fit (insertion only) for the courses they leave out; the best of the
    /// rounds (fewest courses left out, then least objective), completed by a thorough
    /// first-fit, is the answer.
    ///
    /// - Parameters:
    ///   - start: the first-fit plan, offered to the first program as its incumbent.
    ///   - workSeconds: the reference seconds of simplex work each program may take.
    ///   - end: when the final thorough first-fit must stop (real time).
    func optimise(start: Plan, rounds maxRounds: Int, workSeconds: Double, cap: ContinuousClock.Instant,
                  end: ContinuousClock.Instant) -> ProgramOutcome {
        var model = assignmentModel()
        let given: [Int?] = model.courses.enumerated().map { i, c in
            start.booked[c].flatMap { visits in model.tuples[i].firstIndex { $0.dates == visits.map(\.date) } }
        }
        var best: Plan?
        var outcome = ProgramOutcome(plan: start, bound: nil, optimal: false, rounds: 0, cuts: 0, capReached: false)
        var seen = Set<Set<Int>>()
        while outcome.rounds < maxRounds {
            if stopped { break }
            if ContinuousClock.now >= cap { outcome.capReached = true; break }
            let result = DayAssignment.solve(model.problem, start: outcome.rounds == 0 ? given : nil, workSeconds: workSeconds,
                                             cap: cap, stop: stop)
            if stopped { break }
            if ContinuousClock.now >= cap { outcome.capReached = true }
            if outcome.rounds == 0 {
                outcome.bound = result.bound.map { $0 + model.constant }
                outcome.optimal = result.status == .optimal
            }
            outcome.rounds += 1
            var plan = Plan()
            var cuts: [Set<Int>] = []
            for (i, c) in model.courses.enumerated() {
                guard let o = result.choice[i] else { continue }
                let tuple = model.tuples[i][o]
                guard let failure = book(c, at: tuple, order: .cheapest, in: &plan) else { continue }
                var cut = Set((plan.added[failure.date] ?? []).compactMap { token -> Int? in
                    guard let (course, k) = visit(of: token) else { return nil }
                    return model.keys[visitKey(course, k, failure.date)]
                })
                if let own = model.keys[visitKey(c, failure.visit, failure.date)] { cut.insert(own) }
                if seen.insert(cut).inserted { cuts.append(cut) }
            }
            firstFit(Array(horizon.courses.indices), thorough: false, into: &plan)
            if best.map({ better(plan, than: $0) }) ?? true { best = plan }
            guard !cuts.isEmpty else { break }
            model.problem.exclusions += cuts
            outcome.cuts += cuts.count
        }
        if var best {
            if !firstFit(Array(horizon.courses.indices), until: end, into: &best), !stopped { outcome.capReached = true }
            outcome.plan = best
        }
        return outcome
    }

    /// Whether `a` leaves fewer bookable courses out than `b`, or as many at a lower objective.
    func better(_ a: Plan, than b: Plan) -> Bool {
        let (ua, ub) = (unbookedCount(a), unbookedCount(b))
        return ua != ub ? ua < ub : objective(of: a) < objective(of: b) - 1e-9
    }

    /// The course index and visit (from 0) of a chain token `"<course>.<k>:<order>"`.
    private func visit(of token: String) -> (course: Int, visit: Int)? {
        let id = token.split(separator: ":").first.map(String.init) ?? token
        for (c, course) in horizon.courses.enumerated() {
            for k in course.visits.indices where course.visitId(k + 1) == id { return (c, k) }
        }
        return nil
    }
}

/// The capacity rows of one date and what a placement takes of them.
struct DayRows {
    /// Per set of chair types (sorted type indices): its row.
    private var chairRows: [(types: Set<Int>, row: Int)] = []
    private var load = 0, intensive = 0, compounder = 0, station = 0

    /// Creates the rows of `day`'s date with their capacities less what its own patients take.
    init(_ day: BookableDay, capacities: inout [Double]) {
        let d = day.resolved
        func add(_ capacity: Double) -> Int {
            capacities.append(capacity)
            return capacities.count - 1
        }
        var sets = Set(d.regimens.map(\.chairTypes))
        sets.insert(Set(d.chairs.map(\.type)))
        let slack = (d.regimens.map(\.bufferMinutes).max() ?? 0) + d.drawMinutes
        for types in sets.sorted(by: { $0.sorted().lexicographicallyPrecedes($1.sorted()) }) {
            let minutes = d.chairs.filter { types.contains($0.type) }.reduce(0) { sum, chair in
                sum + chair.windows.reduce(0) { $0 + $1.count + slack }
            }
            chairRows.append((types, add(Double(minutes))))
        }
        load = add(Double(d.nurses.reduce(0) { $0 + $1.capacity * $1.shift.count }))
        intensive = add(Double(d.nurses.reduce(0) { $0 + $1.shift.count }))
        compounder = add(Double(d.compounders * max(0, d.latestEnd - d.pharmacyOpen)))
        station = add(Double(d.stations * max(0, d.latestEnd - d.labOpen)))
        for p in day.schedule ?? [] {
            for (row, amount) in uses(of: p, on: d) { capacities[row] -= amount }
        }
    }

    /// What placement `p` of `day` takes of each row.
    func uses(of p: Placement, on day: ResolvedDay) -> [(row: Int, amount: Double)] {
        var out: [(Int, Double)] = []
        let types = day.regimens[day.requests[p.request].regimen].chairTypes
        day.forEachUse(of: p) { use in
            let minutes = Double(use.interval.count * use.amount)
            switch use.resource {
            case .chair:
                for (set, row) in chairRows where types.isSubset(of: set) { out.append((row, minutes)) }
            case .nurseLoad: out.append((load, minutes))
            case .nurseIntensive: out.append((intensive, minutes))
            case .compounder: out.append((compounder, minutes))
            case .station: out.append((station, minutes))
            }
        }
        return out
    }

    /// What the visit added last to `day` (a base day with one visit) takes, in its proof.
    func uses(ofLastVisitIn day: BookableDay) -> [(row: Int, amount: Double)] {
        let r = day.resolved.requests.count - 1
        guard let p = day.schedule?.first(where: { $0.request == r }) else { return [] }
        return uses(of: p, on: day.resolved)
    }
}
