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
            overtime += overtimeMinutes(of: p.request, start: p.start)
            wait += waitMinutes(of: p.request, start: p.start, draw: p.drawStart)
            preference += preferenceMinutes(of: p.request, start: p.start)
        }
        let peak = w.peakLoadPenalty > 0 ? peakLoadRatio(of: placements) : 0
        return ObjectiveBreakdown(unscheduled: w.unscheduledPenalty * unscheduled,
                                  overtime: w.overtimePerMinute * Double(overtime),
                                  wait: w.waitPerMinute * Double(wait),
                                  preference: w.preferencePerMinute * Double(preference),
                                  peakLoad: w.peakLoadPenalty * peak)
    }

    // MARK: The terms of one placement
    //
    // Each term a placement pays on its own is defined here once, in minutes, and weighted by
    // ``termCosts(of:start:draw:)``: the objective above, the searches' costs and the integer
    // program's coefficients all read these. (Each caller keeps its own order of adding the
    // weighted terms, so that no caller's sums change in the last bit.)

    /// Minutes a start of request `r` at `s` ends after the clinic closes (SPEC §3 overtime).
    @inline(__always) package func overtimeMinutes(of r: Int, start s: Int) -> Int {
        max(0, s + regimen(of: r).chairMinutes - close)
    }

    /// Minutes between a draw at `d` and the start `s` beyond the lead the draw needs anyway
    /// (SPEC §3 excess wait); 0 without a draw.
    @inline(__always) package func waitMinutes(of r: Int, start s: Int, draw d: Int?) -> Int {
        guard let d else { return 0 }
        return max(0, s - d - inherentLead(of: r))
    }

    /// Minutes between the start `s` and the request's preferred start (SPEC §3); 0 without one.
    @inline(__always) package func preferenceMinutes(of r: Int, start s: Int) -> Int {
        guard let preferred = requests[r].preferredStart else { return 0 }
        return abs(s - preferred)
    }

    /// The weighted excess wait of a start at `s` after a draw at `draw` (what a search adds once
    /// the draw is chosen).
    @inline(__always) package func waitCost(of r: Int, start s: Int, draw: Int?) -> Double {
        weights.waitPerMinute * Double(waitMinutes(of: r, start: s, draw: draw))
    }

    /// The weighted terms a placement of `r` at `s` (with a draw at `draw`) pays on its own.
    @inline(__always) package func termCosts(of r: Int, start s: Int, draw: Int?) -> (overtime: Double, wait: Double, preference: Double) {
        (weights.overtimePerMinute * Double(overtimeMinutes(of: r, start: s)),
         waitCost(of: r, start: s, draw: draw),
         weights.preferencePerMinute * Double(preferenceMinutes(of: r, start: s)))
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
    /// - Parameters:
    ///   - placements: the appointments, in index form.
    ///   - solver: the report written as `solver`.
    ///   - reasons: reasons decided by the caller (e.g. `cancelled`); every other unplaced
    ///     request gets its inadmissibility reason, or `capacity`.
    ///   - extraAlerts: alerts the caller adds (re-planning's), after the authorization alerts.
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
