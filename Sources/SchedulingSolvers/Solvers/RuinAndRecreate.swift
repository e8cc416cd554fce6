import Foundation
import SchedulingModel
import SchedulingRules

import MIPKit

/// A ruin-and-recreate local search over `DayState`: take a few appointments out of the best
/// schedule, put them (and any left-out request) back one by one at their cheapest start, and
/// keep the result under simulated annealing.
///
/// It needs no solver and makes thousands of moves a second, so it finds the repackings of
/// many chairs and nurses at once that a small exact neighbourhood cannot reach. Equal-cost
/// starts are tried in random order, which spreads requests without a preferred start over
/// their free hours instead of packing them all into the morning. Deterministic for a seed and
/// a number of moves (docs/MODEL.md §6.3).
struct RuinAndRecreate {
    /// The day.
    let day: ResolvedDay
    /// Which requests count in the unscheduled penalty.
    let admissible: [Bool]
    /// Starts at which each request fits the empty clinic (empty when it is not admissible).
    let feasibleStarts: [[Int]]
    /// The starts among those at which the request alone costs least (overtime and preference),
    /// and that least cost.
    let cheapestStarts: [(starts: [Int], cost: Double)]

    /// Most appointments one move takes out.
    static let maxRuin = 8
    /// Share of the moves whose recreate puts the longest requests back first; the others put
    /// the most constrained (fewest starts) first.
    let longestFirstShare: Double
    /// The share unless the caller chooses another.
    static let defaultLongestFirstShare = 0.5
    /// Temperature of the first move, in objective units, and of the last.
    static let temperatures = (first: 1.0, last: 0.02)

    /// Prepares the search: reads which starts each admissible request could take alone.
    init(day: ResolvedDay, admissible: [Bool], longestFirstShare: Double = defaultLongestFirstShare) {
        self.day = day
        self.admissible = admissible
        self.longestFirstShare = longestFirstShare
        let starts = day.requests.indices.map { r -> [Int] in
            guard admissible[r], day.requests[r].fixedStart == nil else { return [] }
            return day.startsFeasibleAlone(r)
        }
        let empty = DayState(day: day)
        feasibleStarts = starts
        cheapestStarts = starts.indices.map { r in
            let low = starts[r].map { empty.startCost(of: r, start: $0) }.min() ?? 0
            return (starts[r].filter { empty.startCost(of: r, start: $0) <= low + 1e-9 }, low)
        }
    }

    /// Improves `placements` (a valid schedule) by up to `moves` moves, stopping early at
    /// `deadline`, once the objective reaches `target` or when `interrupt` (asked every few moves)
    /// says so; returns the best schedule seen, which is never worse than `placements`.
    func improve(_ placements: [Placement], moves: Int, until deadline: ContinuousClock.Instant, target: Double,
                 rng: inout SeededRandom, interrupt: () -> Bool = { false }) -> [Placement] {
        var current = DayState(day: day)
        for p in placements { current.place(p) }
        var currentCost = current.objectiveTotal(admissible: admissible)
        var best = current.placedList
        var bestCost = currentCost
        let movable = day.requests.indices.filter { !feasibleStarts[$0].isEmpty }
        guard !movable.isEmpty else { return best }
        let ratio = Self.temperatures.last / Self.temperatures.first
        for move in 0..<moves {
            if bestCost <= target + 1e-9 || (move % 16 == 0 && (ContinuousClock.now >= deadline || interrupt())) { break }
            let temperature = Self.temperatures.first * pow(ratio, Double(move) / Double(max(1, moves - 1)))
            var trial = current
            let (removed, first) = ruin(&trial, movable: movable, rng: &rng)
            recreate(&trial, removed: removed, first: first, rng: &rng)
            let cost = trial.objectiveTotal(admissible: admissible)
            let accept = cost <= currentCost + 1e-9 || rng.unit() < exp(-(cost - currentCost) / temperature)
            if accept {
                current = trial; currentCost = cost
                if cost < bestCost - 1e-9 { best = trial.placedList; bestCost = cost }
            }
        }
        return best
    }

    /// Takes out the appointments of one move and returns them: random ones, those in chair
    /// during a random hour, those in the way of a costly request's cheapest starts, or — while
    /// an admissible request is left out — every appointment on one chair it may take over one
    /// of its cheapest starts (by turns).
    private func ruin(_ state: inout DayState, movable: [Int], rng: inout SeededRandom) -> (removed: [Int], first: Int?) {
        let placed = movable.filter { state.placements[$0] != nil }
        let count = rng.int(in: 2...Self.maxRuin)
        var chosen: [Int] = []
        var first: Int?
        let waiting = movable.filter { state.placements[$0] == nil && admissible[$0] }
        switch rng.int(in: 0...(waiting.isEmpty ? 2 : 3)) {
        case 0:
            chosen = rng.sample(placed, count: min(count, placed.count))
        case 1:
            let t = rng.int(in: day.open...max(day.open, day.latestEnd - 60))
            let hour = t..<(t + 60)
            chosen = rng.sample(placed.filter { (state.placements[$0]!.start..<day.end(of: state.placements[$0]!)).overlaps(hour) },
                                count: count)
        case 3:
            // Room for a left-out request: one chair it may take cleared from a draw and its
            // turnaround before one of its cheapest starts to the end of its buffer (a port draw
            // holds the chair from the draw). Random removals rarely free a chair for hours,
            // which a long infusion needs.
            let r = rng.pick(waiting)!
            let s = rng.pick(cheapestStarts[r].starts) ?? rng.pick(feasibleStarts[r])!
            let reg = day.regimen(of: r)
            let q = day.requests[r]
            let lead = q.labsAtChair && day.needsDraw(r, start: s) ? day.inherentLead(of: r) : 0
            let span = (s - lead)..<(s + reg.chairMinutes + reg.bufferMinutes)
            let chairs = state.eligibleChairs[q.regimen]
            if let c = rng.pick(chairs) {
                chosen = state.chairBookings[c].filter { $0.range.overlaps(span) }.map(\.request)
                    .filter { day.requests[$0].fixedStart == nil }
                first = r
            }
        default:
            // A request whose start costs more than its cheapest, and those in chair over that start.
            let excess = placed.map { max(0, state.startCost(of: $0, start: state.placements[$0]!.start) - cheapestStarts[$0].cost) }
            guard let i = rng.weightedIndex(excess) else {
                chosen = rng.sample(placed, count: min(count, placed.count))
                break
            }
            let pivot = placed[i]
            let target = rng.pick(cheapestStarts[pivot].starts) ?? state.placements[pivot]!.start
            let span = target..<(target + day.regimen(of: pivot).chairMinutes)
            chosen = [pivot] + rng.sample(placed.filter { $0 != pivot && (state.placements[$0]!.start..<day.end(of: state.placements[$0]!)).overlaps(span) },
                                          count: count - 1)
        }
        for r in chosen { state.remove(request: r) }
        return (chosen, first)
    }

    /// Puts the removed requests and every left-out admissible one back, each at its cheapest
    /// start or left out when that costs more than its penalty. The order is random with, by
    /// turns, the longest in chair favoured (as in first-fit decreasing packing: a long infusion
    /// put back after the short visits finds no chair free for its hours) or the most
    /// constrained (fewest starts).
    private func recreate(_ state: inout DayState, removed: [Int], first: Int?, rng: inout SeededRandom) {
        let waiting = Set(removed).union(day.requests.indices.filter { !feasibleStarts[$0].isEmpty && state.placements[$0] == nil })
        let longestFirst = rng.unit() < longestFirstShare
        let order = waiting.sorted().map { r in
            (r, longestFirst ? -Double(day.regimen(of: r).chairMinutes) * (0.8 + 0.4 * rng.unit())
                             : Double(feasibleStarts[r].count) * (0.5 + rng.unit()))
        }
        .sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
        for r in (first.map { [$0] } ?? []) + order.filter({ $0 != first }) {
            guard let (p, cost) = cheapest(r, in: state, rng: &rng),
                  cost <= day.weights.unscheduledPenalty * day.requests[r].weight else { continue }
            state.place(p)
        }
    }

    /// The cheapest placement of `r` in `state`, equal-cost starts taken in random order.
    private func cheapest(_ r: Int, in state: DayState, rng: inout SeededRandom) -> (Placement, Double)? {
        if day.weights.peakLoadPenalty > 0 {
            return state.cheapestPlacement(of: r, among: feasibleStarts[r]).map { ($0.placement, $0.cost) }
        }
        let starts = feasibleStarts[r].map { (cost: state.startCost(of: r, start: $0), key: rng.next(), start: $0) }
            .sorted { ($0.cost, $0.key) < ($1.cost, $1.key) }
        var best: (Placement, Double)?
        for (bound, _, s) in starts {
            if let b = best, bound >= b.1 - 1e-9 { break }
            guard let p = state.bestPlacement(of: r, start: s) else { continue }
            var cost = bound
            cost += day.waitCost(of: r, start: s, draw: p.drawStart)
            if best == nil || cost < best!.1 - 1e-9 { best = (p, cost) }
        }
        return best
    }
}
