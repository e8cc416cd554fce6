import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// The exact attempt a re-plan makes before it gives up a promise (SPEC §7: a fixed booking keeps
/// its start and pins unless the re-plan cannot keep them; docs/REPLANNING.md, "Promises").
extension Replanning {
    /// Reference seconds of counted GLPK work the attempt may spend (docs/MODEL.md §11): the same
    /// answer whatever the machine's load, unless the re-plan's deadline cuts it first.
    static let exactPromiseWork = 1.0

    /// When the repair search leaves promises unkept, asks the fixed-bookings decision
    /// (``SchedulingSolvers/FixedBookings``, docs/MODEL.md §10) whether every promise can hold
    /// beside the appointments that cannot move, and rebuilds the plan around its answer.
    ///
    /// The decision runs on a copy of the applied day that holds only the appointments that
    /// cannot move (frozen, or with a prep under way), each a fixed booking at its start, chair
    /// and nurse with what is already done taken off (no prep, no draw: those minutes are past),
    /// and the promises, with their starts and pins. When it places every promise that can hold
    /// alone, the plan is rebuilt: the appointments that cannot move as they are, each promise
    /// where the decision put it, then every other appointment where it was, or at its cheapest
    /// place, or left for the backfill when it fits nowhere (a kept promise weighs more than any
    /// patient moved or dropped, as in the rest of the re-plan). Every placement is checked
    /// against the day and the re-planning rules (`now`, notice, preps and draws under way); one
    /// that fails leaves the plan as it was, so the attempt can only keep more promises, never
    /// break a rule.
    ///
    /// - Parameter unkept: the promises the repair search left unkept; the plan is rebuilt only
    ///   when the decision places one of them (a promise that cannot hold alone changes nothing).
    /// - Returns: how many of `unkept` the rebuilt plan keeps (0: the plan is as it was).
    mutating func keepPromisesExactly(_ unkept: [Int]) -> Int {
        let day = newDay
        let immovable = (0..<count).filter { state.placements[$0] != nil && (isFrozenOld($0) || prepLocked[$0]) }
        let promises = (0..<count).filter {
            day.requests[$0].fixedStart != nil && !isFrozenOld($0) && !prepLocked[$0] && !isEnded[$0]
        }
        guard !promises.isEmpty, !unkept.isEmpty else { return 0 }

        var copy = day.day
        var requests: [TreatmentRequest] = []
        var original: [Int] = []
        for r in immovable {
            let p = state.placements[r]!
            guard var regimen = copy.regimens.first(where: { $0.id == copy.requests[r].regimen }) else { return 0 }
            regimen.id = "\(regimen.id)#held\(r)"
            regimen.prepMinutes = 0
            regimen.holdForLabs = nil
            copy.regimens.append(regimen)
            var q = copy.requests[r]
            q.regimen = regimen.id
            q.labs = nil; q.labsAtChair = nil; q.drugReadyAt = nil; q.window = nil; q.preferredStart = nil
            q.fixed = FixedBooking(start: ClockTime(minutes: p.start), chair: day.chairs[p.chair].id, nurse: day.nurses[p.nurse].id)
            requests.append(q)
            original.append(r)
        }
        for r in promises {
            requests.append(copy.requests[r])
            original.append(r)
        }
        copy.requests = requests
        guard let decided = try? ResolvedDay(copy) else { return 0 }
        let set = FixedBookings.holdingAlone(decided)
        // An appointment that cannot move must be part of the decision, or the copy misreads the day.
        guard immovable.indices.allSatisfy(set.contains),
              set.contains(where: { $0 >= immovable.count }),
              let placed = FixedBookings.placements(decided, set, work: Self.exactPromiseWork, cap: deadline) else { return 0 }

        let kept = Set(placed.map(\.request).filter { $0 >= immovable.count }.map { original[$0] })
        let gained = unkept.filter(kept.contains).count
        guard gained > 0 else { return 0 }
        var rebuilt = DayState(day: day)
        for r in immovable { rebuilt.place(state.placements[r]!, handover: handovers[r]) }
        for var p in placed.sorted(by: { $0.request < $1.request }) where p.request >= immovable.count {
            p.request = original[p.request]
            guard rebuilt.canPlace(p), search.keepsReplanRules(p) else { return 0 }
            rebuilt.place(p)
        }
        let skip = Set(immovable).union(kept)
        for p in state.placedList.filter({ !skip.contains($0.request) }).sorted(by: { ($0.start, $0.request) < ($1.start, $1.request) }) {
            if rebuilt.canPlace(p), search.keepsReplanRules(p) {
                rebuilt.place(p)
            } else if let (moved, cost) = search.cheapest(p.request, in: rebuilt), cost < leave(p.request) {
                rebuilt.place(moved)
            }
        }
        state = rebuilt
        return gained
    }
}
