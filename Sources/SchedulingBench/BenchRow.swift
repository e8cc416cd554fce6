import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingGenerator

/// What one solve of a benchmark produced, however it was run.
public struct BenchMeasurement: Sendable {
    /// The schedule, with its objective terms and solver report.
    public var schedule: Schedule
    /// Peak resident memory in bytes of the process that solved, when it could be attributed
    /// to this solve alone.
    public var peakMemoryBytes: Int?

    /// Creates a measurement.
    public init(schedule: Schedule, peakMemoryBytes: Int?) {
        self.schedule = schedule; self.peakMemoryBytes = peakMemoryBytes
    }
}

/// One day solved with one method: the sizes, every objective term, the bounds and the cost.
public struct BenchRow: Sendable, Hashable {
    /// The day's name (``BenchDay/name``).
    public var day: String
    /// The day's group (``BenchDay/group``).
    public var group: String
    /// The generator seed, when generated.
    public var seed: UInt64?
    /// The method asked for.
    public var method: SolveMethod
    /// How the solve ended (`SolverReport.status`).
    public var status: SolverStatus
    /// Requests in the day.
    public var requests: Int
    /// Requests given an appointment.
    public var scheduled: Int
    /// Chairs in the day.
    public var chairs: Int
    /// Nurses in the day.
    public var nurses: Int
    /// The objective, term by term (SPEC §3).
    public var objective: ObjectiveBreakdown
    /// The solver's proven lower bound, when it proved one.
    public var bound: Double?
    /// `(total - bound) / max(1, |total|)`, when a bound was proven.
    public var gap: Double?
    /// The optimum of the day's LP relaxation (``SchedulingSolvers/MIPScheduler/relaxationBound()``), the same on
    /// every row of a day; nil when not computed or not found in time.
    public var relaxationBound: Double?
    /// Wall-clock seconds of the solve as the solver reports it (`SolverReport.seconds`):
    /// the greedy schedule and its check, plus the integer program for `mip`; decoding excluded.
    public var seconds: Double
    /// Peak resident memory of the solving process in bytes, when measured.
    public var peakMemoryBytes: Int?

    /// Creates a row.
    public init(day: String, group: String, seed: UInt64?, method: SolveMethod, status: SolverStatus, requests: Int,
                scheduled: Int, chairs: Int, nurses: Int, objective: ObjectiveBreakdown, bound: Double?,
                gap: Double?, relaxationBound: Double?, seconds: Double, peakMemoryBytes: Int?) {
        self.day = day; self.group = group; self.seed = seed; self.method = method; self.status = status
        self.requests = requests; self.scheduled = scheduled; self.chairs = chairs; self.nurses = nurses
        self.objective = objective; self.bound = bound; self.gap = gap; self.relaxationBound = relaxationBound
        self.seconds = seconds; self.peakMemoryBytes = peakMemoryBytes
    }

    /// `(total - relaxationBound) / max(1, |total|)`: how far the schedule can at most be from
    /// the best one, whatever the solver proved; nil without the relaxation bound.
    public var relaxationGap: Double? {
        guard let lp = relaxationBound else { return nil }
        return max(0, objective.total - lp) / max(1, abs(objective.total))
    }
}
