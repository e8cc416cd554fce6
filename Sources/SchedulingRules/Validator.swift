import SchedulingModel

/// Checks schedules against the contract: the one reading of its rules that the solvers are
/// tested against.
///
/// The validator is the reference reading of SPEC §2 (hard constraints), §3 (objective) and §5
/// (schedule file). The greedy scheduler and the integer program are tested by handing their
/// answers to it, and the CLI's `validate` command is a thin shell around it, so a disagreement
/// between a solver and the contract shows up as a violation here rather than as two competing
/// interpretations of the rules. It favours clarity, checks every rule independently at minute
/// resolution on half-open intervals, and finds resource conflicts with sorted sweeps per chair,
/// nurse, compounder and station so that a full day stays cheap to check.
public enum Validator {
    /// Relative tolerance when comparing reported figures with recomputed ones.
    static let tolerance = 1e-6

    /// Checks a schedule file against its day: file-level consistency (format, date, every
    /// request exactly once, known ids, derived times), every hard constraint of SPEC §2, and
    /// the reported objective, reasons, solver figures and alerts against recomputed ones.
    ///
    /// An appointment whose request, chair or nurse id is unknown, or whose request already
    /// appeared, is reported and then left out of the rule checks and the objective.
    ///
    /// - Complexity: O(n log n) in the appointments, plus admissibility of the unscheduled
    ///   requests (O(starts × (chairs + nurses)) each).
    /// - Throws: ``SchedulingModel/InputError`` when the day itself breaks the contract.
    public static func validate(_ schedule: Schedule, day: Day) throws -> ValidationReport {
        validate(schedule, day: try ResolvedDay(day))
    }

    /// The same check against a day already resolved (resolve once, check many schedules).
    public static func validate(_ schedule: Schedule, day: ResolvedDay) -> ValidationReport {
        validate(schedule, day: day, handovers: [:])
    }

    /// The same check with the patients in `handovers` (by request index) held by two nurses in
    /// turn, each nurse's rules applying over that nurse's part (SPEC §7).
    package static func validate(_ schedule: Schedule, day: ResolvedDay, handovers: [Int: Handover]) -> ValidationReport {
        var log = ViolationLog()
        if schedule.format != Schedule.formatTag {
            log.add(.document, 0, .format, nil, "unknown format \"\(clip(schedule.format))\": expected \"\(Schedule.formatTag)\"")
        }
        if schedule.date != day.day.date {
            log.add(.document, 0, .format, nil, "schedule is for \(schedule.date) but the day is \(day.day.date)")
        }

        // Appointments: resolve ids, check the derived times, convert to placements.
        var placedAt = [Int?](repeating: nil, count: day.requests.count)
        var listed = [Bool](repeating: false, count: day.requests.count)
        var placements: [Placement] = []
        var positions: [Int] = []
        for (i, a) in schedule.appointments.enumerated() {
            guard let r = day.requestIndex[a.request] else {
                log.add(.appointments, i, .coverage, nil, "appointment \(i + 1): unknown request \"\(clip(a.request))\"")
                continue
            }
            let id = day.requests[r].id
            guard !listed[r] else {
                log.add(.appointments, i, .coverage, id, "\(id): appears more than once")
                continue
            }
            listed[r] = true
            let chair = day.chairIndex[a.chair]
            let nurse = day.nurseIndex[a.nurse]
            if chair == nil { log.add(.appointments, i, .chair, id, "\(id): unknown chair \"\(clip(a.chair))\"") }
            if nurse == nil { log.add(.appointments, i, .nurse, id, "\(id): unknown nurse \"\(clip(a.nurse))\"") }
            let start = a.start.minutes
            let expectedEnd = start + day.regimen(of: r).chairMinutes
            if a.end.minutes != expectedEnd {
                log.add(.appointments, i, .times, id, "\(id): end \(a.end) is not start + chairMinutes (\(hm(expectedEnd)))")
            }
            let expectedArrival = a.labDraw?.start.minutes ?? start
            if a.arrival.minutes != expectedArrival {
                let source = a.labDraw == nil ? "the start" : "the draw start"
                log.add(.appointments, i, .times, id, "\(id): arrival \(a.arrival) is not \(source) \(hm(expectedArrival))")
            }
            guard let chair, let nurse else { continue }
            // File numbers are 1-based; out-of-range ones stay out of range for the rule checks to report.
            func index(_ number: Int) -> Int { number > Int.min ? number - 1 : -1 }
            placements.append(Placement(
                request: r, chair: chair, nurse: nurse, start: start,
                drawStart: a.labDraw?.start.minutes, station: a.labDraw?.station.map(index),
                prepStart: a.prep?.start.minutes, compounder: a.prep.map { index($0.compounder) }))
            positions.append(i)
            placedAt[r] = placements.count - 1
        }

        // Unscheduled entries.
        var notes: [String] = []
        var exempt = Set<Int>()
        var reported: [(request: Int, reason: UnscheduledReason)] = []
        // SPEC §2.8: a fixed booking is never dropped silently; the patient must be called.
        let brokenAlerts = Set(schedule.alerts.filter { $0.kind == .fixedBookingBroken }.compactMap(\.request))
        for (j, u) in schedule.unscheduled.enumerated() {
            guard let r = day.requestIndex[u.request] else {
                log.add(.unscheduled, j, .coverage, nil, "unscheduled \(j + 1): unknown request \"\(clip(u.request))\"")
                continue
            }
            let id = day.requests[r].id
            guard !listed[r] else {
                log.add(.unscheduled, j, .coverage, id, "\(id): appears more than once")
                continue
            }
            listed[r] = true
            reported.append((r, u.reason))
            if let fixed = day.requests[r].fixedStart, u.reason != .cancelled, !brokenAlerts.contains(id) {
                log.add(.unscheduled, j, .fixed, id, "\(id): fixed at \(hm(fixed)) but unscheduled \(Self.withoutBrokenAlert)")
            }
            if u.reason == .cancelled {
                exempt.insert(r)
                notes.append("\(id): reason cancelled only arises from re-planning; not counted in the objective")
            }
        }
        for r in day.requests.indices where !listed[r] {
            let id = day.requests[r].id
            log.add(.missing, r, .coverage, id, "\(id): neither scheduled nor listed as unscheduled")
        }

        check(placements, positions: positions, day: day, handovers: handovers, into: &log)

        // Objective: admissibility decides which unscheduled requests count, and gives the reason
        // a correct schedule reports for each of them.
        var admissible = [Bool](repeating: true, count: day.requests.count)
        var computedReason = [UnscheduledReason?](repeating: nil, count: day.requests.count)
        for r in day.requests.indices where placedAt[r] == nil && !exempt.contains(r) {
            let reason = day.inadmissibility(of: r)?.reason
            computedReason[r] = reason ?? .capacity
            admissible[r] = reason == nil
        }
        let objective = day.objective(of: placements, exempt: exempt, admissible: admissible)
        for (r, reason) in reported where reason != .cancelled {
            if let computed = computedReason[r], computed != reason {
                notes.append("\(day.requests[r].id): reported reason \(reason.rawValue), computed \(computed.rawValue)")
            }
            if let fixed = day.requests[r].fixedStart, admissible[r] {
                // Only a solve whose fixed-booking decision was cut by its time limit leaves one out.
                notes.append("\(day.requests[r].id): fixed booking unscheduled though it holds alone at \(hm(fixed))")
            }
        }
        notes += objectiveNotes(reported: schedule.objective, computed: objective)
        notes += solverNotes(schedule.solver, total: schedule.objective?.total ?? objective.total)
        notes += alertNotes(schedule.alerts, day: day)
        return ValidationReport(violations: log.sorted(), objective: objective, notes: notes)
    }

    /// The hard-constraint violations (SPEC §2) of index-form placements, for checks inside the
    /// library; no file-level checks beyond index ranges and one placement per request.
    ///
    /// - Complexity: O(n log n) in the placements.
    public static func violations(of placements: [Placement], day: ResolvedDay) -> [Violation] {
        violations(of: placements, day: day, handovers: [:])
    }

    /// The same with the patients in `handovers` (by request index) held by two nurses in turn,
    /// each nurse's rules applying over that nurse's part (SPEC §7: the new nurse holds a
    /// handed-over patient from `now` on).
    package static func violations(of placements: [Placement], day: ResolvedDay, handovers: [Int: Handover]) -> [Violation] {
        var log = ViolationLog()
        check(placements, positions: Array(placements.indices), day: day, handovers: handovers, into: &log)
        return log.sorted()
    }

    // MARK: Notes

    /// Whether two figures agree within ``tolerance``, relative to their size (absolute below 1).
    package static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b))
    }

    /// Reported objective terms that disagree with the recomputed ones.
    static func objectiveNotes(reported: ObjectiveBreakdown?, computed: ObjectiveBreakdown) -> [String] {
        guard let reported else { return ["no objective reported"] }
        var notes: [String] = []
        let terms: [(String, Double, Double)] = [
            ("unscheduled", reported.unscheduled, computed.unscheduled), ("overtime", reported.overtime, computed.overtime),
            ("wait", reported.wait, computed.wait), ("preference", reported.preference, computed.preference),
            ("peakLoad", reported.peakLoad, computed.peakLoad),
            // The change term needs the previous plan, so the reported one is taken as given.
            ("total", reported.total, computed.total + (reported.changes ?? 0)),
        ]
        for (name, given, expected) in terms where !close(given, expected) {
            notes.append("objective.\(name) reported \(number(given)), recomputed \(number(expected))")
        }
        return notes
    }

    /// Solver figures outside the contract's vocabulary or inconsistent with the total.
    static func solverNotes(_ solver: SolverReport?, total: Double) -> [String] {
        guard let solver else { return ["no solver report"] }
        var notes: [String] = []
        if case .other(let method) = solver.method { notes.append("solver.method \"\(clip(method))\" is not mip or greedy") }
        if case .other(let status) = solver.status {
            notes.append("solver.status \"\(clip(status))\" is not optimal, feasible or fallback")
        }
        switch (solver.bound, solver.gap) {
        case (nil, nil):
            if solver.status == .optimal { notes.append("solver.status optimal without a bound") }
        case let (bound?, gap?):
            if bound > total && !close(bound, total) { notes.append("solver.bound \(number(bound)) exceeds the total \(number(total))") }
            let expected = (total - bound) / max(1, abs(total))
            if !close(gap, expected) { notes.append("solver.gap \(number(gap)) is not (total - bound) / max(1, |total|) = \(number(expected))") }
        default:
            notes.append("solver.bound and solver.gap must both be given or both be null")
        }
        if !(solver.seconds.isFinite && solver.seconds >= 0) { notes.append("solver.seconds is not a non-negative number") }
        return notes
    }

    /// `authorizationExpiring` alerts missing or unexpected (SPEC §5).
    /// The end of the violation line of an unscheduled fixed booking without its alert.
    package static let withoutBrokenAlert = "without the alert fixedBookingBroken"

    static func alertNotes(_ alerts: [Alert], day: ResolvedDay) -> [String] {
        let expected = day.authorizationAlerts().compactMap(\.request)
        let given = alerts.filter { $0.kind == .authorizationExpiring }.compactMap(\.request)
        let givenSet = Set(given), expectedSet = Set(expected)
        var notes: [String] = []
        for id in expected where !givenSet.contains(id) { notes.append("\(id): no authorizationExpiring alert") }
        for id in given where !expectedSet.contains(id) { notes.append("\(clip(id)): authorizationExpiring alert not expected") }
        return notes
    }

    /// A figure without a trailing `.0` when whole.
    package static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

/// One broken rule in a schedule.
public struct Violation: Sendable, Hashable, CustomStringConvertible {
    /// The rule a schedule breaks, in the order the validator reports them (SPEC §2, §4).
    public enum Rule: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// The file itself: format tag, date.
        case format
        /// Every request exactly once, appointments and unscheduled entries naming known requests.
        case coverage
        /// Times that must agree: the slot grid, the end, the arrival.
        case times
        /// Opening hours and the latest end.
        case clinic
        /// The request's own window.
        case window
        /// An approved, current authorization.
        case authorization
        /// Fixed bookings: kept at their start, chair and nurse, or unscheduled with their alert.
        case fixed
        /// Chair type, availability and overlaps.
        case chair
        /// Nurse shifts, breaks, acuity load and intensive minutes.
        case nurse
        /// Drug readiness, compounding, stability and compounders.
        case pharmacy
        /// Labs on file, same-day draws, stations and results in time.
        case labs

        public var description: String { rawValue }
    }

    /// The rule broken.
    public var rule: Rule
    /// The id of the request concerned, if any.
    public var request: String?
    /// One line saying what is wrong, starting with the request id when there is one.
    public var message: String

    /// Creates a violation.
    public init(rule: Rule, request: String?, message: String) {
        self.rule = rule; self.request = request; self.message = message
    }

    /// The violation on one line, e.g. `[chair] R4: chair C2 occupied 10:30-11:00 overlaps R3 (09:40-11:40)`.
    /// Ids come from the files: control characters in them are escaped and overlong ones clipped
    /// (``SchedulingModel/InputError/printable(_:limit:)``), so a line stays one line.
    public var description: String { "[\(rule)] \(InputError.printable(message, limit: 2_000))" }
}

/// What the validator found in a schedule: broken rules, the recomputed objective and remarks.
public struct ValidationReport: Sendable {
    /// Hard-constraint and file-level violations; the schedule is invalid when there is any.
    public var violations: [Violation]
    /// The objective recomputed from the schedule's appointments (SPEC §3).
    public var objective: ObjectiveBreakdown
    /// Non-fatal remarks: reported objective terms, unscheduled reasons, solver figures or
    /// alerts that disagree with what the validator computes.
    public var notes: [String]

    /// Creates a report.
    public init(violations: [Violation], objective: ObjectiveBreakdown, notes: [String]) {
        self.violations = violations; self.objective = objective; self.notes = notes
    }

    /// Whether the schedule keeps every hard constraint.
    public var isValid: Bool { violations.isEmpty }
}

extension Validator {
    /// Minutes as `HH:MM`, with the day offset for instants on another day (a drug ready tomorrow).
    package static func hm(_ minutes: Int) -> String {
        if (0...1440).contains(minutes) { return ClockTime(minutes: minutes).description }
        let days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440)
        let sign = days > 0 ? "+" : ""
        return ClockTime(minutes: minutes - days * 1440).description + " (day \(sign)\(days))"
    }

    /// The 1-based file number of a 0-based index, without overflowing on absurd indices.
    static func fileNumber(_ index: Int) -> String { index < Int.max ? String(index + 1) : "\(index)+1" }

    /// A half-open interval as `HH:MM-HH:MM`.
    package static func hm(_ range: Range<Int>) -> String { hm(range.lowerBound) + "-" + hm(range.upperBound) }
}

/// Violations collected in any order and returned in a fixed one: document-level first, then by
/// appointment, then by unscheduled entry, then missing requests; within each, by rule.
package struct ViolationLog {
    /// Where in the file a violation belongs.
    package enum Section: Int { case document, appointments, unscheduled, missing }


    private var entries: [(key: [Int], violation: Violation)] = []

    package init() {}

    package mutating func add(_ section: Section, _ position: Int, _ rule: Violation.Rule, _ request: String?, _ message: String) {
        let rank = Violation.Rule.allCases.firstIndex(of: rule)!
        entries.append(([section.rawValue, position, rank, entries.count], Violation(rule: rule, request: request, message: message)))
    }

    package func sorted() -> [Violation] {
        entries.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.violation)
    }
}
