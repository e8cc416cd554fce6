import Foundation
import Testing
import TestSupport

@testable import SchedulingSolvers

/// The exact decision on fixed bookings (SPEC §2.8): never a refusal without proof, and a
/// refusal names a minimal set.
@Suite struct FixedBookingsTests {
    // MARK: The shared regression day

    /// Four fixed bookings that the one-choice-per-booking placement could not hold together,
    /// although an outside solver's schedule keeps them all (../shared/cases).
    @Test func theSharedFeasibleDayIsSolvedWithEveryBookingKept() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.fixture("fixed-bookings-feasible.day.json")))
        let reference = try Schedule.load(path: TestFiles.fixture("fixed-bookings-feasible.schedule.json"))
        #expect(Validator.validate(reference, day: day).violations.isEmpty, "the reference schedule is valid")
        let fixed = FixedBookings.holdingAlone(day)
        #expect(fixed.count == 4)
        // The fast placement alone fails here: the exact program decides.
        #expect(FixedBookings.fastPlacement(day, fixed) == nil)
        guard case .hold(let placements) = FixedBookings.decide(day) else {
            Issue.record("the fixed bookings were not found to hold"); return
        }
        #expect(Set(placements.map(\.request)) == Set(fixed))
        #expect(Validator.violations(of: placements, day: day).map(\.description) == [])
        for method in [SolveMethod.greedy, .mip] {
            let result = try Scheduler.solve(day, options: SolveOptions(method: method, timeLimit: 5))
            let placed = Set(result.placements.map(\.request))
            #expect(fixed.allSatisfy(placed.contains), "\(method)")
            #expect(!result.schedule.alerts.contains { $0.kind == .fixedBookingBroken })
        }
    }

    /// A day's proof schedule as the hint: its fixed bookings are placed as it has them, with no
    /// decision to run; without the hint, a scheduler that may not run the exact decision says
    /// it could not place them rather than refusing them (booking across days' quick day check).
    @Test func aHintPlacesFixedBookingsTheFastPlacementCannot() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.fixture("fixed-bookings-feasible.day.json")))
        guard case .hold(let decided) = FixedBookings.decide(day) else { Issue.record("not decided"); return }
        var quick = GreedyScheduler(day: day)
        quick.fixedWork = 0
        #expect(throws: GreedyScheduler.FixedBookingsUndecided.self) { try quick.schedule() }
        quick.fixedHint = decided
        let placements = try quick.schedule()
        #expect(Validator.violations(of: placements, day: day).isEmpty)
        let placed = Dictionary(uniqueKeysWithValues: placements.map { ($0.request, $0) })
        for p in decided {
            #expect(placed[p.request]?.chair == p.chair && placed[p.request]?.nurse == p.nurse, "booking \(p.request) as hinted")
        }
        // A hint of one booking: the others are inserted beside it, or the exact decision runs.
        quick.fixedHint = Array(decided.prefix(1))
        quick.fixedWork = nil
        #expect(Validator.violations(of: try quick.schedule(), day: day).isEmpty)
        // Without a hint, counted work enough for the exact programs places them all.
        quick.fixedHint = []
        quick.fixedWork = 5
        #expect(Validator.violations(of: try quick.schedule(), day: day).isEmpty)
    }

    // MARK: Property: bookings copied from a valid schedule always hold

    /// How the copied bookings are pinned.
    enum Pins: CaseIterable { case none, chair, nurse, both }

    /// A generated day whose fixed bookings are copied from a valid greedy schedule of the same
    /// day without them: some share of the placed requests, several at one start when the day
    /// has such, each pinned one of four ways.
    static func dayWithCopiedBookings(profile: DayProfile, seed: UInt64) throws -> (day: ResolvedDay, fixed: Int)? {
        var raw = DayGenerator.generate(profile: profile, seed: seed)
        for i in raw.requests.indices { raw.requests[i].fixed = nil }
        let free = try ResolvedDay(raw)
        let placements = try GreedyScheduler(day: free).schedule()
        guard !placements.isEmpty else { return nil }
        var rng = SeededRandom(seed: seed &* 0x9E37_79B9 &+ UInt64(DayProfile.allCases.firstIndex(of: profile)!))
        let share = [0.1, 0.3, 0.6, 1.0][rng.int(in: 0...3)]
        // Every placement at the busiest start, then others at random up to the share.
        let byStart = Dictionary(grouping: placements, by: \.start)
        let busiest = byStart.max { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) }!.value
        var chosen = Set(busiest.map(\.request))
        for p in placements where rng.chance(share) { chosen.insert(p.request) }
        for p in placements where chosen.contains(p.request) {
            let pins = Pins.allCases[rng.int(in: 0...3)]
            raw.requests[p.request].fixed = FixedBooking(
                start: ClockTime(minutes: p.start),
                chair: pins == .chair || pins == .both ? free.chairs[p.chair].id : nil,
                nurse: pins == .nurse || pins == .both ? free.nurses[p.nurse].id : nil)
        }
        return (try ResolvedDay(raw), chosen.count)
    }

    static let copiedCases: [(DayProfile, UInt64)] =
        (1...260).map { (.small, UInt64($0)) } + (1...200).map { (.medium, UInt64($0)) }
        + (1...28).map { (.large, UInt64($0)) } + (1...14).map { (.xl, UInt64($0)) }

    @Test(arguments: copiedCases)
    func bookingsCopiedFromAValidScheduleAreNeverRefused(profile: DayProfile, seed: UInt64) throws {
        guard let (day, count) = try Self.dayWithCopiedBookings(profile: profile, seed: seed) else { return }
        let set = FixedBookings.holdingAlone(day)
        #expect(set.count == count, "every copied booking holds alone")
        let fast = FixedBookings.fastPlacement(day, set) != nil
        // One line per day, for the counts in docs/MODEL.md §10.1 (grep "fixed-bookings property").
        print("fixed-bookings property: \(profile) \(seed) bookings \(count) \(fast ? "fast" : "exact")")
        let placements: [Placement]
        do {
            // A deadline far off: this checks the decision, not how fast a loaded machine makes it.
            placements = try GreedyScheduler(day: day, deadline: .now + .seconds(900)).schedule()
        } catch {
            Issue.record("\(profile)-\(seed): refused: \(error)"); return
        }
        #expect(Validator.violations(of: placements, day: day).map(\.description) == [], "\(profile)-\(seed)")
        let placed = Set(placements.map(\.request))
        #expect(set.allSatisfy(placed.contains), "\(profile)-\(seed): a fixed booking was left out")
    }

    /// The exact program must have decided some of the days above (else the property says
    /// nothing about it). Runs after them: Swift Testing runs a suite's tests in any order, so
    /// this one decides its own sample.
    @Test func theExactProgramIsExercisedByCopiedBookings() throws {
        var exact = 0
        for seed in UInt64(1)...40 {
            guard let (day, _) = try Self.dayWithCopiedBookings(profile: .medium, seed: seed) else { continue }
            let set = FixedBookings.holdingAlone(day)
            guard FixedBookings.fastPlacement(day, set) == nil else { continue }
            exact += 1
            guard case .hold(let placements) = FixedBookings.decide(day, requests: set) else {
                Issue.record("medium-\(seed): copied bookings not found to hold"); continue
            }
            #expect(Validator.violations(of: placements, day: day).isEmpty)
        }
        #expect(exact > 0, "no day needed the exact program")
    }

    // MARK: Property: a refusal names a minimal set

    /// A generated day with bookings copied as above, plus clashing ones: a copy of a booking on
    /// the same chair at a start inside its occupancy, or with the same nurse at the same start.
    static func dayWithClashes(seed: UInt64) throws -> ResolvedDay? {
        let profile: DayProfile = seed % 3 == 0 ? .medium : .small
        guard let (base, _) = try dayWithCopiedBookings(profile: profile, seed: seed) else { return nil }
        var raw = base.day
        var rng = SeededRandom(seed: seed ^ 0xC1A5)
        let placements = try GreedyScheduler(day: base).schedule()
        let victims = placements.filter { base.requests[$0.request].fixedStart != nil }
        guard !victims.isEmpty else { return nil }
        for k in 0..<(1 + rng.int(in: 0...2)) {
            let v = victims[rng.int(in: 0...(victims.count - 1))]
            guard let free = raw.requests.indices.first(where: { raw.requests[$0].fixed == nil && base.requests[$0].regimen == base.requests[v.request].regimen
                                                                    && base.requests[$0].authorizationProblem == nil }) else { break }
            raw.requests[free].window = nil
            raw.requests[free].labs = nil
            raw.requests[free].drugReadyAt = nil
            raw.requests[free].fixed = k % 2 == 0
                ? FixedBooking(start: ClockTime(minutes: v.start), chair: base.chairs[v.chair].id)
                : FixedBooking(start: ClockTime(minutes: v.start), nurse: base.nurses[v.nurse].id)
            raw.requests[v.request].fixed = FixedBooking(start: ClockTime(minutes: v.start), chair: base.chairs[v.chair].id,
                                                         nurse: base.nurses[v.nurse].id)
        }
        return try ResolvedDay(raw)
    }

    @Test(arguments: UInt64(1)...60)
    func aRefusalNamesAMinimalSet(seed: UInt64) throws {
        guard let day = try Self.dayWithClashes(seed: seed) else { return }
        let set = FixedBookings.holdingAlone(day)
        let verdict = FixedBookings.decide(day, requests: set)
        switch verdict {
        case .hold: print("fixed-bookings clashes: \(seed) bookings \(set.count) hold")
        case .conflict(let c): print("fixed-bookings clashes: \(seed) bookings \(set.count) conflict \(c.requests.count) \(c.binding.map(\.rawValue))")
        case .undecided: print("fixed-bookings clashes: \(seed) bookings \(set.count) undecided")
        }
        switch verdict {
        case .hold(let placements):
            #expect(Validator.violations(of: placements, day: day).isEmpty)
        case .undecided:
            Issue.record("seed \(seed): undecided")
        case .conflict(let conflict):
            #expect(!conflict.requests.isEmpty && Set(conflict.requests).isSubset(of: set))
            #expect(conflict.ids == conflict.requests.map { day.requests[$0].id })
            // The set cannot hold; dropping any one member lets the rest hold.
            guard case .conflict = FixedBookings.decide(day, requests: conflict.requests) else {
                Issue.record("seed \(seed): the named set holds"); return
            }
            for r in conflict.requests {
                let rest = conflict.requests.filter { $0 != r }
                guard case .hold(let placements) = FixedBookings.decide(day, requests: rest) else {
                    Issue.record("seed \(seed): not minimal, \(day.requests[r].id) can go"); continue
                }
                #expect(Validator.violations(of: placements, day: day).isEmpty)
            }
            #expect(throws: SchedulingError.self) { try GreedyScheduler(day: day).schedule() }
        }
    }

    // MARK: The rule that binds

    /// Two bookings on one chair at one start: the chair rule binds, and only it.
    @Test func twoBookingsOnOneChairNameTheChairRule() throws {
        let regimen = Regimen(id: "HYD", chairMinutes: 60, chairTypes: ["recliner"])
        let requests = [TreatmentRequest(id: "A", regimen: "HYD", fixed: FixedBooking(start: SyntheticDay.t(9), chair: "C1")),
                        TreatmentRequest(id: "B", regimen: "HYD", fixed: FixedBooking(start: SyntheticDay.t(9, 30), chair: "C1")),
                        TreatmentRequest(id: "C", regimen: "HYD", fixed: FixedBooking(start: SyntheticDay.t(9)))]
        let day = try ResolvedDay(SyntheticDay.small(chairs: 2, regimens: [regimen], requests: requests))
        guard case .conflict(let conflict) = FixedBookings.decide(day) else { Issue.record("expected a conflict"); return }
        #expect(conflict.ids == ["A", "B"])
        #expect(conflict.binding == [.chairs])
    }

    /// Three preps that must all run in one half hour on two compounders: the pharmacy binds.
    @Test func threePrepsOnTwoCompoundersNameThePharmacy() throws {
        let regimen = Regimen(id: "MAB", chairMinutes: 60, chairTypes: ["recliner"], prepMinutes: 30, stabilityMinutes: 0)
        let requests = ["A", "B", "C"].map { TreatmentRequest(id: $0, regimen: "MAB", fixed: FixedBooking(start: SyntheticDay.t(10))) }
        var raw = SyntheticDay.small(chairs: 3, regimens: [regimen], requests: requests)
        raw.pharmacy.compounders = 2
        raw.nurses = raw.nurses.map { var n = $0; n.capacity = 4; return n }
        let day = try ResolvedDay(raw)
        guard case .conflict(let conflict) = FixedBookings.decide(day) else { Issue.record("expected a conflict"); return }
        #expect(conflict.ids == ["A", "B", "C"])
        #expect(conflict.binding == [.pharmacyAndLab])
        // With a longer stability the preps can be staggered: all three hold.
        raw.regimens[0].stabilityMinutes = 60
        guard case .hold(let placements) = FixedBookings.decide(try ResolvedDay(raw)) else { Issue.record("expected them to hold"); return }
        #expect(Validator.violations(of: placements, day: try ResolvedDay(raw)).isEmpty)
    }
}
