import Foundation
import Testing
import TestSupport
@testable import MIPKit

@testable import SchedulingReplan

/// The integer program in re-planning (SPEC §7): its rules for the requests it may move, and
/// the improvement it brings over the repair heuristic without breaking any rule.
@Suite struct ReplanImprovementTests {
    /// Rules for re-planning `plan` at `now` with `notice`, nothing under way.
    static func rules(_ day: ResolvedDay, plan: [Placement], now: Int, notice: Int) -> ScheduleFormulation.ReplanRules {
        var old = [Placement?](repeating: nil, count: day.requests.count)
        for p in plan { old[p.request] = p }
        return .init(now: now, earliestArrival: now + notice, old: old, prepLocked: old.map { _ in false },
                     nurseLatestEnd: day.nurses.map { _ in nil }, reservedPreps: [], reservedDraws: [],
                     changePenalty: 50, shiftPerMinute: 1, penalised: day.requests.indices.map { day.isAdmissible($0) })
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func freedColumnsKeepTheNoticeAndCostTheChange(seed: UInt64) throws {
        let day = try ResolvedDay(DayGenerator.generate(profile: .small, seed: seed))
        let plan = try GreedyScheduler(day: day).schedule()
        let now = 9 * 60, notice = 30
        let rules = Self.rules(day, plan: plan, now: now, notice: notice)
        // What the plan still holds at `now`: the program starts from it (as a re-plan starts from its repair).
        let kept = plan.filter { $0.arrival >= now && ($0.prepStart ?? now) >= now }
        let f = ScheduleFormulation.neighbourhood(day, Neighbourhood(freed: Set(day.requests.indices)), hints: kept, rules: rules)
        var starts = 0
        for (j, column) in f.columns.enumerated() {
            guard case .start(let c) = column else { continue }
            starts += 1
            let arrival = c.draw ?? c.start
            #expect(arrival >= now, "column \(f.program.variables[j].name) arrives before now")
            if arrival != rules.old[c.request]?.arrival {
                #expect(arrival >= now + notice, "column \(f.program.variables[j].name) arrives without notice")
            }
            // Every chair is a group of its own.
            #expect(f.chairGroups[c.chairGroup].chairs.count == 1)
        }
        #expect(starts > 0)
        // The previous plan, where it still keeps the rules, costs its SPEC §3 objective and no
        // change; what it loses costs the change penalty (and the unscheduled penalty).
        let values = try #require(f.encode(kept))
        let dropped = plan.count - kept.count
        let expected = day.objective(of: kept).total + Double(dropped) * rules.changePenalty
        #expect(abs(f.program.objectiveValue(of: values) - expected) < 1e-6)
        // The program's optimum is never worse than keeping what holds.
        let result = try GLPKSolver.solve(f.program, start: values, deadline: .now + .seconds(5), relativeGap: nil)
        let objective = try #require(result.objective)
        #expect(objective <= expected + 1e-6)
    }

    @Test(arguments: [(DayProfile.small, UInt64(4)), (.small, 6), (.small, 7), (.medium, 1)])
    func theProgramNeverCostsMoreThanTheRepair(_ profile: DayProfile, _ seed: UInt64) throws {
        let m = try ReplannerTests.morning(profile, seed: seed)
        var events: [DayEvent] = []
        var named = Set<String>()
        for (i, kind) in DayEvent.kinds.enumerated() {
            guard let e = ReplannerTests.event(kind, in: m, pick: i * 5 + Int(seed)) else { continue }
            switch e {
            case .cancel(let id), .labsOutOfRange(let id), .late(let id, _), .drugDelayed(let id, _):
                guard named.insert(id).inserted else { continue }
            default: break
            }
            events.append(e)
        }
        let repair = try ReplannerTests.replanAndCheck(m, events, method: .greedy)
        let mip = try ReplannerTests.replanAndCheck(m, events, method: .mip)
        let repairTotal = try #require(repair.schedule.objective?.total), mipTotal = try #require(mip.schedule.objective?.total)
        #expect(mipTotal <= repairTotal + 1e-9)
        #expect(mip.schedule.solver?.method == .mip)
        #expect(repair.schedule.solver?.method == .greedy)
    }

    @Test func aSmallRestOfTheDayIsSolvedWholeAndProvenOptimal() throws {
        // Five back-to-back visits on one recliner; the first cancels and a waitlisted patient
        // can come in its place: few enough movable requests for the whole program.
        let day = ReplannerTests.fullChairDay(waitlisted: true)
        let solved = try Scheduler.solve(day, options: SolveOptions(method: .greedy))
        let m = ReplannerTests.Morning(day: day, resolved: try ResolvedDay(day), schedule: solved.schedule, now: 7 * 60)
        let result = try ReplannerTests.replanAndCheck(m, [.cancel(request: "A0")], method: .auto)
        #expect(result.schedule.solver?.status == .optimal)
        #expect(result.schedule.solver?.bound == result.schedule.objective?.total)
        #expect(result.schedule.appointments.contains { $0.request == "W" && $0.start == ClockTime(minutes: 480) })
    }

    /// With 90 minutes of notice at 07:00 the waitlisted patient (window 08:00–10:00, two hours)
    /// cannot take the cancelled 08:00 slot. A program answer that puts them there anyway — a
    /// fault injected here, since no input can make the program break its own rules — breaks
    /// the notice rule: it is withheld, and the repair's plan answers, valid, as a fallback.
    @Test func aProgramPlanThatBreaksARuleIsWithheld() throws {
        let day = ReplannerTests.fullChairDay(waitlisted: true)
        let solved = try Scheduler.solve(day, options: SolveOptions(method: .greedy))
        let m = ReplannerTests.Morning(day: day, resolved: try ResolvedDay(day), schedule: solved.schedule, now: 7 * 60)
        let w = try #require(m.resolved.requestIndex["W"])
        let repair = try ReplannerTests.replanAndCheck(m, [.cancel(request: "A0")], notice: 90, method: .greedy)
        #expect(!repair.schedule.appointments.contains { $0.request == "W" })
        let injected: @Sendable (ReplanImprovement.Outcome) -> ReplanImprovement.Outcome = { outcome in
            var broken = outcome
            broken.placements[w] = Placement(request: w, chair: 0, nurse: 0, start: 8 * 60)
            broken.improvements = max(1, broken.improvements)
            return broken
        }
        let result = try ReplanFaults.$improvement.withValue(injected) {
            try ReplannerTests.replanAndCheck(m, [.cancel(request: "A0")], notice: 90, method: .mip)
        }
        #expect(result.notes.contains { $0.contains("its plan broke a rule and was withheld, the repair answers") })
        #expect(result.schedule.solver?.method == .greedy)
        #expect(result.schedule.solver?.status == .fallback)
        #expect(result.schedule.appointments == repair.schedule.appointments)
        // Without the fault the program keeps the notice too, and answers itself.
        let clean = try ReplannerTests.replanAndCheck(m, [.cancel(request: "A0")], notice: 90, method: .mip)
        #expect(clean.schedule.solver?.method == .mip)
        #expect(!clean.schedule.appointments.contains { $0.request == "W" })
    }

    @Test func withoutEventsTheProgramDoesNotRun() throws {
        let m = try ReplannerTests.morning(.small, seed: 2, now: "09:30")
        let result = try ReplannerTests.replanAndCheck(m, [], method: .mip)
        #expect(result.schedule.changes == [])
        #expect(result.schedule.appointments == m.schedule.appointments)
        #expect(result.schedule.solver?.method == .greedy)
    }
}
