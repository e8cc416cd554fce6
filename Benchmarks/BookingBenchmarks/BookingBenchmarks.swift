import Benchmark
import Foundation
import InfusionScheduler

/// An 8-week horizon of medium days at 70 % load (seed 1), with one course to offer: three
/// DOCETAXEL visits on days 0, 7 and 14 (tolerance 1 on the later two), first visit within two
/// weeks of the day after `now`. Built once, outside the measured region.
struct OfferInput: Sendable {
    let horizon: Horizon
    let course = "B1"

    init() {
        var generated = HorizonGenerator.generate(profile: .medium, weeks: 8, courses: 0, load: 0.7, seed: 1)
        let from = generated.now.date.adding(days: 1)
        generated.courses = [Course(id: course, regimen: "DOCETAXEL", earliest: from, latest: from.adding(days: 14),
                                    visits: [CourseVisit(offsetDays: 0), CourseVisit(offsetDays: 7, toleranceDays: 1),
                                             CourseVisit(offsetDays: 14, toleranceDays: 1)])]
        horizon = generated
    }
}

let input = OfferInput()

/// A session whose days the course touches are already built.
let warm: BookingOffers = {
    var session = BookingOffers(input.horizon)
    _ = try! session.offers(for: input.course, count: 3)
    return session
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 50)

    // Cold: a fresh session, so every day the search touches is built (its patients placed) in the call.
    Benchmark("Offers cold (3 visits, medium 8 weeks, 70 %)", closure: { benchmark in
        for _ in benchmark.scaledIterations {
            var session = BookingOffers(input.horizon)
            blackHole(try session.offers(for: input.course, count: 3))
        }
    }, setup: { blackHole(input.horizon.days.count) })

    // Warm: the days are built; each call still finds its slots afresh.
    Benchmark("Offers warm (3 visits, medium 8 weeks, 70 %)", closure: { benchmark in
        for _ in benchmark.scaledIterations {
            var session = warm
            blackHole(try session.offers(for: input.course, count: 3))
        }
    }, setup: { blackHole(warm.builtDays) })
}
