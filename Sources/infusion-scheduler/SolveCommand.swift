import ArgumentParser
import Foundation

import InfusionScheduler

struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Schedule a day: writes the schedule JSON, a summary goes to stderr.")

    @Argument(help: "The day file (infusion-day/1); - reads it from standard input.")
    var day: String

    @Option(help: "auto | mip | greedy. auto runs the integer program and falls back to greedy.")
    var method: SolveMethod = .auto

    @Option(name: .long, help: "Seconds for the whole solve.")
    var timeLimit: Double = 30

    @Option(name: .long, help: "Stop the integer program at this relative gap (e.g. 0.01).")
    var gap: Double?

    @Option(help: ArgumentHelp("clock | deterministic. clock (the default) works until the time limit; two runs may differ. deterministic counts work instead of reading the clock: the same day and options give the same schedule, byte for byte (but solver.seconds), whatever the machine's load.",
                               valueName: "pace"))
    var pace: SearchPace = .clock

    @Flag(help: "Same as --pace deterministic.")
    var deterministic = false

    @Option(help: ArgumentHelp("With --pace deterministic: the work to do, in reference seconds (its time on the reference machine, BENCHMARKS.md). Default: \(Int(SolveOptions.defaultWorkShare * 100)) % of --time-limit, which stays the cap.",
                               valueName: "seconds"))
    var work: Double?

    @Option(name: .shortAndLong, help: "Write the schedule here instead of stdout.")
    var output: String?

    @Option(name: .customLong("export-model"), help: "Also write the integer program to FILE.lp or FILE.mps.")
    var exportModel: String?

    @Option(help: "Also draw the schedule to this file (.svg gives SVG, anything else HTML).")
    var render: String?

    @Option(help: ArgumentHelp("json: a line on stderr for every better schedule or bound ({\"event\":\"progress\",\"objective\",\"bound\",\"seconds\",\"method\"}).",
                               valueName: "format"))
    var progress: ProgressFormat?

    @Flag(help: "Plan for the day as it will go: try padded plans, simulate each with the same seeds, keep the least score (docs/ROBUSTNESS.md, \"Robust plans\"). The candidates go to stderr.")
    var robust = false

    @Option(help: ArgumentHelp("With --robust: the quantile of a simulated day's wait and overtime that the score charges, in (0, 1).",
                               valueName: "q"))
    var quantile: Double?

    @Option(name: .customLong("robust-runs"), help: "With --robust: simulated days per candidate plan (1...100000).")
    var robustRuns: Int = RobustOptions().runs

    @Option(name: .customLong("robust-seed"), help: "With --robust: the seed of the simulated days (the same for every candidate).")
    var robustSeed: UInt64 = 1

    @Option(help: "With --robust: the noise model (infusion-noise/1); default: the defaults of docs/ROBUSTNESS.md.")
    var noise: String?

    func validate() throws {
        if let quantile, !(quantile.isFinite && quantile > 0 && quantile < 1) {
            throw ValidationError("--quantile must be a number in (0, 1), e.g. 0.9")
        }
        if !robust, quantile != nil || noise != nil {
            throw ValidationError("--quantile and --noise need --robust")
        }
        guard (1...100_000).contains(robustRuns) else { throw ValidationError("--robust-runs must be in 1...100000") }
        if robust, progress != nil { throw ValidationError("--progress is not available with --robust") }
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--time-limit must be a number of seconds in (0, 86400]")
        }
        if let gap, !(gap.isFinite && gap >= 0 && gap <= 1) {
            throw ValidationError("--gap must be a number in [0, 1]")
        }
        if let work, !(work.isFinite && work > 0 && work <= 86_400) {
            throw ValidationError("--work must be a number of reference seconds in (0, 86400]")
        }
        if work != nil, chosenPace != .deterministic {
            throw ValidationError("--work needs --pace deterministic (or --deterministic)")
        }
    }

    func run() throws {
        let loaded = try loadDay(day)
        let resolved = try ResolvedDay(loaded)
        if let exportModel {
            try MIPScheduler(day: resolved, options: MIPOptions(timeLimit: timeLimit, relativeGap: gap))
                .exportModel(to: exportModel)
        }
        if robust {
            try runRobust(resolved)
            return
        }
        var report: (@Sendable (SolveProgress) -> Void)?
        if progress == .json { report = { @Sendable p in note(ProgressFormat.line(p)) } }
        let control = SolveControl(progress: report)
        // SIGTERM or SIGINT (Ctrl-C) stops the search: the best valid schedule so far is written, status `stopped`.
        let signals = StopOnSignals(control)
        let result = try Scheduler.solve(resolved, options: SolveOptions(method: method, timeLimit: timeLimit, relativeGap: gap,
                                                                         pace: chosenPace, work: work), control: control)
        signals.restore()
        if control.isStopped { note("stopped on a signal: the best valid schedule found by then is written") }
        try emit(result.schedule.jsonString(), to: output)
        if let render { try DayRenderer.write(day: resolved, schedule: result.schedule, to: render) }
        note(Summary.lines(for: result.schedule, requests: resolved.requests.count).joined(separator: "\n"))
        if let why = result.note { note("note: \(why)") }
        if method != .greedy { note("pace: \(chosenPace.rawValue)") }
    }

    /// `solve --robust`: the robust plan goes where the schedule goes, its candidates to stderr.
    func runRobust(_ resolved: ResolvedDay) throws {
        let model = try noise.map(NoiseModel.load(path:)) ?? .defaults
        let robustOptions = RobustOptions(quantile: quantile ?? 0.9, runs: robustRuns, seed: robustSeed, noise: model,
                                          jobs: min(256, ProcessInfo.processInfo.activeProcessorCount))
        let result: RobustResult
        let control = SolveControl()
        // SIGTERM or SIGINT stops it as it stops a solve: the best plan judged by then is written, status `stopped`.
        let signals = StopOnSignals(control)
        do {
            result = try RobustScheduler.solve(resolved, options: SolveOptions(method: method, timeLimit: timeLimit, relativeGap: gap,
                                                                              pace: chosenPace, work: work),
                                               robust: robustOptions, control: control)
        } catch let error as SimulationError {
            InfusionSchedulerCLI.fail("error: \(error)", code: 70)
        }
        signals.restore()
        if control.isStopped { note("stopped on a signal: the best valid plan judged by then is written") }
        try emit(result.schedule.jsonString(), to: output)
        if let render { try DayRenderer.write(day: resolved, schedule: result.schedule, to: render) }
        note(Summary.lines(for: result.schedule, requests: resolved.requests.count).joined(separator: "\n"))
        note(result.table())
        if let why = result.schedule.solver?.note { note("note: \(why)") }
    }

    /// The pace asked for: `--deterministic` or `--pace`.
    var chosenPace: SearchPace { deterministic ? .deterministic : pace }
}

extension SearchPace: ExpressibleByArgument {}

/// How `solve --progress` writes its progress.
enum ProgressFormat: String, ExpressibleByArgument {
    case json

    /// One progress event as a JSON line.
    static func line(_ p: SolveProgress) -> String {
        JSONValue.object([("event", .string("progress")), ("objective", .double(p.objective)),
                          ("bound", p.bound.map { .double($0) } ?? .null), ("seconds", .double(p.seconds)),
                          ("method", .string(p.method.rawValue))]).compact()
    }
}

/// Stops a solve on SIGTERM or SIGINT instead of killing the process, for as long as it lives;
/// ``restore()`` gives the signals back their default action.
final class StopOnSignals {
    private var sources: [DispatchSourceSignal] = []
    private static let signals = [SIGTERM, SIGINT]

    init(_ control: SolveControl) {
        for number in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { control.stop() }
            source.resume()
            sources.append(source)
        }
    }

    func restore() {
        for source in sources { source.cancel() }
        sources = []
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}

/// The short human summary printed after a solve.
enum Summary {
    static func lines(for schedule: Schedule, requests: Int) -> [String] {
        var counts: [UnscheduledReason: Int] = [:]
        for u in schedule.unscheduled { counts[u.reason, default: 0] += 1 }
        let reasons = UnscheduledReason.allCases.compactMap { r in counts[r].map { "\(r.rawValue) \($0)" } }
        var lines = ["\(schedule.appointments.count) of \(requests) requests scheduled"
                     + (reasons.isEmpty ? "" : "; unscheduled: " + reasons.joined(separator: ", "))]
        if let o = schedule.objective {
            lines.append("objective \(fmt(o.total)) = unscheduled \(fmt(o.unscheduled)) + overtime \(fmt(o.overtime)) + wait \(fmt(o.wait)) + preference \(fmt(o.preference)) + peak load \(fmt(o.peakLoad))")
        }
        if let s = schedule.solver {
            var line = "solver: \(s.method), \(s.status), \(String(format: "%.3f", s.seconds)) s"
            if let bound = s.bound, let gap = s.gap { line += ", bound \(fmt(bound)), gap \(String(format: "%.2f", gap * 100))%" }
            lines.append(line)
        }
        if !schedule.alerts.isEmpty { lines.append("\(schedule.alerts.count) alert(s)") }
        return lines
    }

    static func fmt(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
    }
}
