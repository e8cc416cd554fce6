import Foundation
import SchedulingModel

/// Simulates a plan: lives through its day many times under drawn noise and reports how it holds up
/// (docs/ROBUSTNESS.md).
public enum Simulator {
    /// Checks `schedule` against `day` with the ``SchedulingRules/Validator``, then replays it
    /// `options.runs` times and aggregates the runs.
    ///
    /// Run `i` draws its noise from a generator seeded by `(options.seed, i)` alone, and the runs
    /// are aggregated in run order, so the report is the same for any `options.jobs`.
    ///
    /// - Parameters:
    ///   - schedule: The plan; it must keep every hard rule of `day`.
    ///   - day: The day it plans.
    ///   - options: Runs, seed, noise and threads.
    ///   - scheduleFile: Names the schedule in errors.
    /// - Throws: ``SchedulingModel/InputError`` when the options are out of range or the schedule
    ///   is not a valid schedule of the day (naming its first violation); ``SimulationError`` for a bug.
    /// - Complexity: O(runs × minutes of the day × patients in the clinic at once), shared by the jobs.
    public static func simulate(_ schedule: Schedule, day: ResolvedDay, options: SimulationOptions = SimulationOptions(),
                                scheduleFile: String? = nil) throws -> SimulationReport {
        guard (1...1_000_000).contains(options.runs) else {
            throw InputError(path: "runs", message: "\(options.runs) runs is not in 1...1000000")
        }
        guard (1...256).contains(options.jobs) else {
            throw InputError(path: "jobs", message: "\(options.jobs) jobs is not in 1...256")
        }
        let replay = try DayReplay(day: day, schedule: schedule, file: scheduleFile)
        let outcomes = try run(replay, options: options)
        return SimulationReport(replay: replay, options: options, outcomes: outcomes)
    }

    /// The outcomes of every run, in run order.
    package static func run(_ replay: DayReplay, options: SimulationOptions) throws -> [RunOutcome] {
        let planned = replay.plannedChairMinutes
        let board = RunBoard(count: options.runs)
        let work: @Sendable (Int) -> Void = { i in
            var random = SeededRandom(seed: runSeed(options.seed, run: i))
            let draws = options.noise.draws(chairMinutes: planned, random: &random)
            board.store(replay.run(draws).map(replay.outcome(of:)), at: i)
        }
        let workers = min(options.jobs, options.runs)
        if workers == 1 {
            for i in 0..<options.runs { work(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = board.nextRun() { work(i) }
            }
        }
        let slots = board.slots
        var outcomes: [RunOutcome] = []
        outcomes.reserveCapacity(slots.count)
        for (i, slot) in slots.enumerated() {
            guard let slot else { throw SimulationError.replayDidNotEnd(run: i) }
            outcomes.append(slot)
        }
        return outcomes
    }
}

/// Hands out run numbers and keeps outcomes by run number; the lock makes it safe to share.
private final class RunBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var stored: [RunOutcome?]

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    func nextRun() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < stored.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ outcome: RunOutcome?, at i: Int) {
        lock.lock(); defer { lock.unlock() }
        stored[i] = outcome
    }

    var slots: [RunOutcome?] {
        lock.lock(); defer { lock.unlock() }
        return stored
    }
}
