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

    func validate() throws {
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
