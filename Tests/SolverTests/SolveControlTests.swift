import Foundation
import Synchronization
import Testing
import TestSupport

@testable import SchedulingSolvers

/// Stopping a solve early and hearing of its progress.
@Suite struct SolveControlTests {
    func largeDay() throws -> Day { try Day.load(path: TestFiles.instance("large-1.json")) }

    /// A stop from another thread ends a 60 s solve long before its limit, with a valid schedule
    /// whose status says it was stopped.
    @Test func aStopReturnsTheBestValidScheduleSoFar() throws {
        let day = try largeDay()
        let control = SolveControl()
        // A thread of its own: the test runner's threads may all be busy solving other tests' days.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 2)
            control.stop()
        }
        let began = ContinuousClock.now
        let result = try Scheduler.solve(day, options: SolveOptions(method: .auto, timeLimit: 60), control: control)
        #expect(ContinuousClock.now - began < .seconds(30), "stopped well before the 60 s limit")
        #expect(result.solver.status == .stopped)
        #expect(try Validator.validate(result.schedule, day: ResolvedDay(day)).isValid)
    }

    /// The integer program's second thread is counted under the control: it runs while the solve
    /// does, and `threadsEnded()` returns only once it has ended (a stopped solve returns at once,
    /// but GLPK's linear program on that thread ends when GLPK returns).
    @Test func threadsEndedWaitsForTheSolvesSecondThread() async throws {
        let day = try largeDay()
        let control = SolveControl()
        let task = Task { try await control.run { try Scheduler.solve(day, options: SolveOptions(method: .mip, timeLimit: 60), control: $0) } }
        var seen = 0
        for _ in 0..<200 where seen == 0 {
            try await Task.sleep(for: .milliseconds(50))
            seen = control.signal.runningThreads
        }
        #expect(seen > 0, "the second thread is counted while the solve runs")
        task.cancel()
        let result = try await task.value
        #expect(result.solver.status == .stopped)
        await control.threadsEnded()
        #expect(control.signal.runningThreads == 0)
    }

    /// Cancelling the task of the async solve stops it the same way.
    @Test func cancellingTheTaskStopsTheSolve() async throws {
        let day = try largeDay()
        let task = Task { try await Scheduler.solve(day, options: SolveOptions(method: .auto, timeLimit: 60)) }
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 2)
            task.cancel()
        }
        let result = try await task.value
        #expect(result.solver.status == .stopped)
        #expect(result.solver.seconds < 30)
    }

    /// The stream tells the greedy schedule first, then never a worse objective nor a lower bound,
    /// and ends with the solve; its last objective is the result's.
    @Test func progressOnlyImproves() async throws {
        let day = try Day.load(path: TestFiles.instance("medium-1.json"))
        let (stream, result) = Scheduler.solving(day, options: SolveOptions(method: .auto, timeLimit: 5))
        var events: [SolveProgress] = []
        for await p in stream { events.append(p) }
        let solved = try await result.value
        #expect(events.first?.method == .greedy)
        for (a, b) in zip(events, events.dropFirst()) {
            #expect(b.objective <= a.objective + 1e-9)
            if let x = a.bound { #expect((b.bound ?? -.infinity) >= x - 1e-9) }
            #expect(b.seconds >= a.seconds)
        }
        let last = try #require(events.last)
        #expect(abs(last.objective - solved.objective.total) < 1e-6 || solved.solver.method == .greedy)
    }

    /// Without a stop nothing changes: a solve with a control that is never used gives the same
    /// schedule as one without (deterministic pace).
    @Test func anUnusedControlChangesNothing() throws {
        let day = try Day.load(path: TestFiles.instance("small-1.json"))
        let options = SolveOptions(method: .auto, timeLimit: 20, pace: .deterministic, work: 2)
        let count = Mutex(0)
        let with = try Scheduler.solve(day, options: options, control: SolveControl { _ in count.withLock { $0 += 1 } })
        let without = try Scheduler.solve(day, options: options)
        #expect(with.schedule.appointments == without.schedule.appointments)
        #expect(with.solver.status == without.solver.status && with.solver.status != .stopped)
        #expect(count.withLock { $0 } > 0)
    }
}
