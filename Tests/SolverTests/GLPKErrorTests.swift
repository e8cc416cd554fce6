import Foundation
import Testing
import TestSupport

@testable import MIPKit
@testable import SchedulingSolvers

/// GLPK never takes the process down (docs/ARCHITECTURE.md, "GLPK errors"): an error GLPK
/// reports is thrown for the call it happened in, GLPK's environment of that thread starts
/// afresh, and other threads' solves go on. Each error here is provoked on purpose; without the
/// guard of `CGLPKShim`, GLPK would abort the test process.
@Suite struct GLPKErrorTests {
    static var later: ContinuousClock.Instant { .now + .seconds(10) }

    /// A normal solve of the knapsack, on the calling thread.
    static func solvesTheKnapsack() throws {
        let result = try GLPKSolver.solve(GLPKSolverTests.knapsack(), start: nil, deadline: later, relativeGap: nil)
        #expect(result.status == .optimal)
        #expect(result.objective == -9)
    }

    @Test func anInvalidCallIsThrownAndTheThreadSolvesAgain() throws {
        try Self.solvesTheKnapsack()
        for _ in 0..<3 {
            let failure = try #require(throws: GLPKFailure.self) { try GLPKSolver.provokeFailure() }
            #expect(failure.message.contains("glp_set_col_bnds"), "\(failure.message)")
            #expect(failure.message.contains("column number out of range"), "\(failure.message)")
            #expect(failure.description.hasPrefix("GLPK failed: "))
            // The environment was freed with the problem in it; a new one serves the next call.
            try Self.solvesTheKnapsack()
            #expect(try GLPKSolver.linearRelaxation(GLPKSolverTests.knapsack(), deadline: Self.later) != nil)
        }
    }

    @Test func anErrorInTheBranchAndCutCallbackEndsThatSolveOnly() throws {
        // The callback runs Swift inside glp_intopt: the error lands in its nested guard and is
        // reported through glp_intopt's own guard.
        let failure = try #require(throws: GLPKFailure.self) {
            try GLPKSolver.withInjectedFault {
                try GLPKSolver.solve(GLPKSolverTests.hardKnapsack(), start: nil, deadline: Self.later, relativeGap: nil)
            }
        }
        #expect(failure.message.contains("glp_ios_node_bound"), "\(failure.message)")
        #expect(failure.message.contains("invalid subproblem reference number"), "\(failure.message)")
        try Self.solvesTheKnapsack()
    }

    @Test func aFailureOnOneThreadLeavesAnotherThreadsSolvesAlone() throws {
        // GLPK's environment is per thread: freeing this thread's after an error frees nothing of
        // the other's, which solves all the while.
        let objectives = LockedList()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for _ in 0..<10 {
                let result = try? GLPKSolver.solve(GLPKSolverTests.hardKnapsack(), start: nil, deadline: Self.later, relativeGap: nil)
                objectives.append(result?.objective)
            }
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        // Failures on this thread until the other one is done.
        var failures = 0, calls = 0
        while done.wait(timeout: .now()) != .success {
            calls += 1
            do { try GLPKSolver.provokeFailure() } catch { failures += 1 }
            Thread.sleep(forTimeInterval: 0.001)
        }
        #expect(failures == calls && calls > 0)
        let expected = try GLPKSolver.solve(GLPKSolverTests.hardKnapsack(), start: nil, deadline: Self.later, relativeGap: nil).objective
        #expect(expected != nil)
        #expect(objectives.values == Array(repeating: expected, count: 10))
    }

    @Test func theDaySolveThrowsSolverFailedAndTheNextSolveWorks() throws {
        let day = try Day.load(path: TestFiles.instance("small-1.json"))
        let options = SolveOptions(method: .mip, timeLimit: 10)
        let began = ContinuousClock.now
        let error = try #require(throws: SchedulingError.self) {
            try GLPKSolver.withInjectedFault { try Scheduler.solve(day, options: options) }
        }
        // The first GLPK error ends the solve: it does not run on to the time limit.
        #expect(ContinuousClock.now - began < .seconds(8))
        guard case .solverFailed(let detail) = error else {
            Issue.record("expected solverFailed, got \(error)")
            return
        }
        #expect(detail.contains("invalid subproblem reference number"), "\(detail)")
        #expect(error.description.hasPrefix("internal error: "))
        let solved = try Scheduler.solve(day, options: SolveOptions(method: .mip, timeLimit: 5))
        #expect(solved.solver.method == .mip, "\(solved.note ?? "")")
    }
}

/// Values appended from another thread.
private final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Double?] = []
    func append(_ value: Double?) { lock.withLock { list.append(value) } }
    var values: [Double?] { lock.withLock { list } }
}
