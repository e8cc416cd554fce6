import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// The placement rules of a re-plan on top of ``DayState``: where a request that is not frozen
/// may go, and what a position costs once the previous plan is taken into account.
///
/// ``DayState`` keeps SPEC §2 on the day with the events applied; this adds what §7 asks of
/// the rest of the day: an arrival that changes is at least `notice` minutes away, a prep that
/// changes does not begin in the past, a prep that already began stays as it is, preps and
/// draws already under way for patients no longer in the plan keep their compounder and
/// station, and a nurse who goes out takes no patient past `from`.
struct RepairSearch {
    /// The day with the events applied.
    let day: ResolvedDay
    /// Minute of `now`.
    let now: Int
    /// `now + notice`: the earliest arrival a moved or added patient may get.
    let earliestArrival: Int
    /// The previous placement of each request, in ``day``'s indices; `nurse` is -1 when the
    /// nurse left the day.
    let old: [Placement?]
    /// Requests whose prep began before `now` and are not frozen: they keep that prep.
    let prepLocked: [Bool]
    /// When each nurse goes out, by nurse index of ``day``.
    let outFrom: [Int?]
    /// Cost of a changed or dropped appointment.
    let changePenalty: Double
    /// Cost per minute a start moves.
    let shiftPerMinute: Double
    /// Preps begun before `now` whose appointment is gone: compounder and interval.
    var ghostPreps: [(compounder: Int, range: Range<Int>)] = []
    /// Draws begun before `now` whose appointment is gone: station and interval.
    var ghostDraws: [(station: Int, range: Range<Int>)] = []

    /// Whether the appointment of `r` differs from the previous plan in arrival, start, chair or
    /// nurse (what the change penalty counts).
    func isChanged(_ r: Int, _ p: Placement) -> Bool {
        guard let o = old[r] else { return false }
        return p.arrival != o.arrival || p.start != o.start || p.chair != o.chair || p.nurse != o.nurse
    }

    /// The change terms of placing `r` at `p`: the penalty when it changed, plus the shift.
    func changeCost(_ r: Int, _ p: Placement) -> Double {
        guard let o = old[r] else { return 0 }
        return (isChanged(r, p) ? changePenalty : 0) + shiftPerMinute * Double(abs(p.start - o.start))
    }

    /// Whether nurse `n` may take a patient in chair until `end` (not past going out).
    func nurseMayTake(_ n: Int, until end: Int) -> Bool {
        guard let from = outFrom[n] else { return true }
        return end <= from
    }

    /// Whether `p`, accepted by ``DayState``, also keeps the re-planning rules for request `r`.
    func keepsReplanRules(_ p: Placement) -> Bool {
        let r = p.request
        let o = old[r]
        guard nurseMayTake(p.nurse, until: day.end(of: p)) else { return false }
        guard ChangeRules(now: now, notice: earliestArrival - now)
            .allows(arrival: p.arrival, prep: .init(p), oldArrival: o?.arrival, oldPrep: .init(o)) else { return false }
        if let prep = p.prepStart, let k = p.compounder {
            let range = prep..<(prep + day.regimen(of: r).prepMinutes)
            if ghostPreps.contains(where: { $0.compounder == k && $0.range.overlaps(range) }) { return false }
        }
        if let d = p.drawStart, let s = p.station {
            let range = d..<(d + day.drawMinutes)
            if ghostDraws.contains(where: { $0.station == s && $0.range.overlaps(range) }) { return false }
        }
        return true
    }

    /// The best placement of `r` at `start` that keeps the re-planning rules, or nil.
    ///
    /// A prep-locked request gets its old prep back in place of the one ``DayState`` picks.
    /// When the least-loaded nurse is one who goes out before the end, the others are tried.
    func placement(of r: Int, start s: Int, chair: Int?, nurse: Int?, in state: DayState) -> Placement? {
        func adjusted(_ p: Placement) -> Placement? {
            var p = p
            if prepLocked[r], let o = old[r] {
                p.prepStart = o.prepStart; p.compounder = o.compounder
                guard state.canPlace(p) else { return nil }
            }
            return keepsReplanRules(p) ? p : nil
        }
        guard let p = state.bestPlacement(of: r, start: s, chair: chair, nurse: nurse) else { return nil }
        if nurse == nil, !nurseMayTake(p.nurse, until: day.end(of: p)) {
            for n in day.nurses.indices where n != p.nurse && nurseMayTake(n, until: day.end(of: p)) {
                if let q = state.bestPlacement(of: r, start: s, chair: chair, nurse: n), let ok = adjusted(q) { return ok }
            }
            return nil
        }
        return adjusted(p)
    }

    /// The cheapest position of `r` given the placements held, with its cost: the separable
    /// objective terms (SPEC §3) plus the change terms (SPEC §7). Ties go to the earlier start.
    ///
    /// At the old start the old chair and nurse are tried first, so that an appointment only
    /// its chair or nurse broke keeps what it can.
    ///
    /// - Complexity: O(starts × ``DayState/bestPlacement(of:start:chair:nurse:)``).
    func cheapest(_ r: Int, in state: DayState) -> (placement: Placement, cost: Double)? {
        let o = old[r]
        let lowest = min(earliestArrival, o?.arrival ?? Int.max)
        var best: (placement: Placement, cost: Double)?
        for s in day.candidateStarts(r) where s >= lowest {
            var pins: [(Int?, Int?)] = [(nil, nil)]
            if let o, s == o.start {
                let nurse: Int? = o.nurse >= 0 ? o.nurse : nil
                pins = [(o.chair, nurse), (o.chair, nil), (nil, nurse), (nil, nil)]
            }
            for (chair, nurse) in pins {
                guard let p = placement(of: r, start: s, chair: chair, nurse: nurse, in: state) else { continue }
                let cost = state.separableCost(of: p) + changeCost(r, p)
                if best == nil || cost < best!.cost - 1e-9 { best = (p, cost) }
            }
        }
        // A patient told to come sooner than the notice may keep that arrival, with another
        // chair, nurse or machine if need be (DayState picks its own draw, which may not be hers).
        if let o, o.arrival >= now, o.arrival < earliestArrival, best.map({ $0.placement.arrival != o.arrival }) ?? true {
            for p in sameArrivalPlacements(of: r, in: state) {
                let cost = state.separableCost(of: p) + changeCost(r, p)
                if best == nil || cost < best!.cost - 1e-9 { best = (p, cost) }
            }
        }
        return best
    }

    /// Bound on the appointments tried as blockers for each request ``insertByMovingOne(_:in:leave:movable:)`` places.
    static let blockersPerRequest = 8

    /// Tries to place unplaced request `u` by moving one appointment out of its way: remove a
    /// blocker, place `u` at its cheapest position, re-place the blocker at its own; kept only
    /// when the blocker found a place and the change-aware cost drops, else everything is put back.
    ///
    /// Blockers are appointments that `movable` allows, on chairs `u` can use, whose chair gap
    /// (their occupancy plus the free minutes around it) is long enough for `u`, shortest first.
    ///
    /// - Parameter leave: what leaving `u` out costs (penalty and, for a planned one, the change).
    /// - Returns: whether `u` was placed.
    func insertByMovingOne(_ u: Int, in state: inout DayState, leave: Double, movable: (Int) -> Bool) -> Bool {
        guard state.placements[u] == nil else { return false }
        let q = day.requests[u]
        let reg = day.regimen(of: u)
        let needed = reg.chairMinutes + reg.bufferMinutes + (q.labsAtChair && q.needsLabs ? day.inherentLead(of: u) : 0)
        var found: [(minutes: Int, r: Int)] = []
        for c in q.fixedChair.map({ [$0] }) ?? state.eligibleChairs[q.regimen] {
            let list = state.chairBookings[c]
            for (j, booking) in list.enumerated() where movable(booking.request) {
                guard booking.range.upperBound > earliestArrival,
                      let window = day.chairs[c].windows.first(where: { $0.lowerBound <= booking.range.lowerBound && booking.range.upperBound <= $0.upperBound })
                else { continue }
                let before = max(window.lowerBound, j > 0 ? list[j - 1].range.upperBound : Int.min, earliestArrival)
                let after = min(window.upperBound, j + 1 < list.count ? list[j + 1].range.lowerBound : Int.max)
                guard after - before >= needed else { continue }
                found.append((day.regimen(of: booking.request).chairMinutes, booking.request))
            }
        }
        found.sort { ($0.minutes, $0.r) < ($1.minutes, $1.r) }
        for (_, b) in found.prefix(Self.blockersPerRequest) {
            let old = state.remove(request: b)!
            let current = state.separableCost(of: old) + changeCost(b, old) + leave
            guard let (pu, cu) = cheapest(u, in: state) else { state.place(old); continue }
            state.place(pu)
            // The blocker moves but is never dropped: making room must not cost a planned visit.
            if let (pb, cb) = cheapest(b, in: state) {
                state.place(pb)
                if cu + cb < current - 1e-9 { return true }
                state.remove(request: b)
            }
            state.remove(request: u)
            state.place(old)
        }
        return false
    }
}
