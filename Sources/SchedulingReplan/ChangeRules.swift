import SchedulingModel
import SchedulingRules

/// The rules SPEC §7 puts on an appointment of a re-plan that is not frozen, against its
/// previous plan: an arrival that changes (or a new one) is at least `notice` minutes after
/// `now`, nobody arrives before `now`, a prep that changes does not begin before `now`, and a
/// prep that began before `now` does not change.
///
/// The one statement of them: the re-planner's searches ask for the first break
/// (``RepairSearch/keepsReplanRules(_:)``), the re-plan validator lists every break
/// (`PlanChanges.ruleBreaks`). The integer program states them again as bounds on its columns.
struct ChangeRules {
    /// A prep: its start minute and 0-based compounder.
    struct PrepSlot: Equatable {
        var start: Int
        var compounder: Int?
    }

    /// Minute of `now`.
    let now: Int
    /// Minutes of notice a changed arrival needs.
    let notice: Int

    /// Reports each rule that an appointment arriving at `arrival` with `prep` breaks, given its
    /// previous `oldArrival` and `oldPrep` (nil: not planned, or no prep). A message is built
    /// only when `add` reads it.
    func check(arrival: Int, prep: PrepSlot?, oldArrival: Int?, oldPrep: PrepSlot?, add: (@autoclosure () -> String) -> Void) {
        if arrival != oldArrival, arrival < now + notice {
            add("arrival \(Validator.hm(arrival)) is less than \(notice) minutes after \(Validator.hm(now))")
        } else if arrival < now {
            add("arrives \(Validator.hm(arrival)), before \(Validator.hm(now))")
        }
        if let oldPrep, oldPrep.start < now {
            if prep != oldPrep { add("prep begun at \(Validator.hm(oldPrep.start)) changed") }
        } else if let prep, prep != oldPrep, prep.start < now {
            add("prep moved to \(Validator.hm(prep.start)), before \(Validator.hm(now))")
        }
    }

    /// Whether an appointment keeps every rule (the first break decides).
    func allows(arrival: Int, prep: PrepSlot?, oldArrival: Int?, oldPrep: PrepSlot?) -> Bool {
        var kept = true
        check(arrival: arrival, prep: prep, oldArrival: oldArrival, oldPrep: oldPrep) { _ in kept = false }
        return kept
    }
}

extension ChangeRules.PrepSlot {
    /// The prep of a placement, if it has one.
    init?(_ p: Placement?) {
        guard let p, let start = p.prepStart else { return nil }
        self.init(start: start, compounder: p.compounder)
    }
}
