import Foundation
import Testing
@testable import InfusionScheduler
@testable import SchedulingModel
@testable import SchedulingRules
@testable import MIPKit
@testable import SchedulingSolvers
@testable import SchedulingReplan
@testable import SchedulingGenerator
@testable import SchedulingRender
@testable import SchedulingWhatIf
@testable import SchedulingBench

/// A tiny seeded generator (SplitMix64), so that every random day is the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
}

/// Random days built in code from a seed.
enum RandomDays {
    static func hhmm(_ m: Int) -> String { ClockTime(minutes: m).description }

    /// A tiny day: at most `maxRequests` requests, 1–3 chairs, 1–2 nurses, a short clinic on a
    /// 30-minute grid. Compounders and stations are as many as requests unless `scarce`.
    static func tiny(seed: UInt64, maxRequests: Int = 6, scarce: Bool = false) throws -> ResolvedDay {
        var rng = SplitMix64(seed: seed)
        let open = 8 * 60, close = 11 * 60 + 30, latestEnd = 12 * 60 + 30
        let requestCount = rng.int(3...maxRequests)
        let chairCount = rng.int(1...3)
        var chairs: [String] = []
        for c in 0..<chairCount {
            let type = c == 0 ? "recliner" : (rng.chance(50) ? "recliner" : "bed")
            let window = rng.chance(25) ? ", \"available\": [[\"\(hhmm(open))\", \"\(hhmm(open + 180))\"]]" : ""
            chairs.append("{\"id\": \"C\(c + 1)\", \"type\": \"\(type)\"\(window)}")
        }
        var nurses: [String] = []
        for n in 0..<rng.int(1...2) {
            let start = n == 0 ? open : open + 60 * rng.int(0...1)
            let brk = rng.chance(40) ? ", \"break\": {\"start\": \"\(hhmm(open + 120))\", \"minutes\": 30}" : ""
            nurses.append("{\"id\": \"N\(n + 1)\", \"shiftStart\": \"\(hhmm(start))\", \"shiftEnd\": \"\(hhmm(latestEnd))\", \"capacity\": \(rng.int(1...3))\(brk)}")
        }
        var regimens: [String] = []
        for g in 0..<2 {
            let minutes = [30, 60, 90, 120][rng.int(0...3)]
            let types = g == 0 || rng.chance(50) ? "[\"recliner\", \"bed\"]" : "[\"recliner\"]"
            let prep = rng.chance(60) ? [10, 20, 30][rng.int(0...2)] : 0
            let hold = prep > 0 && rng.chance(50)
            let stability = prep > 0 && rng.chance(40) ? ", \"stabilityMinutes\": \(rng.int(0...4) * 15)" : ""
            regimens.append("""
            {"id": "G\(g + 1)", "chairMinutes": \(minutes), "bufferMinutes": \([0, 10, 15][rng.int(0...2)]), "chairTypes": \(types),
             "acuity": \(rng.int(1...2)), "nurseStartMinutes": \([0, 10, 15][rng.int(0...2)]), "nurseEndMinutes": \([0, 5, 10][rng.int(0...2)]),
             "prepMinutes": \(prep), "holdForLabs": \(hold)\(stability)}
            """)
        }
        var requests: [String] = []
        for r in 0..<requestCount {
            var fields = ["\"id\": \"R\(r + 1)\"", "\"regimen\": \"G\(rng.int(1...2))\"", "\"weight\": \(rng.int(1...3))"]
            if rng.chance(50) { fields.append("\"preferredStart\": \"\(hhmm(open + 30 * rng.int(0...6)))\"") }
            if rng.chance(30) {
                let earliest = open + 30 * rng.int(0...3)
                let latest = rng.chance(50) ? ", \"latest\": \"\(hhmm(earliest + 120 + 30 * rng.int(0...3)))\"" : ""
                fields.append("\"window\": {\"earliest\": \"\(hhmm(earliest))\"\(latest)}")
            }
            if rng.chance(50) {
                let valid = rng.chance(50) ? "\"validUntil\": \"2026-12-01T\(hhmm(open + 30 * rng.int(0...5)))\"" : ""
                let allow = rng.chance(20) ? (valid.isEmpty ? "" : ", ") + "\"allowSameDayDraw\": false" : ""
                fields.append("\"labs\": {\(valid)\(allow)}")
                if rng.chance(40) { fields.append("\"labsAtChair\": true") }
            }
            if rng.chance(20) { fields.append("\"drugReadyAt\": \"2026-12-01T\(hhmm(open + 30 * rng.int(0...4)))\"") }
            if rng.chance(8) { fields.append("\"authorization\": {\"status\": \"pending\"}") }
            requests.append("{" + fields.joined(separator: ", ") + "}")
        }
        let ample = requestCount
        let peak = rng.chance(30) ? rng.int(1...20) : 0
        let json = """
        {"format": "infusion-day/1", "date": "2026-12-01", "slotMinutes": 30,
         "clinic": {"open": "\(hhmm(open))", "close": "\(hhmm(close))", "latestEnd": "\(hhmm(latestEnd))"},
         "chairs": [\(chairs.joined(separator: ", "))],
         "nurses": [\(nurses.joined(separator: ", "))],
         "pharmacy": {"open": "07:00", "compounders": \(scarce ? 1 : ample)},
         "lab": {"open": "07:00", "stations": \(scarce ? 1 : ample), "drawMinutes": 10, "turnaroundMinutes": \([20, 30, 45][rng.int(0...2)])},
         "regimens": [\(regimens.joined(separator: ", "))],
         "requests": [\(requests.joined(separator: ", "))],
         "objective": {"peakLoadPenalty": \(peak)}}
        """
        return try ResolvedDay(Day.decode(Data(json.utf8)))
    }
}

extension RandomDays {
    /// A full clinic day on a 15-minute grid: `requestCount` requests over four regimens,
    /// `chairCount` chairs of two types, `nurseCount` nurses on two shift patterns, 2 compounders, 1 station.
    static func small(seed: UInt64, requestCount: Int, chairCount: Int, nurseCount: Int) throws -> ResolvedDay {
        var rng = SplitMix64(seed: seed)
        let open = 7 * 60 + 30
        let chairs = (0..<chairCount).map { c in "{\"id\": \"C\(c + 1)\", \"type\": \"\(c % 4 == 3 ? "bed" : "recliner")\"}" }
        let nurses = (0..<nurseCount).map { n in
            n % 2 == 0
                ? "{\"id\": \"N\(n + 1)\", \"shiftStart\": \"07:00\", \"shiftEnd\": \"15:30\", \"capacity\": 4, \"break\": {\"start\": \"11:30\", \"minutes\": 30}}"
                : "{\"id\": \"N\(n + 1)\", \"shiftStart\": \"09:30\", \"shiftEnd\": \"18:00\", \"capacity\": 4, \"break\": {\"start\": \"13:00\", \"minutes\": 30}}"
        }
        let regimens = """
        {"id": "FOLFOX", "chairMinutes": 180, "bufferMinutes": 15, "chairTypes": ["recliner", "bed"], "acuity": 2,
         "nurseStartMinutes": 15, "nurseEndMinutes": 10, "prepMinutes": 30, "holdForLabs": true, "stabilityMinutes": 240},
        {"id": "IO", "chairMinutes": 60, "bufferMinutes": 10, "chairTypes": ["recliner"], "acuity": 1,
         "nurseStartMinutes": 15, "nurseEndMinutes": 10, "prepMinutes": 20, "stabilityMinutes": 240},
        {"id": "HYD", "chairMinutes": 45, "chairTypes": ["recliner", "bed"], "nurseStartMinutes": 10, "nurseEndMinutes": 5},
        {"id": "RITUX", "chairMinutes": 240, "bufferMinutes": 15, "chairTypes": ["bed", "recliner"], "acuity": 2,
         "nurseStartMinutes": 20, "nurseEndMinutes": 10, "prepMinutes": 45}
        """
        var requests: [String] = []
        for r in 0..<requestCount {
            let regimen = ["FOLFOX", "IO", "HYD", "RITUX"][rng.int(0...3)]
            var fields = ["\"id\": \"R\(r + 1)\"", "\"regimen\": \"\(regimen)\"", "\"weight\": \(rng.int(1...3))"]
            if rng.chance(60) { fields.append("\"preferredStart\": \"\(hhmm(open + 15 * rng.int(0...30)))\"") }
            if rng.chance(60) {
                fields.append(rng.chance(50) ? "\"labs\": {\"validUntil\": \"2026-12-01T\(hhmm(open + 15 * rng.int(0...30)))\"}" : "\"labs\": {}")
                if rng.chance(30) { fields.append("\"labsAtChair\": true") }
            }
            if rng.chance(25) { fields.append("\"drugReadyAt\": \"2026-12-01T\(hhmm(open + 15 * rng.int(0...20)))\"") }
            requests.append("{" + fields.joined(separator: ", ") + "}")
        }
        let json = """
        {"format": "infusion-day/1", "date": "2026-12-01", "slotMinutes": 15,
         "clinic": {"open": "07:30", "close": "17:30", "latestEnd": "19:00"},
         "chairs": [\(chairs.joined(separator: ", "))], "nurses": [\(nurses.joined(separator: ", "))],
         "pharmacy": {"open": "06:30", "compounders": 2},
         "lab": {"open": "07:00", "stations": 1, "drawMinutes": 10, "turnaroundMinutes": 45},
         "regimens": [\(regimens)], "requests": [\(requests.joined(separator: ", "))]}
        """
        return try ResolvedDay(Day.decode(Data(json.utf8)))
    }
}

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
