import Foundation
import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan

import SchedulingGenerator
import SchedulingSimulation

/// One base day of a sweep, with the seed its demand draws use.
public struct WhatIfDay: Sendable {
    /// How the report names the day (`medium-1.json`, `medium seed 3`).
    public var name: String
    /// The day as given.
    public var day: Day
    /// Seed of the demand draws (the generator seed for synthetic days, 0 for a file).
    public var seed: UInt64

    /// Creates a base day.
    public init(name: String, day: Day, seed: UInt64) { self.name = name; self.day = day; self.seed = seed }
}

extension WhatIfBase {
    /// The base days: the file, or the profile's days for seeds `1...seeds`.
    ///
    /// - Throws: ``SchedulingModel/InputError`` when the day file cannot be read or breaks the contract.
    public func days() throws -> [WhatIfDay] {
        switch self {
        case .day(let path):
            return [WhatIfDay(name: URL(fileURLWithPath: path).lastPathComponent, day: try Day.load(path: path), seed: 0)]
        case .profile(let profile, let seeds):
            return (1...max(1, seeds)).map { s in
                WhatIfDay(name: "\(profile.rawValue) seed \(s)", day: DayGenerator.generate(profile: profile, seed: UInt64(s)), seed: UInt64(s))
            }
        }
    }

    /// A short description for report headers.
    public var summary: String {
        switch self {
        case .day(let path): return "day " + URL(fileURLWithPath: path).lastPathComponent
        case .profile(let profile, let seeds):
            return seeds == 1 ? "1 synthetic \(profile.rawValue) day (seed 1)" : "\(seeds) synthetic \(profile.rawValue) days (seeds 1-\(seeds))"
        }
    }
}

/// The outcome of one scenario on one day: its metrics, or why it could not be solved.
public enum WhatIfOutcome: Sendable, Hashable {
    /// Solved and measured.
    case solved(WhatIfMetrics)
    /// Not solved: the scenario's fixed bookings cannot all hold together (the message says which).
    case failed(String)
}

/// Runs every scenario on every base day, in parallel, and gathers the report.
///
/// Each scenario × day is one job; jobs are numbered scenario-major and their outcomes are
/// stored by number, so the report is the same whatever the order in which threads finish.
/// With a method that stops on a time limit (`mip`, `auto`) the answers themselves can
/// depend on how far the solver got, which no runner can make deterministic; greedy is.
public struct WhatIfRunner: Sendable {
    /// The base days.
    public var days: [WhatIfDay]
    /// The scenarios; the first is the unchanged base the changes are measured against (the
    /// initialiser adds one, named `base`, when the scenarios given do not start with one).
    public var scenarios: [WhatIfScenario]
    /// How each job is solved (the time limit is per job).
    public var options: SolveOptions
    /// Jobs run at once (at least 1).
    public var jobs: Int
    /// What the report says the days were.
    public var baseSummary: String
    /// The grid axes, for the chart.
    public var grid: [WhatIfAxis]
    /// When set, every solved plan is also simulated (``WhatIfSimulation``).
    public var simulation: WhatIfSimulation?

    /// Creates a runner; `jobs` defaults to the number of active processors. Unless `scenarios`
    /// starts with one that changes nothing, an unchanged `base` is put first: every report
    /// measures the scenarios against the days as they are.
    public init(days: [WhatIfDay], scenarios: [WhatIfScenario], options: SolveOptions, jobs: Int? = nil,
                baseSummary: String = "", grid: [WhatIfAxis] = [], simulation: WhatIfSimulation? = nil) {
        var scenarios = scenarios
        if scenarios.first?.isUnchanged != true { scenarios.insert(WhatIfScenario(name: "base", source: "base"), at: 0) }
        self.days = days; self.scenarios = scenarios; self.options = options
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        self.baseSummary = baseSummary; self.grid = grid; self.simulation = simulation
    }

    /// Applies every scenario to every day, solves them all and returns the report.
    ///
    /// `progress` is called after each job with (jobs done, jobs in all), from worker threads
    /// but never two at once.
    ///
    /// - Throws: ``SchedulingModel/InputError`` when a scenario does not fit a day (before any solving starts).
    public func run(progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> WhatIfReport {
        try run(control: nil, progress: progress)
    }

    /// `run(progress:)` (the synchronous one) with a `control`, which stops the sweep from any thread (``SchedulingSolvers/SolveControl/stop()``;
    /// its progress callback is not called): each solve under way returns its best valid schedule
    /// so far (status `stopped`) within about a second, no further job starts, and the report —
    /// the results so far, the jobs not run listed as not solved — has ``WhatIfReport/stopped`` set.
    ///
    /// - Throws: ``SchedulingModel/InputError`` when a scenario does not fit a day (before any solving starts).
    public func run(control: SolveControl?,
                    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> WhatIfReport {
        var report = report(outcomes: try solve(runs: Array(0..<runCount), control: control, progress: progress))
        report.stopped = control?.isStopped ?? false
        return report
    }

    /// The number of scenario × day runs of the sweep.
    public var runCount: Int { scenarios.count * days.count }

    /// Applies every scenario to every day, then solves the runs `selected` (numbers of the
    /// scenario-major order: run `s × days + d`) and returns their outcomes in the order given;
    /// a stop by `control` ends the solves under way with their best so far and starts no more.
    ///
    /// Every scenario is applied to every day whatever the selection, so that a sweep with a
    /// scenario that does not fit a day fails the same way in every shard of it.
    ///
    /// - Throws: ``SchedulingModel/InputError`` when a scenario does not fit a day (before any solving starts).
    func solve(runs selected: [Int], control: SolveControl? = nil,
               progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?) throws -> [WhatIfOutcome] {
        var applied: [AppliedScenario] = []
        applied.reserveCapacity(scenarios.count * days.count)
        for s in scenarios {
            for d in days {
                do {
                    applied.append(try s.apply(to: d.day, seed: d.seed))
                } catch let error as InputError {
                    var named = error
                    if days.count > 1 { named.message += " (on \(d.name))" }
                    throw named
                }
            }
        }
        let prepared = applied
        let total = selected.count
        let board = ResultBoard(count: total, progress: progress)
        let options = self.options
        let jobControl = control.map { SolveControl(stoppedWith: $0) }
        let stopped = { @Sendable in control?.isStopped ?? false }
        let simulation = self.simulation
        let work: @Sendable (Int) -> Void = { k in
            let job = prepared[selected[k]]
            let outcome: WhatIfOutcome
            do {
                let resolved = try ResolvedDay(job.day)
                let result = try Scheduler.solve(resolved, options: options, control: jobControl)
                var metrics = WhatIfMetrics(day: resolved, result: result, releasedFixedBookings: job.releasedFixedBookings.count)
                if let simulation {
                    let report = try Simulator.simulate(result.schedule, day: resolved, options: simulation.options)
                    metrics.simulatedWaitP90 = report.wait.p90
                    metrics.simulatedOvertimeP90 = report.overtime.p90
                }
                outcome = .solved(metrics)
            } catch {
                outcome = .failed(String(describing: error))
            }
            board.store(outcome, at: k)
        }
        let workers = min(jobs, max(1, total))
        if workers == 1 {
            for k in 0..<total where !stopped() { work(k) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while !stopped(), let k = board.nextJob() { work(k) }
            }
        }
        return board.outcomes
    }

    /// The report of the outcomes of every run, in the scenario-major order.
    func report(outcomes: [WhatIfOutcome]) -> WhatIfReport {
        let rows = scenarios.indices.map { s in Array(outcomes[(s * days.count)..<((s + 1) * days.count)]) }
        return WhatIfReport(baseSummary: baseSummary, method: options.method, timeLimit: options.timeLimit,
                            dayNames: days.map(\.name), scenarios: scenarios, outcomes: rows, grid: grid, simulation: simulation)
    }

    /// Runs the sweep (``run(control:progress:)``) off the calling task, on a thread of its own;
    /// cancelling the task stops it within about a second and returns the report so far, with
    /// ``WhatIfReport/stopped`` set.
    ///
    /// - Throws: as ``run(control:progress:)``.
    public func run(progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) async throws -> WhatIfReport {
        try await SolveControl().run { control in try self.run(control: control, progress: progress) }
    }
}

/// Hands out job numbers and keeps outcomes by job number; the lock makes it safe to share.
private final class ResultBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var slots: [WhatIfOutcome?]
    private let progress: (@Sendable (Int, Int) -> Void)?

    init(count: Int, progress: (@Sendable (Int, Int) -> Void)?) {
        slots = Array(repeating: nil, count: count)
        self.progress = progress
    }

    func nextJob() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ outcome: WhatIfOutcome, at i: Int) {
        lock.lock(); defer { lock.unlock() }
        slots[i] = outcome
        done += 1
        progress?(done, slots.count)
    }

    var outcomes: [WhatIfOutcome] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0 ?? .failed("not run: the sweep was stopped") }
    }
}

/// How `whatif --simulate` simulates every solved plan: `runs` days under the default noise
/// (docs/ROBUSTNESS.md) from `seed`, the same seed for every scenario and day, so that the
/// scenarios are compared on the same draws and the report is the same bytes every time.
public struct WhatIfSimulation: Sendable, Hashable, Codable {
    /// Simulated days per plan, `1...100_000`.
    public var runs: Int
    /// The seed of every plan's runs.
    public var seed: UInt64

    /// Creates the simulation settings.
    public init(runs: Int, seed: UInt64 = 1) { self.runs = runs; self.seed = seed }

    /// The simulator's options: one thread (the sweep runs its jobs in parallel).
    var options: SimulationOptions { SimulationOptions(runs: runs, seed: seed, noise: .defaults, jobs: 1) }
}
