import Foundation
import Testing

import TestSupport

/// Offers for one course (SPEC §8 "Offers"): each is a valid booking with its proofs, they come
/// cheapest first, the first is no dearer than any booking found by trying every date tuple and
/// start, and the command writes the same bytes twice.
@Suite struct OffersTests {
    typealias F = BookingFixtures

    /// Every offer of every course of `horizon` is valid as bookings; offers are ranked 1…, cheapest
    /// first, distinct, at most `count`.
    func checkAllOffers(_ horizon: Horizon, count: Int) throws -> Int {
        var session = BookingOffers(horizon)
        var total = 0
        for course in horizon.courses {
            let result = try session.offers(for: course.id, count: count)
            #expect(result.course == course.id)
            #expect(result.offers.count <= count)
            #expect(result.offers.map(\.rank) == result.offers.indices.map { $0 + 1 })
            #expect(zip(result.offers, result.offers.dropFirst()).allSatisfy { $0.cost <= $1.cost }, "\(course.id): cheapest first")
            #expect(Set(result.offers.map { $0.visits.map(\.date) }).count == result.offers.count, "\(course.id): distinct date tuples")
            #expect((result.reason == nil) == !result.offers.isEmpty)
            for offer in result.offers {
                #expect(offer.visits.count == course.visits.count)
                #expect(offer.visits.allSatisfy { $0.start.minutes > horizon.now.minutes(relativeTo: $0.date) }, "starts after now")
                let report = BookingValidator.validate(try F.bookings(offer, course: course.id, horizon: horizon), horizon: horizon)
                #expect(report.isValid, "\(course.id) offer \(offer.rank): \(report.violations.map(\.description))")
            }
            total += result.offers.count
        }
        return total
    }

    @Test func everyOfferIsAValidBookingOnTheHandMadeHorizon() throws {
        #expect(try checkAllOffers(F.horizon(), count: 3) >= 3)
    }

    @Test func everyOfferIsAValidBookingOnTheSmallCommittedHorizon() throws {
        let horizon = try Horizon.load(path: TestFiles.instance("horizon-small-2w.json"))
        #expect(try checkAllOffers(horizon, count: 4) >= 6)
    }

    /// On the hand-made horizon, every date tuple and every pair of starts that the days take
    /// (each visit inserted beside the patients already booked) costs at least the first offer.
    @Test func theFirstOfferIsNoDearerThanAnyBookingByBruteForce() throws {
        let horizon = F.horizon()
        let course = horizon.courses[0]   // K1: IRON on days 0 and 7 ± 2, preferring 09:30
        var session = BookingOffers(horizon)
        let best = try #require(try session.offers(for: course.id, count: 1).offers.first)

        // Each (visit, date): the starts at which the day takes it by insertion, with the visit's resolved day.
        var fitting: [String: [Int]] = [:]
        for k in 1...2 {
            for day in horizon.days {
                let base = try BookableDay(day)
                let visit = horizon.visitRequest(course, visit: k, start: nil)
                var open = day
                open.requests.append(visit)
                let resolved = try ResolvedDay(open)
                var starts: [Int] = []
                for s in resolved.startsFeasibleAlone(open.requests.count - 1) {
                    var fixed = day
                    fixed.requests.append(horizon.visitRequest(course, visit: k, start: ClockTime(minutes: s)))
                    let candidate = try ResolvedDay(fixed)
                    if case .fits = try AddedVisits.prove(candidate, added: [fixed.requests.count - 1], base: base.schedule ?? [],
                                                          effort: .insertion) { starts.append(s) }
                }
                fitting["\(k)@\(day.date)"] = starts
            }
        }
        var cheapest = Double.infinity
        var tuples = 0
        for d1 in horizon.days.map(\.date) where d1 >= horizon.now.date {
            for d2 in horizon.days.map(\.date) where abs(d2.dayNumber - d1.dayNumber - 7) <= 2 {
                tuples += 1
                for s1 in fitting["1@\(d1)"] ?? [] {
                    for s2 in fitting["2@\(d2)"] ?? [] {
                        let augmented = [
                            d1: try ResolvedDay(horizon.augmentedDay(on: d1, with: [VisitBooking(course: course.id, visit: 1, start: ClockTime(minutes: s1))])),
                            d2: try ResolvedDay(horizon.augmentedDay(on: d2, with: [VisitBooking(course: course.id, visit: 2, start: ClockTime(minutes: s2))])),
                        ]
                        let cost = horizon.objective(booked: [BookedCourse(course: course, visits: [(d1, s1), (d2, s2)])],
                                                     unbookedBookable: [], augmented: augmented).total
                        cheapest = min(cheapest, cost)
                        #expect(best.cost <= cost + 1e-9, "\(d1) \(s1) / \(d2) \(s2) costs \(cost), below the first offer's \(best.cost)")
                    }
                }
            }
        }
        #expect(tuples >= 2, "more than one date tuple to choose from")
        #expect(abs(cheapest - best.cost) < 1e-9, "the brute force finds the first offer's cost")
    }

    /// Two visits that can only meet on one open date are added to that day in turn; the day's
    /// one schedule holds both and the booking is valid.
    @Test func twoVisitsOnOneDateShareTheDay() throws {
        var horizon = F.horizon()
        horizon.days = [horizon.days[0]]   // only Tuesday 8 December is open
        horizon.courses = [Course(id: "K7", regimen: "IRON", visits: [CourseVisit(), CourseVisit(offsetDays: 1, toleranceDays: 1)])]
        var session = BookingOffers(horizon)
        let result = try session.offers(for: "K7", count: 3)
        let offer = try #require(result.offers.first)
        #expect(result.offers.count == 1, "one date tuple")
        #expect(offer.visits.map(\.date) == [F.date(8), F.date(8)])
        #expect(offer.days.count == 1)
        let ids = Set(offer.days[0].schedule.appointments.map(\.request))
        #expect(ids.isSuperset(of: ["K7.1", "K7.2"]))
        #expect(offer.cost >= 10 + 50, "a day of delay and a day off the offset")
        let report = BookingValidator.validate(try F.bookings(offer, course: "K7", horizon: horizon), horizon: horizon)
        #expect(report.isValid, "\(report.violations.map(\.description))")
    }

    @Test func countIsRespected() throws {
        let horizon = try Horizon.load(path: TestFiles.instance("horizon-small-2w.json"))
        var session = BookingOffers(horizon)
        let three = try session.offers(for: "K006", count: 3).offers
        #expect(three.count == 3)
        let one = try session.offers(for: "K006", count: 1).offers
        #expect(one.count == 1)
        #expect(one.first == three.first, "a warm session gives the same best offer")
        var fresh = BookingOffers(horizon)
        let two = try fresh.offers(for: "K006", count: 2)
        #expect(two.offers == Array(three.prefix(2)))
    }

    @Test func anAuthorizationEndingBeforeAnyDateGetsNoOffer() throws {
        var horizon = F.horizon()
        horizon.courses.append(Course(id: "K9", regimen: "IRON", visits: [CourseVisit()],
                                      authorization: Authorization(status: .approved, validFrom: F.date(1), validTo: F.date(6))))
        var session = BookingOffers(horizon)
        let result = try session.offers(for: "K9", count: 3)
        #expect(result.offers.isEmpty)
        #expect(result.reason == .authorization)
        #expect(result.jsonString().contains("\"reason\": \"authorization\""))
    }

    /// A booking made at noon on an open day offers that day only after noon, and only the days
    /// a course can take are built.
    @Test func startsAreAfterNowAndOnlyTouchedDaysAreBuilt() throws {
        var horizon = F.horizon(now: LocalDateTime(date: F.date(8), time: F.time(12)))
        horizon.courses.append(Course(id: "K4", regimen: "IRON", latest: F.date(8), visits: [CourseVisit()]))
        var session = BookingOffers(horizon)
        let result = try session.offers(for: "K4", count: 3)
        let offer = try #require(result.offers.first)
        #expect(offer.visits[0].date == F.date(8))
        #expect(offer.visits[0].start > F.time(12))
        #expect(session.builtDays == 1, "only the 8th is in K4's window")
        _ = try session.offers(for: "K3", count: 3)
        #expect(session.builtDays == 3, "K3 (from the 15th) adds the 15th and 17th")
    }

    @Test func unknownCourseIsBadInput() throws {
        var session = BookingOffers(F.horizon())
        #expect(throws: InputError.self) { try session.offers(for: "K404") }
    }

    @Test func commandWritesTheSameBytesTwiceAndRefusesAnUnknownCourse() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let horizon = TestFiles.instance("horizon-small-2w.json")
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        let first = try CLIRunner.run(["offers", horizon, "--course", "K006", "--output", a])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("3 offer(s) for K006"), "\(first.stderr)")
        let second = try CLIRunner.run(["offers", horizon, "--course", "K006", "--output", b])
        #expect(second.status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: a))
        #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: b))), "same input, same bytes")
        let json = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        #expect(json["format"] as? String == "infusion-offers/1")
        #expect((json["offers"] as? [[String: Any]])?.count == 3)
        // Each day's proof reads back as a schedule file (without a solver report).
        for offer in json["offers"] as? [[String: Any]] ?? [] {
            for day in offer["days"] as? [[String: Any]] ?? [] {
                let schedule = try Schedule.decode(JSONSerialization.data(withJSONObject: day["schedule"] ?? [:]))
                #expect(schedule.solver == nil && schedule.appointments.contains { $0.request.hasPrefix("K006.") })
            }
        }

        let none = try CLIRunner.run(["offers", horizon, "--course", "K005"])
        #expect(none.status == 0)
        #expect(none.stdout.contains("\"reason\": \"authorization\""), "\(none.stdout)")

        let bad = try CLIRunner.run(["offers", horizon, "--course", "K404"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--course"), "\(bad.stderr)")
        #expect(bad.stdout.isEmpty)

        let zero = try CLIRunner.run(["offers", horizon, "--course", "K006", "--count", "0"])
        #expect(zero.status == 2 && zero.stderr.contains("--count"), "\(zero.stderr)")
        let broken = dir.appendingPathComponent("broken.json").path
        try Data(try String(contentsOfFile: horizon, encoding: .utf8)
            .replacingOccurrences(of: "\"offsetDays\": 7", with: "\"offsetDays\": -7").utf8).write(to: URL(fileURLWithPath: broken))
        let unreadable = try CLIRunner.run(["offers", broken, "--course", "K006"])
        #expect(unreadable.status == 2)
        #expect(unreadable.stderr.contains("broken.json: courses[") && unreadable.stderr.contains("].offsetDays"), "\(unreadable.stderr)")
    }
}
