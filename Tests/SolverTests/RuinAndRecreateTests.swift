import Foundation
import Testing
import TestSupport

@testable import SchedulingSolvers

@Suite struct RuinAndRecreateTests {
    private func isValid(_ placements: [Placement], _ day: ResolvedDay) -> Bool {
        Validator.violations(of: placements, day: day).isEmpty
    }

    private func cost(_ placements: [Placement], _ day: ResolvedDay, _ admissible: [Bool]) -> Double {
        day.objective(of: placements, admissible: admissible).total
    }

    /// Runs `moves` moves from `start` and checks that the result keeps every rule and costs no
    /// more; returns it.
    @discardableResult
    private func improveChecked(_ day: ResolvedDay, from start: [Placement], moves: Int, seed: UInt64,
                                longestFirstShare: Double = RuinAndRecreate.defaultLongestFirstShare) -> [Placement] {
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        var rng = SeededRandom(seed: seed)
        let improved = RuinAndRecreate(day: day, admissible: admissible, longestFirstShare: longestFirstShare)
            .improve(start, moves: moves, until: .now + .seconds(60), target: -.infinity, rng: &rng)
        #expect(isValid(improved, day), "seed \(seed)")
        #expect(cost(improved, day, admissible) <= cost(start, day, admissible) + 1e-9, "seed \(seed)")
        return improved
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func movesKeepEveryRuleAndNeverLoseGround(seed: UInt64) throws {
        let day = try RandomDays.small(seed: seed, requestCount: 24, chairCount: 5, nurseCount: 3)
        improveChecked(day, from: try firstFitSchedule(day), moves: 400, seed: seed)
    }

    /// A left-out eight-hour infusion fits only once one of two chairs is cleared of the
    /// hourly visits on it, which then squeeze into the other chair's half-hour gaps, each off
    /// its preferred start: the move that clears a chair for a left-out request finds that
    /// room. Random removals of at most eight of 16 visits almost never take the right ones,
    /// and visits do not drift off their preferred starts on their own.
    @Test func clearsAChairForALeftOutLongInfusion() throws {
        let long = Regimen(id: "LONG", chairMinutes: 480, chairTypes: ["recliner"], nurseStartMinutes: 0, nurseEndMinutes: 0)
        let short = Regimen(id: "HYD", chairMinutes: 30, chairTypes: ["recliner"], nurseStartMinutes: 0, nurseEndMinutes: 0)
        // Visit k in chair k % 2, hourly from 08:00 (chair 1) and 08:15 (chair 2).
        let starts = (0..<16).map { k in 8 * 60 + (k / 2) * 60 + (k % 2) * 15 }
        let requests = [TreatmentRequest(id: "L", regimen: "LONG", weight: 5)]
            + (0..<16).map { TreatmentRequest(id: "S\($0)", regimen: "HYD", preferredStart: ClockTime(minutes: starts[$0])) }
        let day = try ResolvedDay(SyntheticDay.small(chairs: 2, regimens: [long, short], requests: requests))
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let start = (0..<16).map { k in Placement(request: k + 1, chair: k % 2, nurse: k % 2, start: starts[k]) }
        #expect(isValid(start, day))
        #expect(cost(start, day, admissible) == 5000)
        for seed in UInt64(1)...3 {
            let improved = improveChecked(day, from: start, moves: 300, seed: seed)
            #expect(improved.contains { $0.request == 0 }, "seed \(seed)")
            #expect(cost(improved, day, admissible) < 1000, "seed \(seed)")
        }
    }

    /// On one chair, an eight-hour infusion of weight 3 (13 starts, 08:00 to 11:00) and a
    /// one-hour visit that must come between 11:00 and 12:30 (3 starts) cannot both be placed:
    /// every start of the infusion covers the visit's window. From the visit placed and the
    /// infusion left out (cost 3000), putting back the fewest starts first would always place the
    /// visit again, so the infusion would never return; putting back the longest first on some
    /// moves places it and leaves the visit out (cost 1000) — with the library's share of such
    /// moves and with every move longest first. With none, the move that clears a chair for the
    /// left-out infusion puts it back first, before the visit it displaced, and so places it too.
    @Test func longestFirstRecreatesPlaceAHeavyLongInfusion() throws {
        let long = Regimen(id: "LONG", chairMinutes: 480, chairTypes: ["recliner"], nurseStartMinutes: 0, nurseEndMinutes: 0)
        let visit = Regimen(id: "VISIT", chairMinutes: 60, chairTypes: ["recliner"], nurseStartMinutes: 0, nurseEndMinutes: 0)
        let requests = [TreatmentRequest(id: "L", regimen: "LONG", weight: 3),
                        TreatmentRequest(id: "V", regimen: "VISIT",
                                         window: PatientWindow(earliest: ClockTime(minutes: 11 * 60), latest: ClockTime(minutes: 12 * 60 + 30)))]
        let day = try ResolvedDay(SyntheticDay.small(chairs: 1, regimens: [long, visit], requests: requests))
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let search = RuinAndRecreate(day: day, admissible: admissible)
        #expect(search.feasibleStarts.map(\.count) == [13, 3])
        let start = [Placement(request: 1, chair: 0, nurse: 0, start: 11 * 60)]
        #expect(isValid(start, day))
        #expect(cost(start, day, admissible) == 3000)
        for seed in UInt64(1)...3 {
            for share in [RuinAndRecreate.defaultLongestFirstShare, 1] {
                let improved = improveChecked(day, from: start, moves: 40, seed: seed, longestFirstShare: share)
                #expect(improved.map(\.request) == [0], "seed \(seed), share \(share)")
                #expect(cost(improved, day, admissible) == 1000, "seed \(seed), share \(share)")
            }
            let fewestStartsOnly = improveChecked(day, from: start, moves: 40, seed: seed, longestFirstShare: 0)
            #expect(cost(fewestStartsOnly, day, admissible) == 1000, "seed \(seed): the cleared chair's waiting request goes back first")
        }
    }

    @Test func scarcePharmacyAndLabStayValid() throws {
        for seed in UInt64(1)...6 {
            let day = try RandomDays.tiny(seed: seed, scarce: true)
            improveChecked(day, from: try GreedyScheduler(day: day).schedule(), moves: 200, seed: seed)
        }
    }

    /// With a peak-load weight a placement's cost depends on the others: moves price it with the
    /// rise of the peak, and the result still keeps every rule and never costs more.
    @Test func aPeakLoadWeightIsPricedAndKept() throws {
        for seed in UInt64(3)...5 {
            let day = try ResolvedDay(SyntheticDay.make(seed: seed, chairs: 10, nurses: 4, requests: 40, fixedShare: 0, peakLoadPenalty: 40))
            let improved = improveChecked(day, from: try GreedyScheduler(day: day).schedule(), moves: 300, seed: seed)
            let admissible = day.requests.indices.map { day.isAdmissible($0) }
            #expect(day.objective(of: improved, admissible: admissible).peakLoad > 0)
        }
    }

    /// On the committed medium day the greedy schedule (411) is far from the optimum (129): a
    /// few hundred moves must find a cheaper valid schedule, and the same seed the same one.
    @Test func improvesTheGreedyMediumDayDeterministically() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("medium-1.json")))
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let greedy = try GreedyScheduler(day: day).schedule()
        let search = RuinAndRecreate(day: day, admissible: admissible)
        var first = SeededRandom(seed: 9), second = SeededRandom(seed: 9)
        let a = search.improve(greedy, moves: 300, until: .now + .seconds(120), target: -.infinity, rng: &first)
        let b = search.improve(greedy, moves: 300, until: .now + .seconds(120), target: -.infinity, rng: &second)
        #expect(isValid(a, day))
        #expect(cost(a, day, admissible) < cost(greedy, day, admissible) - 1)
        #expect(a == b)
    }

    @Test func aReachedTargetStopsTheSearchAtOnce() throws {
        let day = try RandomDays.small(seed: 2, requestCount: 20, chairCount: 4, nurseCount: 2)
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let start = try firstFitSchedule(day)
        var rng = SeededRandom(seed: 1)
        let same = RuinAndRecreate(day: day, admissible: admissible)
            .improve(start, moves: 1000, until: .now + .seconds(60), target: .infinity, rng: &rng)
        #expect(Set(same) == Set(start))
    }
}
