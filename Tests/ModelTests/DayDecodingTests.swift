import Foundation
import Testing

import TestSupport

@Suite struct DayDecodingTests {
    /// The conveniences an embedder reaches for: `ClockTime(hour:minute:)` (nil outside the day,
    /// as parsing), `load(url:)`, and `Validator.validate(_:day:)` on an unresolved day.
    @Test func embedderConveniences() throws {
        #expect(ClockTime(hour: 9, minute: 30) == ClockTime(parsing: "09:30"))
        #expect(ClockTime(hour: 24, minute: 0) == ClockTime(parsing: "24:00"))
        for (h, m) in [(24, 1), (-1, 0), (9, 60), (9, -5)] { #expect(ClockTime(hour: h, minute: m) == nil, "\(h):\(m)") }
        let url = URL(fileURLWithPath: TestFiles.fixture("worked-day.json"))
        let day = try Day.load(url: url)
        #expect(day == (try Day.load(path: url.path)))
        let schedule = try Schedule.load(url: URL(fileURLWithPath: TestFiles.fixture("worked-schedule.json")))
        #expect(try Validator.validate(schedule, day: day).isValid)
        #expect(throws: InputError.self) { try Day.load(url: url.appendingPathExtension("missing")) }
    }

    @Test func workedDayResolvesWithDefaults() throws {
        let day = try TestFiles.workedDay()
        #expect(day.chairs.count == 3)
        #expect(day.chairs[2].windows == [450..<780])
        #expect(day.chairs[0].windows == [450..<1140])  // absent = open..latestEnd
        #expect(day.nurses[0].breakTime == 690..<720)
        #expect(day.regimens[2].acuity == 1)
        #expect(day.requests[0].labsValidUntil == 480)
        #expect(day.requests[1].labsValidUntil == nil && day.requests[1].needsLabs)
        #expect(day.requests[4].authorizationProblem == "authorization pending")
        #expect(day.weights.unscheduledPenalty == 1000)
    }

    @Test func dayRoundTripsThroughItsJSON() throws {
        let day = try Day.load(path: TestFiles.fixture("worked-day.json"))
        let again = try Day.decode(Data(day.jsonString().utf8))
        #expect(again == day)
    }

    @Test func unknownRegimenNamesThePath() throws {
        var day = try Day.load(path: TestFiles.fixture("worked-day.json"))
        day.requests[3].regimen = "XELOX"
        #expect(throws: InputError(path: "requests[3].regimen", message: "unknown regimen \"XELOX\"", kind: .unknownReference)) {
            try ResolvedDay(day)
        }
    }

    @Test func decodingErrorsCarryFileAndPath() {
        let text = #"{"format":"infusion-day/1","date":"2026-12-01","slotMinutes":15,"clinic":{"open":"7:30","close":"17:30","latestEnd":"19:00"}}"#
        do {
            _ = try Day.decode(Data(text.utf8), file: "day.json")
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.file == "day.json")
            #expect(error.path == "clinic.open")
            #expect(error.description.hasPrefix("day.json: clinic.open: malformed time"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func dateArithmetic() {
        let d = CivilDate(parsing: "2024-02-28")!
        #expect(d.adding(days: 1).description == "2024-02-29")
        #expect(d.adding(days: 2).description == "2024-03-01")
        #expect(CivilDate(parsing: "2023-02-29") == nil)
        #expect(CivilDate(parsing: "1970-01-01")!.dayNumber == 0)
        #expect(LocalDateTime(parsing: "2026-11-30T23:00")!.minutes(relativeTo: CivilDate(parsing: "2026-12-01")!) == -60)
    }
}
