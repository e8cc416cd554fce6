import Benchmark
import Foundation
import InfusionScheduler

/// The xl day (seed 1, the committed `instances/xl-1.json`) as file bytes, and its greedy
/// schedule as a schedule file, both made once outside the measured region.
struct XLInput: Sendable {
    let bytes: Data
    let day: ResolvedDay
    let schedule: Schedule

    init() {
        let generated = DayGenerator.generate(profile: .xl, seed: 1)
        bytes = Data(generated.jsonString().utf8)
        // The generator guarantees a day that resolves and fixed bookings that hold together.
        day = try! ResolvedDay(generated)
        let placements = try! GreedyScheduler(day: day).schedule()
        schedule = day.makeSchedule(placements: placements, solver: SolverReport(method: .greedy, status: .feasible, seconds: 0))
    }
}

let xl = XLInput()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 50)

    // Decoding includes the checks of ResolvedDay that Day.decode runs on every file.
    Benchmark("Decode xl day", closure: { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Day.decode(xl.bytes, file: "xl-1.json"))
        }
    }, setup: { blackHole(xl.bytes.count) })

    Benchmark("Validate xl greedy schedule", closure: { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Validator.validate(xl.schedule, day: xl.day))
        }
    }, setup: { blackHole(xl.bytes.count) })
}
