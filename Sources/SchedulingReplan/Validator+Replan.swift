import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// Checking a re-plan (SPEC §7) against the previous schedule and the events: the re-plan is a
/// schedule of the day with the events applied, and keeps what the clinic promised.
///
/// What `Validator.validateReplan(day:old:events:new:now:noticeMinutes:files:)` checks:
/// - every hard rule of SPEC §2 on the day with the events applied (as `Validator.validate(_:day:)`),
///   with the nurse rules read as §7 says for a handover: the new nurse of a frozen patient
///   whose nurse went out holds the patient from `now` on, the old nurse before `now`;
/// - frozen appointments unchanged but for such a handover; a nurse kept past going out only
///   with the alert `handoverOverload`;
/// - moved or new arrivals at least `notice` after `now`; preps not moved into the past, preps
///   begun before `now` unchanged;
/// - requests ended by `cancel` / `labsOutOfRange` unscheduled with reason `cancelled` / `labs`;
/// - every fixed booking that is not frozen kept at its start and pins, or carrying the alert
///   `fixedBookingBroken`;
/// - no request that can still be reached (an arrival at least `notice` after `now`, or its old
///   arrival when that is still ahead) left out with a reason other than `capacity`;
/// - the change list: one entry per request whose plan changed, of the right kind.
public struct ReplanValidationReport: Sendable {
    /// Every broken rule, one line each; the re-plan is valid when there is none.
    public var violations: [String]
    /// Remarks that do not make the re-plan invalid (reported objective terms, reasons given
    /// for requests that cannot be reached, …).
    public var notes: [String]
    /// The day with the events applied, as the check read it.
    public var day: Day
    /// Whether the re-plan keeps every rule.
    public var isValid: Bool { violations.isEmpty }
}

extension Validator {
    /// Checks the re-plan `new` of `old` for `day` after `events` at `now` (SPEC §7).
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming the file and JSON path when the day, the previous schedule
    ///   (which must be valid for the day) or the events are bad input — the same checks as
    ///   ``SchedulingReplan/Replanner/replan(day:schedule:events:options:files:)``. Problems of `new` are violations.
    public static func validateReplan(day: Day, old: Schedule, events: EventsFile, new: Schedule, now: ClockTime,
                                      noticeMinutes: Int = 30, files: ReplanFiles = ReplanFiles()) throws -> ReplanValidationReport {
        let t = now.minutes
        guard (0...1440).contains(noticeMinutes) else { throw InputError(path: "notice", message: "notice must be in 0...1440 minutes") }
        let oldDay: ResolvedDay
        do { oldDay = try ResolvedDay(day) } catch let error as InputError { throw error.inFile(files.day) }
        let oldPlan = try Replanner.placements(of: old, day: oldDay, file: files.schedule)
        let application: EventApplication
        do {
            application = try EventApplication(oldDay: oldDay, old: oldPlan, now: t, events: events)
        } catch let error as InputError { throw error.inFile(files.events) }
        var ended = application.ended
        for u in old.unscheduled where u.reason == .cancelled && oldDay.requestIndex[u.request] != nil && ended[u.request] == nil {
            ended[u.request] = .init(reason: .cancelled, detail: u.detail ?? "cancelled")
        }
        var violations: [String] = []
        var notes: [String] = []
        var after: [String: Appointment] = [:]
        for a in new.appointments where after[a.request] == nil { after[a.request] = a }
        var reported: [String: UnscheduledReason] = [:]
        for u in new.unscheduled where reported[u.request] == nil { reported[u.request] = u.reason }
        func alerted(_ kind: AlertKind, _ id: String) -> Bool { new.alerts.contains { $0.kind == kind && $0.request == id } }

        // Handovers: a frozen patient still in chair when the nurse goes out. Kept by that nurse
        // only with handoverOverload; the applied day then keeps the nurse until the patient is done.
        var keptUntil: [String: Int] = [:]
        var handedOver: [Int: (old: String, from: Int)] = [:]     // request index -> old nurse
        for r in oldPlan.indices where application.frozen[r] && ended[oldDay.requests[r].id] == nil {
            guard let o = oldPlan[r] else { continue }
            let id = oldDay.requests[r].id
            let nurse = oldDay.nurses[o.nurse].id
            guard let from = application.nurseOut[nurse], oldDay.end(of: o) > from, let a = after[id] else { continue }
            if a.nurse == nurse {
                keptUntil[nurse] = max(keptUntil[nurse] ?? Int.min, oldDay.end(of: o))
                if !alerted(.handoverOverload, id) {
                    violations.append("[replan] \(id): nurse \(nurse) goes out at \(clockText(from)) but keeps this patient until \(clockText(oldDay.end(of: o))) without the alert handoverOverload")
                }
            } else {
                handedOver[r] = (nurse, from)
            }
        }

        // The applied day. Fixed bookings that are not frozen are checked here against the
        // promise (kept, or alerted) rather than as hard rules of the applied day.
        var applied = application.dayWithNursesOut(keptUntil: keptUntil)
        let nurseIds = Set(applied.nurses.map(\.id))
        for r in applied.requests.indices where !(r < application.frozen.count && application.frozen[r]) {
            guard let f = applied.requests[r].fixed else { continue }
            let id = applied.requests[r].id
            if let e = ended[id], !e.isDrop { continue }
            let promise = "fixed at \(f.start)" + (f.chair.map { " on \($0)" } ?? "") + (f.nurse.map { " with \($0)" } ?? "")
            let hasAlert = alerted(.fixedBookingBroken, id)
            if let a = after[id] {
                applied.requests[r].fixed = nil
                let kept = a.start == f.start && (f.chair.map { $0 == a.chair } ?? true) && (f.nurse.map { $0 == a.nurse } ?? true)
                if !kept, !hasAlert {
                    violations.append("[fixed] \(id): \(promise) but now \(a.start) on \(a.chair) with \(a.nurse), without the alert fixedBookingBroken")
                }
            } else {
                if !hasAlert { violations.append("[fixed] \(id): \(promise) but left unscheduled without the alert fixedBookingBroken") }
                // Given up (alerted) or lost with the day: it is no longer held to its start.
                let planned = (r < oldPlan.count && oldPlan[r] != nil) || r >= oldDay.requests.count
                if hasAlert && planned { applied.requests[r].fixed = nil }
                else if let n = f.nurse, !nurseIds.contains(n) { applied.requests[r].fixed?.nurse = nil }
            }
        }
        let newDay: ResolvedDay
        do { newDay = try ResolvedDay(applied) } catch let error as InputError {
            throw InputError(file: files.events, path: "events", message: "the events leave a day that is not well formed: \(error)",
                             kind: error.kind)
        }

        // SPEC §2 on the applied day, the nurse rules with the handovers split at `now`.
        var handovers: [Int: Handover] = [:]
        for (r, h) in handedOver {
            guard let oldNurse = newDay.nurseIndex[h.old] else { continue }
            handovers[r] = Handover(nurse: oldNurse, at: t)
        }
        let report = validate(new, day: newDay, handovers: handovers)
        // An unscheduled promise without its alert is judged above, against the previous plan.
        for v in report.violations where !(v.rule == .fixed && v.message.hasSuffix(withoutBrokenAlert)) {
            violations.append(v.description)
        }
        var plan = [Placement?](repeating: nil, count: newDay.requests.count)
        for a in new.appointments {
            guard let r = newDay.requestIndex[a.request], plan[r] == nil, let c = newDay.chairIndex[a.chair],
                  let n = newDay.nurseIndex[a.nurse] else { continue }
            plan[r] = Placement(request: r, chair: c, nurse: n, start: a.start.minutes, drawStart: a.labDraw?.start.minutes,
                                station: a.labDraw?.station.map { $0 - 1 }, prepStart: a.prep?.start.minutes,
                                compounder: a.prep.map { $0.compounder - 1 })
        }

        // SPEC §7 against the previous plan.
        violations += PlanChanges.ruleBreaks(old: old, new: new, now: now, noticeMinutes: noticeMinutes,
                                             nursesOut: Set(application.nurseOut.keys)).map { "[replan] " + $0 }
        for (id, e) in ended.sorted(by: { $0.key < $1.key }) {
            if after[id] != nil { violations.append("[replan] \(id): ended by an event (\(e.reason.rawValue)) but scheduled") }
            else if let why = reported[id], why != e.reason {
                violations.append("[replan] \(id): ended by an event: reason must be \(e.reason.rawValue), not \(why.rawValue)")
            }
        }

        // Reachability (SPEC §7 admissibility).
        let count = newDay.requests.count
        var old = [Placement?](repeating: nil, count: count)
        var prepLocked = [Bool](repeating: false, count: count)
        var frozen = [Bool](repeating: false, count: count)
        var isEnded = [Bool](repeating: false, count: count)
        for r in 0..<count {
            isEnded[r] = ended[newDay.requests[r].id] != nil
            guard r < oldPlan.count, var p = oldPlan[r] else { continue }
            p.nurse = newDay.nurseIndex[oldDay.nurses[p.nurse].id] ?? -1
            old[r] = p
            frozen[r] = application.frozen[r]
            prepLocked[r] = !frozen[r] && (p.prepStart.map { $0 < t } ?? false)
        }
        let reach = try Replanner.reachability(of: newDay, frozen: frozen, isEnded: isEnded, prepLocked: prepLocked,
                                               old: old, now: t, earliestArrival: t + noticeMinutes)
        for r in 0..<count where plan[r] == nil && !isEnded[r] && !frozen[r] {
            let id = newDay.requests[r].id
            guard let why = reported[id] else { continue }   // missing: reported by the hard-rule check
            if reach[r] == nil, why != .capacity {
                let how = (old[r].map { $0.arrival >= t && $0.arrival < t + noticeMinutes } ?? false)
                    ? "at its old arrival \(clockText(old[r]!.arrival))" : "with an arrival at least \(noticeMinutes) minutes after \(now)"
                violations.append("[replan] \(id): reported \(why.rawValue) but it can still be reached \(how): the reason is capacity and it is counted")
            } else if let computed = reach[r], why == .capacity {
                notes.append("\(id): reported capacity, but it can no longer be reached (\(computed.reason.rawValue))")
            }
        }

        // The change list.
        let expected = PlanChanges.list(oldDay: oldDay, oldPlan: oldPlan, newDay: newDay, newPlan: plan, ended: ended)
        var listed: [String: PlanChange] = [:]
        for c in new.changes ?? [] {
            if listed[c.request] != nil { violations.append("[changes] \(c.request): listed more than once") }
            listed[c.request] = c
        }
        var wanted = Set<String>()
        for c in expected {
            wanted.insert(c.request)
            guard let got = listed[c.request] else {
                violations.append("[changes] \(c.request): \(c.change) but not in the change list"); continue
            }
            if got.change != c.change { violations.append("[changes] \(c.request): listed as \(got.change), but it is \(c.change)") }
            else if got.from != c.from || got.to != c.to { violations.append("[changes] \(c.request): from/to do not match the plans") }
        }
        for id in listed.keys.sorted() where !wanted.contains(id) {
            violations.append("[changes] \(id): listed as \(listed[id]!.change), but its plan did not change")
        }
        notes += report.notes
        return ReplanValidationReport(violations: violations, notes: notes, day: applied)
    }

    /// The hard-constraint violations of `placements` (SPEC §2), one line each, with the nurse
    /// rules of each patient in `handovers` read over each nurse's part of the treatment (SPEC §7:
    /// the new nurse holds a handed-over patient from `now` on). What the re-planner checks its
    /// plans with; without handovers it is ``violations(of:day:)``.
    public static func violationLines(of placements: [Placement], day: ResolvedDay, handovers: [Int: Handover]) -> [String] {
        violations(of: placements, day: day, handovers: handovers).map(\.description)
    }
}
