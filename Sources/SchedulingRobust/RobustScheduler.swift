import Foundation
import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingSimulation

/// One candidate plan of a robust solve and how it fared under the same simulated days as the others.
public struct RobustCandidate: Sendable, Hashable {
    /// How it was planned.
    public var policy: RobustPolicy
    /// Appointments in the plan (of the real day).
    public var placed: Int
    /// The plan's objective on the real day (SPEC §3), as `solve` would report it.
    public var objective: Double
    /// The quantile, over the runs, of a day's total waiting minutes (every patient who came).
    public var waitAtQuantile: Int
    /// The quantile, over the runs, of a day's overtime (SPEC §3's minutes after closing, summed).
    public var overtimeAtQuantile: Int
    /// One patient's wait over every patient and run: the median and the 90th percentile (nearest rank).
    public var patientWaitP50: Int, patientWaitP90: Int
    /// A day's overtime over the runs: the 90th percentile (nearest rank).
    public var overtimeP90: Int
    /// `objective + waitPerMinute × waitAtQuantile + overtimePerMinute × overtimeAtQuantile`, with the day's own weights.
    public var score: Double
    /// Why the candidate could not be chosen (it places fewer patients, or its planning day could not be solved).
    public var excluded: String?
}

/// What a robust solve chose, beside every candidate it judged.
public struct RobustResult: Sendable {
    /// The chosen plan: a schedule of the real day that has passed the validator.
    public var schedule: Schedule
    /// The same plan in index form.
    public var placements: [Placement]
    /// Every candidate, in the order tried; the first is the nominal plan.
    public var candidates: [RobustCandidate]
    /// The index of the chosen one in ``candidates``.
    public var chosen: Int
    /// The options the candidates were judged with.
    public var options: RobustOptions

    /// The nominal plan's figures.
    public var nominal: RobustCandidate { candidates[0] }
    /// The chosen plan's figures.
    public var best: RobustCandidate { candidates[chosen] }
}

/// Plans a day for the day as it will go rather than as it is written (docs/ROBUSTNESS.md,
/// "Robust plans"): solves padded copies of the day, maps each plan back to the real day, lives
/// through every plan's day under the same drawn noise, and keeps the plan of least score among
/// those that place as many patients as the nominal plan.
public enum RobustScheduler {
    /// Solves `day` robustly.
    ///
    /// For each policy of `robust` (the nominal day first) it solves the planning copy of the
    /// day — each regimen's cleaning buffer lengthened by the padding, the closing time moved
    /// earlier — with `options`, reads the placements as a schedule of the real day (every
    /// padding only makes the copy stricter, so they keep the real day's rules; the validator
    /// checks it), and simulates it `robust.runs` times from `robust.seed`: run `i` of every
    /// candidate draws each patient's noise from the same generator, so the candidates are
    /// compared on the same days (common random numbers). The score is the plan's objective on
    /// the real day plus the day's own wait and overtime weights times the `robust.quantile` of a
    /// simulated day's total wait and overtime. A candidate that places fewer patients than the
    /// nominal plan is not chosen; among the others the least score wins, the earlier on a tie,
    /// so the nominal plan is kept unless another scores lower.
    ///
    /// With `mip` or `auto` the time limit (and a deterministic pace's work) is shared equally by
    /// the candidates' solves; a greedy solve of each gets the whole limit as its deadline. With
    /// `greedy` or a deterministic pace the result is the same for the same input, byte for byte,
    /// but `solver.seconds`.
    ///
    /// - Throws: ``SchedulingModel/InputError`` for bad options or a day that breaks the contract;
    ///   ``SchedulingSolvers/SchedulingError`` when the real day's fixed bookings cannot all hold;
    ///   ``SchedulingSimulation/SimulationError`` for a bug of the replay.
    /// - Parameters:
    ///   - day: the real day.
    ///   - options: how each candidate's planning day is solved.
    ///   - robust: the candidates, the simulation and the quantile.
    ///   - control: lets another thread stop the robust solve (``SchedulingSolvers/SolveControl/stop()``,
    ///     a signal): the solve under way returns its best valid plan, the candidates not tried yet
    ///     are left out, and the best of those judged (the nominal plan at least) is returned with
    ///     `solver.status` `stopped`.
    public static func solve(_ day: ResolvedDay, options: SolveOptions = SolveOptions(),
                             robust: RobustOptions = RobustOptions(), control: SolveControl? = nil) throws -> RobustResult {
        try robust.check()
        let clock = ContinuousClock()
        let began = clock.now
        let policies = robust.policies
        var perSolve = options
        if options.method != .greedy {
            perSolve.timeLimit = options.timeLimit / Double(policies.count)
            perSolve.work = options.work.map { $0 / Double(policies.count) }
                ?? (options.pace == .deterministic ? perSolve.timeLimit * SolveOptions.defaultWorkShare : nil)
        }
        let simulation = SimulationOptions(runs: robust.runs, seed: robust.seed, noise: robust.noise, jobs: robust.jobs)
        var candidates: [RobustCandidate] = []
        var plans: [(placements: [Placement], report: SolverReport)?] = []
        for policy in policies {
            // After a stop only the nominal plan is still made (there must be a plan to return).
            if control?.isStopped == true, !candidates.isEmpty { break }
            let planned: SolveResult
            do {
                planned = try Scheduler.solve(try planningDay(day, policy: policy), options: perSolve, control: control)
            } catch let error as SchedulingError where !policy.isNominal && error.isConflict {
                candidates.append(RobustCandidate(policy: policy, placed: 0, objective: 0, waitAtQuantile: 0, overtimeAtQuantile: 0,
                                                  patientWaitP50: 0, patientWaitP90: 0, overtimeP90: 0, score: .infinity,
                                                  excluded: "the planning day could not be solved: \(error)"))
                plans.append(nil)
                continue
            } catch let error as InputError where !policy.isNominal {
                candidates.append(RobustCandidate(policy: policy, placed: 0, objective: 0, waitAtQuantile: 0, overtimeAtQuantile: 0,
                                                  patientWaitP50: 0, patientWaitP90: 0, overtimeP90: 0, score: .infinity,
                                                  excluded: "the planning day is not a valid day: \(error)"))
                plans.append(nil)
                continue
            }
            let placements = policy.isNominal ? planned.placements : refill(planned.placements, day: day)
            // Padding only makes the copy stricter: its placements keep the real day's rules.
            try Scheduler.check(placements, day: day, method: "robust (\(policy.description))")
            var candidate = try judge(placements, policy: policy, day: day, simulation: simulation, quantile: robust.quantile)
            if let nominal = candidates.first, candidate.placed < nominal.placed {
                candidate.excluded = "places \(nominal.placed - candidate.placed) fewer patient(s) than the nominal plan"
            }
            candidates.append(candidate)
            plans.append((placements, planned.solver))
        }
        var chosen = 0
        for (k, c) in candidates.enumerated() where c.excluded == nil && c.score < candidates[chosen].score - 1e-9 { chosen = k }
        let (placements, solved) = plans[chosen]!
        let best = candidates[chosen]
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let stopped = control?.isStopped == true
        let note = (stopped ? "stopped on request after \(candidates.count) of \(policies.count) candidates; " : "")
            + "robust: \(best.policy.description) of \(candidates.count) candidates, score \(number(best.score))"
            + (chosen == 0 ? "" : " against the nominal plan's \(number(candidates[0].score))")
            + " (\(robust.runs) runs from seed \(robust.seed), quantile \(number(robust.quantile)))"
        // The planning copy's bound is not a bound of the real day (it is stricter): only the nominal plan keeps its report.
        let report = chosen == 0
            ? SolverReport(method: solved.method, status: solved.status, bound: solved.bound, gap: solved.gap, seconds: seconds, note: note)
            : SolverReport(method: solved.method, status: solved.status == .optimal ? .feasible : solved.status,
                           bound: nil, gap: nil, seconds: seconds, note: note)
        var final = report
        if stopped { final.status = .stopped }
        let schedule = day.makeSchedule(placements: placements, solver: final)
        return RobustResult(schedule: schedule, placements: placements, candidates: candidates, chosen: chosen, options: robust)
    }

    /// The copy of `day` that a policy solves: each regimen's buffer lengthened by its padding,
    /// the closing time moved earlier (never to or before the opening).
    ///
    /// - Throws: ``SchedulingModel/InputError`` if the copy is not a valid day (it always is when `day` is).
    public static func planningDay(_ day: ResolvedDay, policy: RobustPolicy) throws -> ResolvedDay {
        guard !policy.isNominal else { return day }
        var copy = day.day
        for i in copy.regimens.indices {
            let pad = policy.paddingMinutes(chairMinutes: copy.regimens[i].chairMinutes)
            if pad > 0 { copy.regimens[i].bufferMinutes = (copy.regimens[i].bufferMinutes ?? 0) + pad }
        }
        if policy.closeEarlier > 0 {
            let close = max(day.open + day.slotMinutes, day.close - policy.closeEarlier)
            copy.clinic.close = ClockTime(minutes: min(close, day.close))
        }
        return try ResolvedDay(copy)
    }

    /// Puts back, on the real day, patients the padding left out: the placements of the planning
    /// copy are booked on the real day, then every request they leave out that is authorized and
    /// not a fixed booking, heaviest first (then in day order), goes to its cheapest start in the
    /// room left (the slack the padding made, where it must), when that costs less than leaving it out.
    static func refill(_ placements: [Placement], day: ResolvedDay) -> [Placement] {
        var state = DayState(day: day)
        for p in placements { state.place(p) }
        var placed = [Bool](repeating: false, count: day.requests.count)
        for p in placements { placed[p.request] = true }
        let order = day.requests.indices
            .filter { !placed[$0] && day.requests[$0].authorizationProblem == nil && day.requests[$0].fixedStart == nil }
            .sorted { (-day.requests[$0].weight, $0) < (-day.requests[$1].weight, $1) }
        var out = placements
        for r in order {
            guard let (p, cost) = state.cheapestPlacement(of: r, among: day.startsFeasibleAlone(r)),
                  cost < day.weights.unscheduledPenalty * day.requests[r].weight else { continue }
            state.place(p)
            out.append(p)
        }
        return out
    }

    /// Simulates `placements` (a valid plan of `day`) and scores it.
    static func judge(_ placements: [Placement], policy: RobustPolicy, day: ResolvedDay,
                      simulation: SimulationOptions, quantile: Double) throws -> RobustCandidate {
        let replay = DayReplay(day: day, placements: placements)
        let outcomes = try Simulator.run(replay, options: simulation)
        let objective = day.objective(of: placements).total
        let dayWaits = outcomes.map { $0.waits.reduce(0) { $0 + max(0, $1) } }
        let overtimes = outcomes.map(\.overtime)
        var patientWaits: [Int] = []
        for o in outcomes { for w in o.waits where w >= 0 { patientWaits.append(w) } }
        let waitQ = nearestRank(dayWaits, quantile), overtimeQ = nearestRank(overtimes, quantile)
        let score = objective + day.weights.waitPerMinute * Double(waitQ) + day.weights.overtimePerMinute * Double(overtimeQ)
        return RobustCandidate(policy: policy, placed: placements.count, objective: objective,
                               waitAtQuantile: waitQ, overtimeAtQuantile: overtimeQ,
                               patientWaitP50: nearestRank(patientWaits, 0.5), patientWaitP90: nearestRank(patientWaits, 0.9),
                               overtimeP90: nearestRank(overtimes, 0.9), score: score, excluded: nil)
    }

    /// The nearest-rank `q` quantile of `values` (0 when there are none): the `⌈q·n⌉`-th smallest.
    package static func nearestRank(_ values: [Int], _ q: Double) -> Int {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count) - 1e-9).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    static func number(_ x: Double) -> String { Markup.fixed(x, digits: 3, trim: true) }
}

extension RobustResult {
    /// One line per candidate, for people: the policy, patients placed, objective, simulated waits
    /// and overtime, score, and which was chosen or why a candidate could not be.
    public func table() -> String {
        var lines = ["robust plan: \(options.runs) simulated days per candidate (seed \(options.seed)), score = objective"
                     + " + wait and overtime weights x their \(RobustScheduler.number(options.quantile)) quantile per day"]
        lines.append("candidate                   placed  objective  wait p50/p90  overtime p90  day wait@q  overtime@q      score")
        for (k, c) in candidates.enumerated() {
            func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
            let name = c.policy.description.padding(toLength: 26, withPad: " ", startingAt: 0)
            var line = (k == chosen ? "* " : "  ") + name
            if let why = c.excluded, c.score == .infinity {
                line += "  " + why
            } else {
                line += pad(String(c.placed), 6) + pad(RobustScheduler.number(c.objective), 11)
                    + pad("\(c.patientWaitP50)/\(c.patientWaitP90)", 14) + pad(String(c.overtimeP90), 14)
                    + pad(String(c.waitAtQuantile), 12) + pad(String(c.overtimeAtQuantile), 12)
                    + pad(RobustScheduler.number(c.score), 11)
                if let why = c.excluded { line += "  (" + why + ")" }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

extension SchedulingError {
    /// Whether the fixed bookings could not all hold (a fact of the day, not a bug).
    var isConflict: Bool {
        if case .fixedBookingsConflict = self { return true }
        return false
    }
}
