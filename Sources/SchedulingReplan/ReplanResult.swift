import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// How to re-plan the rest of a day (SPEC §7).
public struct ReplanOptions: Sendable, Hashable {
    /// The time of the re-plan: appointments whose patient arrived before it are frozen.
    public var now: ClockTime
    /// Minutes of notice a patient gets when their arrival changes (default 30).
    public var noticeMinutes: Int
    /// `greedy`: the repair heuristic alone; `auto` and `mip`: the repair, then the integer
    /// program around what the events touched (docs/REPLANNING.md).
    public var method: SolveMethod
    /// Seconds allowed for the re-plan.
    public var timeLimit: Double

    /// Creates options; the defaults are the contract's (30 minutes of notice, 30 s).
    public init(now: ClockTime, noticeMinutes: Int = 30, method: SolveMethod = .auto, timeLimit: Double = 30) {
        self.now = now; self.noticeMinutes = noticeMinutes; self.method = method; self.timeLimit = timeLimit
    }
}

/// The names of the input files, used in error messages.
public struct ReplanFiles: Sendable, Hashable {
    /// The day file.
    public var day: String?
    /// The previous schedule file.
    public var schedule: String?
    /// The events file.
    public var events: String?

    /// Creates file names (each optional).
    public init(day: String? = nil, schedule: String? = nil, events: String? = nil) {
        self.day = day; self.schedule = schedule; self.events = events
    }
}

/// A re-planned day: the new schedule, the day it is valid for, and what changed.
public struct ReplanResult: Sendable {
    /// The new schedule, with `changes` and `objective.changes`; it keeps every hard
    /// constraint of ``day`` and the frozen and notice rules of SPEC §7.
    public package(set) var schedule: Schedule
    /// The day with the events applied (its rules are in docs/REPLANNING.md).
    public var day: Day
    /// The new schedule in index form, indices into `ResolvedDay(day)`.
    public var placements: [Placement]
    /// The new schedule's objective, change terms included (SPEC §3, §7); a re-plan always fills it.
    public var objective: ObjectiveBreakdown { schedule.objective! }
    /// How the re-plan was solved (SPEC §4); a re-plan always fills it.
    public var solver: SolverReport { schedule.solver! }
    /// Ids of the frozen appointments (patient arrived before `now`), in request order.
    public var frozen: [String]
    /// Remarks on how the re-plan was made (counts and ids only).
    public var notes: [String]
}
