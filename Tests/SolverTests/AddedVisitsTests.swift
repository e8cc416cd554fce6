import Foundation
import Testing
import TestSupport

@testable import SchedulingSolvers

/// The proof that a day takes new visits at fixed starts beside the patients it holds.
@Suite struct AddedVisitsTests {
    typealias T = SyntheticDay

    /// What a proof must be: valid, every new visit at its start, everyone the day can place placed.
    func expectProof(_ placements: [Placement], day: ResolvedDay, added: [Int], _ context: String) {
        #expect(Validator.violations(of: placements, day: day).isEmpty, "\(context)")
        let at = Dictionary(uniqueKeysWithValues: placements.map { ($0.request, $0) })
        for r in added { #expect(at[r]?.start == day.requests[r].fixedStart, "visit \(r) at its start (\(context))") }
        for r in day.requests.indices where day.isAdmissible(r) { #expect(at[r] != nil, "request \(r) kept (\(context))") }
    }

    /// A generated day cut to half the requests its greedy schedule places (so it holds them all), with
    /// one new visit — a copy of one of its requests, fixed at `start` — appended.
    func dayWithVisit(seed: UInt64, copying k: Int, start: Int) throws -> (day: ResolvedDay, base: [Placement], visit: Int) {
        var day = DayGenerator.generate(profile: .small, seed: seed)
        let resolved = try ResolvedDay(day)
        let greedy = try GreedyScheduler(day: resolved).schedule()
        let placed = Set(greedy.map { resolved.requests[$0.request].id })
        day.requests = day.requests.filter { placed.contains($0.id) }.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        var visit = day.requests[k % day.requests.count]
        visit.id = "K1.1"
        visit.fixed = FixedBooking(start: ClockTime(minutes: start))
        day.requests.append(visit)
        let augmented = try ResolvedDay(day)
        // The base schedule in the augmented day's indices (the kept requests keep their order).
        let base = try GreedyScheduler(day: ResolvedDay(Day(date: day.date, slotMinutes: day.slotMinutes, clinic: day.clinic,
                                                            chairs: day.chairs, nurses: day.nurses, pharmacy: day.pharmacy,
                                                            lab: day.lab, regimens: day.regimens,
                                                            requests: Array(day.requests.dropLast())))).schedule()
        return (augmented, base, day.requests.count - 1)
    }

    /// Over many days and starts, every proof found is a proof; at half load every visit that can
    /// hold alone is proven to fit.
    @Test func everyFitIsAProof() throws {
        var fits = 0, tried = 0, outcomes: [String: Int] = [:]
        for seed in UInt64(1)...4 {
            for start in stride(from: 8 * 60, through: 15 * 60, by: 90) {
                let (day, base, visit) = try dayWithVisit(seed: seed, copying: Int(seed) * 3, start: start)
                tried += 1
                let verdict = try AddedVisits.prove(day, added: [visit], base: base, effort: .quick)
                outcomes["\(verdict)".prefix { $0 != "(" }.description, default: 0] += 1
                switch verdict {
                case .fits(let placements):
                    fits += 1
                    expectProof(placements, day: day, added: [visit], "seed \(seed) start \(start)")
                case .conflict(let conflict):
                    // A refusal names fixed bookings that really cannot hold together.
                    #expect(conflict.requests.contains(visit), "seed \(seed) start \(start)")
                    if case .hold = FixedBookings.decide(day, requests: conflict.requests) { Issue.record("refused set holds") }
                case .cannotHoldAlone(let rs):
                    #expect(rs == [visit] && !day.isAdmissible(visit), "seed \(seed) start \(start)")
                case .undecided: break
                }
            }
        }
        #expect(fits > 0 && outcomes["undecided"] == nil && outcomes["conflict"] == nil, "\(fits) of \(tried) visits proven: \(outcomes)")
    }

    /// One chair: the patient already booked at 09:00 must move for a visit fixed at 09:00. The
    /// insertion cannot do it; the greedy scheduler does.
    @Test func theDayMovesItsPatientsForAVisit() throws {
        let iv = T.regimenPool[2]   // HYD, 30 minutes
        let day = try ResolvedDay(T.small(chairs: 1, regimens: [iv], requests: [
            TreatmentRequest(id: "A", regimen: iv.id, preferredStart: T.t(9)),
            TreatmentRequest(id: "K1.1", regimen: iv.id, fixed: FixedBooking(start: T.t(9))),
        ]))
        let base = [Placement(request: 0, chair: 0, nurse: 0, start: 9 * 60)]
        guard case .undecided = try AddedVisits.prove(day, added: [1], base: base, effort: .insertion) else {
            Issue.record("insertion alone cannot move A"); return
        }
        guard case .fits(let placements) = try AddedVisits.prove(day, added: [1], base: base, effort: .quick) else {
            Issue.record("the greedy scheduler moves A"); return
        }
        expectProof(placements, day: day, added: [1], "one chair")
        #expect(placements.first { $0.request == 0 }?.start != 9 * 60)
    }

    /// Two bed-only visits at the same minute on a day with one bed cannot both be booked: the
    /// refusal is the exact decision's, with both named.
    @Test func aConflictIsProvenAndNamed() throws {
        let bed = T.regimenPool[3]   // RITUX, beds only
        var d = T.small(chairs: 2, regimens: [bed], requests: [
            TreatmentRequest(id: "K1.1", regimen: bed.id, fixed: FixedBooking(start: T.t(9))),
            TreatmentRequest(id: "K2.1", regimen: bed.id, fixed: FixedBooking(start: T.t(9))),
        ])
        d.chairs[0].type = "bed"
        let day = try ResolvedDay(d)
        guard case .conflict(let conflict) = try AddedVisits.prove(day, added: [0, 1], base: [], effort: .quick) else {
            Issue.record("one bed cannot hold two visits at once"); return
        }
        #expect(conflict.requests == [0, 1])
        // Either alone fits.
        d.requests.removeLast()
        guard case .fits = try AddedVisits.prove(ResolvedDay(d), added: [0], base: [], effort: .insertion) else {
            Issue.record("one visit fits the bed"); return
        }
    }

    /// A visit the payer has not approved cannot hold even alone; an index that is not a fixed booking is bad input.
    @Test func badVisitsAreNamed() throws {
        let iv = T.regimenPool[2]
        let day = try ResolvedDay(T.small(chairs: 1, regimens: [iv], requests: [
            TreatmentRequest(id: "A", regimen: iv.id),
            TreatmentRequest(id: "K1.1", regimen: iv.id, authorization: Authorization(status: .denied),
                             fixed: FixedBooking(start: T.t(9))),
        ]))
        guard case .cannotHoldAlone(let rs) = try AddedVisits.prove(day, added: [1], base: []) else {
            Issue.record("a denied visit cannot hold"); return
        }
        #expect(rs == [1])
        #expect(throws: InputError.self) { try AddedVisits.prove(day, added: [0], base: []) }
        #expect(throws: InputError.self) { try AddedVisits.prove(day, added: [7], base: []) }
    }
}
