import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// The change list of a re-plan and the checks of SPEC §7 that compare it with the previous plan.
enum PlanChanges {
    /// One entry per request whose plan changed, ordered by the old start (the new one for
    /// added requests), then by id.
    ///
    /// Kinds: `cancelled` (ended by `cancel` or `labsOutOfRange`), `dropped` (no longer placed,
    /// including a patient so late that the window closes),
    /// `added` (placed now, not before), `moved` (arrival or start changed), `reassigned` (same
    /// arrival and start; chair, nurse, draw or prep changed). Who is notified: the patient when
    /// the arrival changes or the visit is called off (not for their own cancellation); the nurse
    /// when the nurse, chair or start changes; the pharmacy when a prep changes; the lab when a
    /// draw changes.
    static func list(oldDay: ResolvedDay, oldPlan: [Placement?], newDay: ResolvedDay, newPlan: [Placement?],
                     ended: [String: EventApplication.Ending]) -> [PlanChange] {
        var entries: [(key: Int, id: String, change: PlanChange)] = []
        for r in newDay.requests.indices {
            let id = newDay.requests[r].id
            let o = r < oldPlan.count ? oldPlan[r].map(oldDay.appointment(for:)) : nil
            let n = newPlan[r].map(newDay.appointment(for:))
            func point(_ a: Appointment?) -> PlanPoint? {
                a.map { PlanPoint(arrival: $0.arrival, start: $0.start, chair: $0.chair, nurse: $0.nurse) }
            }
            func prepRoles(_ a: Appointment) -> [String] { (a.prep != nil ? ["pharmacy"] : []) + (a.labDraw != nil ? ["lab"] : []) }
            switch (o, n) {
            case (nil, nil):
                continue
            case let (o?, nil):
                if let e = ended[id], !e.isDrop {
                    let patient = e.reason == .cancelled ? [] : ["patient"]
                    entries.append((o.start.minutes, id, PlanChange(request: id, change: "cancelled", from: point(o), to: nil,
                                                                   notify: patient + ["nurse"] + prepRoles(o))))
                } else {
                    entries.append((o.start.minutes, id, PlanChange(request: id, change: "dropped", from: point(o), to: nil,
                                                                   notify: ["patient", "nurse"] + prepRoles(o))))
                }
            case let (nil, n?):
                entries.append((n.start.minutes, id, PlanChange(request: id, change: "added", from: nil, to: point(n),
                                                               notify: ["patient", "nurse"] + prepRoles(n))))
            case let (o?, n?):
                guard o != n else { continue }
                var notify: [String] = []
                if o.arrival != n.arrival { notify.append("patient") }
                if o.nurse != n.nurse || o.chair != n.chair || o.start != n.start { notify.append("nurse") }
                if o.prep != n.prep { notify.append("pharmacy") }
                if o.labDraw != n.labDraw { notify.append("lab") }
                let kind = (o.arrival != n.arrival || o.start != n.start) ? "moved" : "reassigned"
                entries.append((o.start.minutes, id, PlanChange(request: id, change: kind, from: point(o), to: point(n), notify: notify)))
            }
        }
        return entries.sorted { ($0.key, $0.id) < ($1.key, $1.id) }.map(\.change)
    }

    /// What breaks the re-planning rules of SPEC §7 in `new` against `old`, one line each:
    /// a frozen appointment (arrival before `now`) must be unchanged but for a nurse who went
    /// out, or ended by out-of-range labs before its start; any other appointment whose arrival
    /// changed (or that is new) arrives at least `noticeMinutes` after `now`; a prep that
    /// changed begins at or after `now`, and a prep begun before `now` does not change.
    static func ruleBreaks(old: Schedule, new: Schedule, now: ClockTime, noticeMinutes: Int, nursesOut: Set<String>) -> [String] {
        let t = now.minutes
        var before: [String: Appointment] = [:]
        for a in old.appointments { before[a.request] = a }
        var after: [String: Appointment] = [:]
        for a in new.appointments { after[a.request] = a }
        var reasons: [String: UnscheduledReason] = [:]
        for u in new.unscheduled { reasons[u.request] = u.reason }
        var breaks: [String] = []
        for o in old.appointments where o.arrival.minutes < t {
            guard var n = after[o.request] else {
                if !(reasons[o.request] == .labs && o.start.minutes >= t) { breaks.append("\(o.request): frozen appointment removed") }
                continue
            }
            if n.nurse != o.nurse, nursesOut.contains(o.nurse) { n.nurse = o.nurse }
            if n != o { breaks.append("\(o.request): frozen appointment changed") }
        }
        let rules = ChangeRules(now: t, notice: noticeMinutes)
        func slot(_ prep: Prep?) -> ChangeRules.PrepSlot? { prep.map { .init(start: $0.start.minutes, compounder: $0.compounder - 1) } }
        for n in new.appointments {
            let o = before[n.request]
            if let o, o.arrival.minutes < t { continue }
            rules.check(arrival: n.arrival.minutes, prep: slot(n.prep), oldArrival: o?.arrival.minutes, oldPrep: slot(o?.prep)) {
                breaks.append("\(n.request): " + $0())
            }
        }
        return breaks
    }
}
