import SchedulingModel
import SchedulingRules
import MIPKit

/// Fixed bookings that provably cannot all hold together (SPEC §2.8): a minimal set and the
/// resource whose rules it breaks.
public struct FixedBookingConflict: Sendable, Hashable, CustomStringConvertible {
    /// The request indices of a minimal conflicting set, sorted: the set cannot hold, and every
    /// set with one member fewer can.
    public var requests: [Int]
    /// Their ids, in the same order.
    public var ids: [String]
    /// The resources on which the set cannot hold, each judged alone (the pharmacy and lab only
    /// when chairs and nurses can); empty when each alone could hold them and only together
    /// they cannot (a port draw ties the chair to the prep).
    public var binding: [SharedResource]

    /// One line naming the set and the rule (ids only, never other request content).
    public var description: String {
        "fixed bookings \(ids.joined(separator: ", ")) cannot all hold at their fixed starts: \(rule)"
    }

    /// Which rule binds, in words.
    public var rule: String {
        switch binding.count {
        case 0: return "no single resource explains it: chairs, nurses, compounders and stations bind together"
        case 1: return "the \(Self.rule(binding[0])) binds"
        default: return "each of these rules binds: " + binding.map(Self.rule).joined(separator: "; ")
        }
    }

    private static func rule(_ resource: SharedResource) -> String {
        switch resource {
        case .chairs: return "chair rule (one patient per chair at a time, SPEC §2.2)"
        case .nurses: return "nurse rule (capacity and intensive minutes, SPEC §2.3)"
        case .pharmacyAndLab: return "pharmacy and lab rule (preps per compounder, draws per station, prep after results, SPEC §2.4–2.5)"
        }
    }
}

/// The answer to "can these fixed bookings all hold on this day?".
public enum FixedBookingsVerdict: Sendable {
    /// They hold: one placement of each, together keeping every hard rule.
    case hold([Placement])
    /// They provably cannot: a minimal conflicting set.
    case conflict(FixedBookingConflict)
    /// Not decided before the deadline (neither found nor refuted).
    case undecided
}

/// Decides whether fixed bookings can all hold at their fixed starts (SPEC §2.8), and places
/// them when they can. The one decision behind `solve` (every method), what-if and booking across
/// days, and asked by a re-plan before it gives up a promise (docs/MODEL.md §10).
///
/// First a fast placement (each booking's best chair, nurse, prep and draw in turn, the ones
/// that fail moved to the front and tried again); when that fails, an exact integer program
/// over the bookings' choices (`FixedBookingsProgram`) decides. A refusal is only ever the
/// program's proof, and names a minimal set found by a deletion filter.
///
/// - Complexity: the fast placement is O(bookings² × placement search) and answers on almost
///   every day; the program has one column per booking and chair, nurse, contested prep minute
///   and draw start, and is solved once per decision (plus once per booking and per resource
///   for a refusal's minimal set and rule). docs/MODEL.md §9 gives measured times.
public enum FixedBookings {
    /// The fixed bookings of `day` that must be decided together: approved and able to hold alone
    /// at their fixed start. The others are broken (unscheduled with their reason and the alert
    /// `fixedBookingBroken`), not part of a conflict.
    public static func holdingAlone(_ day: ResolvedDay) -> [Int] {
        day.requests.indices.filter { day.requests[$0].fixedStart != nil && day.isAdmissible($0) }
    }

    /// Whether the fixed bookings `requests` (default: ``holdingAlone(_:)``) can all hold on `day`.
    ///
    /// Every request given must be a fixed booking that holds alone. Past `deadline` the answer
    /// is ``FixedBookingsVerdict/undecided`` (never a refusal).
    public static func decide(_ day: ResolvedDay, requests: [Int]? = nil,
                              deadline: ContinuousClock.Instant = .now + .seconds(30)) -> FixedBookingsVerdict {
        let set = (requests ?? holdingAlone(day)).sorted()
        switch holds(day, set, deadline: deadline) {
        case .some(.some(let placements)): return .hold(placements)
        case .none: return .undecided
        case .some(.none): break
        }
        guard let minimal = minimalConflict(day, set, deadline: deadline),
              case .conflict(let binding) = exact(day, minimal, deadline: deadline) else { return .undecided }
        return .conflict(FixedBookingConflict(requests: minimal, ids: minimal.map { day.requests[$0].id }, binding: binding))
    }

    /// Placements of `set` (fixed bookings that hold alone) when the fast placement or the exact
    /// programs find them within `work` reference seconds of counted GLPK work (docs/MODEL.md
    /// §11: the same answer whatever the load, unless the real instant `cap` cuts it); nil
    /// otherwise, which proves nothing.
    package static func placements(_ day: ResolvedDay, _ set: [Int], work: Double, cap: ContinuousClock.Instant) -> [Placement]? {
        let clock = SearchClock(pace: .deterministic, cap: cap)
        guard case .some(.some(let placements)) = holds(day, set.sorted(), deadline: clock.now + .milliseconds(Int64(max(0, work) * 1000)),
                                                        clock: clock) else { return nil }
        return placements
    }

    /// Placements of `set` when they hold (`.some(.some)`), `.some(nil)` when proven not to, nil when undecided.
    static func holds(_ day: ResolvedDay, _ set: [Int], deadline: ContinuousClock.Instant,
                      clock: SearchClock? = nil) -> [Placement]?? {
        if set.isEmpty { return .some([]) }
        if let fast = fastPlacement(day, set) { return .some(fast) }
        switch exact(day, set, deadline: deadline, clock: clock) {
        case .hold(let placements): return .some(placements)
        case .conflict: return .some(nil)
        case .undecided: return nil
        }
    }

    /// A minimal conflicting subset of `set` (which cannot hold): drop each member in turn and
    /// keep it out when the rest still cannot hold. Nil when a step is undecided.
    private static func minimalConflict(_ day: ResolvedDay, _ set: [Int], deadline: ContinuousClock.Instant) -> [Int]? {
        var kept = set
        for r in set {
            let without = kept.filter { $0 != r }
            switch holds(day, without, deadline: deadline) {
            case .some(.none): kept = without
            case .some(.some): continue
            case .none: return nil
            }
        }
        return kept
    }

    /// What the exact programs say of a set.
    enum Exact {
        case hold([Placement])
        /// Proven not to hold; the resources on which it cannot, each alone.
        case conflict([SharedResource])
        case undecided
    }

    /// The exact decision: the nurses, the chairs and the pharmacy with the lab each in their
    /// own program (chairs and pharmacy in one when a port draw ties them), the answers joined
    /// and checked by the day's own rules.
    static func exact(_ day: ResolvedDay, _ set: [Int], deadline: ContinuousClock.Instant, clock: SearchClock? = nil) -> Exact {
        // Chairs and nurses, each alone. With a port draw tying chairs to the pharmacy, the
        // chairs are judged with every such draw at its latest (their shortest occupancy): a
        // relaxation, so a failure is a proof.
        var decisions: [Int: FixedBookingsProgram.Decision] = [:]
        var binding: [SharedResource] = []
        var undecided = false
        for part in [SharedResource.chairs, .nurses] {
            if part == .nurses, let plan = NurseListSchedule.plan(day, set) {
                for (r, n) in plan { decisions[r, default: .init()].nurse = n }
                continue
            }
            switch solve(FixedBookingsProgram(day: day, bookings: set, parts: [part], portAtLatest: true), deadline: deadline, clock: clock) {
            case .some(.some(let found)):
                for (r, d) in found {
                    if part == .chairs { decisions[r, default: .init()].chair = d.chair } else { decisions[r, default: .init()].nurse = d.nurse }
                }
            case .some(.none): binding.append(part)
            case .none: undecided = true
            }
        }
        // Chairs or nurses that cannot hold them are proof enough: the pharmacy is not asked.
        if !binding.isEmpty { return .conflict(binding) }
        // The pharmacy and lab: a list schedule first (each tied prep late enough for its port
        // draw to find its chosen chair free), then their program.
        let floors = binding.isEmpty && !undecided ? portFloors(day, set, chairs: decisions) : [:]
        if binding.isEmpty, !undecided, let plan = PharmacyListSchedule.plan(day, set, prepFloor: floors) {
            for (r, d) in plan { decisions[r]?.prepStart = d.prepStart; decisions[r]?.drawStart = d.drawStart }
            let placements = FixedBookingsProgram.placements(day: day, bookings: set, decisions: decisions) ?? []
            if holdTogether(day, placements) { return .hold(placements) }
        }
        var pharmacy: [Int: FixedBookingsProgram.Decision]?
        switch solve(FixedBookingsProgram(day: day, bookings: set, parts: [.pharmacyAndLab]), deadline: deadline, clock: clock) {
        case .some(.some(let found)): pharmacy = found
        case .some(.none): binding.append(.pharmacyAndLab)
        case .none: undecided = true
        }
        if !binding.isEmpty { return .conflict(binding) }
        guard !undecided, let pharmacy else { return .undecided }
        for (r, d) in pharmacy { decisions[r]?.prepStart = d.prepStart; decisions[r]?.drawStart = d.drawStart }
        var placements = FixedBookingsProgram.placements(day: day, bookings: set, decisions: decisions) ?? []
        if holdTogether(day, placements) { return .hold(placements) }
        guard FixedBookingsProgram.chairsNeedPharmacy(day: day, bookings: set) else { return .undecided }
        // Tied by port draws: the pharmacy with the chairs' floors, then both in one program.
        if case .some(.some(let found)) = solve(FixedBookingsProgram(day: day, bookings: set, parts: [.pharmacyAndLab], prepFloor: floors),
                                                deadline: deadline, clock: clock) {
            for (r, d) in found { decisions[r]?.prepStart = d.prepStart; decisions[r]?.drawStart = d.drawStart }
            placements = FixedBookingsProgram.placements(day: day, bookings: set, decisions: decisions) ?? []
            if holdTogether(day, placements) { return .hold(placements) }
        }
        switch solve(FixedBookingsProgram(day: day, bookings: set, parts: [.chairs, .pharmacyAndLab]), deadline: deadline, clock: clock) {
        case .some(.some(let found)):
            for (r, d) in found { decisions[r]?.chair = d.chair; decisions[r]?.prepStart = d.prepStart; decisions[r]?.drawStart = d.drawStart }
            placements = FixedBookingsProgram.placements(day: day, bookings: set, decisions: decisions) ?? []
            return holdTogether(day, placements) ? .hold(placements) : .undecided
        case .some(.none): return .conflict([])
        case .none: return .undecided
        }
    }

    /// Whether `placements` keep every rule together, by the day's own checks: a program that
    /// missed a rule must not answer.
    private static func holdTogether(_ day: ResolvedDay, _ placements: [Placement]) -> Bool {
        var state = DayState(day: day)
        for p in placements {
            guard state.canPlace(p) else { return false }
            state.place(p)
        }
        return true
    }

    /// For each port draw that waits for its prep, the earliest prep that keeps the draw after
    /// everything before it on its chosen chair (and inside the chair's window).
    private static func portFloors(_ day: ResolvedDay, _ set: [Int], chairs: [Int: FixedBookingsProgram.Decision]) -> [Int: Int] {
        var floors: [Int: Int] = [:]
        let lead = day.drawMinutes + day.turnaroundMinutes
        for r in set where day.requests[r].labsAtChair && day.needsDraw(r, start: day.requests[r].fixedStart!) && day.regimen(of: r).holdForLabs {
            guard let c = chairs[r]?.chair else { continue }
            let s = day.requests[r].fixedStart!
            let end = s + day.regimen(of: r).chairMinutes + day.regimen(of: r).bufferMinutes
            var free = day.chairs[c].windows.first { $0.lowerBound <= s && end <= $0.upperBound }?.lowerBound ?? s
            for q in set where q != r && chairs[q]?.chair == c && day.requests[q].fixedStart! < s {
                let reg = day.regimen(of: q)
                free = max(free, day.requests[q].fixedStart! + reg.chairMinutes + reg.bufferMinutes)
            }
            floors[r] = free + lead
        }
        return floors
    }

    /// One program's answer: `.some(decisions)`, `.some(nil)` when GLPK proves it has none, nil
    /// otherwise (a GLPK error included: the decision is then left open, never claimed).
    static func solve(_ program: FixedBookingsProgram, deadline: ContinuousClock.Instant,
                      clock: SearchClock? = nil) -> [Int: FixedBookingsProgram.Decision]?? {
        if program.emptyChoice != nil { return .some(nil) }
        guard let result = try? GLPKSolver.solve(program.program, start: nil, deadline: deadline, relativeGap: nil,
                                                 feasibility: true, clock: clock) else { return nil }
        if result.provenInfeasible { return .some(nil) }
        guard let values = result.values else { return nil }
        return .some(program.decode(values))
    }

    /// Each booking's best placement in turn, pinned ones first; a booking that fails beside the
    /// others is moved to the front and the whole set tried again (once per booking). Nil when
    /// that does not place them all (which proves nothing).
    static func fastPlacement(_ day: ResolvedDay, _ set: [Int]) -> [Placement]? {
        func freedom(_ r: Int) -> Int { (day.requests[r].fixedChair == nil ? 1 : 0) + (day.requests[r].fixedNurse == nil ? 1 : 0) }
        var order = set.sorted { (freedom($0), day.requests[$0].fixedStart!, $0) < (freedom($1), day.requests[$1].fixedStart!, $1) }
        var retried = Set<Int>()
        let empty = DayState(day: day)
        attempts: while true {
            var trial = empty
            var placed: [Placement] = []
            for (i, r) in order.enumerated() {
                if let p = trial.bestPlacement(of: r, start: day.requests[r].fixedStart!) {
                    trial.place(p)
                    placed.append(p)
                    continue
                }
                guard !retried.contains(r) else { return nil }
                retried.insert(r)
                order.remove(at: i)
                order.insert(r, at: 0)
                continue attempts
            }
            return placed
        }
    }
}
