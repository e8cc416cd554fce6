/// A compact reading of every hard constraint of SPEC §2, used by the integer-program scheduler
/// to make sure that what it returns is valid whatever its model relaxed.
///
/// It answers only "valid or not, and the first reason"; the full validator reports every violation.
enum FeasibilityCheck {
    /// The first broken hard constraint of `placements`, or nil when they keep them all.
    ///
    /// - Complexity: O(n² + n × day minutes) for n placements.
    static func firstViolation(of placements: [Placement], day: ResolvedDay) -> String? {
        var seen = Set<Int>()
        for p in placements {
            guard p.request >= 0, p.request < day.requests.count else { return "unknown request" }
            guard seen.insert(p.request).inserted else { return "request \(p.request + 1) placed twice" }
            if let problem = single(p, day: day) { return "request \(p.request + 1): \(problem)" }
        }
        for q in day.requests.indices where day.requests[q].fixedStart != nil && !seen.contains(q) {
            return "request \(q + 1): fixed booking not scheduled"
        }
        // Pairwise resources.
        for (i, a) in placements.enumerated() {
            for b in placements[(i + 1)...] {
                if a.chair == b.chair, day.chairOccupancy(of: a).overlaps(day.chairOccupancy(of: b)) { return "chair \(a.chair + 1) double-booked" }
                if let sa = a.station, let sb = b.station, sa == sb, let da = a.drawStart, let db = b.drawStart,
                   (da..<(da + day.drawMinutes)).overlaps(db..<(db + day.drawMinutes)) { return "station \(sa + 1) double-booked" }
                if let ca = a.compounder, let cb = b.compounder, ca == cb, let pa = a.prepStart, let pb = b.prepStart,
                   (pa..<(pa + day.regimen(of: a.request).prepMinutes)).overlaps(pb..<(pb + day.regimen(of: b.request).prepMinutes)) {
                    return "compounder \(ca + 1) double-booked"
                }
                if a.nurse == b.nurse {
                    let ia = ResolvedDay.intensiveIntervals(start: a.start, end: day.end(of: a), regimen: day.regimen(of: a.request))
                    let ib = ResolvedDay.intensiveIntervals(start: b.start, end: day.end(of: b), regimen: day.regimen(of: b.request))
                    if ia.contains(where: { x in ib.contains { $0.overlaps(x) } }) { return "nurse \(a.nurse + 1) has overlapping intensive minutes" }
                }
            }
        }
        // Nurse load at every start (load only rises at starts).
        for p in placements {
            var load = 0
            for o in placements where o.nurse == p.nurse && o.start <= p.start && p.start < day.end(of: o) {
                load += day.regimen(of: o.request).acuity
            }
            if load > day.nurses[p.nurse].capacity { return "nurse \(p.nurse + 1) over capacity" }
        }
        return nil
    }

    /// The rules that concern one placement alone.
    private static func single(_ p: Placement, day: ResolvedDay) -> String? {
        let q = day.requests[p.request]
        let reg = day.regimen(of: p.request)
        let e = day.end(of: p)
        if q.authorizationProblem != nil { return "not authorized" }
        guard p.start % day.slotMinutes == 0 else { return "start off the slot grid" }
        guard p.start >= day.open, e <= day.latestEnd else { return "outside clinic hours" }
        guard p.chair >= 0, p.chair < day.chairs.count else { return "unknown chair" }
        guard reg.chairTypes.contains(day.chairs[p.chair].type) else { return "wrong chair type" }
        guard day.chairAvailable(p.chair, over: day.chairOccupancy(of: p)) else { return "chair not available" }
        guard p.nurse >= 0, p.nurse < day.nurses.count else { return "unknown nurse" }
        let nurse = day.nurses[p.nurse]
        guard nurse.shift.lowerBound <= p.start, e <= nurse.shift.upperBound else { return "outside nurse shift" }
        guard reg.acuity <= nurse.capacity else { return "acuity above nurse capacity" }
        let intensive = ResolvedDay.intensiveIntervals(start: p.start, end: e, regimen: reg)
        if intensive.contains(where: { $0.overlaps(nurse.breakTime) }) { return "intensive minutes in nurse break" }
        // Labs.
        var resultsAt: Int?
        if day.needsDraw(p.request, start: p.start) {
            guard q.allowSameDayDraw, let d = p.drawStart else { return "labs not valid and no draw" }
            guard d >= day.labOpen else { return "draw before the lab opens" }
            let r = d + day.drawMinutes + day.turnaroundMinutes
            guard r <= p.start else { return "lab results after start" }
            resultsAt = r
            if q.labsAtChair {
                guard p.station == nil else { return "port draw at a station" }
            } else {
                guard let s = p.station, s >= 0, s < day.stations else { return "draw without a valid station" }
            }
        } else if p.drawStart != nil || p.station != nil {
            return "draw that is not needed"
        }
        // Pharmacy.
        if reg.prepMinutes > 0 {
            guard let prep = p.prepStart, let c = p.compounder, c >= 0, c < day.compounders else { return "prep missing" }
            guard prep >= day.pharmacyOpen else { return "prep before pharmacy opens" }
            if let ready = q.drugReadyAt, prep < ready { return "prep before drug ready" }
            guard prep + reg.prepMinutes <= p.start else { return "prep ends after start" }
            if let stability = reg.stabilityMinutes, p.start - (prep + reg.prepMinutes) > stability { return "drug unstable at start" }
            if reg.holdForLabs, let r = resultsAt, prep < r { return "prep before lab results" }
        } else {
            guard p.prepStart == nil, p.compounder == nil else { return "prep that is not needed" }
            if let ready = q.drugReadyAt, ready > p.start { return "drug not ready" }
        }
        // Window and fixed booking.
        if let earliest = q.earliest, p.arrival < earliest { return "arrives before window" }
        if let latest = q.latest, e > latest { return "ends after window" }
        if let s = q.fixedStart, s != p.start { return "fixed start moved" }
        if let c = q.fixedChair, c != p.chair { return "fixed chair changed" }
        if let n = q.fixedNurse, n != p.nurse { return "fixed nurse changed" }
        return nil
    }
}
