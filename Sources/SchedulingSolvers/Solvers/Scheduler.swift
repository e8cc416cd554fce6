import Foundation
import SchedulingModel
import SchedulingRules

import MIPKit

/// Which algorithm builds the schedule.
public enum SolveMethod: String, Sendable, CaseIterable {
    /// The integer program within the time limit, falling back to the greedy schedule.
    case auto
    /// The integer program (same as `auto`: without a usable MIP answer the greedy one is returned as `fallback`).
    case mip
    /// The greedy scheduler alone: fast, no bound.
    case greedy
}

/// How to solve a day.
public struct SolveOptions: Sendable, Hashable {
    /// The algorithm.
    public var method: SolveMethod
    /// Wall-clock limit in seconds for the whole solve, model building included.
    public var timeLimit: Double
    /// Stop the integer program once its relative gap is at most this (nil: prove optimality).
    public var relativeGap: Double?
    /// What paces the search (docs/MODEL.md §11): `.clock`, the default, works until the time
    /// limit; with `.deterministic` every search counts its work instead of reading the clock, so
    /// the same day and options give the same schedule, byte for byte (but `solver.seconds`),
    /// whatever the machine's load, and the time limit stays a cap (BENCHMARKS.md compares the two).
    public var pace: SearchPace
    /// With `.deterministic`, the work to do, in reference seconds (what it takes on the reference
    /// machine); nil: ``defaultWorkShare`` of the time limit.
    public var work: Double?

    /// Share of the time limit that a deterministic solve's work takes on the reference machine
    /// by default: the rest is room for a slower or busier machine before the cap cuts it.
    public static let defaultWorkShare = 0.5

    /// Creates options; the defaults are the contract's (`auto`, 30 s) and the clock.
    public init(method: SolveMethod = .auto, timeLimit: Double = 30, relativeGap: Double? = nil,
                pace: SearchPace = .clock, work: Double? = nil) {
        self.method = method; self.timeLimit = timeLimit; self.relativeGap = relativeGap; self.pace = pace; self.work = work
    }
}

/// A solved day: the schedule file and how it was obtained.
public struct SolveResult: Sendable {
    /// The schedule, with its objective terms and solver report; it has passed ``SchedulingRules/Validator``.
    public package(set) var schedule: Schedule
    /// The schedule in index form, for callers that build on it (re-planning, what-if tables).
    public var placements: [Placement]
    /// Why the integer program's answer was not used, when it was not (fallback).
    public var note: String?

    /// The schedule's objective, term by term (SPEC §3). A solve always fills it, so this is
    /// `schedule.objective` without the optional of the file format (where it may be missing).
    public var objective: ObjectiveBreakdown { schedule.objective! }
    /// How the solve went: method, status, bound, gap and seconds (SPEC §4); always filled by a solve.
    public var solver: SolverReport { schedule.solver! }
}

/// The library's entry point: solves a day with the chosen method and checks the answer.
public enum Scheduler {
    /// Solves `day` and returns a schedule that has passed the library's validator.
    ///
    /// - Parameters:
    ///   - day: the day to plan (SPEC §1–§2).
    ///   - options: the method, its time limit and pace.
    ///   - control: lets another thread stop the solve early (it then returns the best
    ///     valid schedule so far, status `stopped`) and hear of its progress.
    /// - Throws: ``SchedulingModel/InputError`` for a day that breaks the contract, ``SchedulingError`` when the
    ///   fixed bookings cannot all hold, or (a library bug) a schedule fails validation or GLPK
    ///   reports an error (``SchedulingError/solverFailed(_:)``: that solve ends, nothing else does).
    public static func solve(_ day: Day, options: SolveOptions = SolveOptions(), control: SolveControl? = nil) throws -> SolveResult {
        try solve(ResolvedDay(day), options: options, control: control)
    }

    /// Solves an already resolved day; see ``solve(_:options:control:)-(Day,_,_)``.
    public static func solve(_ day: ResolvedDay, options: SolveOptions = SolveOptions(), control: SolveControl? = nil) throws -> SolveResult {
        guard options.timeLimit.isFinite, options.timeLimit > 0 else {
            throw InputError(path: "timeLimit", message: "the time limit must be a positive number of seconds")
        }
        if let gap = options.relativeGap, !(gap.isFinite && gap >= 0) {
            throw InputError(path: "relativeGap", message: "the relative gap must be a number >= 0")
        }
        if let work = options.work, !(work.isFinite && work > 0) {
            throw InputError(path: "work", message: "the work must be a positive number of reference seconds")
        }
        let clock = ContinuousClock()
        let began = clock.now
        let (greedy, cut) = try GreedyScheduler(day: day, deadline: began + .seconds(options.timeLimit)).scheduleWithinDeadline()
        try check(greedy, day: day, method: "greedy")
        // A day too large for the limit gets what the construction placed by then (SPEC §6: no
        // input makes a solve run past its limit); the note says the limit cut it.
        let cutNote = cut ? "the time limit cut the greedy scheduler: the schedule is what it had placed by then (requests not yet tried are left out)"
            + (options.pace == .deterministic ? "; the deterministic pace did not count this: another run may differ" : "") : nil
        let elapsed = { @Sendable () -> Double in
            let d = clock.now - began
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        if let progress = control?.progress {
            progress(SolveProgress(objective: day.objective(of: greedy).total, bound: nil, seconds: elapsed(), method: .greedy))
        }
        let stopped = { control?.isStopped ?? false }
        if options.method == .greedy || cut || stopped() {
            let status: SolverStatus = stopped() ? .stopped : cut && options.method != .greedy ? .fallback : .feasible
            let report = SolverReport(method: .greedy, status: status, seconds: elapsed())
            return SolveResult(schedule: day.makeSchedule(placements: greedy, solver: report), placements: greedy, note: cutNote)
        }

        let remaining = max(0.05, options.timeLimit - elapsed())
        // A deterministic solve's work is fixed by the options alone, never by the time left.
        let work = options.pace == .deterministic ? (options.work ?? options.timeLimit * SolveOptions.defaultWorkShare) : nil
        var mip = MIPScheduler(day: day, options: MIPOptions(timeLimit: remaining, relativeGap: options.relativeGap,
                                                             pace: options.pace, work: work))
        mip.stop = control?.signal
        if let progress = control?.progress {
            mip.progress = { objective, bound in progress(SolveProgress(objective: objective, bound: bound, seconds: elapsed(), method: .mip)) }
        }
        let outcome = mip.solve(incumbent: greedy)
        // A GLPK error is a bug (every program is checked first) or exhausted memory: the solve
        // says so rather than falling back quietly (docs/ARCHITECTURE.md, "GLPK errors").
        if let failure = outcome.failure { throw SchedulingError.solverFailed(failure.description) }
        var note = outcome.repairNote
        if let placements = outcome.placements, outcome.status == .optimal || outcome.status == .feasible {
            if Validator.violations(of: placements, day: day).isEmpty {
                var schedule = day.makeSchedule(placements: placements, solver: SolverReport(method: .mip, status: .feasible, seconds: 0))
                let total = schedule.objective?.total ?? 0
                let bound = outcome.bound.map { min($0, total) }
                let gap = bound.map { max(0, total - $0) / max(1, abs(total)) }
                let status: SolverStatus = outcome.status == .optimal ? .optimal : stopped() ? .stopped : .feasible
                schedule.solver = SolverReport(method: .mip, status: status, bound: bound, gap: gap, seconds: elapsed())
                return SolveResult(schedule: schedule, placements: placements, note: note)
            }
            note = "the integer program's schedule failed validation after repair"
        } else if note == nil {
            switch outcome.status {
            case .noSolution: note = "the integer program found no schedule within the time limit"
            case .failed(let why): note = "the integer program failed: \(why)"
            case .optimal, .feasible: note = "the integer program returned no schedule"
            }
        }
        let report = SolverReport(method: .greedy, status: stopped() ? .stopped : .fallback, seconds: elapsed())
        return SolveResult(schedule: day.makeSchedule(placements: greedy, solver: report), placements: greedy, note: note)
    }

    /// Refuses to let an invalid schedule leave the library.
    package static func check(_ placements: [Placement], day: ResolvedDay, method: String) throws {
        let violations = Validator.violations(of: placements, day: day)
        guard violations.isEmpty else {
            throw SchedulingError.invalidSchedule(method: method, violations: violations.map(\.description))
        }
    }
}
