import Foundation
import Testing

import TestSupport

/// The bookings validator accepts bookings made by hand and refuses each kind of break.
@Suite struct BookingValidatorTests {
    typealias F = BookingFixtures

    func rules(_ bookings: Bookings, _ horizon: Horizon = F.horizon()) -> Set<BookingViolation.Rule> {
        Set(BookingValidator.validate(bookings, horizon: horizon).violations.map(\.rule))
    }

    @Test func acceptsBookingsMadeByHand() throws {
        let horizon = F.horizon()
        let bookings = try F.bookings(for: horizon)
        let report = BookingValidator.validate(bookings, horizon: horizon)
        #expect(report.isValid, "\(report.violations)")
        #expect(report.notes.isEmpty, "\(report.notes)")
        #expect(report.objective == BookingObjective(unbooked: 10_000, delay: 20, offset: 100, overtime: 0, preference: 12))
        #expect(report.objective.total == 10_132)
        // Both visits' authorization ends within 21 days: the alerts name the visits.
        #expect(bookings.alerts.map(\.request) == ["K1.1", "K1.2"])
    }

    @Test func theAugmentedDayAddsEachVisitAsTheCourseSays() throws {
        var horizon = F.horizon()
        horizon.courses[0].drugLeadHours = 20
        horizon.courses[0].visits[1].regimen = "HYDRATION"
        let day = try horizon.augmentedDay(on: F.date(17), with: [VisitBooking(course: "K1", visit: 2, start: F.time(11))])
        #expect(day.requests.count == 7)
        let visit = try #require(day.requests.last)
        #expect(visit.id == "K1.2")
        #expect(visit.regimen == "HYDRATION")
        #expect(visit.weight == 2)
        #expect(visit.preferredStart == F.time(9, 30))
        #expect(visit.fixed == FixedBooking(start: F.time(11)))
        #expect(visit.drugReadyAt == LocalDateTime(date: F.date(8), time: F.time(12)))
        #expect(visit.authorization == horizon.courses[0].authorization)
        #expect(throws: InputError.self) { try horizon.augmentedDay(on: F.date(9), with: []) }
        #expect(throws: InputError.self) {
            try horizon.augmentedDay(on: F.date(8), with: [VisitBooking(course: "K1", visit: 3, start: F.time(11))])
        }
    }

    @Test func refusesAMovedStart() throws {
        var bookings = try F.bookings(for: F.horizon())
        bookings.bookings[0].visits[0].start = F.time(10, 15)
        bookings.bookings[0].visits[0].end = F.time(11, 15)
        let broken = rules(bookings)
        #expect(broken.contains(.placement))
        #expect(broken.contains(.days))  // the schedule does not hold the visit at its fixed start
    }

    @Test func refusesAnotherChair() throws {
        var bookings = try F.bookings(for: F.horizon())
        let chair = bookings.bookings[0].visits[1].chair
        bookings.bookings[0].visits[1].chair = chair == "C01" ? "C02" : "C01"
        #expect(rules(bookings) == [.placement])
    }

    @Test func refusesAVisitOutsideItsTolerance() throws {
        var horizon = F.horizon()
        let bookings = try F.bookings(for: horizon)
        horizon.courses[0].visits[1].toleranceDays = 1
        let report = BookingValidator.validate(bookings, horizon: horizon)
        #expect(report.violations.map(\.rule) == [.dates])
        #expect(report.violations.first?.message.contains("K1.2") == true)
    }

    @Test func refusesAFirstVisitBeforeEarliestOrAfterLatestOrNotAfterNow() throws {
        var horizon = F.horizon()
        let bookings = try F.bookings(for: horizon)
        horizon.courses[0].earliest = F.date(9)
        #expect(rules(bookings, horizon).contains(.dates))
        horizon = F.horizon()
        horizon.courses[0].latest = F.date(7)
        #expect(rules(bookings, horizon).contains(.dates))
        // Booked at 10:00 on the 8th when the booking is made at 10:00 that day.
        horizon = F.horizon(now: LocalDateTime(date: F.date(8), time: F.time(10)))
        #expect(rules(bookings, horizon).contains(.dates))
    }

    @Test func refusesADroppedPatientAlreadyBooked() throws {
        var bookings = try F.bookings(for: F.horizon())
        var schedule = bookings.days[0].schedule
        let index = try #require(schedule.appointments.firstIndex { !$0.request.hasPrefix("K1.") })
        let dropped = schedule.appointments.remove(at: index)
        schedule.unscheduled.append(UnscheduledRequest(request: dropped.request, reason: .capacity))
        bookings.days[0].schedule = schedule
        let report = BookingValidator.validate(bookings, horizon: F.horizon())
        #expect(report.violations.map(\.rule) == [.displaced], "\(report.violations)")
        #expect(report.violations.first?.message.contains(dropped.request) == true)
    }

    @Test func refusesAWrongObjective() throws {
        var bookings = try F.bookings(for: F.horizon())
        bookings.objective = BookingObjective(unbooked: 10_000, delay: 20, offset: 0, overtime: 0, preference: 12)
        let report = BookingValidator.validate(bookings, horizon: F.horizon())
        #expect(report.violations.map(\.message) == ["objective.offset reported 0, recomputed 100", "objective.total reported 10032, recomputed 10132"])
        bookings.objective = nil
        #expect(rules(bookings) == [.objective])
    }

    @Test func refusesWrongReasons() throws {
        var bookings = try F.bookings(for: F.horizon())
        bookings.unbooked[0].reason = .capacity  // K2 is pending: authorization
        #expect(rules(bookings) == [.reason])  // the objective counts what the course is, not what it is called
        bookings = try F.bookings(for: F.horizon())
        bookings.unbooked[1].reason = .window  // K3 fits an empty horizon: capacity
        #expect(rules(bookings) == [.reason])
    }

    @Test func refusesACourseListedTwiceOrNotAtAllOrInPart() throws {
        var bookings = try F.bookings(for: F.horizon())
        bookings.unbooked.append(UnbookedCourse(course: "K1", reason: .capacity))
        #expect(rules(bookings).contains(.coverage))
        bookings = try F.bookings(for: F.horizon())
        bookings.unbooked.removeLast()
        #expect(rules(bookings).contains(.coverage))
        bookings = try F.bookings(for: F.horizon())
        bookings.bookings[0].visits.removeLast()
        #expect(rules(bookings).contains(.visits))
        bookings = try F.bookings(for: F.horizon())
        bookings.days.removeLast()
        #expect(rules(bookings).contains(.days))
        bookings = try F.bookings(for: F.horizon())
        bookings.days.append(bookings.days[0])
        #expect(rules(bookings) == [.days])
    }

    @Test func notesMissingOrUnexpectedAlerts() throws {
        var bookings = try F.bookings(for: F.horizon())
        bookings.alerts.removeFirst()
        bookings.alerts.append(Alert(request: "K3.1", kind: .authorizationExpiring, detail: "expires 2026-12-20"))
        let report = BookingValidator.validate(bookings, horizon: F.horizon())
        #expect(report.isValid)
        #expect(report.notes == ["K1.1: no authorizationExpiring alert", "K3.1: authorizationExpiring alert not expected"])
    }

    @Test func theLibraryAssemblesTheSameBookings() throws {
        let horizon = F.horizon()
        let assembled = try horizon.bookings(placing: ["K1": [(F.date(8), F.time(10)), (F.date(17), F.time(10))]])
        let byHand = try F.bookings(for: horizon)
        #expect(assembled.bookings == byHand.bookings)
        #expect(assembled.unbooked.map(\.reason) == byHand.unbooked.map(\.reason))
        #expect(assembled.objective == byHand.objective)
        #expect(BookingValidator.validate(assembled, horizon: horizon).isValid)
    }
}

/// Which courses fit an otherwise empty horizon, and the reason of those that do not.
@Suite struct BookabilityTests {
    typealias F = BookingFixtures

    func reason(_ change: (inout Course) -> Void) -> UnbookedReason? {
        let horizon = F.horizon()
        var course = horizon.courses[0]
        change(&course)
        return Bookability(horizon).unbookability(of: course)?.reason
    }

    @Test func readsEachReasonInOrder() {
        #expect(reason { _ in } == nil)
        #expect(reason { $0.authorization = Authorization(status: .denied) } == .authorization)
        // Approved, but only until before the first open date.
        #expect(reason { $0.authorization = Authorization(status: .approved, validTo: F.date(7)) } == .authorization)
        // The second visit can only fall within its tolerance after the authorization ends.
        #expect(reason { $0.authorization = Authorization(status: .approved, validTo: F.date(10)) } == .authorization)
        #expect(reason { $0.drugLeadHours = 24 * 40 } == .drugLead)
        // Ready on the 9th at 16:00: too late for a first visit that must be on the 8th.
        #expect(reason { $0.drugLeadHours = 48; $0.latest = F.date(8) } == .drugLead)
        #expect(reason { $0.drugLeadHours = 24; $0.latest = F.date(8) } == nil)
        #expect(reason { $0.window = PatientWindow(latest: F.time(8)) } == .window)
        #expect(reason { $0.visits[1].offsetDays = 3; $0.visits[1].toleranceDays = 0 } == .window)
        // Labs that can never be valid are no reason of their own: window.
        #expect(reason { $0.labs = LabStatus(allowSameDayDraw: false) } == .window)
        // Authorization before the drug: both rule it out.
        #expect(reason { $0.drugLeadHours = 24 * 40; $0.authorization = Authorization(status: .approved, validTo: F.date(7)) } == .authorization)
    }

    @Test func aVisitMustStartAfterNow() {
        var horizon = F.horizon(now: LocalDateTime(date: F.date(8), time: F.time(18, 45)))
        horizon.courses[0].latest = F.date(8)
        #expect(Bookability(horizon).unbookability(of: horizon.courses[0])?.reason == .window)
        horizon.now = LocalDateTime(date: F.date(8), time: F.time(7))
        #expect(Bookability(horizon).unbookability(of: horizon.courses[0]) == nil)
    }
}
