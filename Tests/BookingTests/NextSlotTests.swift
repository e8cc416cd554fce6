import Foundation
import Testing

import TestSupport

/// Re-planning asks for the next slot (SPEC §8 "Offers", docs/BOOKING.md): a request the re-plan
/// cancels or drops gets its best offer on a later day of a horizon as `next` on its change.
@Suite struct NextSlotTests {
    typealias F = BookingFixtures

    /// A small day on Tuesday 8 December planned by the greedy scheduler, re-planned at its first
    /// arrival (nothing frozen) after the last patient's labs come back out of range and the
    /// first one cancels; and a horizon of the two days after it, each holding six patients.
    struct Morning {
        var day: Day
        var schedule: Schedule
        var events: EventsFile
        var now: ClockTime
        var result: ReplanResult
        var horizon: Horizon
    }

    static func morning() throws -> Morning {
        let day = DayGenerator.generate(profile: .small, seed: 4, date: F.date(8))
        let schedule = try Scheduler.solve(day, options: SolveOptions(method: .greedy, pace: .deterministic)).schedule
        let byStart = schedule.appointments.sorted { ($0.arrival, $0.request) < ($1.arrival, $1.request) }
        let now = try #require(byStart.first).arrival
        let events = EventsFile(events: [.labsOutOfRange(request: byStart.last!.request), .cancel(request: byStart[0].request)])
        let result = try Replanner.replan(day: day, schedule: schedule, events: events,
                                          options: ReplanOptions(now: now, method: .greedy))
        let later = [9, 10].map { d -> Day in
            var next = DayGenerator.generate(profile: .small, seed: UInt64(d), date: F.date(d))
            next.requests = Array(next.requests.prefix(6))
            return next
        }
        let horizon = Horizon(now: LocalDateTime(date: F.date(8), time: now), days: later, courses: [])
        return Morning(day: day, schedule: schedule, events: events, now: now, result: result, horizon: horizon)
    }

    @Test func aCancelledRequestGetsAValidNextSlotOnALaterDay() throws {
        let m = try Self.morning()
        var session = BookingOffers(m.horizon)
        let schedule = try session.addingNextSlots(to: m.result.schedule, day: m.day, applied: m.result.day)
        let ended = (schedule.changes ?? []).filter { $0.change == "cancelled" || $0.change == "dropped" }
        #expect(ended.count >= 2, "\(schedule.changes ?? [])")
        for change in ended {
            let next = try #require(change.next, "\(change.request) gets a next slot: the later days have room")
            #expect(next.date > F.date(8))
            // The slot is the request's first offer, and that offer is a valid booking with its proof.
            let request = try #require(m.day.requests.first { $0.id == change.request })
            var horizon = m.horizon
            horizon.courses = [BookingOffers.rebooking(request, after: F.date(8))]
            var fresh = BookingOffers(horizon)
            let offer = try #require(try fresh.offers(for: request.id, count: 1).offers.first)
            #expect(offer.visits[0].date == next.date && offer.visits[0].start == next.start)
            let report = BookingValidator.validate(try F.bookings(offer, course: request.id, horizon: horizon), horizon: horizon)
            #expect(report.isValid, "\(report.violations.map(\.description))")
        }
        // Every other change is as the re-plan wrote it.
        for (a, b) in zip(schedule.changes ?? [], m.result.schedule.changes ?? []) {
            var plain = a
            plain.next = nil
            #expect(plain == b)
        }
        #expect(schedule.jsonString().contains("\"next\": {"))
        #expect(!m.result.schedule.jsonString().contains("\"next\""), "without a horizon, no next")
    }

    @Test func theCommandWritesNextOnlyWithAHorizon() throws {
        let m = try Self.morning()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let day = try write("day.json", m.day.jsonString()), schedule = try write("schedule.json", m.schedule.jsonString())
        let events = try write("events.json", m.events.jsonString()), horizon = try write("horizon.json", m.horizon.jsonString())
        let base = ["reschedule", day, schedule, events, "--now", "\(m.now)", "--method", "greedy"]
        let plain = try CLIRunner.run(base)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(!plain.stdout.contains("\"next\""))
        let with = try CLIRunner.run(base + ["--horizon", horizon])
        #expect(with.status == 0, "\(with.stderr)")
        #expect(with.stdout.contains("\"next\": {"))
        #expect(with.stderr.contains("next slot on a later day for 2 of 2 dropped or cancelled request(s)"), "\(with.stderr)")
        let again = try CLIRunner.run(base + ["--horizon", horizon])
        #expect(try Schedule.decode(Data(again.stdout.utf8)).changes == Schedule.decode(Data(with.stdout.utf8)).changes, "deterministic")
        let bad = try CLIRunner.run(base + ["--horizon", dir.appendingPathComponent("none.json").path])
        #expect(bad.status == 2 && bad.stderr.contains("none.json"), "\(bad.stderr)")
    }
}
