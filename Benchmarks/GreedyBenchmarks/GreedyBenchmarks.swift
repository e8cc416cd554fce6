import Benchmark
import InfusionScheduler

/// The day of each profile (seed 1, the committed instances), generated and resolved once,
/// outside every measured region.
let days: [(profile: DayProfile, day: ResolvedDay)] = DayProfile.allCases.map { profile in
    // The generator guarantees a day that resolves.
    (profile, try! ResolvedDay(DayGenerator.generate(profile: profile, seed: 1)))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 50)

    for (profile, day) in days {
        // Touching the global in setup keeps its generation out of the first measurement.
        Benchmark("Greedy \(profile.rawValue)", closure: { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try GreedyScheduler(day: day).schedule())
            }
        }, setup: { blackHole(days.count) })
    }
}
