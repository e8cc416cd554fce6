import ArgumentParser
import Foundation

import InfusionScheduler

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Live through a schedule's day many times under drawn noise and report how it holds up.",
        discussion: """
            Each run draws actual chair minutes, no-shows, late arrivals, late lab results and late \
            drugs (docs/ROBUSTNESS.md) and replays the day minute by minute with the planned chairs \
            and nurses. The same seed gives the same report, byte for byte, for any --jobs.
            """)

    @Argument(help: "The day file (infusion-day/1); - reads it from standard input.")
    var day: String

    @Argument(help: "The schedule file (infusion-schedule/1); it must be a valid schedule of the day.")
    var schedule: String

    @Option(help: "Simulated days (1...1000000).")
    var runs: Int = 1000

    @Option(help: "The seed of the noise.")
    var seed: UInt64 = 1

    @Option(help: "The noise model (infusion-noise/1); default: the defaults of docs/ROBUSTNESS.md.")
    var noise: String?

    @Option(help: "Runs simulated at once (1...256, default: all cores); the report does not depend on it.")
    var jobs: Int?

    @Option(name: .shortAndLong, help: "Write the report (infusion-simulation/1) here, - for stdout; without it a summary goes to stdout.")
    var output: String?

    @Option(help: "Also draw the waits, the overtime and the chairs in use per hour to this SVG file.")
    var chart: String?

    func validate() throws {
        guard (1...1_000_000).contains(runs) else { throw ValidationError("--runs must be in 1...1000000") }
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be in 1...256") }
    }

    func run() throws {
        let resolved = try ResolvedDay(loadDay(day))
        let plan = try Schedule.load(path: schedule)
        let model = try noise.map(NoiseModel.load(path:)) ?? .defaults
        let options = SimulationOptions(runs: runs, seed: seed, noise: model,
                                        jobs: jobs ?? min(256, ProcessInfo.processInfo.activeProcessorCount))
        let clock = ContinuousClock.now
        let report: SimulationReport
        do {
            report = try Simulator.simulate(plan, day: resolved, options: options, scheduleFile: schedule)
        } catch let error as SimulationError {
            InfusionSchedulerCLI.fail("error: \(error)", code: 70)
        }
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if let chart { try emit(SimulationChart.svg(of: report), to: chart) }
        switch output {
        case nil:
            print(report.summary(), terminator: "")
        case "-":
            print(report.json(), terminator: "")
        case let path?:
            try emit(report.json(), to: path)
            note(report.summary().trimmingCharacters(in: .newlines))
        }
        note("\(runs) runs in \(String(format: "%.2f", seconds)) s with \(options.jobs) job(s)")
    }
}
