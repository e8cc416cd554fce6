import Benchmark
import Foundation
import InfusionScheduler

/// An 8-week horizon of medium days at a load (seed 1), with one course to offer: three
/// DOCETAXEL visits on days 0, 7 and 14 (tolerance 1 on the later two), first visit within two
/// weeks of the day after `now`. Built once, outside the measured region, with a session whose
/// days the course touches are already built (the warm case).
struct OfferInput: Sendable {
    let horizon: Horizon
    let warm: BookingOffers
    static let course = "B1"

    init(load: Double) {
        var generated = HorizonGenerator.generate(profile: .medium, weeks: 8, courses: 0, load: load, seed: 1)
        let from = generated.now.date.adding(days: 1)
        generated.courses = [Course(id: Self.course, regimen: "DOCETAXEL", earliest: from, latest: from.adding(days: 14),
                                    visits: [CourseVisit(offsetDays: 0), CourseVisit(offsetDays: 7, toleranceDays: 1),
                                             CourseVisit(offsetDays: 14, toleranceDays: 1)])]
        horizon = generated
        var session = BookingOffers(generated)
        _ = try! session.offers(for: Self.course, count: 3)
        warm = session
    }
}

/// The loads measured: the 60–80 %, 70 % the headline.
let inputs: [(percent: Int, input: OfferInput)] = [60, 70, 80].map { ($0, OfferInput(load: Double($0) / 100)) }

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 50)

    for (percent, input) in inputs {
        // Cold: a fresh session, so every day the search touches is built (its patients placed) in the call.
        Benchmark("Offers cold (3 visits, medium 8 weeks, \(percent) %)", closure: { benchmark in
            for _ in benchmark.scaledIterations {
                var session = BookingOffers(input.horizon)
                blackHole(try session.offers(for: OfferInput.course, count: 3))
            }
        }, setup: { blackHole(input.horizon.days.count) })

        // Warm: the days are built; each call still finds its slots afresh.
        Benchmark("Offers warm (3 visits, medium 8 weeks, \(percent) %)", closure: { benchmark in
            for _ in benchmark.scaledIterations {
                var session = input.warm
                blackHole(try session.offers(for: OfferInput.course, count: 3))
            }
        }, setup: { blackHole(input.warm.builtDays) })
    }
}
