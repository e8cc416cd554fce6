import Foundation
import Testing
import TestSupport

@testable import SchedulingSolvers

@Suite struct ScheduleFormulationTests {
    @Test func workedDayProgramIsValidWithReadableNames() throws {
        let day = try TestFiles.workedDay()
        let f = ScheduleFormulation.wholeDay(day)
        #expect(f.program.validate() == nil)
        #expect(f.columns.count == f.program.variables.count)
        let names = Set(f.program.variables.map(\.name))
        #expect(names.count == f.program.variables.count)
        #expect(names.contains("start(R1@08.00,chair_C1)"))
        #expect(names.contains("unscheduled(R7)"))
        #expect(Set(f.program.rows.map(\.name)).count == f.program.rows.count)
    }

    @Test func inadmissibleRequestsHaveNoColumnsAndFixedOnesCannotBeDropped() throws {
        let day = try TestFiles.workedDay()
        let f = ScheduleFormulation.wholeDay(day)
        // R5 (authorization pending) is not in the program at all.
        #expect(!f.columns.contains { column in
            switch column {
            case .start(let c): return c.request == 4
            case .unscheduled(let r): return r == 4
            default: return false
            }
        })
        // R6 is fixed at 13:00 on C2: one start, one chair group, and "unscheduled" is forbidden.
        let starts = f.columns.compactMap { column -> ScheduleFormulation.StartChoice? in
            if case .start(let c) = column, c.request == 5 { return c } else { return nil }
        }
        #expect(starts.count == 1)
        #expect(starts.first?.start == 13 * 60)
        #expect(f.chairGroups[starts[0].chairGroup].chairs == [1])
        let u = try #require(f.columns.firstIndex(of: .unscheduled(request: 5)))
        #expect(f.program.variables[u].upper == 0)
    }

    @Test func identicalChairsAndNursesAreAggregated() throws {
        let day = try RandomDays.small(seed: 1, requestCount: 5, chairCount: 6, nurseCount: 4)
        let aggregated = ScheduleFormulation.wholeDay(day)
        // Chairs C1, C2, C3, C5, C6 are recliners with the same hours; C4 is a bed.
        #expect(aggregated.chairGroups.map(\.chairs) == [[0, 1, 2, 4, 5], [3]])
        #expect(aggregated.nurseGroups.map(\.nurses) == [[0, 2], [1, 3]])
        #expect(aggregated.nursesAggregated)
        let exact = ScheduleFormulation.wholeDay(day, nurses: .perNurse)
        #expect(exact.nurseGroups.count == 4 && !exact.nursesAggregated)
        #expect(exact.program.variables.count > aggregated.program.variables.count)
    }

    @Test func firstFitIsAFeasibleSolutionThatAssignsExactly() throws {
        for seed in UInt64(1)...5 {
            let day = try RandomDays.small(seed: seed, requestCount: 20, chairCount: 5, nurseCount: 3)
            let f = ScheduleFormulation.wholeDay(day, nurses: .perNurse)
            let values = try #require(f.firstFit())
            #expect(f.program.isFeasible(values))
            let placements = try ResourceAssignment.assign(f.decode(values), formulation: f).get()
            #expect(Validator.violations(of: placements, day: day).first?.description == nil, "seed \(seed)")
            #expect(abs(f.program.objectiveValue(of: values) - day.objective(of: placements).total) < 1e-6)
            // Encoding the schedule gives back a solution of the same cost.
            let again = try #require(f.encode(placements))
            #expect(abs(f.program.objectiveValue(of: again) - day.objective(of: placements).total) < 1e-6)
        }
    }

    @Test func encodeRejectsSchedulesTheProgramCannotHold() throws {
        let day = try TestFiles.workedDay()
        let f = ScheduleFormulation.wholeDay(day)
        // Two patients on one chair at once break the chair row.
        let clash = [Placement(request: 3, chair: 0, nurse: 1, start: 600), Placement(request: 3, chair: 0, nurse: 1, start: 600)]
        #expect(f.encode(clash) == nil)
        // A start off the candidates (R4's window starts at 10:00).
        #expect(f.encode([Placement(request: 3, chair: 0, nurse: 1, start: 450)]) == nil)
        // Nothing placed is a solution only without fixed bookings; R6 is fixed.
        #expect(f.encode([]) == nil)
    }

    @Test func idsAreSanitizedIntoDistinctNames() {
        #expect(ScheduleFormulation.sanitize("R012", index: 0) == "R012")
        #expect(ScheduleFormulation.sanitize("R 1:[x]", index: 4) == "R_1__x_~5")
        #expect(ScheduleFormulation.sanitize("Zoë", index: 0) == "Zo_~1")
        #expect(ScheduleFormulation.clock(9 * 60 + 5) == "09.05")
    }

    @Test func intervalColouringUsesNoMoreMachinesThanTheOverlap() {
        let intervals = [0..<10, 5..<15, 10..<20, 12..<14, 15..<25]
        let colours = ResourceAssignment.colour(intervals, machines: 3)
        #expect(colours != nil)
        if let colours {
            for i in intervals.indices { for j in intervals.indices where i < j && colours[i] == colours[j] {
                #expect(!intervals[i].overlaps(intervals[j]))
            } }
        }
        #expect(ResourceAssignment.colour(intervals, machines: 2) == nil)   // 10..<20, 12..<14 and 5..<15 overlap at 12
    }
}
