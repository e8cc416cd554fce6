import SchedulingModel

/// The objective of a set of placements and the schedule file built from them: the rules layer's
/// cost function (SPEC §3) and the one place a schedule is assembled (SPEC §4).
extension ResolvedDay {
    /// The objective of a set of placements (SPEC §3), term by term.
    ///
    /// Unscheduled requests count only when admissible; `exempt` requests (cancelled or ended
    /// by out-of-range labs during re-planning) never count.
    ///
    /// - Complexity: O(requests × admissibility + placements × chair minutes).
    public func objective(of placements: [Placement], exempt: Set<Int> = [], admissible: [Bool]? = nil) -> ObjectiveBreakdown {
        let w = weights
        var placed = [Bool](repeating: false, count: requests.count)
        for p in placements { placed[p.request] = true }
        var unscheduled = 0.0
        for r in requests.indices where !placed[r] && !exempt.contains(r) {
            if admissible?[r] ?? isAdmissible(r) { unscheduled += requests[r].weight }
        }
        var overtime = 0, wait = 0, preference = 0
        for p in placements {
            let e = end(of: p)
            overtime += max(0, e - close)
            if let d = p.drawStart { wait += max(0, p.start - d - inherentLead(of: p.request)) }
            if let preferred = requests[p.request].preferredStart { preference += abs(p.start - preferred) }
        }
        let peak = w.peakLoadPenalty > 0 ? peakLoadRatio(of: placements) : 0
        return ObjectiveBreakdown(unscheduled: w.unscheduledPenalty * unscheduled,
                                  overtime: w.overtimePerMinute * Double(overtime),
                                  wait: w.waitPerMinute * Double(wait),
                                  preference: w.preferencePerMinute * Double(preference),
                                  peakLoad: w.peakLoadPenalty * peak)
    }

    /// The largest ratio, over the minutes of the day, of acuity in chair to nurses on shift.
    public func peakLoadRatio(of placements: [Placement]) -> Double {
        let horizon = max(latestEnd, nurses.map(\.shift.upperBound).max() ?? 0) + 1
        var load = [Int](repeating: 0, count: horizon + 1)
        for p in placements {
            let s = max(0, p.start), e = min(horizon, end(of: p))
            guard s < e else { continue }
            load[s] += regimen(of: p.request).acuity
            load[e] -= regimen(of: p.request).acuity
        }
        var onShift = [Int](repeating: 0, count: horizon + 1)
        for n in nurses {
            onShift[min(horizon, n.shift.lowerBound)] += 1
            onShift[min(horizon, n.shift.upperBound)] -= 1
        }
        var best = 0.0, a = 0, k = 0
        for t in 0..<horizon {
            a += load[t]; k += onShift[t]
            if a > 0 { best = max(best, k > 0 ? Double(a) / Double(k) : Double(a)) }
        }
        return best
    }

    /// Alerts for approved authorizations that end within 21 days after the date (SPEC §5).
    public func authorizationAlerts() -> [Alert] {
        requests.compactMap { q in
            guard q.authorizationProblem == nil, let to = q.authorizationValidTo else { return nil }
            let days = to.dayNumber - day.date.dayNumber
            guard (0...21).contains(days) else { return nil }
            return Alert(request: q.id, kind: .authorizationExpiring, detail: "expires \(to)")
        }
    }

    /// Builds the schedule file for a set of placements: appointments ordered by start and
    /// chair, every other request unscheduled with its reason, alerts and the objective.
    ///
    /// - Parameter reasons: reasons decided by the caller (e.g. `cancelled`); every other
    ///   unplaced request gets its inadmissibility reason, or `capacity`.
    public func makeSchedule(placements: [Placement], solver: SolverReport,
                             reasons: [Int: (UnscheduledReason, String?)] = [:], extraAlerts: [Alert] = []) -> Schedule {
        let ordered = placements.sorted { ($0.start, $0.chair, $0.request) < ($1.start, $1.chair, $1.request) }
        var placed = [Bool](repeating: false, count: requests.count)
        for p in placements { placed[p.request] = true }
        var unscheduled: [UnscheduledRequest] = []
        var admissible = [Bool](repeating: true, count: requests.count)
        var exempt = Set<Int>()
        for r in requests.indices where !placed[r] {
            if let (reason, detail) = reasons[r] {
                unscheduled.append(UnscheduledRequest(request: requests[r].id, reason: reason, detail: detail))
                if reason != .capacity { exempt.insert(r) }
            } else if let (reason, detail) = inadmissibility(of: r) {
                unscheduled.append(UnscheduledRequest(request: requests[r].id, reason: reason, detail: detail))
                admissible[r] = false
            } else {
                unscheduled.append(UnscheduledRequest(request: requests[r].id, reason: .capacity, detail: nil))
            }
        }
        // A fixed booking left out is a promise broken: the desk must call the patient (SPEC §2.8, §5).
        var broken: [Alert] = []
        for u in unscheduled where u.reason != .cancelled {
            guard let r = requestIndex[u.request], requests[r].fixedStart != nil,
                  !extraAlerts.contains(where: { $0.request == u.request && $0.kind == .fixedBookingBroken }) else { continue }
            broken.append(Alert(request: u.request, kind: .fixedBookingBroken, detail: "fixed booking not kept: \(u.reason.rawValue)"))
        }
        return Schedule(date: day.date, appointments: ordered.map(appointment(for:)), unscheduled: unscheduled,
                        alerts: authorizationAlerts() + broken + extraAlerts,
                        objective: objective(of: placements, exempt: exempt, admissible: admissible),
                        solver: solver)
    }
}
