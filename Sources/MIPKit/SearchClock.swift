import Foundation
import Synchronization

import SchedulingModel

/// The stop signal of the search whose program is being built on this thread, if any: a
/// program's builder asks it between requests, so that a stop does not wait for a large build.
package enum BuildStop {
    @TaskLocal package static var signal: StopSignal?

    /// Whether the search whose program is being built was asked to stop.
    package static var requested: Bool { signal?.isSet ?? false }
}

/// A request to stop a search early, shared by every thread of one solve and the caller that
/// may ask for it (a cancelled task, a signal): once set, every clock that holds it reads past
/// its deadlines and every GLPK call it is given stops at its next node.
package final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    package init() {}

    /// Asks the search to stop; it keeps the best it has.
    package func set() { flag.store(true, ordering: .releasing) }

    /// Whether a stop was asked for.
    package var isSet: Bool { flag.load(ordering: .acquiring) }

    /// Threads a search under this signal started that have not ended yet, and who waits for none.
    private let running = Mutex<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    /// How many of those threads are running now.
    package var runningThreads: Int { running.withLock { $0.count } }

    /// A search's own thread begins (call before starting it).
    package func threadStarted() { running.withLock { $0.count += 1 } }

    /// That thread ends: the last one wakes whoever waits in ``threadsEnded()``.
    package func threadEnded() {
        let waiters = running.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.count <= 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no thread started under this signal is still running.
    package func threadsEnded() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle = running.withLock { state -> Bool in
                guard state.count > 0 else { return true }
                state.waiters.append(waiter)
                return false
            }
            if idle { waiter.resume() }
        }
    }
}

/// The clock a search reads (docs/MODEL.md §11): real time, or counted work.
///
/// A clock-paced search ends each phase at a share of the time left. A deterministic search
/// reads a *work clock* instead, with the same shares: it advances only by counted work — GLPK
/// simplex iterations weighted by the program's size, moves of ruin and recreate, columns built,
/// schedules checked — each converted to *reference seconds*, the time that work takes on the
/// reference machine (the constants below, measured as BENCHMARKS.md says). The phases are then
/// cut at the same point of their work whatever the load. The real time limit stays a safety cap
/// (``cap``): every call still stops there, and ``capReached`` tells that it did, in which case
/// the run may differ from another.
///
/// Not thread-safe: each thread of a solve has its own (``fork()``).
package final class SearchClock: @unchecked Sendable {
    /// What advances this clock.
    package let pace: SearchPace
    /// The real deadline no call may pass, whatever the pace.
    package let cap: ContinuousClock.Instant
    /// The instant the solve began (work is counted from it).
    private let began: ContinuousClock.Instant
    /// Reference seconds of work counted so far (deterministic pace).
    private(set) var work: Double
    /// The caller's request to stop early, when it may make one.
    package let stop: StopSignal?

    /// A clock for a solve that began at `began` and may not pass `cap` in real time, stopped
    /// early when `stop` is set.
    package init(pace: SearchPace, began: ContinuousClock.Instant = .now, cap: ContinuousClock.Instant, stop: StopSignal? = nil) {
        self.pace = pace; self.began = began; self.cap = cap; self.stop = stop; work = 0
    }

    private init(pace: SearchPace, began: ContinuousClock.Instant, cap: ContinuousClock.Instant, stop: StopSignal?, work: Double) {
        self.pace = pace; self.began = began; self.cap = cap; self.stop = stop; self.work = work
    }

    /// A clock for another thread, starting at this one's reading (and stopped with it).
    package func fork() -> SearchClock { SearchClock(pace: pace, began: began, cap: cap, stop: stop, work: work) }

    /// Whether work, not time, paces the search.
    package var counted: Bool { pace == .deterministic }

    /// Whether the caller asked the search to stop.
    package var stopped: Bool { stop?.isSet ?? false }

    /// The reading: the real instant, or the solve's start plus the work counted; once stopped,
    /// a reading past every deadline of the solve, so that no phase goes on or begins.
    package var now: ContinuousClock.Instant {
        if stopped { return max(cap, began + .seconds(work)) + .seconds(Self.stoppedReading) }
        return counted ? began + .seconds(work) : .now
    }

    /// How far past the cap a stopped clock reads (more than any budget).
    private static let stoppedReading: Int64 = 10_000_000

    /// Seconds on this clock since the solve began.
    package var elapsed: Double { Self.seconds(now - began) }

    /// Whether the real time has reached the cap (a deterministic search cut there may differ from another run).
    package var capReached: Bool { ContinuousClock.now >= cap }

    /// Counts `seconds` reference seconds of work (nothing on the wall clock, which counts itself).
    package func charge(_ seconds: Double) { if counted { work += max(0, seconds) } }

    /// The real deadline for a call that must end at `end` on this clock: `end` itself on the wall
    /// clock; with counted work the call is limited by its count, and only the cap stops it in time.
    package func realDeadline(_ end: ContinuousClock.Instant) -> ContinuousClock.Instant { counted ? cap : min(end, cap) }

    /// How many units of work costing `each` reference seconds fit before `end` on this clock
    /// (nil on the wall clock, where the clock itself stops the work).
    package func allowance(until end: ContinuousClock.Instant, each: Double) -> Int? {
        guard counted else { return nil }
        let left = Self.seconds(end - now)
        guard left > 0 else { return 0 }
        return Int(min(Double(Int32.max), left / max(each, 1e-12)))
    }

    package static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    // MARK: Reference costs (this machine, docs/MODEL.md §11)

    /// Reference seconds of one simplex iteration of GLPK on a program of this size.
    package static func simplexIteration(columns: Int, rows: Int) -> Double { 4.0e-8 * Double(columns + 2 * rows) + 4.0e-6 }
    /// Reference seconds of building a program with this many columns (or making a start for it).
    package static func building(columns: Int) -> Double { 4.0e-6 * Double(columns) + 1.0e-4 }
    /// Reference seconds of one ruin-and-recreate move on a day of this many requests.
    package static func ruinMove(requests: Int) -> Double { 1.5e-6 * Double(requests) + 2.0e-5 }
    /// Reference seconds of checking (validation, objective) or assigning a schedule of this many placements.
    package static func checking(placements: Int) -> Double { 2.0e-5 * Double(placements) + 1.0e-4 }
    /// Reference seconds of one subgradient step of the Lagrangian bound on a program of this many columns.
    package static func subgradientStep(columns: Int) -> Double { 2.0e-8 * Double(columns) + 1.0e-6 }
}
