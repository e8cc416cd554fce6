import SchedulingModel
import SchedulingRules
import MIPKit

/// A neighbourhood of the improvement search in which a *band* of requests around one costly
/// request may change chair group, nurse, draw and prep, and a *core* among them may also move.
///
/// Keeping the band's starts fixed keeps the program small (one start each), while their nurses
/// and chairs are free: a costly request that needs a nurse's intensive minutes or a chair at its
/// cheapest start can then take them from any of a few dozen patients, not only from the few
/// requests a frozen neighbourhood frees (docs/MODEL.md §6.2).
struct Reassignment: Sendable, Hashable {
    /// The request the round is built around (its excess cost picked it), if any was costly.
    var pivot: Int?
    /// Requests whose start may move (the pivot with all its starts, the others in `startWindows`).
    var core: Set<Int>
    /// Requests the program does not freeze: the core and the band (placed requests whose time in
    /// chair meets the pivot's target interval widened by ``MIPScheduler/bandMargin``).
    var freed: Set<Int>
    /// Candidate starts of the freed requests outside the core: their current start.
    var startSets: [Int: Set<Int>]
    /// Starts a core request other than the pivot may take.
    var startWindows: [Int: ClosedRange<Int>]
}

extension MIPScheduler {
    /// Minutes a core request of a reassignment round may move.
    static let coreShift = 60
    /// Minutes either side of the pivot's target time in chair whose patients may change nurse and chair.
    static let bandMargin = 90

    /// What each request costs in `placements` above the cheapest it could cost alone
    /// (`startCosts`: request → start → its own cost there): the gain a round could make on it.
    func excessCosts(of placements: [Placement], admissible: [Bool], startCosts: [Int: [Int: Double]]) -> [Double] {
        let w = day.weights
        var at = [Placement?](repeating: nil, count: day.requests.count)
        for p in placements where p.request >= 0 && p.request < at.count { at[p.request] = p }
        return day.requests.indices.map { r -> Double in
            let floor = startCosts[r]?.values.min() ?? 0
            guard let p = at[r] else {
                return admissible[r] ? max(0, w.unscheduledPenalty * day.requests[r].weight - floor) : 0
            }
            let t = day.termCosts(of: r, start: p.start, draw: p.drawStart)
            return max(0, t.overtime + t.preference + t.wait - floor)
        }
    }

    /// The requests and candidate starts of one reassignment round.
    ///
    /// A request with excess cost is picked (by weight of that excess) together with one of its
    /// cheapest starts, the *target*; the core is it and the `size - 1` placed requests whose start
    /// or end lies closest to the target's start or end — those competing for the nurses' intensive
    /// minutes — each free to move ``coreShift`` minutes, plus about `size / 3` left-out admissible
    /// requests. The band is at most `bandSize` placed requests whose time in chair meets the
    /// target interval widened by ``bandMargin`` minutes, nearest its middle first: they keep their
    /// starts. Every other request is frozen (the program keeps its current choices).
    func reassignment(of placements: [Placement], size: Int, bandSize: Int, admissible: [Bool],
                      startCosts: [Int: [Int: Double]], rng: inout SeededRandom) -> Reassignment {
        let excess = excessCosts(of: placements, admissible: admissible, startCosts: startCosts)
        var at = [Placement?](repeating: nil, count: day.requests.count)
        for p in placements where p.request >= 0 && p.request < at.count { at[p.request] = p }
        var core = Set<Int>()
        var windows: [Int: ClosedRange<Int>] = [:]
        var band = 0..<0
        let pivot = rng.weightedIndex(excess)
        if let pivot {
            core.insert(pivot)
            let own = startCosts[pivot] ?? [:]
            let cheapest = own.values.min() ?? 0
            let best = own.keys.filter { own[$0]! <= cheapest + 1e-9 }.sorted()
            let target = rng.pick(best) ?? at[pivot]?.start ?? day.open
            let length = day.regimen(of: pivot).chairMinutes
            let marks = [target, target + length]
            band = (target - Self.bandMargin)..<(target + length + Self.bandMargin)
            // Nearest first; the shuffle breaks ties differently from round to round.
            let near = rng.shuffled(placements.filter { $0.request != pivot && day.requests[$0.request].fixedStart == nil })
                .map { p -> (Int, Int) in
                    let d = marks.map { m in min(abs(p.start - m), abs(day.end(of: p) - m)) }.min()!
                    return (d, p.request)
                }
            for (_, r) in near.enumerated().sorted(by: { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) })
                .map(\.element).prefix(max(0, size - 1)) {
                core.insert(r)
                let s = at[r]!.start
                windows[r] = (s - Self.coreShift)...(s + Self.coreShift)
            }
        }
        let out = day.requests.indices.filter { admissible[$0] && at[$0] == nil && $0 != pivot }
        for r in rng.sample(out, count: min(out.count, max(1, size / 3))) { core.insert(r) }
        var freed = core
        var sets: [Int: Set<Int>] = [:]
        // The band's patients nearest its middle, at most `bandSize` of them (big days have too many).
        let middle = (band.lowerBound + band.upperBound) / 2
        let inBand = placements.filter { !core.contains($0.request) && ($0.start..<day.end(of: $0)).overlaps(band) }
            .sorted { (abs(($0.start + day.end(of: $0)) / 2 - middle), $0.request) < (abs(($1.start + day.end(of: $1)) / 2 - middle), $1.request) }
        for p in inBand.prefix(bandSize) {
            freed.insert(p.request)
            if day.requests[p.request].fixedStart == nil { sets[p.request] = [p.start] }
        }
        return Reassignment(pivot: pivot, core: core, freed: freed, startSets: sets, startWindows: windows)
    }
}
