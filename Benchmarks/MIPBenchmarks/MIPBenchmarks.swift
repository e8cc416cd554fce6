import Benchmark
import InfusionScheduler

/// Time limit of each profile's solve: the targets say optimal within 10 s on small and
/// medium days, and gap <= 1% within 60 s on large ones.
func timeLimit(_ profile: DayProfile) -> Double {
    switch profile {
    case .small, .medium: return 10
    case .large, .xl: return 60
    }
}

/// Each profile's day (seed 1) with its greedy schedule as the incumbent, computed once outside
/// the measured region: the measurement is the integer program alone, as `Scheduler` runs it.
let cases: [(profile: DayProfile, day: ResolvedDay, incumbent: [Placement])] = DayProfile.allCases.map { profile in
    // The generator guarantees a day that resolves and fixed bookings that hold together.
    let day = try! ResolvedDay(DayGenerator.generate(profile: profile, seed: 1))
    return (profile, day, try! GreedyScheduler(day: day).schedule())
}

let benchmarks: @Sendable () -> Void = {
    for (profile, day, incumbent) in cases {
        let limit = timeLimit(profile)
        // Long solves: few iterations, no warm-up (each iteration is a full, independent solve).
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
            warmupIterations: 0,
            maxDuration: .seconds(Int64(limit * 3)),
            maxIterations: limit > 10 ? 1 : 3)
        Benchmark("MIP \(profile.rawValue) (\(Int(limit)) s limit)", configuration: configuration, closure: { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(MIPScheduler(day: day, options: MIPOptions(timeLimit: limit)).solve(incumbent: incumbent))
            }
        }, setup: { blackHole(cases.count) })
    }
}
