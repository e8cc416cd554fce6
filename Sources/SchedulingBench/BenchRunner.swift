import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingGenerator

/// Runs days × methods and collects one ``BenchRow`` per pair: the quality side of performance
/// (objective terms, bounds, gaps) next to its cost (seconds, memory).
///
/// How each solve runs is up to ``solve``: ``inProcess`` calls ``SchedulingSolvers/Scheduler`` directly; the
/// command line runs every solve in a child process so that its peak memory is its own.
public struct BenchRunner: Sendable {
    /// Solves one day with one method within a time limit.
    public typealias Solve = @Sendable (_ day: BenchDay, _ method: SolveMethod, _ timeLimit: Double) throws -> BenchMeasurement

    /// The methods run on each day, in this order (`greedy`, `mip`).
    public var methods: [SolveMethod]
    /// Seconds per solve; nil gives every day the limit of its target (``targetTimeLimit(group:)``).
    public var timeLimit: Double?
    /// Seconds for each day's LP relaxation bound; nil skips it. The relaxation of a large day
    /// can take longer than a solve's time limit, and it is a reference, not a solver's result.
    public var relaxationTimeLimit: Double?
    /// How a solve runs.
    public var solve: Solve

    /// Creates a runner.
    public init(methods: [SolveMethod] = [.greedy, .mip], timeLimit: Double? = nil, relaxationTimeLimit: Double? = 60,
                solve: @escaping Solve = BenchRunner.inProcess) {
        self.methods = methods; self.timeLimit = timeLimit; self.relaxationTimeLimit = relaxationTimeLimit; self.solve = solve
    }

    /// The time limit the performance targets are stated with: 10 s for small and medium days
    /// (and anything else), 60 s for large and xl days.
    public static func targetTimeLimit(group: String) -> Double {
        group == DayProfile.large.rawValue || group == DayProfile.xl.rawValue ? 60 : 10
    }

    /// Solves in this process with ``SchedulingSolvers/Scheduler``; memory is not measured, because a process's
    /// peak cannot be split between the solves it ran.
    public static let inProcess: Solve = { day, method, timeLimit in
        let result = try Scheduler.solve(day.day, options: SolveOptions(method: method, timeLimit: timeLimit))
        return BenchMeasurement(schedule: result.schedule, peakMemoryBytes: nil)
    }

    /// Runs every method on every day, in order, calling `progress` after each row.
    ///
    /// - Throws: ``SchedulingModel/InputError`` for a day that breaks the contract, ``SchedulingSolvers/SchedulingError`` when its
    ///   fixed bookings cannot hold, or whatever ``solve`` throws.
    public func run(_ days: [BenchDay], progress: (BenchRow) -> Void = { _ in }) throws -> [BenchRow] {
        var rows: [BenchRow] = []
        for benchDay in days {
            let resolved = try ResolvedDay(benchDay.day)
            let limit = timeLimit ?? Self.targetTimeLimit(group: benchDay.group)
            let lp = relaxationTimeLimit.flatMap { MIPScheduler(day: resolved, options: MIPOptions(timeLimit: $0)).relaxationBound() }
            for method in methods {
                let measured = try solve(benchDay, method, limit)
                let schedule = measured.schedule
                let objective = schedule.objective
                    ?? Validator.validate(schedule, day: resolved).objective
                let row = BenchRow(
                    day: benchDay.name, group: benchDay.group, seed: benchDay.seed, method: method,
                    status: schedule.solver?.status ?? .feasible, requests: resolved.requests.count,
                    scheduled: schedule.appointments.count, chairs: resolved.chairs.count, nurses: resolved.nurses.count,
                    objective: objective, bound: schedule.solver?.bound, gap: schedule.solver?.gap,
                    relaxationBound: lp, seconds: schedule.solver?.seconds ?? 0, peakMemoryBytes: measured.peakMemoryBytes)
                rows.append(row)
                progress(row)
            }
        }
        return rows
    }
}
