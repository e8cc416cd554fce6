import Foundation
import Testing

@testable import SchedulingRobust
import SchedulingSimulation
import TestSupport

/// The schedule's bytes with `solver.seconds` (the one figure that is timing) set to 0.
private func withoutSeconds(_ schedule: Schedule) -> String {
    var s = schedule
    s.solver?.seconds = 0
    return s.jsonString()
}

/// A few runs keep the tests quick; the property checked does not depend on their number.
private let quick = RobustOptions(runs: 40, seed: 3)

@Suite struct RobustSchedulerTests {
    /// The robust plan is a plan of the real day: the validator accepts it against the day as
    /// given, it places as many patients as the nominal plan, and its objective is recomputed on
    /// the real day (the padding is gone).
    @Test(arguments: ["small-1.json", "medium-1.json"])
    func theRobustPlanValidatesAgainstTheRealDay(_ instance: String) throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance(instance)))
        let result = try RobustScheduler.solve(day, options: SolveOptions(method: .greedy), robust: quick)
        #expect(Validator.validate(result.schedule, day: day).violations.isEmpty)
        let nominal = try Scheduler.solve(day, options: SolveOptions(method: .greedy))
        #expect(result.schedule.appointments.count >= nominal.schedule.appointments.count)
        #expect(result.candidates.count == quick.policies.count && result.candidates[0].policy.isNominal)
        #expect(result.schedule.objective?.total == day.objective(of: result.placements).total)
        #expect(abs(result.best.objective - result.schedule.objective!.total) < 1e-9)
        // Every candidate but the excluded ones was judged; a chosen padded plan says so in the file.
        #expect(result.best.excluded == nil)
        #expect(result.schedule.solver?.note?.hasPrefix("robust: \(result.best.policy.description)") == true)
        if result.chosen != 0 { #expect(result.schedule.solver?.bound == nil) }
    }

    /// A stop (a signal, a cancelled caller) ends the robust solve after the nominal plan: one
    /// candidate judged, the plan valid and marked stopped. Without the stop every candidate is tried.
    @Test func aStopKeepsTheNominalPlanAndSaysSo() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("small-1.json")))
        let control = SolveControl()
        control.stop()
        let result = try RobustScheduler.solve(day, options: SolveOptions(method: .greedy), robust: quick, control: control)
        #expect(result.candidates.count == 1 && result.chosen == 0)
        #expect(result.schedule.solver?.status == .stopped)
        #expect(result.schedule.solver?.note?.hasPrefix("stopped on request after 1 of \(quick.policies.count) candidates") == true)
        #expect(Validator.validate(result.schedule, day: day).violations.isEmpty)
        let whole = try RobustScheduler.solve(day, options: SolveOptions(method: .greedy), robust: quick, control: SolveControl())
        #expect(whole.candidates.count == quick.policies.count)
        #expect(whole.schedule.solver?.status != .stopped)
    }

    /// Same day, same options: the same schedule, byte for byte but solver.seconds, and the same candidates.
    @Test func theRobustSolveIsDeterministic() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("medium-1.json")))
        let a = try RobustScheduler.solve(day, options: SolveOptions(method: .greedy), robust: quick)
        let b = try RobustScheduler.solve(day, options: SolveOptions(method: .greedy),
                                          robust: RobustOptions(runs: 40, seed: 3, jobs: 2))
        #expect(withoutSeconds(a.schedule) == withoutSeconds(b.schedule))
        #expect(a.candidates == b.candidates && a.chosen == b.chosen)
    }

    /// What the search minimises is never worse than the nominal plan's: the nominal greedy plan,
    /// simulated here on its own with the same seeds and scored by the documented formula, scores
    /// the same as the search's first candidate, and the chosen plan scores no more.
    ///
    /// (The chosen plan's simulated p90 wait can be higher than the nominal plan's on some day —
    /// the score trades it against overtime — so that is not what is checked; the table in
    /// BENCHMARKS.md shows both.)
    @Test(arguments: [UInt64(1), 2, 3])
    func theChosenScoreIsNotAboveTheNominalPlansOnSeededDays(_ seed: UInt64) throws {
        let day = try ResolvedDay(DayGenerator.generate(profile: .small, seed: seed))
        let result = try RobustScheduler.solve(day, options: SolveOptions(method: .greedy), robust: quick)
        let nominal = try Scheduler.solve(day, options: SolveOptions(method: .greedy))
        let replay = DayReplay(day: day, placements: nominal.placements)
        let outcomes = try Simulator.run(replay, options: SimulationOptions(runs: quick.runs, seed: quick.seed, noise: quick.noise))
        let dayWaits = outcomes.map { $0.waits.filter { $0 >= 0 }.reduce(0, +) }.sorted()
        let overtimes = outcomes.map(\.overtime).sorted()
        // Nearest rank at 0.9 of 40 runs: the 36th smallest.
        let score = nominal.objective.total + day.weights.waitPerMinute * Double(dayWaits[35])
            + day.weights.overtimePerMinute * Double(overtimes[35])
        #expect(result.nominal.score == score)
        #expect(result.best.score <= score)
        #expect(result.best.placed >= nominal.placements.count)
    }

    /// The quantile is checked, and named.
    @Test func aQuantileOutsideZeroOneIsRefusedNamingIt() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("small-1.json")))
        for q in [0.0, 1.0, -0.5, .nan] {
            #expect {
                try RobustScheduler.solve(day, options: SolveOptions(method: .greedy), robust: RobustOptions(quantile: q, runs: 5))
            } throws: { ($0 as? InputError)?.path == "quantile" }
        }
    }

    /// The planning copy only adds slack: longer buffers (a padded regimen's rounded up to five
    /// minutes) and an earlier close, nothing else.
    @Test func thePlanningDayPadsBuffersAndClosesEarlier() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("medium-1.json")))
        let policy = RobustPolicy(padding: 0.2, closeEarlier: 60)
        let copy = try RobustScheduler.planningDay(day, policy: policy)
        #expect(copy.close == day.close - 60 && copy.latestEnd == day.latestEnd)
        for (r, c) in zip(day.day.regimens, copy.day.regimens) {
            let pad = c.bufferMinutes! - (r.bufferMinutes ?? 0)
            #expect(pad >= Int(0.2 * Double(r.chairMinutes)) && pad % 5 == 0 && pad < Int(0.2 * Double(r.chairMinutes)) + 6, "\(r.id)")
            #expect(c.chairMinutes == r.chairMinutes && c.nurseEndMinutes == r.nurseEndMinutes)
        }
        #expect(copy.day.requests == day.day.requests && copy.day.chairs == day.day.chairs && copy.day.nurses == day.day.nurses)
        #expect(RobustScheduler.nearestRank([5, 1, 4, 2, 3], 0.9) == 5 && RobustScheduler.nearestRank([5, 1, 4, 2, 3], 0.5) == 3)
    }
}
