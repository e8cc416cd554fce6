import Foundation
import Testing
import TestSupport

@testable import SchedulingSolvers

/// Trying new visits on a day that holds patients: the slot found is proven, and no start before
/// it in the order asked would have fitted.
@Suite struct BookableDayTests {
    /// A generated small day cut to half the requests its greedy schedule places, and a new visit
    /// copied from one of them.
    func halfDay(seed: UInt64) throws -> (day: Day, visit: TreatmentRequest) {
        var day = DayGenerator.generate(profile: .small, seed: seed)
        let greedy = try GreedyScheduler(day: ResolvedDay(day)).schedule()
        let placed = Set(greedy.map { day.requests[$0.request].id })
        day.requests = day.requests.filter { placed.contains($0.id) }.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        var visit = day.requests[Int(seed) % day.requests.count]
        visit.id = "K1.1"
        visit.fixed = nil
        return (day, visit)
    }

    /// Whether inserting `visit` fixed at `start` into the day's schedule as it stands proves it.
    func insertionFits(_ b: BookableDay, _ visit: TreatmentRequest, at start: Int) throws -> Bool {
        var d = b.day
        var v = visit
        v.fixed = FixedBooking(start: ClockTime(minutes: start))
        d.requests.append(v)
        guard let resolved = try? ResolvedDay(d) else { return false }
        if case .fits = try AddedVisits.prove(resolved, added: [d.requests.count - 1], base: b.schedule ?? [], effort: .insertion) {
            return true
        }
        return false
    }

    @Test(arguments: [BookableDay.Order.cheapest, .earliest])
    func theSlotIsProvenAndFirstInItsOrder(order: BookableDay.Order) throws {
        var found = 0
        for seed in UInt64(1)...5 {
            let (day, visit) = try halfDay(seed: seed)
            let b = try BookableDay(day)
            #expect(b.schedule != nil, "seed \(seed): the day holds its patients")
            guard let slot = try b.slot(for: visit, order: order) else { continue }
            found += 1
            let r = slot.day.day.requests.count - 1
            #expect(slot.day.resolved.requests[r].fixedStart == slot.start)
            let proof = try #require(slot.day.schedule)
            #expect(AddedVisits.proof(proof, day: slot.day.resolved, added: [r]) != nil, "seed \(seed)")
            // No start before it in the order fits by insertion.
            let resolved = slot.day.resolved
            let own = { (s: Int) -> Double in
                let t = resolved.termCosts(of: r, start: s, draw: nil)
                return t.overtime + t.preference
            }
            #expect(abs(own(slot.start) - slot.cost) < 1e-9)
            for s in resolved.clinicStarts(chairMinutes: resolved.regimen(of: r).chairMinutes) {
                let before = order == .earliest ? s < slot.start : (own(s), s) < (own(slot.start), slot.start)
                if before { #expect(try !insertionFits(b, visit, at: s), "seed \(seed): start \(s) fits before \(slot.start)") }
            }
        }
        #expect(found >= 3, "half-full days take a visit")
    }

    /// Visits added one after another: each day holds every visit so far, proven.
    @Test func visitsAddUp() throws {
        let (day, visit) = try halfDay(seed: 2)
        var b = try BookableDay(day)
        for k in 1...3 {
            var v = visit
            v.id = "K\(k).1"
            guard let slot = try b.slot(for: v) else { break }
            b = slot.day
        }
        let added = Set(b.day.requests.indices.filter { b.day.requests[$0].id.hasPrefix("K") })
        #expect(added.count >= 2)
        #expect(AddedVisits.proof(try #require(b.schedule), day: b.resolved, added: added) != nil)
    }

    /// Starts at or before `after` are never offered; a later one is, proven.
    @Test func startsAfterAreKept() throws {
        let (day, visit) = try halfDay(seed: 3)
        let b = try BookableDay(day)
        let first = try #require(try b.slot(for: visit, order: .earliest))
        let later = try #require(try b.slot(for: visit, order: .earliest, after: first.start))
        #expect(later.start > first.start)
        #expect(AddedVisits.proof(try #require(later.day.schedule), day: later.day.resolved,
                                  added: [later.day.day.requests.count - 1]) != nil)
        #expect(try b.slot(for: visit, after: 24 * 60) == nil, "no start after midnight")
    }

    /// A day whose own patients cannot all be placed proves nothing.
    @Test func aDayThatCannotHoldItsPatientsTakesNoVisit() throws {
        let iv = SyntheticDay.regimenPool[0]   // FOLFOX, 180 minutes
        let patients = (1...8).map { TreatmentRequest(id: "P\($0)", regimen: iv.id) }
        let day = SyntheticDay.small(chairs: 1, regimens: [iv], requests: patients)
        let b = try BookableDay(day)
        #expect(b.schedule == nil)
        #expect(try b.slot(for: TreatmentRequest(id: "K1.1", regimen: iv.id)) == nil)
    }
}
