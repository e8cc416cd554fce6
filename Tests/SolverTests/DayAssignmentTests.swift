import Foundation
import Testing

@testable import SchedulingSolvers
import TestSupport

/// The day-assignment program of batch booking: capacity rows, no-good cuts, the bound, and a
/// program GLPK must not see.
@Suite struct DayAssignmentTests {
    /// Two courses wanting the one free unit of a day: A (left out: 100, booked: 5) and B (left
    /// out: 50, booked: 1), each placing one key.
    func competing(capacity: Double) -> DayAssignmentProblem {
        var p = DayAssignmentProblem()
        p.capacities = [capacity]
        p.items = [
            .init(unassignedCost: 100, options: [.init(cost: 5, uses: [(0, 1)], keys: [0])]),
            .init(unassignedCost: 50, options: [.init(cost: 1, uses: [(0, 1)], keys: [1])]),
        ]
        return p
    }

    @Test func capacityRowKeepsTheDearerCourseOut() {
        let r = DayAssignment.solve(competing(capacity: 1), workSeconds: 5, cap: .now + .seconds(10))
        #expect(r.status == .optimal)
        #expect(r.choice == [0, nil])
        #expect(r.objective == 55)
        #expect(r.bound == 55)
        let both = DayAssignment.solve(competing(capacity: 2), workSeconds: 5, cap: .now + .seconds(10))
        #expect(both.choice == [0, 0] && both.objective == 6)
    }

    @Test func aNoGoodCutForbidsTheCombination() {
        var p = competing(capacity: 2)
        p.exclusions = [[0, 1]]
        let built = DayAssignment.program(p)
        #expect(built.program.rows.map(\.name) == ["assign_0", "assign_1", "cap_0", "cut_0"])
        #expect(built.program.rows[3].upper == 1)
        let r = DayAssignment.solve(p, workSeconds: 5, cap: .now + .seconds(10))
        #expect(r.choice == [0, nil] && r.objective == 55)
    }

    @Test func anInvalidProgramNeverReachesGLPK() {
        var p = competing(capacity: 1)
        p.items[0].options[0].cost = .nan
        let r = DayAssignment.solve(p, workSeconds: 5, cap: .now + .seconds(10))
        guard case .failed(let why) = r.status else { Issue.record("expected failed, got \(r.status)"); return }
        #expect(why.contains("invalid model"))
        #expect(r.choice == [nil, nil])
    }
}
