import ArgumentParser
import Foundation

import InfusionScheduler

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure schedule quality and solve cost over the committed days, more seeds and a scaling series.",
        discussion: """
            For each day and method: requests, scheduled, every objective term, total, proven bound and gap, \
            the day's LP relaxation bound, wall seconds and peak memory (each solve runs in a child process, \
            so its peak is its own), then a summary per profile. Days: instances/PROFILE-1.json, then \
            seeds 2...N+1 generated. Progress goes to stderr.
            """)

    @Option(help: "Comma-separated profiles (small,medium,large,xl), or none.")
    var profiles: String = "small,medium,large,xl"

    @Option(help: "Generated seeds per profile after the committed day (seeds 2...N+1).")
    var seeds: Int = 0

    @Option(name: .customLong("day"), help: "Benchmark this day file instead of the profiles (repeatable).")
    var dayFiles: [String] = []

    @Option(help: "Directory of the committed days PROFILE-1.json.")
    var instances: String = "instances"

    @Option(help: "Comma-separated methods (greedy,mip).")
    var methods: String = "greedy,mip"

    @Option(name: .long, help: "Seconds per solve (default: 10 for small and medium, 60 for large and xl, 10 for the scaling series).")
    var timeLimit: Double?

    @Flag(inversion: .prefixedNo, help: "Compute each day's LP relaxation bound.")
    var lpBound = true

    @Option(help: "md | csv | json")
    var format: BenchFormat = .md

    @Option(name: .shortAndLong, help: "Write the report here instead of stdout.")
    var output: String?

    @Option(name: .customLong("save-json"), help: "Also write the report as JSON here (whatever --format is).")
    var saveJSON: String?

    @Flag(help: "Also run the scaling series (requests at the chair and nurse ratio of a medium day).")
    var scaling = false

    @Option(help: "Comma-separated request counts of the scaling series.")
    var scalingSizes: String = "25,50,100,200,400"

    @Option(help: "Write the scaling series as an SVG line chart here.")
    var chart: String?

    @Option(name: .long, help: "Seconds for each day's LP relaxation bound.")
    var lpTimeLimit: Double = 60

    // A child solve (see ChildProcessSolve): solves one day, writes its schedule and prints its
    // own peak memory. Not for people.
    @Option(name: .customLong("child-solve"), help: .hidden) var childDay: String?
    @Option(name: .customLong("child-method"), help: .hidden) var childMethod: SolveMethod = .greedy
    @Option(name: .customLong("child-output"), help: .hidden) var childOutput: String?

    func validate() throws {
        guard lpTimeLimit.isFinite, lpTimeLimit > 0, lpTimeLimit <= 86_400 else {
            throw ValidationError("--lp-time-limit must be a number of seconds in (0, 86400]")
        }
        if let timeLimit, !(timeLimit.isFinite && timeLimit > 0 && timeLimit <= 86_400) {
            throw ValidationError("--time-limit must be a number of seconds in (0, 86400]")
        }
        guard (0...1000).contains(seeds) else { throw ValidationError("--seeds must be in 0...1000") }
        _ = try parsedProfiles()
        _ = try parsedMethods()
        if scaling { _ = try parsedSizes() }
        if chart != nil, !scaling { throw ValidationError("--chart needs --scaling") }
    }

    func parsedProfiles() throws -> [DayProfile] {
        if profiles == "none" { return [] }
        return try list(profiles).map { name in
            guard let p = DayProfile(rawValue: name) else { throw ValidationError("--profiles: unknown profile \"\(name)\"") }
            return p
        }
    }

    func parsedMethods() throws -> [SolveMethod] {
        let parsed = try list(methods).map { name -> SolveMethod in
            guard let m = SolveMethod(rawValue: name), m != .auto else { throw ValidationError("--methods: use greedy and/or mip") }
            return m
        }
        guard !parsed.isEmpty else { throw ValidationError("--methods: name at least one method") }
        return parsed
    }

    func parsedSizes() throws -> [Int] {
        let sizes = try list(scalingSizes).map { s -> Int in
            guard let n = Int(s), (1...5000).contains(n) else { throw ValidationError("--scaling-sizes: \"\(s)\" is not a count in 1...5000") }
            return n
        }
        guard !sizes.isEmpty else { throw ValidationError("--scaling-sizes: name at least one size") }
        return sizes.sorted()
    }

    private func list(_ s: String) throws -> [String] {
        s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() throws {
        if let childDay {
            let day = try Day.load(path: childDay)
            let result = try Scheduler.solve(day, options: SolveOptions(method: childMethod, timeLimit: timeLimit ?? 30))
            try emit(result.schedule.jsonString(), to: childOutput)
            print(ChildProcessSolve.peakResidentBytes().map(String.init) ?? "unknown")
            return
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("infusion-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        /// Gives a generated day a file, so that a child process can read it.
        func withFile(_ day: BenchDay) throws -> BenchDay {
            var day = day
            let path = scratch.appendingPathComponent(day.name + ".json").path
            try emit(day.day.jsonString(), to: path)
            day.path = path
            return day
        }

        var days: [BenchDay] = []
        if !dayFiles.isEmpty {
            for file in dayFiles {
                let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
                days.append(BenchDay(name: name, group: "file", day: try Day.load(path: file), path: file))
            }
        } else {
            for profile in try parsedProfiles() {
                let committed = URL(fileURLWithPath: instances).appendingPathComponent("\(profile.rawValue)-1.json").path
                if FileManager.default.fileExists(atPath: committed) {
                    days.append(BenchDay(name: "\(profile.rawValue)-1", group: profile.rawValue, seed: 1,
                                         day: try Day.load(path: committed), path: committed))
                } else {
                    note("bench: \(committed) not found, generating seed 1")
                    days.append(try withFile(.generated(profile, seed: 1)))
                }
                if seeds > 0 {
                    for seed in 2...UInt64(seeds + 1) { days.append(try withFile(.generated(profile, seed: seed))) }
                }
            }
        }
        let scalingDays = scaling ? try parsedSizes().map { try withFile(.scaled(requests: $0)) } : []

        let child = ChildProcessSolve(executable: ChildProcessSolve.currentExecutable(), scratch: scratch)
        let runner = BenchRunner(methods: try parsedMethods(), timeLimit: timeLimit,
                                 relaxationTimeLimit: lpBound ? lpTimeLimit : nil, solve: child.solve)
        let progress: (BenchRow) -> Void = { row in
            note("bench: \(row.day) \(row.method) \(row.status): \(row.scheduled)/\(row.requests) scheduled, total \(Summary.fmt(row.objective.total)), \(String(format: "%.3f", row.seconds)) s")
        }
        let report = BenchReport(rows: try runner.run(days, progress: progress),
                                 scaling: try runner.run(scalingDays, progress: progress))
        try emit(report.rendered(format), to: output)
        if let saveJSON { try emit(report.json(), to: saveJSON) }
        if let chart { try emit(ScalingChart.svg(of: report.scaling), to: chart) }
    }
}

extension BenchFormat: ExpressibleByArgument {}
