import SchedulingModel
import SchedulingRules
import MIPKit

/// Options of the integer-program scheduler.
public struct MIPOptions: Sendable, Hashable {
    /// Seconds for the whole solve, building the model included.
    public var timeLimit: Double
    /// Stop once `(incumbent - bound) / |incumbent|` is at most this; nil proves optimality.
    public var relativeGap: Double?
    /// What paces the search: the wall clock, or counted work (docs/MODEL.md §11).
    public var pace: SearchPace
    /// With counted work, how much: reference seconds (the time it takes on the reference machine);
    /// nil gives ``SolveOptions/defaultWorkShare`` of the time limit. The time limit stays a cap.
    public var work: Double?

    /// Creates options; the default is the command line's 30 seconds, a proven optimum and the wall clock.
    public init(timeLimit: Double = 30, relativeGap: Double? = nil, pace: SearchPace = .clock, work: Double? = nil) {
        self.timeLimit = timeLimit; self.relativeGap = relativeGap; self.pace = pace; self.work = work
    }
}

/// The result of ``MIPScheduler/solve(incumbent:)``.
public struct MIPOutcome: Sendable {
    /// The schedule, valid under SPEC §2; nil only when nothing was found and no incumbent was given.
    public var placements: [Placement]?
    /// How the solve ended.
    public var status: MIPStatus
    /// Proven lower bound on the objective of the model, when one was proven.
    public var bound: Double?
    /// Objective (SPEC §3) of `placements`, as ``SchedulingModel/ResolvedDay/objective(of:exempt:admissible:)`` computes it.
    public var objective: Double?
    /// Wall-clock seconds the solve took.
    public var seconds: Double
    /// How the result was reached when not straight from the solver: repairs, an ignored
    /// incumbent, time running out; nil otherwise. Holds only counts, never request content.
    public var repairNote: String?
    /// Whether `placements` is the incumbent given to ``MIPScheduler/solve(incumbent:)``, unchanged.
    public var usedIncumbent: Bool
    /// The GLPK error that ended the solve, if one did (`status` is then `failed` with its
    /// message, and `placements` the best valid schedule found before it).
    package var failure: GLPKFailure? = nil

    /// `(objective - bound) / max(1, |objective|)`, or nil without both.
    public var gap: Double? {
        guard let objective, let bound else { return nil }
        return max(0, objective - bound) / max(1, abs(objective))
    }
}

/// Schedules a day with integer programs solved by GLPK (docs/MODEL.md).
///
/// Small days first get the whole exact program. Otherwise a relaxation (nurses pooled by
/// shift, no compounder or station capacity) gives a lower bound valid for every schedule of
/// the day — its LP, or on large days its Lagrangian bound, on a second thread (`GuidedSearch`),
/// which also searches from the LP's solution or the Lagrangian prices — and the best schedule
/// is improved by a ruin-and-recreate search without a solver (`RuinAndRecreate`) and by a
/// large-neighbourhood search that frees a few requests, freezes the rest, and solves that small
/// exact program, until the time is up or the gap is closed.
/// Every schedule is made concrete and checked against every hard constraint; the result is
/// never worse than the incumbent.
public struct MIPScheduler: Sendable {
    /// The day.
    public let day: ResolvedDay
    /// The options.
    public let options: MIPOptions
    /// Set by a caller that may stop the solve early: the search then returns the best it has.
    package var stop: StopSignal?
    /// Told of every better schedule and every better bound found: (objective, bound).
    package var progress: (@Sendable (_ objective: Double, _ bound: Double?) -> Void)?

    /// Creates a scheduler for `day`.
    public init(day: ResolvedDay, options: MIPOptions = MIPOptions()) {
        self.day = day; self.options = options
    }

    /// Solves the day within the time limit.
    ///
    /// - Parameter incumbent: a feasible schedule (the greedy one) to start from; the result is
    ///   never worse than it. An incumbent that breaks a hard constraint is ignored.
    ///
    /// Should GLPK report an error, the search ends there: the status is `failed` with GLPK's
    /// message (``Scheduler/solve(_:options:control:)-(ResolvedDay,_,_)`` throws it as ``SchedulingError/solverFailed(_:)``).
    public func solve(incumbent: [Placement]?) -> MIPOutcome {
        MIPSearch(self, incumbent: incumbent).run()
    }

    /// Moves of the ruin-and-recreate search per request to place (fewer when its share of the
    /// time runs out first).
    static let ruinMovesPerRequest = 500
    /// Share of the time left that the ruin-and-recreate search may take.
    static let ruinShare = 0.6
    /// Share of the time left that building the bound relaxation may take.
    static let boundShare = 0.25
    /// Share of the time left by which the relaxation's LP must be solved, on the guided search's thread.
    static let relaxationShare = 0.6
    /// Bound relaxations up to this many columns mark a small day, whose whole exact program is
    /// solved from the best schedule after each ruin and recreate (docs/MODEL.md §6.2).
    static let wholeDayColumns = 6_000
    /// Share of the time left that each of those whole-day programs may take.
    static let wholeDayShare = 0.4

    /// With counted work, the share of the time left (when the guided search starts) at which its
    /// schedule-making phases end and the caller takes their schedule.
    static let exchangeShare = 0.7

    /// Reference seconds of counted work for a deterministic solve: `work`, or by default
    /// ``SolveOptions/defaultWorkShare`` of the time limit. Work that does not fit the time limit
    /// is cut by it, and the note says so.
    static func workBudget(_ work: Double?, timeLimit: Double) -> Double {
        guard let work, work.isFinite else { return timeLimit * SolveOptions.defaultWorkShare }
        return min(max(0, work), 1e7)
    }

    /// The excess-fixed program is tried once the starts within the gap are at most this many per request.
    static let fixingStartsPerRequest = 4

    /// For each candidate request, the starts whose own cost exceeds its cheapest start's by less
    /// than `gap` (with the start `keeping` gives it). A schedule cheaper than one `gap` above the
    /// separable bound has every request at such a start (its excesses add up to less than `gap`),
    /// so the program limited to them holds every better schedule.
    static func excessStarts(_ startCosts: [Int: [Int: Double]], below gap: Double, keeping: [Placement],
                             candidates: [Int]) -> [Int: Set<Int>] {
        var sets: [Int: Set<Int>] = [:]
        for r in candidates {
            let own = startCosts[r] ?? [:]
            let cheapest = own.values.min() ?? 0
            sets[r] = Set(own.filter { $0.value - cheapest < gap - 1e-9 }.keys)
        }
        for p in keeping { sets[p.request, default: []].insert(p.start) }
        return sets
    }

    /// Minutes a placed request may move in a round not built around a costly request.
    static let bandShift = 180

    /// The requests to free in one round of the improvement search: some left-out ones, and
    /// placed ones near a costly request, sharing a time band, a few nurses or a few chairs (by turns).
    ///
    /// `startCosts` (request → start → what the request alone costs there) turns the cost of a
    /// request into its *excess* over its cheapest start, so rounds go where a gain is possible,
    /// and lets a costly request aim at its cheapest starts.
    func neighbourhood(of placements: [Placement], size: Int, round: Int, admissible: [Bool],
                       startCosts: [Int: [Int: Double]], rng: inout SeededRandom) -> Set<Int> {
        let placed = Set(placements.map(\.request))
        let out = day.requests.indices.filter { admissible[$0] && !placed.contains($0) }
        var freed = Set(rng.sample(out, count: min(out.count, max(1, size / 3))))
        var pool: [Int] = []
        // Every other round starts from a costly request; the rest cycle through the other kinds.
        switch round % 2 == 1 ? 3 : (round / 2) % 3 {
        case 3:
            // Around a request picked by its cost (left out, late, far from its preferred start).
            let costs = excessCosts(of: placements, admissible: admissible, startCosts: startCosts)
            if let pivot = rng.weightedIndex(costs) {
                freed.insert(pivot)
                // Free those in the way of one of its possible starts (for a placed pivot, half
                // the time its neighbours where it is).
                let length = day.regimen(of: pivot).chairMinutes
                let q = day.requests[pivot]
                let starts = day.candidateStarts(pivot).filter { s in
                    s >= (q.earliest ?? Int.min) && s + length <= min(q.latest ?? Int.max, day.latestEnd)
                }
                let current = placements.first { $0.request == pivot }?.start
                // Its cheapest starts, where it would go if nothing were in the way.
                let own = startCosts[pivot] ?? [:]
                let cheapest = own.values.min() ?? 0
                let best = starts.filter { (own[$0] ?? .infinity) <= cheapest + 1e-9 }
                if rng.chance(0.5) {
                    // Or the whole days of a few chairs it could use, to be reshuffled around it.
                    let types = day.regimen(of: pivot).chairTypes
                    var chairs = rng.shuffled(day.chairs.indices.filter { types.contains(day.chairs[$0].type) })
                    if let t = rng.pick(best) {
                        // The chairs in the way of a cheapest start first: those are the ones to repack.
                        let target = t..<(t + length)
                        let busy = Set(placements.filter { $0.request != pivot && day.chairOccupancy(of: $0).overlaps(target) }.map(\.chair))
                        chairs = chairs.filter { busy.contains($0) } + chairs.filter { !busy.contains($0) }
                    }
                    for c in chairs where pool.count < size {
                        pool += placements.filter { $0.chair == c && $0.request != pivot }.map(\.request)
                    }
                } else {
                    let s = (current != nil && rng.chance(0.3) ? current : rng.pick(best.isEmpty || rng.chance(0.3) ? starts : best))
                        ?? current ?? day.open
                    let around = s == current ? (s - 60)..<(s + length + 60) : s..<(s + length)
                    pool = placements.filter { ($0.start..<day.end(of: $0)).overlaps(around) }.map(\.request)
                }
            }
        case 0:
            let t = rng.int(in: day.open...max(day.open, day.latestEnd))
            let band = (t - 90)..<(t + 90)
            pool = placements.filter { ($0.start..<day.end(of: $0)).overlaps(band) }.map(\.request)
        case 1:
            for n in rng.shuffled(Array(day.nurses.indices)) where pool.count < size {
                pool += placements.filter { $0.nurse == n }.map(\.request)
            }
        default:
            for c in rng.shuffled(Array(day.chairs.indices)) where pool.count < size {
                pool += placements.filter { $0.chair == c }.map(\.request)
            }
        }
        for r in rng.shuffled(pool) where freed.count < size { freed.insert(r) }
        return freed
    }

    /// Writes the integer program to `path`: CPLEX LP for `.lp`, free MPS for `.mps`.
    ///
    /// The program written is the whole program with nurses aggregated by shift pattern and no
    /// incumbent (``solve(incumbent:)`` solves it per nurse, or in neighbourhoods). Rows and columns carry readable names such as
    /// `start(R012@09.15,recliner#1)` and `chair(recliner#1@10.00)` (LP names allow no `:` or `[`).
    ///
    /// - Throws: ``SchedulingModel/InputError`` for any other extension or when the file cannot be written;
    ///   ``SchedulingError/solverFailed(_:)`` when GLPK reports an error.
    public func exportModel(to path: String) throws {
        let lower = path.lowercased()
        let format: GLPKSolver.FileFormat
        if lower.hasSuffix(".lp") { format = .cplexLP }
        else if lower.hasSuffix(".mps") { format = .freeMPS }
        else { throw InputError(file: path, path: "", message: "model file must end in .lp or .mps") }
        do { try GLPKSolver.write(ScheduleFormulation.wholeDay(day).program, to: path, format: format) }
        catch let error as GLPKSolver.WriteError { throw InputError(file: path, path: "", message: error.message) }
        catch { throw SchedulingError.solverFailed(String(describing: error)) }
    }
}
