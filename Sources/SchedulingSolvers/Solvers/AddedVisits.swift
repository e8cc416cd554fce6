import SchedulingModel
import SchedulingRules

/// The answer to "does this day take these new visits at their fixed starts, beside every
/// patient it already holds?" (booking across days, SPEC §8 rule 3).
public enum AddedVisitsVerdict: Sendable {
    /// It does: a schedule of the day keeping every hard rule, every new visit at its fixed start
    /// and every other admissible request scheduled — the proof of the booking.
    case fits([Placement])
    /// It provably does not: the new visits' fixed bookings cannot hold together with the day's
    /// own (a minimal conflicting set), so no schedule has them all.
    case conflict(FixedBookingConflict)
    /// These new visits cannot hold even alone on the day (authorization, drug, labs, window,
    /// hours or shifts at their fixed start; see `isAdmissible(_:)` on the day).
    case cannotHoldAlone([Int])
    /// Not found within the effort allowed, nor refuted: the visit is not offered there, and
    /// nothing is claimed about it.
    case undecided
}

/// Proves that a day takes new visits at fixed starts beside the patients it holds, by the
/// cheapest method that succeeds:
///
/// 1. each new visit inserted into the day's current schedule, which stays as it is (its best
///    chair, nurse, prep and draw at the fixed start; microseconds to milliseconds);
/// 2. the greedy scheduler on the day with the visits added (milliseconds), which moves the
///    day's unpinned patients;
/// 3. when `effort` allows, the integer program from that schedule (up to its time limit).
///
/// A schedule is a proof only when the validator accepts it and it places every new visit and
/// every request the day could place before (admissible on the day with the visits). A refusal is
/// only ever the exact fixed-bookings decision's (``FixedBookings/decide(_:requests:deadline:)``);
/// anything else is ``AddedVisitsVerdict/undecided``.
public enum AddedVisits {
    /// How hard to try before answering ``AddedVisitsVerdict/undecided``.
    public struct Effort: Sendable, Hashable {
        /// Whether the greedy scheduler may move the day's patients (step 2).
        public var greedy: Bool
        /// Seconds of integer program (step 3); 0 skips it.
        public var mipSeconds: Double
        /// Seconds the fixed-bookings decision may take before a refusal is given up; 0 skips
        /// it (the answer is then never a conflict, only undecided).
        public var decisionSeconds: Double

        /// Insertion only: for screens that try many days and starts.
        public static let insertion = Effort(greedy: false, mipSeconds: 0, decisionSeconds: 1)
        /// Insertion, then the greedy scheduler.
        public static let quick = Effort(greedy: true, mipSeconds: 0, decisionSeconds: 1)
        /// Creates an effort.
        public init(greedy: Bool, mipSeconds: Double, decisionSeconds: Double) {
            self.greedy = greedy; self.mipSeconds = mipSeconds; self.decisionSeconds = decisionSeconds
        }
    }

    /// Reference seconds of counted GLPK work that placing the fixed bookings may take in step 2
    /// when the effort has no time for the decision (a booking's quick day check).
    package static let quickDecisionWork = 0.5

    /// `placements` sorted by request when they prove that `day` takes the visits `added`: valid,
    /// and placing every visit and every request admissible on the day; else nil.
    package static func proof(_ placements: [Placement], day: ResolvedDay, added: Set<Int>) -> [Placement]? {
        let placed = Set(placements.map(\.request))
        guard added.isSubset(of: placed), day.requests.indices.allSatisfy({ placed.contains($0) || !day.isAdmissible($0) }),
              Validator.violations(of: placements, day: day).isEmpty else { return nil }
        return placements.sorted { $0.request < $1.request }
    }

    /// Whether `day` takes the new visits `added` (request indices of `day`, each a fixed
    /// booking) beside its other requests.
    ///
    /// - Parameters:
    ///   - day: the day with the new visits among its requests.
    ///   - added: the new visits' request indices.
    ///   - base: a valid schedule of the day's other requests (the patients already booked); the
    ///     insertion keeps it as it is. Placements of `added` in it are ignored.
    ///   - effort: how hard to try.
    /// - Throws: ``SchedulingModel/InputError`` when an index of `added` is not a fixed booking of the day.
    /// - Complexity: step 1 is one placement search per visit; step 2 a greedy solve of the day;
    ///   step 3 at most `effort.mipSeconds`.
    public static func prove(_ day: ResolvedDay, added: [Int], base: [Placement], effort: Effort = .quick) throws -> AddedVisitsVerdict {
        let new = Set(added)
        for r in added where !day.requests.indices.contains(r) || day.requests[r].fixedStart == nil {
            throw InputError(path: day.requests.indices.contains(r) ? "requests[\(r)].fixed" : "added",
                             message: "an added visit must be a fixed booking of the day (request index \(r))")
        }
        let alone = new.filter { !day.isAdmissible($0) }.sorted()
        guard alone.isEmpty else { return .cannotHoldAlone(alone) }
        func proof(_ placements: [Placement]) -> [Placement]? { Self.proof(placements, day: day, added: new) }

        // 1. Insertion into the schedule as it is.
        var state = DayState(day: day)
        for p in base where !new.contains(p.request) && day.requests.indices.contains(p.request) && state.canPlace(p) { state.place(p) }
        for r in added.sorted() {
            guard let s = day.requests[r].fixedStart, let p = state.bestPlacement(of: r, start: s) else { break }
            state.place(p)
        }
        if let fits = proof(state.placedList) { return .fits(fits) }

        // 2. The greedy scheduler moves the day's patients around the new visits: first with the
        //    day's fixed bookings where the base has them (the visits inserted beside them), then
        //    with them placed afresh. Without a decision to spend, the first try's exact programs
        //    get a little counted work and the second try has the fast placement alone; fixed
        //    bookings they do not place skip that try.
        var incumbent: [Placement]?
        let hint = base.filter { !new.contains($0.request) && day.requests.indices.contains($0.request) }
        for fixedHint in (hint.isEmpty ? [hint] : [hint, []]) where effort.greedy {
            var scheduler = GreedyScheduler(day: day)
            scheduler.fixedHint = fixedHint
            if effort.decisionSeconds <= 0 { scheduler.fixedWork = fixedHint.isEmpty && !hint.isEmpty ? 0 : Self.quickDecisionWork }
            guard let greedy = try? scheduler.schedule() else { continue }
            if let fits = proof(greedy) { return .fits(fits) }
            if incumbent == nil { incumbent = greedy }
        }

        // 3. The integer program, from the best schedule so far.
        if effort.mipSeconds > 0 {
            let outcome = MIPScheduler(day: day, options: MIPOptions(timeLimit: effort.mipSeconds)).solve(incumbent: incumbent)
            if let placements = outcome.placements, let fits = proof(placements) { return .fits(fits) }
        }

        // A refusal only when the fixed bookings themselves provably cannot hold together.
        guard effort.decisionSeconds > 0 else { return .undecided }
        let fixed = FixedBookings.holdingAlone(day)
        if case .conflict(let conflict) = FixedBookings.decide(day, requests: fixed,
                                                               deadline: .now + .milliseconds(Int64(effort.decisionSeconds * 1000))) {
            return .conflict(conflict)
        }
        return .undecided
    }
}
