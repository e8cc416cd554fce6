import SchedulingModel
import SchedulingRules
import MIPKit

/// Turns an aggregated plan (chair group, nurse group, prep and draw minutes) into concrete
/// chairs, nurses, compounders and stations.
///
/// Chairs within a group, compounders and stations are identical machines serving intervals,
/// so assigning by increasing start to any free one never needs more machines than the largest
/// overlap (interval graphs are perfect): when the capacity rows hold, this step cannot fail.
/// Nurses are different: their rows bound a group's total load, which is weaker than each
/// nurse's load, so their assignment is a bounded search that may fail.
package enum ResourceAssignment {
    /// Why a plan could not be made concrete.
    package struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What failed, naming only the resource kind and counts.
        package var description: String
    }

    /// Search nodes allowed per nurse group before giving up.
    static let nurseSearchLimit = 200_000

    /// Assigns concrete resources to `plan`.
    ///
    /// - Complexity: O(n log n) for chairs, compounders and stations; the nurse search is
    ///   exponential in the worst case and capped at ``nurseSearchLimit`` nodes per group.
    package static func assign(_ plan: [ScheduleFormulation.PlannedVisit], formulation f: ScheduleFormulation) -> Result<[Placement], Failure> {
        let day = f.day
        var placements = plan.map { v in
            Placement(request: v.request, chair: -1, nurse: -1, start: v.start, drawStart: v.draw, station: nil,
                      prepStart: v.prep, compounder: nil)
        }
        // Chairs, group by group.
        for (g, group) in f.chairGroups.enumerated() {
            let items = placements.indices.filter { plan[$0].chairGroup == g }
            // Stations are not assigned yet, so the occupancy is read from the plan: a port draw holds the chair.
            let occupancy = items.map { i -> Range<Int> in
                let v = plan[i]
                return day.chairOccupancy(of: v.request, start: v.start, drawAtChair: day.requests[v.request].labsAtChair ? v.draw : nil)
            }
            guard let chosen = colour(occupancy, machines: group.chairs.count) else {
                return .failure(Failure(description: "chair group \(g + 1): more patients than chairs at once"))
            }
            for (k, i) in items.enumerated() { placements[i].chair = group.chairs[chosen[k]] }
        }
        // Lab stations.
        let drawn = placements.indices.filter { placements[$0].drawStart != nil && !day.requests[placements[$0].request].labsAtChair }
        guard let stations = colour(drawn.map { placements[$0].drawStart!..<(placements[$0].drawStart! + day.drawMinutes) },
                                    machines: day.stations) else {
            return .failure(Failure(description: "more draws than lab stations at once"))
        }
        for (k, i) in drawn.enumerated() { placements[i].station = stations[k] }
        // Compounders.
        let prepped = placements.indices.filter { placements[$0].prepStart != nil }
        guard let compounders = colour(prepped.map { i in
            placements[i].prepStart!..<(placements[i].prepStart! + day.regimen(of: placements[i].request).prepMinutes)
        }, machines: day.compounders) else {
            return .failure(Failure(description: "more preps than compounders at once"))
        }
        for (k, i) in prepped.enumerated() { placements[i].compounder = compounders[k] }
        // Nurses, group by group.
        for (h, group) in f.nurseGroups.enumerated() {
            let items = placements.indices.filter { plan[$0].nurseGroup == h }
            guard let chosen = assignNurses(items.map { placements[$0] }, nurses: group.nurses, day: day) else {
                return .failure(Failure(description: "nurse group \(h + 1): \(items.count) patients do not fit \(group.nurses.count) nurses one by one"))
            }
            for (k, i) in items.enumerated() { placements[i].nurse = chosen[k] }
        }
        return .success(placements)
    }

    /// Gives each interval a machine `0..<machines` so that intervals on one machine do not
    /// overlap; nil when impossible. Intervals go by increasing start to the first free machine.
    static func colour(_ intervals: [Range<Int>], machines: Int) -> [Int]? {
        let order = intervals.indices.sorted { (intervals[$0].lowerBound, $0) < (intervals[$1].lowerBound, $1) }
        var pool = MachinePool(machines: machines)
        var out = [Int](repeating: -1, count: intervals.count)
        for i in order {
            guard let m = pool.choose(for: intervals[i]) else { return nil }
            out[i] = m
            pool.take(m, intervals[i])
        }
        return out
    }

    /// A depth-first search giving each patient one nurse of `nurses` (identical in shift, break
    /// and capacity) so that each nurse's load and intensive minutes stay within the rules.
    static func assignNurses(_ patients: [Placement], nurses: [Int], day: ResolvedDay) -> [Int]? {
        struct Patient { var span: Range<Int>; var acuity: Int; var intensive: [Range<Int>] }
        let info = patients.map { p -> Patient in
            let reg = day.regimen(of: p.request)
            let e = p.start + reg.chairMinutes
            return Patient(span: p.start..<e, acuity: reg.acuity, intensive: ResolvedDay.intensiveIntervals(start: p.start, end: e, regimen: reg))
        }
        let order = info.indices.sorted { (info[$0].span.lowerBound, $0) < (info[$1].span.lowerBound, $1) }
        // A fixed nurse stands alone in its group, so any nurse of the group is acceptable.
        var assigned = [[Int]](repeating: [], count: nurses.count)
        var out = [Int](repeating: -1, count: patients.count)
        var nodes = 0
        func fits(_ i: Int, _ k: Int) -> Bool {
            let me = info[i]
            let capacity = day.nurses[nurses[k]].capacity
            for j in assigned[k] where info[j].intensive.contains(where: { a in me.intensive.contains { $0.overlaps(a) } }) { return false }
            let points = [me.span.lowerBound] + assigned[k].map { info[$0].span.lowerBound }.filter { me.span.contains($0) }
            for t in points {
                var load = me.acuity
                for j in assigned[k] where info[j].span.contains(t) { load += info[j].acuity }
                if load > capacity { return false }
            }
            return true
        }
        func search(_ depth: Int) -> Bool {
            if depth == order.count { return true }
            nodes += 1
            if nodes > nurseSearchLimit { return false }
            let i = order[depth]
            var triedEmpty = false
            for k in nurses.indices {
                // Nurses without patients yet are interchangeable: trying one is enough.
                if assigned[k].isEmpty { if triedEmpty { continue }; triedEmpty = true }
                guard fits(i, k) else { continue }
                assigned[k].append(i); out[i] = nurses[k]
                if search(depth + 1) { return true }
                assigned[k].removeLast()
            }
            return false
        }
        return search(0) ? out : nil
    }
}

/// Identical machines — the chairs of a group, the compounders, the lab stations — each serving
/// one interval at a time: the one machine assignment of the solvers and of the re-plan.
package struct MachinePool: Sendable {
    /// The intervals each machine serves, sorted by start (disjoint, as a valid plan's are).
    private var busy: [[Range<Int>]]

    /// Machines `0..<machines`, all free.
    package init(machines: Int) { busy = Array(repeating: [], count: max(0, machines)) }

    /// Whether machine `m` serves nothing that overlaps `range`.
    ///
    /// - Complexity: O(log n) in the machine's intervals.
    package func isFree(_ m: Int, over range: Range<Int>) -> Bool {
        let list = busy[m]
        let j = Self.firstStarting(atOrAfter: range.upperBound, in: list)
        return j == 0 || list[j - 1].upperBound <= range.lowerBound
    }

    /// The machine for `range`: `preferred` when it is free, else the first free machine that
    /// `claimed` does not hold back, else the first free one; nil when none is free.
    package func choose(for range: Range<Int>, preferred: Int? = nil, claimed: (Int) -> Bool = { _ in false }) -> Int? {
        if let preferred, busy.indices.contains(preferred), isFree(preferred, over: range) { return preferred }
        var firstFree: Int?
        for m in busy.indices where isFree(m, over: range) {
            if !claimed(m) { return m }
            if firstFree == nil { firstFree = m }
        }
        return firstFree
    }

    /// Machine `m` serves `range` from now on (a machine that does not exist serves nothing).
    package mutating func take(_ m: Int, _ range: Range<Int>) {
        guard busy.indices.contains(m) else { return }
        busy[m].insert(range, at: Self.firstStarting(atOrAfter: range.lowerBound + 1, in: busy[m]))
    }

    /// Index of the first interval of `list` starting at or after `t`.
    private static func firstStarting(atOrAfter t: Int, in list: [Range<Int>]) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].lowerBound < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
