import Foundation
import Testing
@testable import InfusionScheduler

@Suite struct MIPSchedulerTests {
    @Test func workedDaySolvesToAValidOptimum() throws {
        let day = try TestFiles.workedDay()
        let outcome = MIPScheduler(day: day, options: MIPOptions(timeLimit: 20)).solve(incumbent: nil)
        #expect(outcome.status == .optimal)
        let placements = try #require(outcome.placements)
        #expect(FeasibilityCheck.firstViolation(of: placements, day: day) == nil)
        // The worked schedule costs 1021; the optimum can only be as good or better.
        let objective = try #require(outcome.objective)
        #expect(objective <= 1021 + 1e-9, "objective \(objective)")
        print("worked-day MIP objective", objective, day.objective(of: placements))
        #expect(outcome.bound == objective)
        #expect(!outcome.usedIncumbent)
        // The program prices the schedule exactly as SPEC §3 does.
        let f = ScheduleFormulation(day: day)
        let values = try #require(f.encode(placements))
        #expect(abs(f.program.objectiveValue(of: values) - objective) < 1e-6)
    }
}
