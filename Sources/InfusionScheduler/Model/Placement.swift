/// One appointment in index form, the shared currency of the validator and the schedulers.
///
/// Indices are 0-based into ``ResolvedDay``'s arrays; the schedule file's station and
/// compounder numbers are these plus one.
public struct Placement: Sendable, Hashable {
    /// Index of the request.
    public var request: Int
    /// Index of the chair.
    public var chair: Int
    /// Index of the primary nurse.
    public var nurse: Int
    /// Minute the patient sits down; on the slot grid.
    public var start: Int
    /// Start of the same-day draw, when one is drawn.
    public var drawStart: Int?
    /// Station index of the draw; nil for a draw at the chair (or no draw).
    public var station: Int?
    /// Start of the pharmacy prep, when the regimen has one.
    public var prepStart: Int?
    /// Compounder index of the prep.
    public var compounder: Int?

    /// Creates a placement.
    public init(request: Int, chair: Int, nurse: Int, start: Int, drawStart: Int? = nil, station: Int? = nil,
                prepStart: Int? = nil, compounder: Int? = nil) {
        self.request = request; self.chair = chair; self.nurse = nurse; self.start = start
        self.drawStart = drawStart; self.station = station; self.prepStart = prepStart; self.compounder = compounder
    }

    /// When the patient arrives: the draw if there is one, else the start.
    public var arrival: Int { drawStart ?? start }
}

/// A frozen patient handed to another nurse when theirs goes out at a re-plan (SPEC §7): the
/// patient's old nurse holds them before `at` (the re-plan's `now`), the placement's nurse from
/// `at` on. The rules of SPEC §2.3 then apply to each nurse over that nurse's part only.
public struct Handover: Sendable, Hashable {
    /// Index of the nurse who held the patient before `at`.
    public var nurse: Int
    /// Minute from which the placement's nurse holds the patient.
    public var at: Int

    /// Creates a handover.
    public init(nurse: Int, at: Int) { self.nurse = nurse; self.at = at }

    /// Who holds the patient of `p`, in chair over `[p.start, end)`, and when: the old nurse
    /// until `at`, the placement's nurse from then on (empty parts left out).
    public func holders(of p: Placement, end: Int) -> [(nurse: Int, span: Range<Int>)] {
        let cut = min(max(p.start, at), end)
        return [(nurse, p.start..<cut), (p.nurse, cut..<end)].filter { !$0.span.isEmpty }
    }

    /// The intensive minutes of `regimen` over `[start, end)` that fall in `span`.
    public static func intensive(start: Int, end: Int, regimen: ResolvedDay.RegimenInfo, within span: Range<Int>) -> [Range<Int>] {
        ResolvedDay.intensiveIntervals(start: start, end: end, regimen: regimen).compactMap { piece in
            piece.overlaps(span) ? max(piece.lowerBound, span.lowerBound)..<min(piece.upperBound, span.upperBound) : nil
        }
    }
}

extension ResolvedDay {
    /// End of treatment of a placement.
    public func end(of p: Placement) -> Int { p.start + regimen(of: p.request).chairMinutes }

    /// The interval the chair is taken: from the draw when drawn at the chair, else from the
    /// start, until the end plus the cleaning buffer.
    public func chairOccupancy(of p: Placement) -> Range<Int> {
        let reg = regimen(of: p.request)
        let from = (p.drawStart != nil && p.station == nil) ? p.drawStart! : p.start
        return from..<(p.start + reg.chairMinutes + reg.bufferMinutes)
    }

    /// The appointment as written in a schedule file.
    public func appointment(for p: Placement) -> Appointment {
        Appointment(
            request: requests[p.request].id, chair: chairs[p.chair].id, nurse: nurses[p.nurse].id,
            arrival: ClockTime(minutes: p.arrival),
            labDraw: p.drawStart.map { LabDraw(start: ClockTime(minutes: $0), station: p.station.map { $0 + 1 }) },
            prep: p.prepStart.map { Prep(start: ClockTime(minutes: $0), compounder: (p.compounder ?? 0) + 1) },
            start: ClockTime(minutes: p.start), end: ClockTime(minutes: end(of: p)))
    }

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
            return Alert(request: q.id, kind: "authorizationExpiring", detail: "expires \(to)")
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
                  !extraAlerts.contains(where: { $0.request == u.request && $0.kind == "fixedBookingBroken" }) else { continue }
            broken.append(Alert(request: u.request, kind: "fixedBookingBroken", detail: "fixed booking not kept: \(u.reason.rawValue)"))
        }
        return Schedule(date: day.date, appointments: ordered.map(appointment(for:)), unscheduled: unscheduled,
                        alerts: authorizationAlerts() + broken + extraAlerts,
                        objective: objective(of: placements, exempt: exempt, admissible: admissible),
                        solver: solver)
    }
}
