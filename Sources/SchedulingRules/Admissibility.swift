import SchedulingModel

/// Admissibility (SPEC §3): whether a request could be placed at all, alone in an otherwise
/// empty clinic, and if not, which rule rules it out.
///
/// The same reading serves the validator (which requests the unscheduled penalty counts) and
/// the schedulers (the reason they report), so the two can never disagree.
extension ResolvedDay {
    /// Which groups of rules a single-placement check applies.
    struct RuleSet: OptionSet {
        let rawValue: Int
        /// Clinic hours, patient window, chair type and availability, nurse shift, capacity and break.
        static let resources = RuleSet(rawValue: 1)
        /// Pharmacy opening, drug readiness, stability.
        static let drug = RuleSet(rawValue: 2)
        /// Labs on file or a same-day draw that returns in time (with the hold on compounding).
        static let labs = RuleSet(rawValue: 4)
        static let all: RuleSet = [.resources, .drug, .labs]
    }

    /// Nil when request `r` is admissible; otherwise the first reason of SPEC §5 that applies.
    ///
    /// A request with a bad authorization is `authorization`. Otherwise, if no start keeps every
    /// rule, the starts are narrowed to those the clinic hours, window, chairs and nurses allow
    /// (all clinic starts when there are none); `drugNotReady` applies when the drug cannot be
    /// ready for any of them, `labs` when drug and labs cannot both be ready, else `noFeasibleStart`.
    ///
    /// - Complexity: O(starts × (chairs + nurses)).
    public func inadmissibility(of r: Int) -> (reason: UnscheduledReason, detail: String)? {
        let q = requests[r]
        if let problem = q.authorizationProblem { return (.authorization, problem) }
        let starts = candidateStarts(r)
        if starts.contains(where: { feasibleAlone(r, start: $0, rules: .all) }) { return nil }
        var base = starts.filter { feasibleAlone(r, start: $0, rules: .resources) }
        if base.isEmpty { base = starts }
        if !base.contains(where: { feasibleAlone(r, start: $0, rules: .drug) }) {
            return (.drugNotReady, "the drug cannot be ready for any start")
        }
        if !base.contains(where: { feasibleAlone(r, start: $0, rules: [.drug, .labs]) }) {
            return (.labs, q.allowSameDayDraw ? "no same-day draw can return in time" : "labs expire and no same-day draw is allowed")
        }
        return (.noFeasibleStart, "clinic hours, window, chairs and nurse shifts leave no start")
    }

    /// Whether request `r` is admissible (SPEC §3).
    public func isAdmissible(_ r: Int) -> Bool { inadmissibility(of: r) == nil }

    /// The starts a request may take: its fixed start, or every clinic slot that fits the chair time.
    package func candidateStarts(_ r: Int) -> [Int] {
        if let fixed = requests[r].fixedStart { return [fixed] }
        return Array(clinicStarts(chairMinutes: regimen(of: r).chairMinutes))
    }

    /// The candidate starts at which request `r` alone, in an empty clinic, keeps every hard
    /// constraint (the reading of admissibility, SPEC §3).
    package func startsFeasibleAlone(_ r: Int) -> [Int] {
        candidateStarts(r).filter { feasibleAlone(r, start: $0, rules: .all) }
    }

    /// Earliest allowed prep start for a start at `start` ignoring compounder contention, or nil
    /// if prep is impossible. `resultsAt` is when same-day lab results arrive (for `holdForLabs`).
    package func earliestPrep(_ r: Int, resultsAt: Int?) -> Int {
        let reg = regimen(of: r)
        var p = pharmacyOpen
        if let ready = requests[r].drugReadyAt { p = max(p, ready) }
        if reg.holdForLabs, let resultsAt { p = max(p, resultsAt) }
        return p
    }

    /// The prep starts a start at `start` allows, ignoring compounders: from the pharmacy, drug,
    /// results (with `holdForLabs`) and stability bounds to the latest prep that ends by the
    /// start; nil without a prep or when none fits.
    package func prepStarts(_ r: Int, start s: Int, resultsAt: Int?) -> ClosedRange<Int>? {
        let reg = regimen(of: r)
        guard reg.prepMinutes > 0 else { return nil }
        var lo = earliestPrep(r, resultsAt: resultsAt)
        if let st = reg.stabilityMinutes { lo = max(lo, s - reg.prepMinutes - st) }
        let hi = s - reg.prepMinutes
        return lo <= hi ? lo...hi : nil
    }

    /// Whether nurse `n` could take request `r` alone at `start`: the shift holds the time in
    /// chair, the capacity the acuity, and the intensive minutes miss the break.
    package func nurseAllows(_ n: Int, _ r: Int, start s: Int) -> Bool {
        let reg = regimen(of: r)
        guard nurses[n].capacity >= reg.acuity else { return false }
        var allowed = true
        let span = s..<(s + reg.chairMinutes)
        Validator.checkHold(nurse: n, span: span, treatment: span, regimen: reg, day: self) { _, _ in allowed = false }
        return allowed
    }

    /// The latest draw start that still lets a start at `start` happen, ignoring stations:
    /// results back by the start and, with `holdForLabs`, the prep done after them.
    package func latestDraw(_ r: Int, start: Int) -> Int {
        let reg = regimen(of: r)
        return start - drawMinutes - turnaroundMinutes - (reg.holdForLabs ? reg.prepMinutes : 0)
    }

    /// The earliest draw start allowed by the lab's opening and the patient's window.
    package func earliestDraw(_ r: Int) -> Int {
        max(labOpen, requests[r].earliest ?? Int.min)
    }

    /// Whether request `r` alone can start at `start` keeping the rules in `rules`.
    func feasibleAlone(_ r: Int, start s: Int, rules: RuleSet) -> Bool {
        let q = requests[r]
        let reg = regimen(of: r)
        let draw = rules.contains(.labs) && needsDraw(r, start: s)
        var drawAt: Int?
        if draw {
            guard q.allowSameDayDraw else { return false }
            let d = latestDraw(r, start: s)
            guard d >= earliestDraw(r) else { return false }
            drawAt = d
        }
        if rules.contains(.drug) || (rules.contains(.labs) && reg.holdForLabs && drawAt != nil) {
            let resultsAt = drawAt.map { $0 + drawMinutes + turnaroundMinutes }
            if reg.prepMinutes > 0 {
                // The latest prep that ends by the start keeps stability; it must not start too early.
                let lower = rules.contains(.drug) ? earliestPrep(r, resultsAt: resultsAt) : (resultsAt ?? Int.min)
                guard lower <= s - reg.prepMinutes else { return false }
            } else if rules.contains(.drug), let ready = q.drugReadyAt, ready > s {
                return false
            }
        }
        if rules.contains(.resources) {
            // The validator's statement of these rules; the first break decides.
            var kept = true
            Validator.checkHours(request: r, start: s, arrival: drawAt ?? s, day: self) { _, _ in kept = false }
            guard kept else { return false }
            let occupied = chairOccupancy(of: r, start: s, drawAtChair: q.labsAtChair ? drawAt : nil)
            func chairOK(_ c: Int) -> Bool {
                var ok = true
                Validator.checkChair(c, request: r, occupied: occupied, day: self) { _, _ in ok = false }
                return ok
            }
            if let c = q.fixedChair { guard chairOK(c) else { return false } }
            else { guard chairs.indices.contains(where: chairOK) else { return false } }
            func nurseOK(_ n: Int) -> Bool { nurseAllows(n, r, start: s) }
            if let n = q.fixedNurse { guard nurseOK(n) else { return false } }
            else { guard nurses.indices.contains(where: nurseOK) else { return false } }
        }
        return true
    }
}
