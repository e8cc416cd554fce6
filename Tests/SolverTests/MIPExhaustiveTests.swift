import Foundation
import Testing
import TestSupport
@testable import SchedulingGenerator
@testable import SchedulingReplan

@testable import SchedulingRules

/// Exhaustive reference: tries every start, chair and nurse for every request (or leaving it
/// out). It is exact when compounders and stations are at least as many as requests: then
/// the latest draw is best (least wait, least chair time) and any prep in its window will do.
enum ExhaustiveReference {
    static func optimum(_ day: ResolvedDay) -> Double {
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        // Options per request: placements that keep every rule on their own, cheapest first.
        var options: [[(placement: Placement, cost: Double)]] = []
        for r in day.requests.indices {
            var list: [(Placement, Double)] = []
            let q = day.requests[r], reg = day.regimen(of: r)
            if admissible[r] {
                for s in day.candidateStarts(r) where day.feasibleAlone(r, start: s, rules: .all) {
                    let e = s + reg.chairMinutes
                    let draw: Int? = day.needsDraw(r, start: s) ? day.latestDraw(r, start: s) : nil
                    var prep: Int?
                    if reg.prepMinutes > 0 { prep = s - reg.prepMinutes }
                    var cost = day.weights.overtimePerMinute * Double(max(0, e - day.close))
                    if let p = q.preferredStart { cost += day.weights.preferencePerMinute * Double(abs(s - p)) }
                    for c in day.chairs.indices where reg.chairTypes.contains(day.chairs[c].type) {
                        let from = (draw != nil && q.labsAtChair) ? draw! : s
                        guard day.chairAvailable(c, over: from..<(e + reg.bufferMinutes)) else { continue }
                        for n in day.nurses.indices {
                            let nurse = day.nurses[n]
                            guard nurse.capacity >= reg.acuity, nurse.shift.lowerBound <= s, e <= nurse.shift.upperBound,
                                  !ResolvedDay.intensiveIntervals(start: s, end: e, regimen: reg).contains(where: { $0.overlaps(nurse.breakTime) })
                            else { continue }
                            list.append((Placement(request: r, chair: c, nurse: n, start: s, drawStart: draw,
                                                   station: draw != nil && !q.labsAtChair ? r : nil,
                                                   prepStart: prep, compounder: prep != nil ? r : nil), cost))
                        }
                    }
                }
            }
            options.append(list.sorted { $0.1 < $1.1 })
        }
        var best = Double.infinity
        var chosen: [Placement] = []
        func compatible(_ p: Placement) -> Bool {
            let reg = day.regimen(of: p.request)
            let intensive = ResolvedDay.intensiveIntervals(start: p.start, end: day.end(of: p), regimen: reg)
            for o in chosen {
                if o.chair == p.chair, day.chairOccupancy(of: o).overlaps(day.chairOccupancy(of: p)) { return false }
                if o.nurse == p.nurse {
                    let other = ResolvedDay.intensiveIntervals(start: o.start, end: day.end(of: o), regimen: day.regimen(of: o.request))
                    if other.contains(where: { a in intensive.contains { $0.overlaps(a) } }) { return false }
                }
            }
            // Nurse load at every start within the new patient's time in chair.
            let mine = chosen.filter { $0.nurse == p.nurse } + [p]
            for t in mine.map(\.start) where p.start <= t && t < day.end(of: p) {
                let load = mine.filter { $0.start <= t && t < day.end(of: $0) }.reduce(0) { $0 + day.regimen(of: $1.request).acuity }
                if load > day.nurses[p.nurse].capacity { return false }
            }
            return true
        }
        func search(_ r: Int, _ partial: Double) {
            guard partial < best - 1e-9 else { return }
            if r == day.requests.count {
                best = min(best, day.objective(of: chosen, admissible: admissible).total)
                return
            }
            for (p, cost) in options[r] where compatible(p) {
                chosen.append(p)
                search(r + 1, partial + cost)
                chosen.removeLast()
            }
            let skip = admissible[r] ? day.weights.unscheduledPenalty * day.requests[r].weight : 0
            search(r + 1, partial + skip)
        }
        search(0, 0)
        return best
    }
}

@Suite struct MIPExhaustiveTests {
    @Test func mipOptimumEqualsExhaustiveOptimumOnTinyDays() throws {
        var nontrivial = 0
        for seed in UInt64(1)...60 {
            let day = try RandomDays.tiny(seed: seed)
            let reference = ExhaustiveReference.optimum(day)
            let outcome = MIPScheduler(day: day, options: MIPOptions(timeLimit: 20)).solve(incumbent: nil)
            #expect(outcome.status == .optimal, "seed \(seed)")
            let placements = try #require(outcome.placements, "seed \(seed)")
            #expect(Validator.violations(of: placements, day: day).first?.description == nil, "seed \(seed)")
            let objective = try #require(outcome.objective)
            #expect(abs(objective - reference) < 1e-6, "seed \(seed): MIP \(objective) vs exhaustive \(reference)")
            if reference > 0 { nontrivial += 1 }
        }
        // The days must exercise the objective, not all solve at zero cost.
        #expect(nontrivial >= 20)
    }
}
