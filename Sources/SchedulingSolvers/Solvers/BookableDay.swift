import SchedulingModel
import SchedulingRules

/// A day that already holds patients, placed once, on which new visits are tried at many starts
/// (booking across days): the cheapest (or earliest) start of a visit beside everyone, with the
/// schedule that proves it. Adding a visit gives the next day, whose schedule is that proof.
public struct BookableDay: Sendable {
    /// How the starts of a visit are tried.
    public enum Order: Sendable, Hashable {
        /// By the visit's own cost (overtime and preference), then by start.
        case cheapest
        /// By start: the earliest that fits (first-fit booking).
        case earliest
    }

    /// A start at which a visit fits.
    public struct Slot: Sendable {
        /// The visit's chair start, in minutes from midnight.
        public var start: Int
        /// What the visit pays there on its own, with the day's weights: overtime and preference
        /// (SPEC §3 terms; the patient's weight does not multiply them, SPEC §8).
        public var cost: Double
        /// The day with the visit added, fixed at `start`.
        public var day: BookableDay
    }

    /// The day file as it stands: the patients already booked and the visits added so far (fixed).
    public let day: Day
    /// The day resolved.
    public let resolved: ResolvedDay
    /// A valid schedule that places every admissible request of the day; nil when none was found,
    /// and then no visit can be proven on it.
    public let schedule: [Placement]?
    /// Starts tried with the greedy scheduler when no start fits by insertion (0: insertion only).
    /// The days that ``slot(for:order:after:)`` returns keep it.
    public var greedyStarts = 3
    /// How hard ``AddedVisits/prove(_:added:base:effort:)`` tries at those starts. The days that
    /// ``slot(for:order:after:)`` returns keep it.
    public var effort: AddedVisits.Effort = .quick

    /// The day with its patients placed by the greedy scheduler, else the integer program for
    /// up to `mipSeconds`; ``schedule`` is nil when neither places every admissible request.
    ///
    /// - Throws: ``SchedulingModel/InputError`` when the day does not resolve.
    public init(_ day: Day, mipSeconds: Double = 0) throws {
        let resolved = try ResolvedDay(day)
        var schedule: [Placement]?
        let greedy = try? GreedyScheduler(day: resolved).schedule()
        schedule = greedy.flatMap { AddedVisits.proof($0, day: resolved, added: []) }
        if schedule == nil, mipSeconds > 0 {
            let outcome = MIPScheduler(day: resolved, options: MIPOptions(timeLimit: mipSeconds)).solve(incumbent: greedy)
            schedule = outcome.placements.flatMap { AddedVisits.proof($0, day: resolved, added: []) }
        }
        self.init(day: day, resolved: resolved, schedule: schedule)
    }

    private init(day: Day, resolved: ResolvedDay, schedule: [Placement]?) {
        self.day = day; self.resolved = resolved; self.schedule = schedule
    }

    /// The first start of `visit` (a request new to the day; a fixed booking of its own is
    /// ignored) in `order` at which the
    /// day takes it beside every patient: each start it can take alone is tried by inserting it
    /// into the day's schedule as it stands; when none fits, the first ``greedyStarts`` are
    /// tried with ``AddedVisits/prove(_:added:base:effort:)``, which moves the day's patients.
    /// Nil when no start is found (nothing is claimed then) or the day has no schedule.
    ///
    /// - Parameters:
    ///   - visit: the request to add.
    ///   - order: the cheapest start first, or the earliest.
    ///   - after: when given, only starts strictly after it (minutes from the day's
    ///     midnight) are tried: a booking made at `now` on the same day (SPEC §8 rule 2).
    /// - Throws: ``SchedulingModel/InputError`` when the day with the visit does not resolve
    ///   (e.g. the visit's regimen is not defined on the day).
    /// - Complexity: one resolve of the day, one placement search per start tried, one resolve
    ///   and validation of the answer; a greedy solve per start in the fallback.
    public func slot(for visit: TreatmentRequest, order: Order = .cheapest, after: Int? = nil) throws -> Slot? {
        guard let schedule else { return nil }
        var open = day
        var unfixed = visit
        unfixed.fixed = nil
        open.requests.append(unfixed)
        let tried = try ResolvedDay(open)
        let r = open.requests.count - 1
        guard tried.requests[r].authorizationProblem == nil else { return nil }
        func cost(_ s: Int) -> Double {
            let terms = tried.termCosts(of: r, start: s, draw: nil)
            return terms.overtime + terms.preference
        }
        var starts = tried.startsFeasibleAlone(r)
        if let after { starts.removeAll { $0 <= after } }
        if order == .cheapest { starts.sort { (cost($0), $0) < (cost($1), $1) } }

        var state = DayState(day: tried)
        for p in schedule { state.place(p) }
        for s in starts {
            guard let p = state.bestPlacement(of: r, start: s), let next = try fixed(visit, at: s, proof: schedule + [p]) else { continue }
            return Slot(start: s, cost: cost(s), day: next)
        }
        for s in starts.prefix(greedyStarts) {
            let candidate = try with(visit, at: s)
            if case .fits(let proof) = try AddedVisits.prove(candidate.resolved, added: [r], base: schedule, effort: effort) {
                return Slot(start: s, cost: cost(s), day: continued(BookableDay(day: candidate.day, resolved: candidate.resolved, schedule: proof)))
            }
        }
        return nil
    }

    /// The day with `visit` added at `start` (fixed), and its resolution.
    private func with(_ visit: TreatmentRequest, at start: Int) throws -> (day: Day, resolved: ResolvedDay) {
        var next = day
        var v = visit
        v.fixed = FixedBooking(start: ClockTime(minutes: start))
        next.requests.append(v)
        return (next, try ResolvedDay(next))
    }

    /// The day with `visit` fixed at `start`, when `proof` proves it takes it.
    private func fixed(_ visit: TreatmentRequest, at start: Int, proof: [Placement]) throws -> BookableDay? {
        let next = try with(visit, at: start)
        guard let proven = AddedVisits.proof(proof, day: next.resolved, added: [next.day.requests.count - 1]) else { return nil }
        return continued(BookableDay(day: next.day, resolved: next.resolved, schedule: proven))
    }

    /// `next` with this day's search settings.
    private func continued(_ next: BookableDay) -> BookableDay {
        var next = next
        next.greedyStarts = greedyStarts
        next.effort = effort
        return next
    }
}
