import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// Improves a repaired re-plan with the integer program (SPEC §7, docs/REPLANNING.md).
///
/// The repair heuristic gives a valid re-plan fast; this search then frees a few requests
/// around what the events touched, keeps everything else exactly as it is (frozen
/// appointments always), and solves that small exact program — with the re-planning rules and
/// the change terms in it — by GLPK, starting from the current plan. A neighbourhood's answer
/// is kept only when it passes the validator and the re-planning rules and costs less.
/// When the requests it may move are few, the whole program is solved in one piece, and a
/// proven optimum ends the search.
struct ReplanImprovement {
    /// The day with the events applied.
    let day: ResolvedDay
    /// The re-planning rules of the program (previous plan, notice, locked preps, reserved machines).
    let rules: ScheduleFormulation.ReplanRules
    /// The repair search: its rules and change costs are the ones the answer is checked against.
    let repair: RepairSearch
    /// Requests the program may decide: not frozen, not ended.
    let movable: [Bool]
    /// Requests that may be in the plan: frozen, or movable and not ended.
    let placeable: [Bool]
    /// Requests whose leaving out costs the penalty (reachable with the notice, SPEC §7).
    var penalised: [Bool] { rules.penalised }
    /// Requests the events named or the repair changed: the neighbourhoods are built around them.
    let seeds: [Int]
    /// Requests holding a promise (a fixed booking, not frozen, not ended): a plan that leaves
    /// one out costs ``Replanner/promiseWeight`` more, so the program never trades a promise
    /// for a cheaper plan.
    var promised: [Bool] = []
    /// Frozen patients handed to another nurse (SPEC §7): each nurse's rules are read over the
    /// part of the treatment that nurse holds (the program holds no one before `now`).
    var handovers: [Int: Handover] = [:]
    /// The caller's way to stop the search early (it keeps the best plan so far).
    var control: SolveControl?

    /// Requests freed together in one neighbourhood.
    static let neighbourhoodSize = 12
    /// Up to this many movable requests, the whole program is solved in one piece first.
    static let wholeProgramLimit = 24
    /// Passes over the seeds at most (a pass that finds nothing ends the search).
    static let passes = 3
    /// Seconds the whole program may take before the search turns to neighbourhoods.
    static let wholeSlice = Duration.seconds(2)
    /// Seconds one neighbourhood may take.
    static let slice = Duration.seconds(1)

    /// What the search produced.
    struct Outcome: Sendable {
        /// The plan by request index.
        var placements: [Placement?]
        /// Neighbourhoods solved (the whole program counts as one).
        var rounds: Int
        /// Neighbourhoods whose answer was kept.
        var improvements: Int
        /// Whether the whole program was solved to a proven optimum (for its candidate draws and preps).
        var optimal: Bool
        /// A GLPK failure, when one happened (the plan is then the best found before it).
        var failure: String?
    }

    /// The change-aware cost of a plan: SPEC §3 on the new day (penalties only for `penalised`
    /// requests) plus the change penalty and shift of every previously planned request.
    func cost(_ plan: [Placement?]) -> Double {
        var total = day.objective(of: plan.compactMap { $0 }, admissible: penalised).total
        for r in plan.indices where rules.old[r] != nil && movable[r] {
            total += plan[r].map { repair.changeCost(r, $0) } ?? repair.changePenalty
        }
        for r in promised.indices where promised[r] && r < plan.count && plan[r] == nil { total += Replanner.promiseWeight }
        return total
    }

    /// Improves `start` (a valid re-plan) until `deadline`; never returns anything worse.
    func improve(_ start: [Placement?], deadline: ContinuousClock.Instant) -> Outcome {
        var outcome = Outcome(placements: start, rounds: 0, improvements: 0, optimal: false)
        let candidates = day.requests.indices.filter { movable[$0] }
        guard !candidates.isEmpty else { return outcome }
        let search = NeighbourhoodSearch(day: day, problem: self, admissible: placeable, rules: rules,
                                         deadline: deadline, stop: control, start: start)
        /// Solves one neighbourhood's program and notes a GLPK failure.
        func solve(_ n: Neighbourhood, until end: ContinuousClock.Instant) -> NeighbourhoodSearch<Self>.Answer? {
            let answer = search.round(n, until: end)
            if case .failed(let why)? = answer?.status { outcome.failure = why }
            return answer
        }

        // A day with few movable requests: the whole program, to a proven optimum if it comes quickly.
        if candidates.count <= Self.wholeProgramLimit {
            // GLPK's optimum, made concrete, is at least as good as every plan of the program (the
            // program's objective is the re-plan's up to a constant), and the best is no worse.
            if let answer = solve(Neighbourhood(freed: Set(candidates)), until: min(deadline, ContinuousClock.now + Self.wholeSlice)),
               outcome.failure == nil, answer.status == .optimal, answer.planned {
                outcome.optimal = true
            }
        }
        if !outcome.optimal, outcome.failure == nil {
            // Around each seed: it, and the movable requests near it in time on chairs it could use;
            // another pass while the last one found something.
            var rng = SeededRandom(seed: 0x2E_91A7)
            for _ in 0..<Self.passes {
                let before = search.improvements
                for seed in seeds where search.clock.now < deadline && outcome.failure == nil {
                    _ = solve(neighbourhood(of: seed, in: search.best ?? start, rng: &rng),
                              until: min(deadline, ContinuousClock.now + Self.slice))
                }
                if search.improvements == before { break }
            }
        }
        outcome.placements = search.best ?? start
        outcome.rounds = search.rounds
        outcome.improvements = search.improvements
        return outcome
    }

    /// Chairs of one neighbourhood: the seed's current and previous chair and a few more it could use.
    static let chairsPerNeighbourhood = 4
    /// Nurses of one neighbourhood at least: those of the freed appointments, then others at random.
    static let nursesPerNeighbourhood = 10
    /// Minutes around the seed's chair time whose appointments are freed, and that they may move.
    static let band = 120

    /// A few chairs the seed could use (its current and previous one first) and, on them, the
    /// movable appointments within ``band`` minutes of the seed's time, nearest first, plus a
    /// few requests left out that could use those chairs. Freed appointments stay on those
    /// chairs and move at most ``band`` minutes, which keeps the program small.
    func neighbourhood(of seed: Int, in plan: [Placement?], rng: inout SeededRandom) -> Neighbourhood {
        let reg = day.regimen(of: seed)
        let types = reg.chairTypes
        var chairs: [Int] = []
        for p in [plan[seed], rules.old[seed]].compactMap({ $0 }) where !chairs.contains(p.chair) && p.chair < day.chairs.count {
            chairs.append(p.chair)
        }
        let fixed = day.requests[seed].fixedChair
        for c in rng.shuffled(day.chairs.indices.filter { types.contains(day.chairs[$0].type) }) where chairs.count < Self.chairsPerNeighbourhood {
            if fixed == nil, !chairs.contains(c) { chairs.append(c) }
        }
        let chairSet = Set(chairs)
        let anchors = [plan[seed], rules.old[seed]].compactMap { $0 }.map { $0.start }
        let centre = anchors.first ?? max(rules.earliestArrival, day.requests[seed].preferredStart ?? rules.earliestArrival)
        let around = (centre - Self.band)..<(centre + reg.chairMinutes + Self.band)
        var near: [(distance: Int, tie: Double, r: Int)] = []
        var out: [(tie: Double, r: Int)] = []
        for (r, p) in plan.enumerated() where r != seed && movable[r] {
            if let p {
                guard chairSet.contains(p.chair), (p.start..<day.end(of: p)).overlaps(around) else { continue }
                near.append((abs(p.start - centre), rng.unit(), r))
            } else if penalised[r], day.regimen(of: r).chairTypes.contains(where: { t in chairs.contains { day.chairs[$0].type == t } }) {
                out.append((rng.unit(), r))
            }
        }
        near.sort { ($0.distance, $0.tie, $0.r) < ($1.distance, $1.tie, $1.r) }
        out.sort { ($0.tie, $0.r) < ($1.tie, $1.r) }
        var n = Neighbourhood(freed: [seed])
        for x in near.prefix(Self.neighbourhoodSize - 3) { n.freed.insert(x.r) }
        for x in out.prefix(2) { n.freed.insert(x.r) }
        // Nurses: those of the freed appointments (now and before) and a few more.
        var nurses = Set(n.freed.flatMap { r in [plan[r], rules.old[r]].compactMap { $0?.nurse } }.filter { $0 >= 0 })
        for k in rng.shuffled(Array(day.nurses.indices)) where nurses.count < max(Self.nursesPerNeighbourhood, n.freed.count / 2) {
            nurses.insert(k)
        }
        for r in n.freed {
            n.chairSets[r] = chairSet
            n.nurseSets[r] = nurses
            if let p = plan[r], r != seed { n.startWindows[r] = (p.start - Self.band)...(p.start + Self.band) }
        }
        return n
    }

    /// The plan of a solution: requests not freed keep their current placement; freed ones take
    /// the chair and nurse of their columns. Compounders and stations are then given to the
    /// freed requests where a machine is free over the whole interval; when that fails, every
    /// movable request's prep and draw is given a machine again, by increasing start, around
    /// those that must keep theirs (frozen, under way). Nil when no machine is found or the plan
    /// breaks a rule of the day or of re-planning.
    func concrete(_ visits: [ScheduleFormulation.PlannedVisit], of f: ScheduleFormulation, freed: Set<Int>,
                  current: [Placement?]) -> [Placement?]? {
        var plan = [Placement?](repeating: nil, count: current.count)
        for r in current.indices where !freed.contains(r) { plan[r] = current[r] }
        for v in visits where freed.contains(v.request) {
            // With re-planning rules every chair group and nurse group is one chair or nurse.
            guard f.chairGroups.indices.contains(v.chairGroup), f.nurseGroups.indices.contains(v.nurseGroup) else { return nil }
            // A prep or draw at the same minute as now asks for the same machine first.
            let now = current[v.request]
            plan[v.request] = Placement(request: v.request, chair: f.chairGroups[v.chairGroup].chairs[0],
                                        nurse: f.nurseGroups[v.nurseGroup].nurses[0], start: v.start, drawStart: v.draw,
                                        station: now?.drawStart == v.draw ? now?.station : nil, prepStart: v.prep,
                                        compounder: now?.prepStart == v.prep ? now?.compounder : nil)
        }
        let pinned = { (r: Int) -> Bool in !self.movable[r] || self.rules.prepLocked[r] }
        for redo in [{ (r: Int) in freed.contains(r) }, { (r: Int) in !pinned(r) }] {
            guard let machines = assignMachines(plan, redo: redo) else { continue }
            let list = machines.compactMap { $0 }
            guard list.allSatisfy({ !freed.contains($0.request) || repair.keepsReplanRules($0) }),
                  Validator.violationLines(of: list, day: day, handovers: handovers).isEmpty else { return nil }
            return machines
        }
        return nil
    }

    /// Gives the preps and draws of the requests `redo` names a compounder and station free over
    /// their whole interval, by increasing start, after everything else keeps its own (a prep
    /// under way keeps its previous compounder); nil when some interval finds none.
    private func assignMachines(_ plan: [Placement?], redo: (Int) -> Bool) -> [Placement?]? {
        var plan = plan
        var compounders = MachinePool(machines: day.compounders)
        var stations = MachinePool(machines: day.stations)
        for ghost in repair.ghostPreps { compounders.take(ghost.compounder, ghost.range) }
        for ghost in repair.ghostDraws { stations.take(ghost.station, ghost.range) }
        var todo: [Int] = []
        for case let p? in plan {
            let r = p.request
            if redo(r) { todo.append(r); continue }
            if let prep = p.prepStart, let k = p.compounder { compounders.take(k, prep..<(prep + day.regimen(of: r).prepMinutes)) }
            if let d = p.drawStart, let st = p.station { stations.take(st, d..<(d + day.drawMinutes)) }
        }
        // The machine it had first, so that a re-plan does not reshuffle the pharmacy for nothing;
        // without one, a machine no later interval had over the same minutes, when there is one.
        func claimed(_ claims: [(machine: Int, range: Range<Int>)], over range: Range<Int>) -> (Int) -> Bool {
            { m in claims.contains { $0.machine == m && $0.range.overlaps(range) } }
        }
        // Preps under way first (their compounder is given), then by increasing start.
        todo.sort { (rules.prepLocked[$0] ? 0 : 1, plan[$0]!.prepStart ?? 0, $0) < (rules.prepLocked[$1] ? 0 : 1, plan[$1]!.prepStart ?? 0, $1) }
        var prepClaims = todo.compactMap { r in plan[r].flatMap { p in
            p.compounder.flatMap { k in p.prepStart.map { (machine: k, range: $0..<($0 + day.regimen(of: r).prepMinutes)) } } } }
        for r in todo {
            guard var p = plan[r], let prep = p.prepStart else { continue }
            if let k = p.compounder, let i = prepClaims.firstIndex(where: { $0.machine == k && $0.range.lowerBound == prep }) { prepClaims.remove(at: i) }
            let range = prep..<(prep + day.regimen(of: r).prepMinutes)
            p.compounder = rules.prepLocked[r] ? rules.old[r]?.compounder
                : compounders.choose(for: range, preferred: p.compounder, claimed: claimed(prepClaims, over: range))
            guard let k = p.compounder else { return nil }
            compounders.take(k, range)
            plan[r] = p
        }
        todo.sort { (plan[$0]!.drawStart ?? 0, $0) < (plan[$1]!.drawStart ?? 0, $1) }
        var drawClaims = todo.compactMap { r in plan[r].flatMap { p in
            p.station.flatMap { st in p.drawStart.map { (machine: st, range: $0..<($0 + day.drawMinutes)) } } } }
        for r in todo {
            guard var p = plan[r], let d = p.drawStart, !day.requests[r].labsAtChair else { continue }
            if let st = p.station, let i = drawClaims.firstIndex(where: { $0.machine == st && $0.range.lowerBound == d }) { drawClaims.remove(at: i) }
            let range = d..<(d + day.drawMinutes)
            guard let st = stations.choose(for: range, preferred: p.station, claimed: claimed(drawClaims, over: range)) else { return nil }
            p.station = st
            stations.take(st, range)
            plan[r] = p
        }
        return plan
    }
}

extension ReplanImprovement: NeighbourhoodProblem {
    func placements(of plan: [Placement?]) -> [Placement] { plan.compactMap { $0 } }

    func cost(of plan: [Placement?]) -> Double { cost(plan) }

    /// ``concrete(_:of:freed:current:)``, refused when it breaks a promise the best plan keeps:
    /// GLPK's optimum does not weigh promises, so such a plan proves nothing about the best one.
    func plan(from visits: [ScheduleFormulation.PlannedVisit], of formulation: ScheduleFormulation, freed: Set<Int>?,
              best: [Placement?]?) -> Result<[Placement?], NeighbourhoodSearch<Self>.Rejection> {
        guard let best, let freed else { return .failure(.init("a re-plan program decides the requests it frees from a plan")) }
        guard let plan = concrete(visits, of: formulation, freed: freed, current: best) else {
            return .failure(.init("the program's plan found no machines or broke a rule"))
        }
        if promised.indices.contains(where: { promised[$0] && plan[$0] == nil && best[$0] != nil }) {
            return .failure(.init("the program's plan broke a promise the best plan keeps"))
        }
        return .success(plan)
    }
}

/// Fault injection for tests: the re-plan's last line of defence — a plan of the integer program
/// that breaks a rule is withheld and the repair answers — guards against bugs, so no input can
/// reach it. A test sets `improvement` (task-local, nil everywhere else) to alter the program's
/// outcome before the re-plan checks it.
enum ReplanFaults {
    @TaskLocal static var improvement: (@Sendable (ReplanImprovement.Outcome) -> ReplanImprovement.Outcome)?
}
