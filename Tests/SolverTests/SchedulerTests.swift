import Foundation
import Testing
import TestSupport

@testable import SchedulingSolvers

/// The facade: method choice, the solver report, fallbacks and the fixed-booking error.
@Suite struct SchedulerTests {
    /// The worked day with R4 fixed on C2 at 13:00, where R6 is already fixed.
    static func conflictingDay() throws -> Day {
        var day = try Day.load(path: TestFiles.fixture("worked-day.json"))
        day.requests[3].window = nil
        day.requests[3].fixed = FixedBooking(start: ClockTime(minutes: 13 * 60), chair: "C2")
        return day
    }

    @Test func conflictingFixedBookingsAreANamedError() throws {
        for method in SolveMethod.allCases {
            do {
                _ = try Scheduler.solve(Self.conflictingDay(), options: SolveOptions(method: method, timeLimit: 5))
                Issue.record("\(method): solved a day whose fixed bookings collide")
            } catch let SchedulingError.fixedBookingsConflict(requests, _) {
                #expect(Set(requests) == ["R4", "R6"], "\(method)")
            }
        }
    }

    @Test func conflictingFixedBookingsExitThreeFromTheCLI() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("day.json")
        try Data(Self.conflictingDay().jsonString().utf8).write(to: file)
        let out = try CLIRunner.run(["solve", file.path, "--time-limit", "5"])
        #expect(out.status == 3)
        #expect(out.stderr.contains("R4") && out.stderr.contains("R6"), "\(out.stderr)")
        #expect(out.stdout.isEmpty)
    }

    /// A deadline reached during the construction stops it where it is: what is placed is
    /// valid, the rest is left out, and the solve says the limit cut it (SPEC §6).
    @Test func aDeadlineCutsTheGreedyConstructionAndWhatIsPlacedIsValid() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("large-1.json")))
        let cut = try GreedyScheduler(day: day, deadline: .now).scheduleWithinDeadline()
        #expect(cut.cut)
        #expect(Validator.violations(of: cut.placements, day: day).map(\.description) == [])
        let whole = try GreedyScheduler(day: day).scheduleWithinDeadline()
        #expect(!whole.cut)
        #expect(whole.placements.count > cut.placements.count)
        let fixed = Set(FixedBookings.holdingAlone(day))
        #expect(fixed.isSubset(of: Set(cut.placements.map(\.request))), "fixed bookings are placed before the construction")
    }

    /// The greedy improvement steps end when the deadline says so, leaving the day as their last
    /// kept move left it: a 10,240-request day ran 6 s past `--time-limit 2` in them before they
    /// asked (BENCHMARKS.md). Without the stop the same steps do change this day.
    @Test func theGreedyImprovementStepsStopWhenTheDeadlineSays() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("large-1.json")))
        let starts = day.requests.indices.map { day.requests[$0].authorizationProblem == nil ? day.startsFeasibleAlone($0) : [] }
        let search = GreedyScheduler.Search(day: day, feasibleStarts: starts, admissible: starts.map { !$0.isEmpty })
        var built = DayState(day: day)
        try GreedyScheduler(day: day).placeFixed(in: &built)
        for r in search.constructionOrder(.mostConstrained) { search.insertIfWorthIt(r, in: &built) }

        var asked = 0
        var stopped = built
        #expect(!search.insertByMovingOne(in: &stopped, stop: { asked += 1; return true }))
        search.relocateByMovingOne(in: &stopped, stop: { asked += 1; return true })
        search.reinsertEach(in: &stopped, stop: { asked += 1; return true })
        #expect(asked >= 3)
        #expect(stopped.placedList == built.placedList)

        var free = built
        #expect(search.insertByMovingOne(in: &free))
        #expect(free.placedList != built.placedList)
        #expect(Validator.violations(of: free.placedList, day: day).map(\.description) == [])
    }

    @Test func greedyReportsNoBound() throws {
        let result = try Scheduler.solve(TestFiles.workedDay(), options: SolveOptions(method: .greedy))
        let solver = try #require(result.schedule.solver)
        #expect(solver.method == .greedy && solver.status == .feasible)
        #expect(solver.bound == nil && solver.gap == nil)
    }

    @Test func mipOnTheWorkedDayIsOptimalWithAProvenBound() throws {
        let day = try TestFiles.workedDay()
        let result = try Scheduler.solve(day, options: SolveOptions(method: .auto, timeLimit: 20))
        let solver = try #require(result.schedule.solver)
        let total = try #require(result.schedule.objective?.total)
        #expect(Validator.validate(result.schedule, day: day).violations.isEmpty)
        if solver.method == .mip {
            let bound = try #require(solver.bound)
            #expect(bound <= total + 1e-6)
            #expect(abs(try #require(solver.gap) - (total - bound) / max(1, abs(total))) < 1e-9)
        } else {
            #expect(solver.status == .fallback)
        }
        // Never worse than the greedy plan it started from.
        let greedy = try Scheduler.solve(day, options: SolveOptions(method: .greedy))
        #expect(total <= greedy.schedule.objective!.total + 1e-6)
    }

    @Test func badOptionsAreInputErrors() throws {
        let day = try TestFiles.workedDay()
        #expect(throws: InputError.self) { try Scheduler.solve(day, options: SolveOptions(timeLimit: 0)) }
        #expect(throws: InputError.self) { try Scheduler.solve(day, options: SolveOptions(timeLimit: .nan)) }
        #expect(throws: InputError.self) { try Scheduler.solve(day, options: SolveOptions(relativeGap: -1)) }
    }

    @Test func exportModelWritesLPAndMPSWithReadableNames() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for ext in ["lp", "mps"] {
            let model = dir.appendingPathComponent("worked.\(ext)").path
            let out = try CLIRunner.run(["solve", TestFiles.fixture("worked-day.json"), "--method", "greedy",
                                         "--export-model", model, "--output", dir.appendingPathComponent("s.json").path])
            #expect(out.status == 0, "\(out.stderr)")
            let text = try String(contentsOfFile: model, encoding: .utf8)
            #expect(text.contains("R1@") && text.contains("chair"), "\(ext)")
        }
        let bad = try CLIRunner.run(["solve", TestFiles.fixture("worked-day.json"), "--export-model", dir.appendingPathComponent("m.txt").path])
        #expect(bad.status == 2)
    }
}
