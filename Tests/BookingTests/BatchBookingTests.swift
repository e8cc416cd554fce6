import Foundation
import Testing

import TestSupport

/// Batch booking (`book`): both methods' bookings pass the validator, the program never does
/// worse than first-fit, runs are byte-stable, courses compete for capacity, and the command.
@Suite struct BatchBookingTests {
    typealias F = BookingFixtures

    /// Small generated horizons: a few weeks of small days already half full.
    static let horizons: [(weeks: Int, courses: Int, seed: UInt64)] = [(2, 10, 3), (3, 16, 5)]

    static func generated(_ i: Int) -> Horizon {
        let h = horizons[i]
        return HorizonGenerator.generate(profile: .small, weeks: h.weeks, courses: h.courses, load: 0.6, seed: h.seed)
    }

    /// The text of `bookings` with `solver.seconds` blanked (the one field allowed to differ).
    static func stable(_ bookings: Bookings) -> String {
        var b = bookings
        b.solver?.seconds = 0
        return b.jsonString()
    }

    @Test(arguments: 0..<horizons.count) func bothMethodsAreValidAndMipIsNoWorse(_ i: Int) throws {
        let horizon = Self.generated(i)
        let firstFit = try BatchBooking.book(horizon, method: .firstfit)
        let mip = try BatchBooking.book(horizon, method: .mip, timeLimit: 60)
        for b in [firstFit, mip] {
            let report = BookingValidator.validate(b, horizon: horizon)
            #expect(report.isValid, "\(report.violations.map(\.description))")
            #expect(b.bookings.count + b.unbooked.count == horizon.courses.count)
        }
        #expect(firstFit.bookings.count > 0)
        #expect(mip.bookings.count >= firstFit.bookings.count)
        let (m, f) = (try #require(mip.objective?.total), try #require(firstFit.objective?.total))
        #expect(m <= f + 1e-6, "mip \(m), first-fit \(f)")
        #expect(firstFit.solver?.method == .greedy && firstFit.solver?.bound == nil)
        #expect(mip.solver?.method == .mip)
        if let bound = mip.solver?.bound { #expect(bound <= m + 1e-6 && (mip.solver?.gap ?? -1) >= 0) }
        #expect(mip.solver?.note?.contains("mip books \(mip.bookings.count)") == true, "\(mip.solver?.note ?? "")")
    }

    @Test func sameHorizonGivesTheSameBytes() throws {
        let horizon = Self.generated(1)
        for method in BookingMethod.allCases {
            let a = try BatchBooking.book(horizon, method: method), b = try BatchBooking.book(horizon, method: method)
            #expect(Self.stable(a) == Self.stable(b), "\(method)")
        }
    }

    /// One open day with a single bed and no patients; two courses of one eight-hour visit in a
    /// bed, both only on that day: one is booked, the other left out for `capacity`.
    @Test(arguments: BookingMethod.allCases) func twoCoursesCompetingForTheOnlyBed(_ method: BookingMethod) throws {
        var day = DayGenerator.generate(profile: .small, seed: 8, date: F.date(8))
        day.requests = []
        for i in day.chairs.indices where day.chairs[i].type == "bed" { day.chairs[i].type = "recliner" }
        day.chairs[0].type = "bed"
        #expect(day.regimens.contains { $0.id == "RITUX-FIRST" && $0.chairTypes == ["bed"] && $0.chairMinutes > 360 })
        let courses = ["K1", "K2"].map { Course(id: $0, regimen: "RITUX-FIRST", earliest: F.date(8), latest: F.date(8), visits: [CourseVisit()]) }
        let horizon = Horizon(now: LocalDateTime(date: F.date(7), time: F.time(16)), days: [day], courses: courses)
        let b = try BatchBooking.book(horizon, method: method)
        #expect(BookingValidator.validate(b, horizon: horizon).isValid)
        #expect(b.bookings.count == 1)
        #expect(b.unbooked.map(\.reason) == [.capacity])
        #expect(Set(b.bookings.map(\.course) + b.unbooked.map(\.course)) == ["K1", "K2"])
        #expect(b.objective?.unbooked == 10_000)
    }

    @Test func bookCommandWritesValidBookingsAndRefusesBadInput() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let horizon = dir.appendingPathComponent("h.json").path, out = dir.appendingPathComponent("b.json").path
        try Data(Self.generated(0).jsonString().utf8).write(to: URL(fileURLWithPath: horizon))
        for method in ["firstfit", "mip"] {
            let run = try CLIRunner.run(["book", horizon, "--method", method, "--time-limit", "30", "--output", out])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("booked "), "\(run.stderr)")
            let check = try CLIRunner.run(["validate-bookings", horizon, out])
            #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        }
        let bad = F.horizon().jsonString().replacingOccurrences(of: "\"offsetDays\": 7", with: "\"offsetDays\": -7")
        try Data(bad.utf8).write(to: URL(fileURLWithPath: horizon))
        let refused = try CLIRunner.run(["book", horizon])
        #expect(refused.status == 2)
        #expect(refused.stderr == "error: \(horizon): courses[0].visits[1].offsetDays: offset -7 is not after the previous visit's (0)\n", "\(refused.stderr)")
        let usage = try CLIRunner.run(["book", horizon, "--method", "best"])
        #expect(usage.status == 2)
    }
}
