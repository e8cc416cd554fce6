import Foundation
import Testing
import TestSupport

@testable import SchedulingModel

/// Input read strictly where a file means two things and leniently where one patient is odd
/// (issue 17, part 5): a request with odd but meaningful data is inadmissible with its SPEC §5
/// reason instead of rejecting the day; duplicate keys and trailing commas are errors; messages
/// never echo control characters or megabytes; chair windows that touch count as one.
@Suite struct OddRequestTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var request: String
        var reason: UnscheduledReason?
        var edit: @Sendable (inout TreatmentRequest) -> Void
        var testDescription: String { name }
    }

    static func t(_ text: String) -> ClockTime { ClockTime(parsing: text)! }

    static let cases: [Case] = [
        Case(name: "empty window", request: "R4", reason: .noFeasibleStart) {
            $0.window = PatientWindow(earliest: t("10:00"), latest: t("10:00"))
        },
        Case(name: "window ends before it opens", request: "R7", reason: .noFeasibleStart) {
            $0.window = PatientWindow(earliest: t("12:00"), latest: t("09:00"))
        },
        Case(name: "authorization valid to before valid from", request: "R6", reason: .authorization) {
            $0.authorization = Authorization(status: .approved, validFrom: CivilDate(year: 2026, month: 12, day: 10),
                                             validTo: CivilDate(year: 2026, month: 11, day: 1))
            $0.fixed = nil
        },
        Case(name: "drug ready only the next day", request: "R7", reason: .drugNotReady) {
            $0.drugReadyAt = LocalDateTime(parsing: "2026-12-02T08:00")
        },
        Case(name: "labs expired the day before, no draw allowed", request: "R7", reason: .labs) {
            $0.labs = LabStatus(validUntil: LocalDateTime(parsing: "2026-11-30T08:00"), allowSameDayDraw: false)
        },
        Case(name: "fixed start off the slot grid", request: "R6", reason: .noFeasibleStart) {
            $0.fixed?.start = t("13:05")
        },
        Case(name: "preferred start outside the window", request: "R4", reason: nil) {
            $0.preferredStart = t("16:00")
        },
    ]

    @Test(arguments: cases)
    func oddRequestIsReadAndLeftOutWithItsReason(_ c: Case) throws {
        var raw = try Day.load(path: TestFiles.fixture("worked-day.json"))
        let i = try #require(raw.requests.firstIndex { $0.id == c.request })
        c.edit(&raw.requests[i])
        // The day still decodes from its JSON (the file is not rejected)…
        let text = try OrderedJSONEncoder.string(raw)
        let day = try ResolvedDay(Day.decode(Data(text.utf8), file: "odd.json"))
        // …and the odd request comes out with the SPEC §5 reason, the rest as usual.
        let result = try Scheduler.solve(day, options: SolveOptions(method: .greedy, timeLimit: 10))
        let left = result.schedule.unscheduled.first { $0.request == c.request }
        #expect(left?.reason == c.reason, "\(result.schedule.unscheduled)")
        #expect(day.inadmissibility(of: i)?.reason == c.reason)
        #expect(result.schedule.unscheduled.first { $0.request == "R5" }?.reason == .authorization)
        // A fixed booking left out is a broken promise: the desk is told (SPEC §2.8).
        let broken = result.schedule.alerts.contains { $0.request == c.request && $0.kind == .fixedBookingBroken }
        #expect(broken == (raw.requests[i].fixed != nil && c.reason != nil))
        #expect(Validator.validate(result.schedule, day: day).isValid)
    }

    @Test func emptyWindowDaySolvesOnTheCommandLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var raw = try Day.load(path: TestFiles.fixture("worked-day.json"))
        raw.requests[3].window = PatientWindow(earliest: Self.t("10:00"), latest: Self.t("10:00"))
        let file = dir.appendingPathComponent("day.json").path
        try Data(OrderedJSONEncoder.string(raw).utf8).write(to: URL(fileURLWithPath: file))
        let scheduleFile = dir.appendingPathComponent("schedule.json").path
        let run = try CLIRunner.run(["solve", file, "--method", "greedy", "--output", scheduleFile])
        #expect(run.status == 0, "\(run.stderr)")
        let schedule = try Schedule.load(path: scheduleFile)
        #expect(schedule.unscheduled.first { $0.request == "R4" }?.reason == .noFeasibleStart)
        #expect(schedule.objective?.unscheduled == 0)  // inadmissible: not counted
        let check = try CLIRunner.run(["validate", file, scheduleFile])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    // MARK: Strict JSON

    static let worked: String = (try? String(contentsOfFile: TestFiles.fixture("worked-day.json"), encoding: .utf8)) ?? ""

    func expectRejected(_ text: String, path: String, mentioning: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Day.decode(Data(text.utf8), file: "bad.json")
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch let error as InputError {
            #expect(error.path == path, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("bad.json: \(path): "), "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(mentioning), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func duplicateKeysAreRejectedWithTheirPath() {
        expectRejected(Self.worked.replacingOccurrences(of: "\"slotMinutes\": 15,", with: "\"slotMinutes\": 15, \"slotMinutes\": 7,"),
                       path: "slotMinutes", mentioning: "duplicate key")
        // Deep inside a request, the same value written twice is still two statements.
        expectRejected(Self.worked.replacingOccurrences(of: "\"earliest\": \"10:00\",", with: "\"earliest\": \"10:00\", \"earliest\": \"10:00\","),
                       path: "requests[3].window.earliest", mentioning: "duplicate key")
        // Keys are compared after unescaping.
        expectRejected(Self.worked.replacingOccurrences(of: "\"slotMinutes\": 15,", with: "\"slotMinutes\": 15, \"\\u0073lotMinutes\": 15,"),
                       path: "slotMinutes", mentioning: "duplicate key")
        // The same key in two different objects is fine.
        #expect(StrictJSON.firstProblem(in: Data(#"{"a": {"x": 1}, "b": {"x": [{"x": 1}, {"x": 2}]}}"#.utf8)) == nil)
    }

    @Test func trailingCommasAreRejected() {
        expectRejected(Self.worked.replacingOccurrences(of: "\"recliner\",\n    \"bed\"\n", with: "\"recliner\",\n    \"bed\",\n"),
                       path: "regimens[0].chairTypes", mentioning: "trailing comma")
        expectRejected(Self.worked.replacingOccurrences(of: "\"latestEnd\": \"19:00\"\n", with: "\"latestEnd\": \"19:00\",\n"),
                       path: "clinic", mentioning: "trailing comma")
        #expect(StrictJSON.firstProblem(in: Data("[1,2,]".utf8))?.message.contains("trailing comma") == true)
        #expect(StrictJSON.firstProblem(in: Data(#"{"a":1,}"#.utf8))?.message.contains("trailing comma") == true)
        // Commas and brackets inside strings are text.
        #expect(StrictJSON.firstProblem(in: Data(#"{"a": "x,]", "b": "\",}", "c": [1, 2]}"#.utf8)) == nil)
    }

    @Test func everyContractFileIsStrictlyClean() throws {
        for path in [TestFiles.fixture("worked-day.json"), TestFiles.fixture("worked-schedule.json"),
                     TestFiles.instance("medium-1.json"),
                     TestFiles.packageRoot.appendingPathComponent("docs/examples/morning-events.json").path] {
            #expect(StrictJSON.firstProblem(in: try Data(contentsOf: URL(fileURLWithPath: path))) == nil, "\(path)")
        }
    }

    @Test func everyFileTheCommandReadsIsStrict() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let day = dir.appendingPathComponent("day.json").path
        try Data(Self.worked.replacingOccurrences(of: "\"slotMinutes\": 15,", with: "\"slotMinutes\": 15, \"slotMinutes\": 7,").utf8)
            .write(to: URL(fileURLWithPath: day))
        let solve = try CLIRunner.run(["solve", day, "--method", "greedy"])
        #expect(solve.status == 2)
        #expect(solve.stderr.contains("\(day): slotMinutes: duplicate key"), "\(solve.stderr)")

        let schedule = dir.appendingPathComponent("schedule.json").path
        let scheduleText = try String(contentsOfFile: TestFiles.fixture("worked-schedule.json"), encoding: .utf8)
        try Data(scheduleText.replacingOccurrences(of: "\"format\"", with: "\"date\": \"2026-12-01\", \"format\"").utf8)
            .write(to: URL(fileURLWithPath: schedule))
        let validate = try CLIRunner.run(["validate", TestFiles.fixture("worked-day.json"), schedule])
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("\(schedule): date: duplicate key"), "\(validate.stderr)")

        let events = dir.appendingPathComponent("events.json").path
        try Data(#"{"format": "infusion-events/1", "events": [{"kind": "cancel", "request": "R1",}]}"#.utf8)
            .write(to: URL(fileURLWithPath: events))
        let replan = try CLIRunner.run(["reschedule", TestFiles.fixture("worked-day.json"), TestFiles.fixture("worked-schedule.json"),
                                        events, "--now", "09:00", "--method", "greedy"])
        #expect(replan.status == 2)
        #expect(replan.stderr.contains("\(events): events[0]: trailing comma"), "\(replan.stderr)")
    }

    // MARK: Messages

    @Test func controlCharactersAreEscapedInMessages() {
        let error = InputError(file: "day\n.json", path: "requests[0].id", message: "unknown regimen \"\u{1B}[2J\u{7}X\r\nwarning: forged\u{202E}\"")
        let text = error.description
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x202E }, "\(text)")
        #expect(text.contains("\\u{1B}[2J\\u{7}X\\r\\nwarning: forged\\u{202E}"), "\(text)")
        #expect(text.hasPrefix("day\\n.json: requests[0].id: "), "\(text)")
        // Plain messages are unchanged.
        #expect(InputError(file: "day.json", path: "requests[3].regimen", message: "unknown regimen \"XELOX\"").description
                == "day.json: requests[3].regimen: unknown regimen \"XELOX\"")
    }

    @Test func aHugeValueIsClipped() throws {
        let huge = "\u{1B}[31m" + String(repeating: "x", count: 1_000_000)
        let text = Self.worked.replacingOccurrences(of: "\"pending\"", with: "\"\\u001b[31m" + String(repeating: "x", count: 1_000_000) + "\"")
        do {
            _ = try Day.decode(Data(text.utf8), file: "day.json")
            Issue.record("accepted an unknown authorization status")
        } catch let error as InputError {
            let message = error.description
            #expect(message.hasPrefix("day.json: requests[4].authorization.status: "), "\(message.prefix(200))")
            #expect(message.count < 700, "\(message.count) characters")
            #expect(message.contains("…"))
            #expect(!message.unicodeScalars.contains { $0.value < 0x20 })
        }
        // Long words clip at 80 characters, and a long message as a whole.
        let word = InputError(path: "x", message: "value " + huge).description
        #expect(word.count <= "x: value ".count + 1 + 80 + 1 + 10)
        let many = InputError(path: "x", message: String(repeating: "word ", count: 100_000)).description
        #expect(many.count <= 600)
    }

    @Test func theCommandLinePrintsOneShortLine() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("day.json").path
        let text = Self.worked.replacingOccurrences(of: "\"R1\"", with: "\"R1\\n\\u001b[2Jinjected" + String(repeating: "y", count: 200_000) + "\"")
            .replacingOccurrences(of: "\"id\": \"R2\"", with: "\"id\": \"R1\\n\\u001b[2Jinjected" + String(repeating: "y", count: 200_000) + "\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        let run = try CLIRunner.run(["solve", file, "--method", "greedy"])
        #expect(run.status == 2)
        #expect(run.stderr.count < 1000, "\(run.stderr.count) characters")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr.prefix(300))")
        #expect(!run.stderr.contains("\u{1B}"))
    }

    // MARK: Touching chair windows (SPEC §2.2)

    static func touchingDay(_ windows: [[String]]) -> Day {
        Day(date: CivilDate(year: 2026, month: 12, day: 1)!, slotMinutes: 15,
            clinic: ClinicHours(open: t("08:00"), close: t("17:00"), latestEnd: t("18:00")),
            chairs: [Chair(id: "C1", type: "recliner", available: windows.map { TimeWindow(start: t($0[0]), end: t($0[1])) })],
            nurses: [Nurse(id: "N1", shiftStart: t("07:00"), shiftEnd: t("18:00"))],
            pharmacy: Pharmacy(open: t("07:00"), compounders: 1),
            lab: Lab(open: t("07:00"), stations: 1, drawMinutes: 10, turnaroundMinutes: 30),
            regimens: [Regimen(id: "TWO", chairMinutes: 120, chairTypes: ["recliner"])],
            requests: [TreatmentRequest(id: "R1", regimen: "TWO", window: PatientWindow(earliest: t("11:00"), latest: t("13:00")))])
    }

    @Test func touchingWindowsCountAsOne() throws {
        let day = try ResolvedDay(Self.touchingDay([["08:00", "12:00"], ["12:00", "16:00"]]))
        #expect(day.chairs[0].windows == [480..<960])
        let overlapping = try ResolvedDay(Self.touchingDay([["10:00", "14:00"], ["08:00", "12:00"], ["15:00", "16:00"]]))
        #expect(overlapping.chairs[0].windows == [480..<840, 900..<960])

        // An occupancy 11:00-13:00 across the touch holds: the validator accepts it…
        let across = Placement(request: 0, chair: 0, nurse: 0, start: 11 * 60, drawStart: nil, station: nil, prepStart: nil, compounder: nil)
        #expect(Validator.violations(of: [across], day: day).map(\.description) == [])
        #expect(day.isAdmissible(0))
        // …and the greedy scheduler uses it (the window leaves it no other start).
        let result = try Scheduler.solve(day, options: SolveOptions(method: .greedy, timeLimit: 10))
        #expect(result.schedule.appointments.map(\.start) == [Self.t("11:00")], "\(result.schedule.unscheduled)")

        // Windows with a gap between them are two.
        let gap = try ResolvedDay(Self.touchingDay([["08:00", "12:00"], ["12:15", "16:00"]]))
        #expect(!Validator.violations(of: [across], day: gap).isEmpty)
        #expect(gap.inadmissibility(of: 0)?.reason == .noFeasibleStart)
    }
}
