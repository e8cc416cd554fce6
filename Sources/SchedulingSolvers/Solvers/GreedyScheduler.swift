import SchedulingModel
import SchedulingRules
import MIPKit

/// A fast constructive scheduler: fixed bookings first, then the other requests one by one
/// (most constrained or heaviest first), each at its cheapest feasible start, then a bounded
/// improvement pass.
///
/// It keeps every hard constraint of SPEC §2 (all placements go through `DayState`), is
/// deterministic, and serves alone (`--method greedy`) or as the warm start of the integer
/// program. See docs/GREEDY.md for the rules it follows.
public struct GreedyScheduler: Sendable {
    /// The day to schedule.
    public let day: ResolvedDay

    /// Bound on the chair blockers tried for each unscheduled request in the improvement pass.
    static let blockersPerRequest = 16
    /// Bound on the nurse blockers (in chair when the request would cost least) tried for each unscheduled request.
    static let nurseBlockersPerRequest = 8
    /// Nearest appointments among which pairs are moved together for a request one move cannot let in.
    static let pairCandidates = 6
    /// Bound on the chair blockers and on the nurse blockers tried to move a costly appointment.
    static let relocationBlockers = 8
    /// Rebuilds with the left-out requests first, after the construction orders.
    static let squeakyRounds = 3
    /// The cheapest builds that get the full improvement pass.
    static let repairedBuilds = 2

    /// When the schedule must be ready (nil: no limit, and 30 s for the decision on fixed bookings).
    public var deadline: ContinuousClock.Instant?

    /// Placements of the fixed bookings known to hold together (e.g. the day's proof schedule
    /// before a visit was added): tried first, with the other fixed bookings inserted beside
    /// them, before the decision of ``FixedBookings``.
    package var fixedHint: [Placement] = []
    /// Reference seconds of counted work the fixed bookings' exact programs may take when the hint
    /// and the fast placement do not place them all (docs/MODEL.md §11: deterministic); past it,
    /// ``schedule()`` throws ``FixedBookingsUndecided`` (a caller that only wants a quick proof,
    /// such as a booking's day check). Nil: the full decision, which may refuse, up to ``deadline``.
    package var fixedWork: Double?

    /// Thrown when ``fixedWork`` did not suffice to place the fixed bookings: nothing is claimed.
    package struct FixedBookingsUndecided: Error {}

    /// Creates a scheduler for `day`; `deadline` bounds the whole construction.
    public init(day: ResolvedDay, deadline: ContinuousClock.Instant? = nil) { self.day = day; self.deadline = deadline }

    /// Places every request it can; throws SchedulingError.fixedBookingsConflict when fixed bookings cannot all hold.
    ///
    /// Requests with a bad authorization and inadmissible requests are left out (the schedule
    /// builder gives their reasons); an admissible request is left out only when no start is
    /// free or when placing it would cost more than leaving it out.
    ///
    /// - Complexity: O(requests × starts × (chairs × log bookings + nurses × chair minutes)).
    public func schedule() throws -> [Placement] { try scheduleWithinDeadline().placements }

    /// ``schedule()``, and whether ``deadline`` cut it: the construction then stops where it is
    /// (requests not yet tried stay out) and the improvement steps are skipped, or an improvement
    /// step stops before its next move. What is placed keeps every rule all the same.
    public func scheduleWithinDeadline() throws -> (placements: [Placement], cut: Bool) {
        var state = DayState(day: day)
        try placeFixed(in: &state)
        var cut = false
        func late() -> Bool {
            if !cut, let deadline, ContinuousClock.now >= deadline { cut = true }
            return cut
        }

        let count = day.requests.count
        var feasibleStarts = [[Int]](repeating: [], count: count)
        var admissible = [Bool](repeating: false, count: count)
        for r in 0..<count where day.requests[r].authorizationProblem == nil {
            if r % 64 == 0, late() { break }
            // Same reading as ResolvedDay.inadmissibility(of:): some start keeps every rule alone.
            feasibleStarts[r] = day.startsFeasibleAlone(r)
            admissible[r] = !feasibleStarts[r].isEmpty
        }

        let search = Search(day: day, feasibleStarts: feasibleStarts, admissible: admissible)
        // Construct and improve once per order from the fixed bookings and keep the cheapest
        // day: which order wins depends on whether the day is short of time slots or of capacity.
        let base = state
        var best: (state: DayState, objective: Double, order: [Int])?
        var allBuilds: [(state: DayState, objective: Double, order: [Int])] = []
        @discardableResult
        func build(_ order: [Int]) -> (state: DayState, objective: Double, order: [Int]) {
            var trial = base
            for (i, r) in order.enumerated() {
                if i % 16 == 0, late() { break }
                search.insertIfWorthIt(r, in: &trial)
            }
            // Without the peak-load term a start's cost does not depend on the others, and
            // placing only ever takes resources: every start cheaper than where a request went,
            // and every start of a request left out, is still blocked. Reinsertion and a second
            // pass can then change nothing, so they run only when the peak term counts.
            if day.weights.peakLoadPenalty > 0, !late() {
                search.reinsertEach(in: &trial, stop: late)
                for r in order where trial.placements[r] == nil && !late() { search.insertIfWorthIt(r, in: &trial) }
            }
            let result = (trial, trial.objectiveTotal(admissible: admissible), order)
            if best == nil || result.1 < best!.objective - 1e-9 { best = result }
            allBuilds.append(result)
            return result
        }
        for rule in OrderRule.allCases where best == nil || !late() { build(search.constructionOrder(rule)) }
        if late() { return (best!.state.placedList, true) }
        // Squeaky wheel: rebuild with the requests the last day left out moved to the front
        // (they tell where the order went wrong), starting from the best day so far.
        var last = best!
        for _ in 0..<Self.squeakyRounds where !late() {
            let out = last.order.filter { last.state.placements[$0] == nil }
            guard !out.isEmpty else { break }
            last = build(out + last.order.filter { last.state.placements[$0] != nil })
        }
        // The costliest step, moving one appointment to let another in, runs on the best days only.
        let ranked = allBuilds.indices.sorted { (allBuilds[$0].objective, $0) < (allBuilds[$1].objective, $1) }
        var final = best!.state
        var finalObjective = Double.infinity
        var finalOrder = best!.order
        for i in ranked.prefix(Self.repairedBuilds) where finalObjective == .infinity || !late() {
            var trial = allBuilds[i].state
            // A build leaves nothing for reinsertion or direct insertion to do (see build), so
            // they run only after a move changed the day.
            if search.insertByMovingOne(in: &trial, stop: late) || day.weights.peakLoadPenalty > 0 {
                search.reinsertEach(in: &trial, stop: late)
                for r in allBuilds[i].order where trial.placements[r] == nil && !late() { search.insertIfWorthIt(r, in: &trial) }
            }
            let o = trial.objectiveTotal(admissible: admissible)
            if o < finalObjective - 1e-9 { final = trial; finalObjective = o; finalOrder = allBuilds[i].order }
        }
        if late() { return (final.placedList, true) }
        // Moving costly appointments (overtime first) is the last step, on the chosen day only.
        search.relocateByMovingOne(in: &final, stop: late)
        search.reinsertEach(in: &final, stop: late)
        for r in finalOrder where final.placements[r] == nil && !late() { search.insertIfWorthIt(r, in: &final) }
        return (final.placedList, cut)
    }

    // MARK: Fixed bookings

    /// Places the fixed bookings at their starts, or throws naming a minimal set that cannot all hold.
    ///
    /// The decision is ``FixedBookings/decide(_:requests:deadline:)``'s. Bookings that cannot
    /// hold even alone are left out (their reason and the alert `fixedBookingBroken` come with
    /// the schedule); when the decision is cut by `deadline`, the bookings that fit in turn are
    /// placed and the others left out the same way, never refused without proof.
    func placeFixed(in state: inout DayState) throws {
        let set = FixedBookings.holdingAlone(day)
        guard !set.isEmpty else { return }
        if let placements = hintedFixed(set) {
            for p in placements { state.place(p) }
            return
        }
        if let work = fixedWork {
            guard let placements = FixedBookings.placements(day, set, work: work, cap: deadline ?? .now + .seconds(30)) else {
                throw FixedBookingsUndecided()
            }
            for p in placements { state.place(p) }
            return
        }
        switch FixedBookings.decide(day, requests: set, deadline: deadline ?? .now + .seconds(30)) {
        case .hold(let placements):
            for p in placements { state.place(p) }
        case .conflict(let conflict):
            throw SchedulingError.fixedBookingsConflict(requests: conflict.ids, detail: conflict.rule)
        case .undecided:
            for r in set.sorted(by: { (day.requests[$0].fixedStart!, $0) < (day.requests[$1].fixedStart!, $1) }) {
                if let p = state.bestPlacement(of: r, start: day.requests[r].fixedStart!) { state.place(p) }
            }
        }
    }
}

extension GreedyScheduler {
    /// The fixed bookings `set` placed as ``fixedHint`` has them (those of the hint that still
    /// hold, at their fixed starts), the others inserted beside them in order of start; nil when
    /// there is no hint or one of them does not fit.
    func hintedFixed(_ set: [Int]) -> [Placement]? {
        guard !fixedHint.isEmpty else { return nil }
        let wanted = Set(set)
        var state = DayState(day: day)
        for p in fixedHint where wanted.contains(p.request) && state.placements[p.request] == nil
            && day.requests[p.request].fixedStart == p.start && state.canPlace(p) {
            state.place(p)
        }
        for r in set.sorted(by: { (day.requests[$0].fixedStart!, $0) < (day.requests[$1].fixedStart!, $1) })
        where state.placements[r] == nil {
            guard let p = state.bestPlacement(of: r, start: day.requests[r].fixedStart!) else { return nil }
            state.place(p)
        }
        return state.placedList
    }

    /// An order in which the construction places the requests.
    ///
    /// "Flexibility" is the number of (start, chair) pairs at which a request fits an empty
    /// clinic: the fewer, the more constrained. Long treatments go before short ones because
    /// short ones fit the gaps long ones leave, not the other way round.
    enum OrderRule: CaseIterable {
        /// Least flexible first, then longest chair time, then heaviest.
        case mostConstrained
        /// Heaviest first (what the unscheduled penalty counts), then longest, then least flexible.
        case heaviestLongest
        /// Longest first, then heaviest, then least flexible.
        case longestHeaviest
    }

    /// The construction and improvement steps over one day, with what they share.
    struct Search {
        let day: ResolvedDay
        /// Starts at which each request fits an empty clinic (empty when not admissible).
        let feasibleStarts: [[Int]]
        let admissible: [Bool]

        /// Non-fixed admissible requests in the order `rule` gives; request order breaks ties.
        func constructionOrder(_ rule: OrderRule) -> [Int] {
            let empty = DayState(day: day)
            var keys: [(flexibility: Int, minutes: Int, weight: Double, r: Int)] = []
            for r in day.requests.indices where admissible[r] && day.requests[r].fixedStart == nil {
                let reg = day.regimen(of: r)
                var chairs = empty.eligibleChairs[day.requests[r].regimen]
                if let c = day.requests[r].fixedChair { chairs = [c] }
                keys.append((feasibleStarts[r].count * max(1, chairs.count), reg.chairMinutes, day.requests[r].weight, r))
            }
            keys.sort { a, b in
                switch rule {
                case .mostConstrained:
                    if a.flexibility != b.flexibility { return a.flexibility < b.flexibility }
                    if a.minutes != b.minutes { return a.minutes > b.minutes }
                    if a.weight != b.weight { return a.weight > b.weight }
                case .heaviestLongest:
                    if a.weight != b.weight { return a.weight > b.weight }
                    if a.minutes != b.minutes { return a.minutes > b.minutes }
                    if a.flexibility != b.flexibility { return a.flexibility < b.flexibility }
                case .longestHeaviest:
                    if a.minutes != b.minutes { return a.minutes > b.minutes }
                    if a.weight != b.weight { return a.weight > b.weight }
                    if a.flexibility != b.flexibility { return a.flexibility < b.flexibility }
                }
                return a.r < b.r
            }
            return keys.map(\.r)
        }

        /// What leaving `r` out costs.
        func penalty(_ r: Int) -> Double { day.weights.unscheduledPenalty * day.requests[r].weight }

        /// Places `r` at its cheapest start when that costs no more than leaving it out.
        @discardableResult
        func insertIfWorthIt(_ r: Int, in state: inout DayState) -> Bool {
            guard admissible[r], state.placements[r] == nil,
                  let (p, cost) = state.cheapestPlacement(of: r, among: feasibleStarts[r]), cost <= penalty(r) else { return false }
            state.place(p)
            return true
        }

        /// For each unscheduled admissible request (heaviest first), tries to make room by moving
        /// one placed appointment that holds a chair it could use, or failing that one in chair
        /// when it would cost least (a nurse it could take): remove the blocker, place the
        /// request, re-place the blocker anywhere; kept only when the objective drops (which also
        /// lets a lighter blocker give way to a heavier request). When no single move lets it in,
        /// pairs of the ``GreedyScheduler/pairCandidates`` nearest appointments are moved together.
        /// Bounded by ``GreedyScheduler/blockersPerRequest`` chair and
        /// ``GreedyScheduler/nurseBlockersPerRequest`` nurse blockers per request.
        /// Returns whether it changed the day. `stop` is asked before each move is tried: when it
        /// says so, the search ends with the day as the last kept move left it.
        @discardableResult
        func insertByMovingOne(in state: inout DayState, stop: () -> Bool = { false }) -> Bool {
            var queue = day.requests.indices.filter { admissible[$0] && state.placements[$0] == nil }
            queue.sort { (-day.requests[$0].weight, $0) < (-day.requests[$1].weight, $1) }
            let limit = 2 * day.requests.count
            var processed = 0
            var current = state.objectiveTotal(admissible: admissible)
            // The day comes from a build whose last step tried every left-out request directly:
            // a direct insertion can only succeed once a move has changed the day.
            var changed = false
            while !queue.isEmpty, processed < limit, !stop() {
                let u = queue.removeFirst()
                processed += 1
                guard state.placements[u] == nil else { continue }
                if changed, insertIfWorthIt(u, in: &state) {
                    current = state.objectiveTotal(admissible: admissible)
                    continue
                }
                let reg = day.regimen(of: u)
                let lead = day.requests[u].labsAtChair && day.requests[u].needsLabs ? day.inherentLead(of: u) : 0
                let byChair = blockers(of: u, in: state)
                for b in byChair + nurseBlockers(of: u, in: state, excluding: byChair) where !stop() {
                    let old = state.remove(request: b)!
                    // Nothing fitted before; only starts whose chair time meets the freed chair
                    // time, or whose time in chair meets the freed nurse time, can fit now.
                    let freed = day.chairOccupancy(of: old)
                    let freedNurse = old.start..<day.end(of: old)
                    let starts = feasibleStarts[u].filter {
                        (($0 - lead)..<($0 + reg.chairMinutes + reg.bufferMinutes)).overlaps(freed)
                            || ($0..<($0 + reg.chairMinutes)).overlaps(freedNurse)
                    }
                    guard let (pu, _) = state.cheapestPlacement(of: u, among: starts) else {
                        state.place(old)
                        continue
                    }
                    state.place(pu)
                    if let (pb, _) = state.cheapestPlacement(of: b, among: feasibleStarts[b]) { state.place(pb) }
                    let after = state.objectiveTotal(admissible: admissible)
                    if after < current - 1e-9 {
                        current = after
                        changed = true
                        if state.placements[b] == nil { queue.append(b) }
                        break
                    }
                    state.remove(request: b)
                    state.remove(request: u)
                    state.place(old)
                }
                if state.placements[u] == nil, !stop() {
                    let near = nurseBlockers(of: u, in: state, excluding: [], limit: GreedyScheduler.pairCandidates)
                    pairs: for i in near.indices {
                        for j in near.indices where j > i && !stop() {
                            if let moved = insertByMovingTwo(u, near[i], near[j], in: &state, current: current) {
                                current = moved.objective
                                changed = true
                                for b in moved.dropped { queue.append(b) }
                                break pairs
                            }
                        }
                    }
                }
            }
            return changed
        }

        /// For each placed, non-fixed appointment that costs something (costliest first), tries to
        /// move it to a cheaper start by moving one appointment in its way (on a chair it could
        /// use, or in chair when it would cost least): remove both, place it, put the other back
        /// at its cheapest start; kept only when the objective drops. Ends when `stop` says so.
        func relocateByMovingOne(in state: inout DayState, stop: () -> Bool = { false }) {
            var costly: [(cost: Double, r: Int)] = []
            for r in day.requests.indices where day.requests[r].fixedStart == nil {
                if let p = state.placements[r] { let c = state.separableCost(of: p); if c > 0 { costly.append((c, r)) } }
            }
            costly.sort { ($0.cost, -$0.r) > ($1.cost, -$1.r) }
            var current = state.objectiveTotal(admissible: admissible)
            for (_, a) in costly where !stop() {
                guard let oldA = state.placements[a] else { continue }
                state.remove(request: a)
                let byChair = Array(blockers(of: a, in: state).prefix(GreedyScheduler.relocationBlockers))
                let near = nurseBlockers(of: a, in: state, excluding: byChair, limit: GreedyScheduler.relocationBlockers)
                var improved = false
                let costA = state.separableCost(of: oldA)
                let regA = day.regimen(of: a)
                let leadA = day.requests[a].labsAtChair && day.requests[a].needsLabs ? day.inherentLead(of: a) : 0
                // Only starts that would cost less than where it is now are worth a move.
                let cheaper = feasibleStarts[a].filter { state.startCost(of: a, start: $0) < costA - 1e-9 }
                for b in byChair + near {
                    let pb0 = state.placements[b]!
                    let freed = day.chairOccupancy(of: pb0), freedNurse = pb0.start..<day.end(of: pb0)
                    // Starts that meet none of the freed time were already open (or not) before.
                    let starts = cheaper.filter {
                        (($0 - leadA)..<($0 + regA.chairMinutes + regA.bufferMinutes)).overlaps(freed)
                            || ($0..<($0 + regA.chairMinutes)).overlaps(freedNurse)
                    }
                    if starts.isEmpty { continue }
                    let oldB = state.remove(request: b)!
                    if let (pa, costPa) = state.cheapestPlacement(of: a, among: starts) {
                        state.place(pa)
                        // Without the peak term costs add up: the blocker must cost less than
                        // what the move saves, so only those starts need a search.
                        var startsB = feasibleStarts[b]
                        if day.weights.peakLoadPenalty == 0 {
                            let limit = costA + state.separableCost(of: oldB) - costPa - 1e-9
                            startsB = startsB.filter { state.startCost(of: b, start: $0) < limit }
                        }
                        if let (pb, _) = state.cheapestPlacement(of: b, among: startsB) { state.place(pb) }
                        let after = state.objectiveTotal(admissible: admissible)
                        if after < current - 1e-9 { current = after; improved = true; break }
                        state.remove(request: b)
                        state.remove(request: a)
                    }
                    state.place(oldB)
                }
                if !improved { state.place(oldA) }
            }
        }

        /// Removes `a` and `b`, places `u` at its cheapest start, puts `a` and `b` back at their
        /// cheapest starts (longer first); keeps the result when the objective drops below
        /// `current`, else restores the placements as they were.
        func insertByMovingTwo(_ u: Int, _ a: Int, _ b: Int, in state: inout DayState, current: Double) -> (objective: Double, dropped: [Int])? {
            let oldA = state.remove(request: a)!, oldB = state.remove(request: b)!
            var moved: [Int] = []
            if let (pu, _) = state.cheapestPlacement(of: u, among: feasibleStarts[u]) {
                state.place(pu)
                moved.append(u)
                let back = day.regimen(of: a).chairMinutes >= day.regimen(of: b).chairMinutes ? [a, b] : [b, a]
                for x in back {
                    if let (px, _) = state.cheapestPlacement(of: x, among: feasibleStarts[x]) { state.place(px); moved.append(x) }
                }
                let after = state.objectiveTotal(admissible: admissible)
                if after < current - 1e-9 { return (after, [a, b].filter { state.placements[$0] == nil }) }
            }
            for x in moved { state.remove(request: x) }
            state.place(oldA)
            state.place(oldB)
            return nil
        }

        /// Placed, non-fixed appointments in chair during the time `u` would cost least at (its
        /// cheapest start when alone), not in `excluding`, shortest first: moving one frees a
        /// nurse (and a station or compounder) then, which is what a nurse-bound day lacks.
        func nurseBlockers(of u: Int, in state: DayState, excluding: [Int], limit: Int = GreedyScheduler.nurseBlockersPerRequest) -> [Int] {
            guard limit > 0, let ideal = feasibleStarts[u].min(by: { (state.startCost(of: u, start: $0), $0) < (state.startCost(of: u, start: $1), $1) }) else { return [] }
            let wanted = ideal..<(ideal + day.regimen(of: u).chairMinutes)
            var found: [(minutes: Int, weight: Double, r: Int)] = []
            for b in day.requests.indices where day.requests[b].fixedStart == nil && !excluding.contains(b) {
                guard let p = state.placements[b], (p.start..<day.end(of: p)).overlaps(wanted) else { continue }
                found.append((day.regimen(of: b).chairMinutes, day.requests[b].weight, b))
            }
            found.sort { ($0.minutes, $0.weight, $0.r) < ($1.minutes, $1.weight, $1.r) }
            return Array(found.prefix(limit).map(\.r))
        }

        /// Placed, non-fixed appointments on chairs `u` could use whose chair gap (their own
        /// occupancy plus the free minutes around it) is long enough for `u`, shortest first.
        func blockers(of u: Int, in state: DayState) -> [Int] {
            let q = day.requests[u]
            let reg = day.regimen(of: u)
            let needed = reg.chairMinutes + reg.bufferMinutes + (q.labsAtChair && q.needsLabs ? day.inherentLead(of: u) : 0)
            let earliest = feasibleStarts[u].first ?? 0
            let latest = (feasibleStarts[u].last ?? 0) + reg.chairMinutes + reg.bufferMinutes
            var found: [(minutes: Int, weight: Double, r: Int)] = []
            let chairs = q.fixedChair.map { [$0] } ?? state.eligibleChairs[q.regimen]
            for c in chairs {
                let list = state.chairBookings[c]
                for (j, booking) in list.enumerated() {
                    let b = booking.request
                    guard day.requests[b].fixedStart == nil, booking.range.upperBound > earliest - needed,
                          booking.range.lowerBound < latest else { continue }
                    guard let window = day.chairs[c].windows.first(where: { $0.lowerBound <= booking.range.lowerBound && booking.range.upperBound <= $0.upperBound })
                    else { continue }
                    let before = max(window.lowerBound, j > 0 ? list[j - 1].range.upperBound : Int.min)
                    let after = min(window.upperBound, j + 1 < list.count ? list[j + 1].range.lowerBound : Int.max)
                    guard after - before >= needed else { continue }
                    found.append((day.regimen(of: b).chairMinutes, day.requests[b].weight, b))
                }
            }
            found.sort { ($0.minutes, $0.weight, $0.r) < ($1.minutes, $1.weight, $1.r) }
            return Array(found.prefix(GreedyScheduler.blockersPerRequest).map(\.r))
        }

        /// Removes each non-fixed appointment that costs something (or sits in chair at the
        /// peak-load minute, when that term counts) and puts it back at its cheapest start if
        /// that lowers the objective (e.g. room freed since it was placed). Ends when `stop` says so.
        func reinsertEach(in state: inout DayState, stop: () -> Bool = { false }) {
            let peakMatters = day.weights.peakLoadPenalty > 0
            var current = state.objectiveTotal(admissible: admissible)
            for r in day.requests.indices where !stop() {
                guard let old = state.placements[r], day.requests[r].fixedStart == nil else { continue }
                if state.separableCost(of: old) == 0 {
                    guard peakMatters else { continue }
                    let peak = state.peakLoadRatio
                    guard (old.start..<day.end(of: old)).contains(where: { state.isAtPeak($0, peak: peak) }) else { continue }
                }
                state.remove(request: r)
                if let (p, _) = state.cheapestPlacement(of: r, among: feasibleStarts[r]), p != old {
                    state.place(p)
                    let after = state.objectiveTotal(admissible: admissible)
                    if after < current - 1e-9 { current = after; continue }
                    state.remove(request: r)
                }
                state.place(old)
            }
        }
    }
}

