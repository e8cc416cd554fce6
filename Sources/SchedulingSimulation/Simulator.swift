import Foundation
import SchedulingModel
import SchedulingRules

/// How to simulate a plan: how many runs, from which seed, under which noise, on how many threads.
public struct SimulationOptions: Sendable, Hashable {
    /// Runs (simulated days), `1...1_000_000`.
    public var runs: Int
    /// The seed: equal seeds give equal reports, byte for byte.
    public var seed: UInt64
    /// What goes differently from the plan.
    public var noise: NoiseModel
    /// Threads that share the runs, `1...256`; the report does not depend on it.
    public var jobs: Int

    /// Creates options; the defaults are 1000 runs, seed 1, ``NoiseModel/defaults``, one thread.
    public init(runs: Int = 1000, seed: UInt64 = 1, noise: NoiseModel = .defaults, jobs: Int = 1) {
        self.runs = runs; self.seed = seed; self.noise = noise; self.jobs = jobs
    }
}

/// A replay that did not end: a bug of the library, never of the input.
public enum SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Run `run` was still going three days after the day's first event.
    case replayDidNotEnd(run: Int)

    /// One line saying so.
    public var description: String {
        switch self {
        case .replayDidNotEnd(let run): "internal error: the replay of run \(run) did not end within three days"
        }
    }
}

/// Simulates a plan: lives through its day many times under drawn noise and reports how it holds up
/// (docs/ROBUSTNESS.md).
public enum Simulator {
    /// Checks `schedule` against `day` with the ``SchedulingRules/Validator``, then replays it
    /// `options.runs` times and aggregates the runs.
    ///
    /// Run `i` draws its noise from a generator seeded by `(options.seed, i)` alone, and the runs
    /// are aggregated in run order, so the report is the same for any `options.jobs`.
    ///
    /// - Parameter scheduleFile: names the schedule in errors.
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

extension DayReplay {
    /// The replay of `schedule`, which must keep every hard rule of `day`.
    ///
    /// - Throws: ``SchedulingModel/InputError`` for `file` when it does not: the validator's first
    ///   violation, and how many more there are.
    package init(day: ResolvedDay, schedule: Schedule, file: String?) throws {
        let report = Validator.validate(schedule, day: day)
        if let first = report.violations.first {
            let more = report.violations.count > 1 ? " (and \(report.violations.count - 1) more)" : ""
            throw InputError(file: file, path: "appointments",
                             message: "not a valid schedule of this day: \(first)\(more); run `validate` for the list")
        }
        // A valid schedule names known ids once each and 1-based station and compounder numbers.
        let placements = schedule.appointments.map { a in
            Placement(request: day.requestIndex[a.request]!, chair: day.chairIndex[a.chair]!, nurse: day.nurseIndex[a.nurse]!,
                      start: a.start.minutes, drawStart: a.labDraw?.start.minutes, station: a.labDraw?.station.map { $0 - 1 },
                      prepStart: a.prep?.start.minutes, compounder: a.prep.map { $0.compounder - 1 })
        }
        self.init(day: day, placements: placements)
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
