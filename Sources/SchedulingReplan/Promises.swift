import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// What the clinic promised its patients, and the searches that keep those promises during a
/// re-plan (SPEC §7): a fixed booking keeps its start and pins unless the re-plan cannot keep
/// it, and a patient who can still come at the arrival she was told is not written off.
extension RepairSearch {
    /// The placements of request `r` that keep its previous arrival and start — only the chair,
    /// the nurse, the compounder or the station may differ — and keep the re-planning rules
    /// alongside `state`: for each chair (the old one first) the first nurse that can take it
    /// (the old one first). Used for a patient whose old arrival is after `now` but closer than
    /// the notice: she may keep her time, but no other close one.
    ///
    /// - Complexity: O(chairs × nurses × ``DayState/canPlace(_:)``).
    func sameArrivalPlacements(of r: Int, in state: DayState) -> [Placement] {
        guard let o = old[r], o.arrival >= now else { return [] }
        let q = day.requests[r]
        let chairs = q.fixedChair.map { [$0] } ?? ([o.chair] + state.eligibleChairs[q.regimen].filter { $0 != o.chair })
        let nurses = q.fixedNurse.map { [$0] } ?? ((o.nurse >= 0 ? [o.nurse] : []) + day.nurses.indices.filter { $0 != o.nurse })
        let compounders = o.compounder.map { k in [k] + (0..<day.compounders).filter { $0 != k } } ?? [nil]
        let stations = o.station.map { s in [s] + (0..<day.stations).filter { $0 != s } } ?? [nil]
        var found: [Placement] = []
        for c in chairs where day.chairs.indices.contains(c) {
            search: for n in nurses {
                for k in (prepLocked[r] ? [o.compounder] : compounders) {
                    for s in stations {
                        var p = o
                        p.chair = c; p.nurse = n; p.compounder = k; p.station = s
                        if state.canPlace(p), keepsReplanRules(p) { found.append(p); break search }
                    }
                }
            }
        }
        return found
    }

    /// Tries to place request `u` (a promised booking) at one of its candidate starts by taking
    /// out the appointments in its way on one chair and one nurse — movable ones only, never a
    /// fixed booking — placing `u`, and putting each of them back at its own cheapest position.
    /// Combinations are tried fewest blockers first; the first where every blocker finds a place
    /// is kept (a kept promise is worth more than any move). Everything is restored otherwise.
    ///
    /// - Returns: whether `u` was placed.
    func placeByClearing(_ u: Int, in state: inout DayState, movable: (Int) -> Bool,
                         maxBlockers: Int = 6, maxTries: Int = 40) -> Bool {
        guard state.placements[u] == nil else { return false }
        let q = day.requests[u]
        let reg = day.regimen(of: u)
        var combos: [(blockers: [Int], start: Int, chair: Int, nurse: Int)] = []
        for s in day.candidateStarts(u) where s >= min(earliestArrival, old[u]?.arrival ?? Int.max) {
            let e = s + reg.chairMinutes
            let lead = q.labsAtChair && day.needsDraw(u, start: s) ? day.inherentLead(of: u) : 0
            let occupied = (s - lead)..<(e + reg.bufferMinutes)
            let chairs = q.fixedChair.map { [$0] } ?? state.eligibleChairs[q.regimen]
            let nurses = q.fixedNurse.map { [$0] } ?? Array(day.nurses.indices)
            for c in chairs where day.chairAvailable(c, over: occupied) {
                let onChair = state.chairBookings[c].filter { $0.range.overlaps(occupied) }.map(\.request)
                for n in nurses where nurseMayTake(n, until: e) && day.nurses[n].shift.lowerBound <= s && e <= day.nurses[n].shift.upperBound {
                    var blockers = Set(onChair)
                    for (r, p) in state.placements.enumerated() {
                        guard let p, p.nurse == n, (p.start..<day.end(of: p)).overlaps(s..<e) else { continue }
                        blockers.insert(r)
                    }
                    guard blockers.count <= maxBlockers,
                          blockers.allSatisfy({ movable($0) && day.requests[$0].fixedStart == nil }) else { continue }
                    combos.append((blockers.sorted(), s, c, n))
                }
            }
        }
        combos.sort { ($0.blockers.count, abs($0.start - (old[u]?.start ?? $0.start)), $0.chair, $0.nurse)
                    < ($1.blockers.count, abs($1.start - (old[u]?.start ?? $1.start)), $1.chair, $1.nurse) }
        for combo in combos.prefix(maxTries) {
            let removed = combo.blockers.compactMap { state.remove(request: $0) }
            var placed: [Int] = []
            func restore() {
                for r in placed { state.remove(request: r) }
                for p in removed { state.place(p) }
            }
            guard let pu = placement(of: u, start: combo.start, chair: combo.chair, nurse: combo.nurse, in: state) else {
                restore(); continue
            }
            state.place(pu)
            placed.append(u)
            var ok = true
            for b in removed.sorted(by: { ($0.start, $0.request) < ($1.start, $1.request) }) {
                guard let (pb, _) = cheapest(b.request, in: state) else { ok = false; break }
                state.place(pb)
                placed.append(b.request)
            }
            if ok { return true }
            restore()
        }
        return false
    }
}

extension Replanner {
    /// Whether request `r` of `day`, alone in the clinic, can keep the arrival `arrival` it was
    /// told (SPEC §7: a placement whose arrival is the old one, when that is still ahead, counts
    /// for admissibility): some start with a same-day draw at `arrival`, or a start at `arrival`
    /// without a draw, keeps every hard rule with a prep that does not begin before `now` (or the
    /// prep already begun, `lockedPrep`, unchanged).
    static func reachableAtArrival(_ r: Int, arrival a: Int, day: ResolvedDay, now: Int,
                                   lockedPrep: (start: Int, compounder: Int)?) -> Bool {
        guard a >= now else { return false }
        let q = day.requests[r]
        let reg = day.regimen(of: r)
        let empty = DayState(day: day)
        let chairs = q.fixedChair.map { [$0] } ?? day.chairs.indices.filter { reg.chairTypes.contains(day.chairs[$0].type) }
        let nurses = q.fixedNurse.map { [$0] } ?? Array(day.nurses.indices)
        for s in day.candidateStarts(r) where s >= a {
            let draw = day.needsDraw(r, start: s)
            if !draw, s != a { continue }
            var p = Placement(request: r, chair: 0, nurse: 0, start: s)
            if draw { p.drawStart = a; p.station = q.labsAtChair ? nil : 0 }
            if reg.prepMinutes > 0 {
                if let lockedPrep {
                    p.prepStart = lockedPrep.start; p.compounder = lockedPrep.compounder
                } else {
                    let prep = s - reg.prepMinutes
                    guard prep >= now else { continue }
                    p.prepStart = prep; p.compounder = 0
                }
            }
            for c in chairs {
                p.chair = c
                for n in nurses {
                    p.nurse = n
                    if empty.canPlace(p) { return true }
                }
            }
        }
        return false
    }
}
