import Foundation
import Synchronization
import Testing
import TestSupport
@testable import SchedulingWhatIf

/// Stopping a what-if sweep: a stop (or a cancelled task) ends it within a second with the
/// results so far and a report that says it was stopped.
@Suite struct WhatIfStopTests {
    /// Four medium days, two scenarios, two jobs at once, a minute per solve: minutes of work
    /// unless it is stopped.
    static func longSweep() throws -> WhatIfRunner {
        let day = try Day.load(path: TestFiles.instance("medium-1.json"))
        let days = (1...4).map { WhatIfDay(name: "medium-1 #\($0)", day: day, seed: UInt64($0)) }
        return WhatIfRunner(days: days, scenarios: [WhatIfScenario(name: "base"), WhatIfScenario(name: "demand", demand: 1.2)],
                            options: SolveOptions(method: .auto, timeLimit: 60), jobs: 2)
    }

    /// What a stopped report holds: the jobs under way gave their best valid schedule so far
    /// (status `stopped`), the others were not run, and both writers say it was stopped.
    static func checkStopped(_ report: WhatIfReport) throws {
        #expect(report.stopped)
        let outcomes = report.outcomes.flatMap { $0 }
        #expect(outcomes.count == 8)
        var solved = 0, notRun = 0
        for outcome in outcomes {
            switch outcome {
            case .solved(let m):
                solved += 1
                #expect(m.solver.hasSuffix("/stopped"), "\(m.solver)")
            case .failed(let why):
                notRun += 1
                #expect(why == "not run: the sweep was stopped")
            }
        }
        #expect(solved >= 1 && solved <= 2, "the two jobs under way")
        #expect(notRun == 8 - solved)
        #expect(report.markdown().contains("**Stopped on request**"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.rendered(.json).utf8)) as? [String: Any])
        #expect(json["stopped"] as? Bool == true)
    }

    @Test func aStoppedSweepReturnsTheResultsSoFarWithinASecond() throws {
        let runner = try Self.longSweep()
        let control = SolveControl()
        let stoppedAt = Mutex<ContinuousClock.Instant?>(nil)
        let result = Mutex<(report: WhatIfReport?, ended: ContinuousClock.Instant)?>(nil)
        let done = DispatchSemaphore(value: 0)
        // The sweep and the stop each on a thread of their own, which time the stop: the test
        // runner's threads may all be busy with other tests.
        let sweep = Thread {
            let report = try? runner.run(control: control)
            result.withLock { $0 = (report, .now) }
            done.signal()
        }
        sweep.stackSize = 16 << 20
        sweep.start()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 3)
            stoppedAt.withLock { $0 = .now }
            control.stop()
        }
        #expect(done.wait(timeout: .now() + 100) == .success)
        let stop = try #require(stoppedAt.withLock { $0 })
        let (report, ended) = try #require(result.withLock { $0 })
        #expect(ended - stop < .seconds(1), "the sweep ended \(ended - stop) after the stop")
        try Self.checkStopped(try #require(report))
    }

    @Test func cancellingTheTaskStopsTheSweep() async throws {
        let runner = try Self.longSweep()
        let started = DispatchSemaphore(value: 0)
        let cancelledAt = Mutex<ContinuousClock.Instant?>(nil)
        let task = Task {
            started.signal()
            let report = try await runner.run()
            return (report, ContinuousClock.now)
        }
        // Cancelled 3 s after the task began (the test runner's threads may be busy: the task
        // may begin late), from a thread of its own.
        Thread.detachNewThread {
            started.wait()
            Thread.sleep(forTimeInterval: 3)
            cancelledAt.withLock { $0 = .now }
            task.cancel()
        }
        let (report, ended) = try await task.value
        let cancelled = try #require(cancelledAt.withLock { $0 })
        // Read on the task, which may wait for a thread of the runner: the tight bound is above.
        #expect(ended - cancelled < .seconds(30))
        try Self.checkStopped(report)
    }

    @Test func aSweepThatRunsToItsEndIsNotStopped() throws {
        let day = try Day.load(path: TestFiles.instance("small-1.json"))
        let runner = WhatIfRunner(days: [WhatIfDay(name: "small-1", day: day, seed: 0)], scenarios: [WhatIfScenario(name: "base")],
                                  options: SolveOptions(method: .greedy, timeLimit: 10), jobs: 1)
        let report = try runner.run(control: SolveControl())
        #expect(!report.stopped)
        #expect(!report.markdown().contains("Stopped"))
        #expect(!report.rendered(.json).contains("\"stopped\""))
    }
}
