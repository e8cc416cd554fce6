import ArgumentParser
import Foundation

import InfusionScheduler

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Compare capacity scenarios (chairs, nurses, hours, pharmacy, lab, demand) on one day or a set of synthetic days.",
        discussion: """
        Every scenario is solved on every base day in parallel; the table gives per scenario the means over the days \
        and the change against the unchanged base. Scenario files are described in docs/WHATIF.md.
        Example: infusion-scheduler whatif --day instances/medium-1.json --grid "chairs.recliner=0,2,4;close=17:30,18:30"
        A sweep too big for one machine runs as N processes: each runs the same command with --shard K/N and writes a part; \
        whatif-merge PARTS... then writes the report the unsharded run writes, byte for byte (docs/WHATIF.md, \
        "Big sweeps on a batch engine").
        """)

    @Option(help: "The base day file (infusion-day/1).")
    var day: String?

    @Option(help: "Base on synthetic days of this profile: small | medium | large | xl.")
    var profile: DayProfile?

    @Option(help: "Number of synthetic days (seeds 1...N) with --profile.")
    var seeds: Int = 10

    @Option(help: "A scenario file (infusion-whatif/1).")
    var scenarios: String?

    @Option(parsing: .unconditionalSingleValue, help: "Add or remove chairs of a type, e.g. recliner:+2 or bed:-1 (repeatable).")
    var chairs: [String] = []

    @Option(parsing: .unconditionalSingleValue, help: "Add or remove nurses of a shift, e.g. 09:00-19:30:+1 or 07:00:-1 (repeatable).")
    var nurses: [String] = []

    @Option(help: "Move the closing time (HH:MM).")
    var close: String?

    @Option(name: .customLong("latest-end"), help: "Move the hard end of the day (HH:MM).")
    var latestEnd: String?

    @Option(parsing: .unconditional, help: "Add or remove compounders, e.g. +1.")
    var compounders: Int?

    @Option(name: .customLong("lab-stations"), parsing: .unconditional, help: "Add or remove lab draw stations, e.g. +1.")
    var labStations: Int?

    @Option(help: "Set the lab turnaround in minutes.")
    var turnaround: Int?

    @Option(help: "Scale the number of requests, e.g. 1.15 for 15% more patients.")
    var demand: Double?

    @Option(help: "One or two varying dimensions, e.g. \"chairs.recliner=0,2,4;demand=1,1.15\".")
    var grid: String?

    @Option(help: "greedy | mip | auto (default: the scenario file's, else greedy).")
    var method: SolveMethod?

    @Option(name: .long, help: "Seconds per solve for mip and auto (default: the scenario file's, else 10).")
    var timeLimit: Double?

    @Option(help: ArgumentHelp("clock | deterministic, for mip and auto. clock (the default) works until the time limit, so a run's answer depends on the machine and its load; deterministic counts work instead: the same sweep gives the same report on any machine (use it with --shard).",
                               valueName: "pace"))
    var pace: SearchPace = .clock

    @Flag(help: "Same as --pace deterministic.")
    var deterministic = false

    @Option(help: ArgumentHelp("With --pace deterministic: the work per solve, in reference seconds (BENCHMARKS.md). Default: \(Int(SolveOptions.defaultWorkShare * 100)) % of --time-limit, which stays the cap.",
                               valueName: "seconds"))
    var work: Double?

    @Option(help: ArgumentHelp("Run only shard K of N (K = 0...N-1): the scenario x day runs i with i mod N = K, in the unsharded order. Writes a part file (infusion-whatif-part/1) for whatif-merge instead of the report.",
                               valueName: "K/N"))
    var shard: String?

    @Option(help: "md | csv | json (default md; with --shard, give it to whatif-merge)")
    var format: WhatIfReport.Format?

    @Option(help: "Also draw patients treated and overtime to this SVG file.")
    var chart: String?

    @Option(name: .shortAndLong, help: "Write the table here instead of stdout.")
    var output: String?

    @Option(help: "Solves run at once (default: all cores).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Also simulate every plan N times under the default noise (docs/ROBUSTNESS.md) and add its p90 wait and p90 overtime to the report (1...100000).",
                               valueName: "N"))
    var simulate: Int?

    @Option(name: .customLong("simulate-seed"), help: "With --simulate: the seed of the simulated days, the same for every scenario and day (default 1).")
    var simulateSeed: UInt64?

    func validate() throws {
        if day != nil && profile != nil { throw ValidationError("give either --day or --profile, not both") }
        guard (1...1000).contains(seeds) else { throw ValidationError("--seeds must be in 1...1000") }
        if let timeLimit, !(timeLimit.isFinite && timeLimit > 0 && timeLimit <= 86_400) {
            throw ValidationError("--time-limit must be a number of seconds in (0, 86400]")
        }
        if let jobs, !(1...1024).contains(jobs) { throw ValidationError("--jobs must be in 1...1024") }
        if let simulate, !(1...100_000).contains(simulate) { throw ValidationError("--simulate must be a number of runs in 1...100000") }
        if simulateSeed != nil, simulate == nil { throw ValidationError("--simulate-seed needs --simulate N") }
        if let close, ClockTime(parsing: close) == nil { throw ValidationError("--close must be a time HH:MM") }
        if let latestEnd, ClockTime(parsing: latestEnd) == nil { throw ValidationError("--latest-end must be a time HH:MM") }
        if let work, !(work.isFinite && work > 0 && work <= 86_400) {
            throw ValidationError("--work must be a number of reference seconds in (0, 86400]")
        }
        if work != nil, chosenPace != .deterministic { throw ValidationError("--work needs --pace deterministic (or --deterministic)") }
        if let shard {
            guard WhatIfShard(parsing: shard) != nil else {
                throw ValidationError("--shard expects K/N with 0 <= K < N <= \(WhatIfShard.maximumCount), e.g. 0/4")
            }
            if format != nil || chart != nil {
                throw ValidationError("--shard writes a part file, not a report: give --format and --chart to whatif-merge")
            }
        }
    }

    /// The pace asked for: `--deterministic` or `--pace`.
    var chosenPace: SearchPace { deterministic ? .deterministic : pace }

    func run() throws {
        var plan = WhatIfPlan()
        if let scenarios { plan = try WhatIfPlan.load(path: scenarios) }
        if let day { plan.base = .day(path: day) }
        if let profile { plan.base = .profile(profile, seeds: seeds) }
        guard let base = plan.base else {
            throw ValidationError("give the base days: --day FILE or --profile NAME (or \"base\" in the scenario file)")
        }
        if let changes = try commandLineScenario() { plan.listed.append(changes) }
        var gridFromFile = !plan.grid.isEmpty
        if let grid {
            plan.grid = try Self.parseGrid(grid)
            gridFromFile = false
        }
        let method = self.method ?? plan.method ?? .greedy
        let timeLimit = self.timeLimit ?? plan.timeLimit ?? 10
        // Errors in scenarios that came from the file name the file; the others name the option.
        func attributed(_ error: InputError) -> InputError {
            if error.path.hasPrefix("scenarios") || (gridFromFile && error.path.hasPrefix("grid")) { return error.inFile(scenarios) }
            return error
        }
        do {
            let list = try plan.scenarios()
            let days = try base.days()
            let options = SolveOptions(method: method, timeLimit: timeLimit, pace: chosenPace, work: work)
            let runner = WhatIfRunner(days: days, scenarios: list, options: options,
                                      jobs: jobs, baseSummary: base.summary, grid: plan.grid,
                                      simulation: simulate.map { WhatIfSimulation(runs: $0, seed: simulateSeed ?? 1) })
            let bar = isatty(2) == 1 ? ProgressBar() : nil
            let clock = ContinuousClock()
            let began = clock.now
            var progress: (@Sendable (Int, Int) -> Void)?
            if let bar { progress = { done, total in bar.show(done, of: total) } }
            if let shard = shard.flatMap(WhatIfShard.init(parsing:)) {
                if method != .greedy, chosenPace == .clock {
                    note("warning: \(method.rawValue) on the clock: each run's answer depends on the machine and its load, so the merged report "
                         + "can differ from an unsharded run's; --deterministic makes every run reproducible")
                }
                let part = try runner.run(shard: shard, version: LibraryVersion.current, progress: progress)
                let elapsed = clock.now - began
                bar?.finish()
                try emit(part.rendered(), to: output)
                note("shard \(shard): \(part.results.count) of the \(runner.runCount) runs (\(list.count) scenario(s) x \(days.count) day(s)) "
                     + "solved in \(Self.seconds(elapsed)) s with \(runner.jobs) job(s)")
                return
            }
            let report = try runner.run(progress: progress)
            let elapsed = clock.now - began
            bar?.finish()
            try emit(report.rendered(format ?? .md), to: output)
            if let chart { try emit(report.svgChart(), to: chart) }
            note("\(list.count) scenario(s) x \(days.count) day(s) solved in \(Self.seconds(elapsed)) s with \(runner.jobs) job(s)")
        } catch let error as InputError {
            throw attributed(error)
        }
    }

    /// A duration in seconds with two decimals, for the closing note.
    static func seconds(_ elapsed: Duration) -> String {
        String(format: "%.2f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// The changes given as options, as one scenario (nil when there are none).
    func commandLineScenario() throws -> WhatIfScenario? {
        var s = WhatIfScenario(name: "", source: "command line")
        for entry in chairs {
            let (type, n) = try Self.split(entry, option: "--chairs", example: "recliner:+2")
            s.chairs = (s.chairs ?? [:]).merging([type: n], uniquingKeysWith: +)
        }
        for entry in nurses {
            let (shift, n) = try Self.split(entry, option: "--nurses", example: "09:00-19:30:+1")
            s.nurses = (s.nurses ?? [:]).merging([shift: n], uniquingKeysWith: +)
        }
        s.close = close.flatMap(ClockTime.init(parsing:))
        s.latestEnd = latestEnd.flatMap(ClockTime.init(parsing:))
        s.compounders = compounders
        s.labStations = labStations
        s.turnaroundMinutes = turnaround
        s.demand = demand
        guard !s.isUnchanged else { return nil }
        s.name = s.changeSummary
        return s
    }

    /// Splits `NAME:+N` at its last colon (shifts hold colons themselves).
    static func split(_ entry: String, option: String, example: String) throws -> (String, Int) {
        guard let colon = entry.lastIndex(of: ":"), let n = Int(entry[entry.index(after: colon)...]) else {
            throw ValidationError("\(option) expects NAME:+N, e.g. \(example)")
        }
        let name = String(entry[..<colon])
        guard !name.isEmpty else { throw ValidationError("\(option) expects NAME:+N, e.g. \(example)") }
        return (name, n)
    }

    /// Parses `dim=v1,v2;dim2=w1,w2`.
    static func parseGrid(_ text: String) throws -> [WhatIfAxis] {
        try text.split(separator: ";").map { part in
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, let dimension = WhatIfDimension(parsing: pieces[0].trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--grid expects DIMENSION=V1,V2;DIMENSION=W1,W2 with dimensions chairs.TYPE, nurses.SHIFT, close, latestEnd, compounders, labStations, turnaroundMinutes, demand")
            }
            let values = pieces[1].split(separator: ",").map { WhatIfValue(parsing: $0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty else { throw ValidationError("--grid: \(dimension) has no values") }
            return WhatIfAxis(dimension: dimension, values: values)
        }
    }
}

/// A one-line progress bar on stderr, redrawn in place; used only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var last = -1

    func show(_ done: Int, of total: Int) {
        lock.lock(); defer { lock.unlock() }
        let width = 30
        let filled = total > 0 ? done * width / total : width
        guard filled != last || done == total else { return }
        last = filled
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\rwhatif [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

extension WhatIfReport.Format: ExpressibleByArgument {}
