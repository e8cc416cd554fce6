import Foundation
import Testing

import TestSupport

/// The validator against the worked example of the contract, and against hand-broken copies of
/// it: each copy breaks one rule and must be rejected with that rule's tag (and, where the
/// mutation is clean, with nothing else).
@Suite struct ValidatorTests {
    let day: ResolvedDay
    let rawDay: Day
    let schedule: Schedule

    init() throws {
        rawDay = try Day.load(path: TestFiles.fixture("worked-day.json"))
        day = try ResolvedDay(rawDay)
        schedule = try Schedule.load(path: TestFiles.fixture("worked-schedule.json"))
    }

    // MARK: Helpers

    func t(_ text: String) -> ClockTime { ClockTime(parsing: text)! }

    /// The worked schedule with the appointment of request `id` changed.
    func editing(_ id: String, _ change: (inout Appointment) -> Void) -> Schedule {
        var s = schedule
        let i = s.appointments.firstIndex { $0.request == id }!
        change(&s.appointments[i])
        return s
    }

    /// The worked day with a change, resolved.
    func dayWith(_ change: (inout Day) -> Void) throws -> ResolvedDay {
        var d = rawDay
        change(&d)
        return try ResolvedDay(d)
    }

    /// Expects `s` rejected with a violation of `rule` for `request` whose message contains
    /// `mentioning`; with `only`, every violation must be of that rule.
    func expectRejected(_ s: Schedule, day d: ResolvedDay? = nil, rule: Violation.Rule, request: String?, mentioning: String = "",
                        only: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        let report = Validator.validate(s, day: d ?? day)
        #expect(!report.isValid, sourceLocation: sourceLocation)
        let found = report.violations.contains {
            $0.rule == rule && $0.request == request && (mentioning.isEmpty || $0.message.contains(mentioning))
        }
        #expect(found, "expected [\(rule)] for \(request ?? "-") mentioning \"\(mentioning)\" in \(report.violations)",
                sourceLocation: sourceLocation)
        if only {
            #expect(report.violations.allSatisfy { $0.rule == rule }, "unexpected rules in \(report.violations)",
                    sourceLocation: sourceLocation)
        }
    }

    /// The worked schedule's appointments as placements.
    func workedPlacements() -> [Placement] {
        schedule.appointments.map { a in
            Placement(request: day.requestIndex[a.request]!, chair: day.chairIndex[a.chair]!, nurse: day.nurseIndex[a.nurse]!,
                      start: a.start.minutes, drawStart: a.labDraw?.start.minutes, station: a.labDraw?.station.map { $0 - 1 },
                      prepStart: a.prep?.start.minutes, compounder: a.prep.map { $0.compounder - 1 })
        }
    }

    // MARK: The worked example

    /// A violation's line escapes control characters from the files' ids (log injection) and
    /// clips an overlong one (issue 17 part 5).
    @Test func violationLinesStayOneLine() {
        let id = "R1\n[chair] forged\u{1B}[31m" + String(repeating: "x", count: 5_000)
        let line = Violation(rule: .chair, request: id, message: "\(id): chair C1 occupied").description
        #expect(!line.contains("\n") && !line.contains("\u{1B}"))
        #expect(line.hasPrefix("[chair] R1\\n[chair] forged\\u{1B}[31m"))
        #expect(line.count < 600)
        #expect(Violation(rule: .nurse, request: "R4", message: "R4: nurse N1 over capacity").description == "[nurse] R4: nurse N1 over capacity")
    }

    @Test func workedScheduleIsValidWithTheContractsObjective() {
        let report = Validator.validate(schedule, day: day)
        #expect(report.violations == [])
        #expect(report.isValid)
        #expect(report.objective.unscheduled == 1000)
        #expect(report.objective.overtime == 0)
        #expect(report.objective.wait == 15)
        #expect(abs(report.objective.preference - 6) < 1e-9)
        #expect(report.objective.peakLoad == 0)
        #expect(abs(report.objective.total - 1021) < 1e-9)
        #expect(report.notes == [])
    }

    @Test func fastPathAcceptsTheWorkedPlacements() {
        #expect(Validator.violations(of: workedPlacements(), day: day) == [])
    }

    @Test func fastPathFindsOverlapsAndSurvivesBadIndices() {
        var placements = workedPlacements()
        placements[3].chair = 1  // R4 onto C2, where R3 sits
        placements.append(placements[0])  // R1 twice
        placements.append(Placement(request: 99, chair: 0, nurse: 0, start: 600))
        placements.append(Placement(request: 6, chair: 7, nurse: -1, start: 600, prepStart: 500, compounder: 3))
        let v = Validator.violations(of: placements, day: day)
        #expect(v.contains { $0.rule == .chair && $0.request == "R4" && $0.message.contains("overlaps R3") })
        #expect(v.contains { $0.rule == .coverage && $0.request == "R1" })
        #expect(v.contains { $0.rule == .coverage && $0.request == nil })
        #expect(v.contains { $0.rule == .chair && $0.request == "R7" && $0.message.contains("out of range") })
        #expect(v.contains { $0.rule == .nurse && $0.request == "R7" && $0.message.contains("out of range") })
        #expect(v.contains { $0.rule == .pharmacy && $0.request == "R7" && $0.message.contains("compounder 4") })
    }

    @Test func violationDescriptionIsOneTaggedLine() {
        let v = Violation(rule: .chair, request: "R3", message: "R3: chair C2 occupied 10:00-11:15 overlaps R4 (10:30-11:10)")
        #expect(v.description == "[chair] R3: chair C2 occupied 10:00-11:15 overlaps R4 (10:30-11:10)")
    }

    // MARK: File level

    @Test func wrongFormatTag() {
        var s = schedule
        s.format = "infusion-schedule/2"
        expectRejected(s, rule: .format, request: nil, mentioning: "unknown format")
    }

    @Test func wrongDate() {
        var s = schedule
        s.date = CivilDate(parsing: "2026-12-02")!
        expectRejected(s, rule: .format, request: nil, mentioning: "2026-12-02")
    }

    @Test func missingRequest() {
        var s = schedule
        s.unscheduled.removeAll { $0.request == "R7" }
        expectRejected(s, rule: .coverage, request: "R7", mentioning: "neither scheduled")
    }

    /// SPEC §2.8: a fixed booking is never dropped silently. R6 (fixed at 13:00) left out
    /// without the alert `fixedBookingBroken` is a violation; with it, the schedule keeps the
    /// rules, and a note says the booking would have held alone.
    @Test func anUnscheduledFixedBookingNeedsItsAlert() {
        var s = schedule
        s.appointments.removeAll { $0.request == "R6" }
        s.unscheduled.append(UnscheduledRequest(request: "R6", reason: .capacity))
        expectRejected(s, rule: .fixed, request: "R6", mentioning: "without the alert fixedBookingBroken")
        s.alerts.append(Alert(request: "R6", kind: .fixedBookingBroken, detail: "dropped"))
        let report = Validator.validate(s, day: day)
        #expect(report.violations.isEmpty, "\(report.violations)")
        #expect(report.notes.contains { $0.hasPrefix("R6: fixed booking unscheduled though it holds alone at 13:00") }, "\(report.notes)")
    }

    @Test func duplicatedAppointment() {
        var s = schedule
        s.appointments.append(s.appointments[3])
        expectRejected(s, rule: .coverage, request: "R4", mentioning: "more than once")
    }

    @Test func requestBothScheduledAndUnscheduled() {
        var s = schedule
        s.unscheduled.append(UnscheduledRequest(request: "R4", reason: .capacity))
        expectRejected(s, rule: .coverage, request: "R4", mentioning: "more than once")
    }

    @Test func unknownRequestIds() {
        var s = schedule
        s.unscheduled.append(UnscheduledRequest(request: "R99", reason: .capacity))
        var appointment = s.appointments[3]
        appointment.request = "R98"
        s.appointments.append(appointment)
        let report = Validator.validate(s, day: day)
        #expect(report.violations.count == 2)
        #expect(report.violations.allSatisfy { $0.rule == .coverage && $0.request == nil })
        #expect(report.violations[0].message.contains("R98"))  // appointments come before unscheduled entries
        #expect(report.violations[1].message.contains("R99"))
    }

    @Test func unknownChairId() {
        expectRejected(editing("R4") { $0.chair = "C9" }, rule: .chair, request: "R4", mentioning: "unknown chair \"C9\"")
    }

    @Test func unknownNurseId() {
        expectRejected(editing("R4") { $0.nurse = "N9" }, rule: .nurse, request: "R4", mentioning: "unknown nurse \"N9\"")
    }

    @Test func startOffTheGrid() {
        let s = editing("R4") { $0.start = t("10:35"); $0.end = t("11:05"); $0.arrival = t("10:35") }
        expectRejected(s, rule: .times, request: "R4", mentioning: "slot grid")
    }

    @Test func endNotStartPlusChairMinutes() {
        expectRejected(editing("R4") { $0.end = t("11:15") }, rule: .times, request: "R4", mentioning: "end 11:15")
    }

    @Test func arrivalNotTheDrawStart() {
        expectRejected(editing("R2") { $0.arrival = t("08:30") }, rule: .times, request: "R2", mentioning: "draw start 08:00")
    }

    @Test func arrivalNotTheStartWithoutDraw() {
        expectRejected(editing("R4") { $0.arrival = t("10:00") }, rule: .times, request: "R4", mentioning: "the start 10:30")
    }

    // MARK: §2.1 Clinic

    @Test func startBeforeClinicOpens() throws {
        let d = try dayWith {
            $0.clinic.open = t("08:15")
            $0.chairs[0].available = [TimeWindow(start: t("07:00"), end: t("19:00"))]
        }
        expectRejected(schedule, day: d, rule: .clinic, request: "R1", mentioning: "before the clinic opens")
    }

    @Test func endAfterLatestEnd() throws {
        let d = try dayWith {
            $0.clinic.close = t("13:00")
            $0.clinic.latestEnd = t("13:15")
        }
        expectRejected(schedule, day: d, rule: .clinic, request: "R6", mentioning: "latest end 13:15")
    }

    // MARK: §2.2 Chair

    @Test func chairOverlap() {
        expectRejected(editing("R4") { $0.chair = "C2" }, rule: .chair, request: "R4", mentioning: "overlaps R3 (09:40-11:40)")
    }

    @Test func chairOfTheWrongType() {
        expectRejected(editing("R4") { $0.chair = "C3" }, rule: .chair, request: "R4", mentioning: "does not suit regimen HYD")
    }

    @Test func chairOutsideItsAvailability() throws {
        let d = try dayWith { $0.chairs[2].available = [TimeWindow(start: t("07:30"), end: t("11:15"))] }
        expectRejected(schedule, day: d, rule: .chair, request: "R2", mentioning: "outside its availability (07:30-11:15)")
    }

    @Test func cleaningBufferOverlap() {
        // R1 leaves C1 at 10:00; the chair is being cleaned until 10:15.
        let s = editing("R4") { $0.start = t("10:00"); $0.end = t("10:30"); $0.arrival = t("10:00") }
        expectRejected(s, rule: .chair, request: "R4", mentioning: "overlaps R1 (08:00-10:15)")
    }

    @Test func drawAtTheChairOccupiesItFromTheDraw() {
        // R1 on C2 until 10:15 (with buffer) meets R3's treatment at 10:30 but not its draw at 09:40.
        expectRejected(editing("R1") { $0.chair = "C2" }, rule: .chair, request: "R3", mentioning: "overlaps R1 (08:00-10:15)")
    }

    // MARK: §2.3 Nurse

    @Test func nurseOverCapacity() {
        expectRejected(editing("R2") { $0.nurse = "N1" }, rule: .nurse, request: "R2", mentioning: "acuity 4 over capacity 2 at 09:15 (with R1)")
    }

    @Test func intensiveMinutesOverlap() {
        // R3 and R4 both start at 10:30 with N1: access of both at once.
        expectRejected(editing("R4") { $0.nurse = "N1" }, rule: .nurse, request: "R3", mentioning: "overlap R4's (10:30-10:40)")
    }

    @Test func intensiveMinutesDuringBreak() {
        let s = editing("R4") { $0.nurse = "N1"; $0.start = t("11:30"); $0.end = t("12:00"); $0.arrival = t("11:30") }
        expectRejected(s, rule: .nurse, request: "R4", mentioning: "break 11:30-12:00")
    }

    @Test func outsideTheNursesShift() {
        expectRejected(editing("R1") { $0.nurse = "N2" }, rule: .nurse, request: "R1", mentioning: "shift 08:30-17:00")
    }

    // MARK: §2.4 Pharmacy

    @Test func prepBeforeTheDrugIsReady() {
        expectRejected(editing("R3") { $0.prep?.start = t("08:00") }, rule: .pharmacy, request: "R3", mentioning: "ready at 09:00")
    }

    @Test func drugReadyOnAnotherDayIsNamedWithItsDay() throws {
        let d = try dayWith { $0.requests[2].drugReadyAt = LocalDateTime(parsing: "2026-12-02T09:00")! }
        expectRejected(schedule, day: d, rule: .pharmacy, request: "R3", mentioning: "ready at 09:00 (day +1)", only: false)
    }

    @Test func prepBeforeThePharmacyOpens() throws {
        let d = try dayWith { $0.pharmacy.open = t("07:15") }
        expectRejected(schedule, day: d, rule: .pharmacy, request: "R1", mentioning: "pharmacy opens at 07:15")
    }

    @Test func prepTooEarlyForStability() {
        expectRejected(editing("R1") { $0.prep?.start = t("06:30") }, rule: .pharmacy, request: "R1", mentioning: "stability of 45")
    }

    @Test func prepEndsAfterTheStart() {
        expectRejected(editing("R3") { $0.prep?.start = t("10:15") }, rule: .pharmacy, request: "R3", mentioning: "after the start 10:30")
    }

    @Test func twoPrepsOnOneCompounder() {
        expectRejected(editing("R3") { $0.prep?.start = t("09:00") }, rule: .pharmacy, request: "R3",
                       mentioning: "compounder 1 overlaps R2's (08:40-09:10)")
    }

    @Test func twoPrepsOnTwoCompoundersAreFine() throws {
        let d = try dayWith { $0.pharmacy.compounders = 2 }
        let s = editing("R3") { $0.prep = Prep(start: t("09:00"), compounder: 2) }
        let report = Validator.validate(s, day: d)
        #expect(report.violations == [])
    }

    @Test func compounderOutOfRange() {
        expectRejected(editing("R3") { $0.prep?.compounder = 2 }, rule: .pharmacy, request: "R3", mentioning: "compounder 2 is not in 1...1")
    }

    @Test func absurdFileNumbersAreReportedAsWritten() {
        var s = editing("R3") { $0.prep?.compounder = -5 }
        expectRejected(s, rule: .pharmacy, request: "R3", mentioning: "compounder -5 is not in 1...1")
        s = editing("R2") { $0.labDraw?.station = Int.max }
        expectRejected(s, rule: .labs, request: "R2", mentioning: "station \(Int.max) is not in 1...1")
        s = editing("R2") { $0.labDraw?.station = Int.min }
        expectRejected(s, rule: .labs, request: "R2", mentioning: "is not in 1...1")
    }

    @Test func missingPrep() {
        expectRejected(editing("R1") { $0.prep = nil }, rule: .pharmacy, request: "R1", mentioning: "none is scheduled")
    }

    @Test func prepWhereNoneIsNeeded() {
        expectRejected(editing("R4") { $0.prep = Prep(start: t("09:30"), compounder: 1) }, rule: .pharmacy, request: "R4",
                       mentioning: "needs no prep")
    }

    @Test func drugNotReadyWithoutPrep() throws {
        let d = try dayWith { $0.requests[3].drugReadyAt = LocalDateTime(parsing: "2026-12-01T11:00")! }
        expectRejected(schedule, day: d, rule: .pharmacy, request: "R4", mentioning: "drug is ready at 11:00")
    }

    // MARK: §2.5 Labs

    @Test func drawMissing() {
        let s = editing("R2") { $0.labDraw = nil; $0.arrival = $0.start }
        expectRejected(s, rule: .labs, request: "R2", mentioning: "no draw is scheduled")
    }

    @Test func drawWhereLabsOnFileAreValid() {
        let s = editing("R1") { $0.labDraw = LabDraw(start: t("06:50"), station: 1); $0.arrival = t("06:50") }
        expectRejected(s, rule: .labs, request: "R1", mentioning: "valid at the start")
    }

    @Test func drawTooLateForResults() {
        let s = editing("R3") { $0.labDraw?.start = t("09:55"); $0.arrival = t("09:55") }
        expectRejected(s, rule: .labs, request: "R3", mentioning: "results at 10:35")
    }

    @Test func holdForLabsPrepBeforeResults() {
        expectRejected(editing("R2") { $0.prep?.start = t("08:30") }, rule: .labs, request: "R2", mentioning: "lab results at 08:40")
    }

    @Test func drawBeforeTheLabOpens() throws {
        let d = try dayWith { $0.lab.open = t("08:05") }
        expectRejected(schedule, day: d, rule: .labs, request: "R2", mentioning: "lab opens at 08:05")
    }

    @Test func stationOverlap() throws {
        let d = try dayWith { $0.requests[2].labsAtChair = false }
        let control = editing("R3") { $0.labDraw?.station = 1 }
        #expect(Validator.validate(control, day: d).violations == [])
        let s = editing("R3") { $0.labDraw = LabDraw(start: t("08:05"), station: 1); $0.arrival = t("08:05") }
        expectRejected(s, day: d, rule: .labs, request: "R3", mentioning: "station 1 overlaps R2's (08:00-08:10)")
    }

    @Test func portPatientDrawnAtAStation() {
        expectRejected(editing("R3") { $0.labDraw?.station = 1 }, rule: .labs, request: "R3", mentioning: "labsAtChair")
    }

    @Test func drawAtTheChairWithoutPort() {
        expectRejected(editing("R2") { $0.labDraw?.station = nil }, rule: .labs, request: "R2", mentioning: "without port access")
    }

    @Test func stationOutOfRange() {
        expectRejected(editing("R2") { $0.labDraw?.station = 2 }, rule: .labs, request: "R2", mentioning: "station 2 is not in 1...1")
    }

    @Test func sameDayDrawNotAllowed() throws {
        let d = try dayWith { $0.requests[1].labs = LabStatus(validUntil: nil, allowSameDayDraw: false) }
        expectRejected(schedule, day: d, rule: .labs, request: "R2", mentioning: "no same-day draw is allowed")
    }

    // MARK: §2.6 Window, §2.7 Authorization, §2.8 Fixed

    @Test func arrivalBeforeTheWindow() {
        let s = editing("R2") { $0.labDraw?.start = t("07:50"); $0.arrival = t("07:50") }
        expectRejected(s, rule: .window, request: "R2", mentioning: "earliest arrival 08:00")
    }

    @Test func endAfterTheWindow() {
        let s = editing("R4") { $0.start = t("11:45"); $0.end = t("12:15"); $0.arrival = t("11:45") }
        expectRejected(s, rule: .window, request: "R4", mentioning: "latest end 12:00")
    }

    @Test func authorizationPending() {
        var s = schedule
        s.unscheduled.removeAll { $0.request == "R5" }
        s.appointments.append(Appointment(request: "R5", chair: "C1", nurse: "N2", arrival: t("14:00"),
                                          prep: Prep(start: t("13:00"), compounder: 1), start: t("14:00"), end: t("15:00")))
        expectRejected(s, rule: .authorization, request: "R5", mentioning: "authorization pending")
    }

    @Test func authorizationExpired() throws {
        let d = try dayWith { $0.requests[5].authorization?.validTo = CivilDate(parsing: "2026-11-30")! }
        expectRejected(schedule, day: d, rule: .authorization, request: "R6", mentioning: "expired 2026-11-30")
    }

    @Test func fixedStartMoved() {
        let s = editing("R6") { $0.start = t("13:15"); $0.end = t("13:45"); $0.arrival = t("13:15") }
        expectRejected(s, rule: .fixed, request: "R6", mentioning: "fixed at 13:00")
    }

    @Test func fixedChairChanged() {
        expectRejected(editing("R6") { $0.chair = "C1" }, rule: .fixed, request: "R6", mentioning: "fixed on chair C2")
    }

    @Test func fixedNurseChanged() {
        expectRejected(editing("R6") { $0.nurse = "N1" }, rule: .fixed, request: "R6", mentioning: "fixed with nurse N2")
    }

    // MARK: Typed terms, the same strings in the file

    /// A schedule from another solver names its method in the file's own words: it is read as
    /// ``SolverMethod/other(_:)``, noted by the validator and written back unchanged; the
    /// library's own terms are cases with the contract's strings.
    @Test func termsReadFromAnotherSolverAreKeptAndNoted() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.fixture("fixed-bookings-feasible.day.json")))
        let other = try Schedule.load(path: TestFiles.fixture("fixed-bookings-feasible.schedule.json"))
        #expect(other.solver?.method == .other("cpsat"))
        #expect(other.solver?.status == .feasible)
        let report = Validator.validate(other, day: day)
        #expect(report.isValid)
        #expect(report.notes.contains("solver.method \"cpsat\" is not mip or greedy"))
        let written = other.jsonString()
        #expect(written.contains("\"method\": \"cpsat\""))
        let reread = try Schedule.decode(Data(written.utf8)).solver
        #expect(reread?.method == .other("cpsat") && reread?.status == .feasible)
        #expect(SolverMethod.known.map(\.rawValue) == ["mip", "greedy"])
        #expect(SolverStatus.known.map(\.rawValue) == ["optimal", "feasible", "fallback", "stopped"])
        for method in SolverMethod.known { #expect(SolverMethod(rawValue: method.rawValue) == method) }
        for status in SolverStatus.known { #expect(SolverStatus(rawValue: status.rawValue) == status) }
        #expect(SolverStatus(rawValue: "timeout") == .other("timeout"))
        for kind in AlertKind.known { #expect(AlertKind(rawValue: kind.rawValue) == kind && "\(kind)" == kind.rawValue) }
        #expect(AlertKind(rawValue: "labsLate") == .other("labsLate"))
        #expect(Violation.Rule.allCases.map(\.rawValue) == ["format", "coverage", "times", "clinic", "window", "authorization",
                                                            "fixed", "chair", "nurse", "pharmacy", "labs"])
    }

    // MARK: Order, notes and objective

    @Test func violationsComeInAppointmentOrderThenRule() {
        var s = editing("R4") { $0.end = t("11:15"); $0.chair = "C2" }  // times and chair, 4th appointment
        s.appointments[0].nurse = "N2"                                      // nurse shift, 1st appointment
        let v = Validator.validate(s, day: day).violations
        #expect(v.map(\.rule) == [.nurse, .times, .chair])
        #expect(v.map(\.request) == ["R1", "R4", "R4"])
        #expect(Validator.validate(s, day: day).violations == v)
    }

    @Test func wrongReportedObjectiveIsANoteOnly() {
        var s = schedule
        s.objective = ObjectiveBreakdown(unscheduled: 1000, overtime: 0, wait: 20, preference: 6, peakLoad: 0)
        let report = Validator.validate(s, day: day)
        #expect(report.isValid)
        #expect(report.notes == ["objective.wait reported 20, recomputed 15", "objective.total reported 1026, recomputed 1021"])
        #expect(abs(report.objective.total - 1021) < 1e-9)
    }

    @Test func missingObjectiveIsANote() {
        var s = schedule
        s.objective = nil
        let report = Validator.validate(s, day: day)
        #expect(report.isValid)
        #expect(report.notes == ["no objective reported"])
    }

    @Test func wrongUnscheduledReasonIsANote() {
        var s = schedule
        s.unscheduled = [UnscheduledRequest(request: "R5", reason: .capacity), UnscheduledRequest(request: "R7", reason: .authorization)]
        let report = Validator.validate(s, day: day)
        #expect(report.isValid)
        #expect(report.notes == ["R5: reported reason capacity, computed authorization",
                                 "R7: reported reason authorization, computed capacity"])
        #expect(report.objective.unscheduled == 1000)  // R7 is admissible whatever the file says
    }

    @Test func cancelledIsAcceptedNotedAndExempt() {
        var s = schedule
        s.unscheduled[1] = UnscheduledRequest(request: "R7", reason: .cancelled)
        let report = Validator.validate(s, day: day)
        #expect(report.isValid)
        #expect(report.objective.unscheduled == 0)
        #expect(report.notes.contains { $0.hasPrefix("R7: reason cancelled") })
        #expect(report.notes.contains("objective.unscheduled reported 1000, recomputed 0"))
    }

    @Test func inconsistentSolverFiguresAreNotes() {
        var s = schedule
        s.solver = SolverReport(method: .mip, status: .optimal, bound: 1000, gap: 0.5, seconds: 1)
        let notes = Validator.validate(s, day: day).notes
        #expect(notes.count == 1 && notes[0].hasPrefix("solver.gap 0.5 is not (total - bound) / max(1, |total|) = 0.0205"))
        s.solver = SolverReport(method: .mip, status: .optimal, bound: 1021, gap: nil, seconds: 1)
        #expect(Validator.validate(s, day: day).notes == ["solver.bound and solver.gap must both be given or both be null"])
        s.solver = SolverReport(method: .mip, status: .optimal, bound: 1021, gap: 0, seconds: 1)
        #expect(Validator.validate(s, day: day).notes == [])
    }

    @Test func missingAuthorizationAlertIsANote() throws {
        let d = try dayWith { $0.requests[5].authorization?.validTo = CivilDate(parsing: "2026-12-10")! }
        let report = Validator.validate(schedule, day: d)
        #expect(report.isValid)
        #expect(report.notes == ["R6: no authorizationExpiring alert"])
    }

    // MARK: Scale

    /// A full day (100 chairs, 100 nurses, 320 requests, 300 placed back to back) is checked fast.
    @Test func largeDayIsCheckedQuickly() throws {
        let chairs = (0..<100).map { Chair(id: "C\($0)", type: "recliner") }
        let nurses = (0..<100).map { Nurse(id: "N\($0)", shiftStart: t("07:00"), shiftEnd: t("19:00"), capacity: 4) }
        let regimen = Regimen(id: "HYD", chairMinutes: 60, bufferMinutes: 15, chairTypes: ["recliner"],
                              nurseStartMinutes: 10, nurseEndMinutes: 5)
        let requests = (0..<320).map { TreatmentRequest(id: "R\($0)", regimen: "HYD") }
        let big = Day(date: CivilDate(parsing: "2026-12-01")!, slotMinutes: 15,
                      clinic: ClinicHours(open: t("07:30"), close: t("17:30"), latestEnd: t("19:00")),
                      chairs: chairs, nurses: nurses, pharmacy: Pharmacy(open: t("06:30"), compounders: 2),
                      lab: Lab(open: t("07:00"), stations: 2, drawMinutes: 10, turnaroundMinutes: 30),
                      regimens: [regimen], requests: requests)
        let d = try ResolvedDay(big)
        let placements = (0..<300).map { k in
            Placement(request: k, chair: k % 100, nurse: k % 100, start: 480 + 75 * (k / 100))
        }
        var s = d.makeSchedule(placements: placements, solver: SolverReport(method: .greedy, status: .feasible, seconds: 0))
        let clock = ContinuousClock()
        var report = Validator.validate(s, day: d)
        let elapsed = clock.measure { report = Validator.validate(s, day: d) }
        #expect(report.violations == [])
        #expect(report.notes == [])
        #expect(report.objective.unscheduled == 20_000)
        #expect(elapsed < .seconds(5), "validation took \(elapsed)")
        // The same day with every chair double-booked in its first round is rejected, once per conflict.
        s.appointments += s.appointments.prefix(100).map { a in
            var b = a
            b.request = "R\(300 + Int(a.chair.dropFirst())! % 20)"
            return b
        }.prefix(20)
        s.unscheduled.removeAll()
        let broken = Validator.validate(s, day: d)
        #expect(broken.violations.filter { $0.rule == .chair }.count == 20)
    }
}
