import Foundation
import Testing

import TestSupport

/// Generated horizons: byte-stable, weekdays open, and days whose patients already booked can all stay.
@Suite struct HorizonGeneratorTests {
    @Test func sameArgumentsGiveTheSameBytesAndAnotherSeedOthers() {
        let a = HorizonGenerator.generate(profile: .small, weeks: 2, courses: 6, load: 0.5, seed: 11).jsonString()
        let b = HorizonGenerator.generate(profile: .small, weeks: 2, courses: 6, load: 0.5, seed: 11).jsonString()
        let c = HorizonGenerator.generate(profile: .small, weeks: 2, courses: 6, load: 0.5, seed: 12).jsonString()
        #expect(a == b)
        #expect(a != c)
    }

    @Test func everyDayIsAnOpenWeekdayWhosePatientsAGreedyScheduleAllPlaces() throws {
        let horizon = HorizonGenerator.generate(profile: .small, weeks: 3, courses: 10, load: 0.8, seed: 5)
        #expect(try Horizon.decode(Data(horizon.jsonString().utf8)) == horizon)
        let dates = horizon.days.map(\.date)
        #expect(dates == dates.sorted() && dates.first! > horizon.now.date)
        // 8–28 December: 15 weekdays (1970-01-01 was a Thursday), less the 24th and 25th and one training day.
        #expect(dates.allSatisfy { ($0.dayNumber + 3) % 7 < 5 && !($0.month == 12 && (24...26).contains($0.day)) })
        #expect(dates.count == 12)
        let generated = Int((0.8 * Double(GeneratorParameters.preset(.small).requests)).rounded())
        var pruned = 0
        for day in horizon.days {
            let resolved = try ResolvedDay(day)
            let solved = try Scheduler.solve(resolved, options: SolveOptions(method: .greedy, pace: .deterministic))
            #expect(solved.schedule.unscheduled.isEmpty, "\(day.date): \(solved.schedule.unscheduled.map(\.request))")
            #expect(Validator.validate(solved.schedule, day: resolved).isValid)
            #expect(day.requests.count <= generated)
            if day.requests.count < generated { pruned += 1 }
        }
        // At load 0.8 some days had requests no schedule placed (or with a pending authorization), and lost them.
        #expect(pruned > 0)
        #expect(horizon.courses.count == 10)
        #expect(horizon.courses.allSatisfy { $0.visits.first?.offsetDays == 0 })
    }

    @Test func loadScalesTheDays() {
        let empty = HorizonGenerator.generate(profile: .small, weeks: 1, courses: 2, load: 0, seed: 1)
        #expect(empty.days.allSatisfy { $0.requests.isEmpty })
        let light = HorizonGenerator.generate(profile: .small, weeks: 1, courses: 2, load: 0.3, seed: 1)
        let heavy = HorizonGenerator.generate(profile: .small, weeks: 1, courses: 2, load: 0.9, seed: 1)
        let count = { (h: Horizon) in h.days.reduce(0) { $0 + $1.requests.count } }
        #expect(count(light) > 0 && count(light) < count(heavy))
    }

    @Test func bookingsOfGeneratedCoursesValidate() throws {
        let horizon = HorizonGenerator.generate(profile: .small, weeks: 2, courses: 8, load: 0.5, seed: 1)
        let bookability = Bookability(horizon)
        // Book the first bookable course at the first of its candidate dates that the assembler accepts.
        let course = try #require(horizon.courses.first { bookability.unbookability(of: $0) == nil && $0.visits.count == 1 }
                                  ?? horizon.courses.first { bookability.unbookability(of: $0) == nil })
        var booked: Bookings?
        search: for day in horizon.days where day.date >= horizon.earliest(of: course) {
            var dates = [day.date]
            for visit in course.visits.dropFirst() {
                guard let d = horizon.days.map(\.date).first(where: { abs($0.dayNumber - day.date.dayNumber - visit.offsetDays!) <= (visit.toleranceDays ?? 0) })
                else { continue search }
                dates.append(d)
            }
            for hour in 9...14 {
                if let b = try? horizon.bookings(placing: [course.id: dates.map { ($0, ClockTime(hour: hour, minute: 0)!) }]) {
                    booked = b
                    break search
                }
            }
        }
        let bookings = try #require(booked)
        let report = BookingValidator.validate(bookings, horizon: horizon)
        #expect(report.isValid, "\(report.violations)")
        #expect(bookings.bookings.count == 1 && bookings.unbooked.count == 7)
    }
}
