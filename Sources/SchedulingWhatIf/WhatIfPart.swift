import Foundation
import SchedulingModel
import SchedulingSolvers

/// One shard's results of a what-if sweep (`infusion-whatif-part/1`): what `whatif --shard K/N`
/// writes and `whatif-merge` reads.
///
/// A part carries what the merge needs and nothing it could take from elsewhere: the sweep's
/// fingerprint (SHA-256 of the days' contents, the scenarios, the solve options and the library
/// version, so that parts of different sweeps are never mixed), the shard, the sweep's plan as
/// the report shows it (days' names, scenarios, grid, method, time limit), and the raw figures
/// of each of its runs. ``merge(_:)`` puts the runs of all N parts back in the unsharded order
/// and builds the very report the unsharded run builds; its writers then give the same bytes.
///
/// The file is JSON: one line of header members, then one line per run under `"results"`.
/// Numbers are written in Swift's shortest form that reads back to the same `Double`, so no
/// figure changes on the way through a file.
public struct WhatIfPart: Sendable, Equatable {
    /// The `format` value of a part file.
    public static let formatTag = "infusion-whatif-part/1"

    /// The version of the library that ran the shard (parts of different versions are not merged).
    public var version: String
    /// The sweep's fingerprint: 64 hex digits (``WhatIfRunner/fingerprint(version:)``).
    public var fingerprint: String
    /// Which shard this is.
    public var shard: WhatIfShard
    /// What the report says of the sweep: its days, scenarios, grid and options.
    var plan: Plan
    /// This shard's runs, in increasing run order.
    public var results: [Run]
    /// The file the part was read from, for error messages; nil for a part made in memory.
    public var file: String?

    /// The outcome of one run of the sweep.
    public struct Run: Sendable, Hashable {
        /// The run's number in the unsharded, scenario-major order (`scenario × days + day`).
        public var run: Int
        /// The scenario's index in the sweep (0 is the base).
        public var scenario: Int
        /// The day's index in the sweep.
        public var day: Int
        /// Its figures, or why it could not be solved.
        public var outcome: WhatIfOutcome

        /// Creates a run's result.
        public init(run: Int, scenario: Int, day: Int, outcome: WhatIfOutcome) {
            self.run = run; self.scenario = scenario; self.day = day; self.outcome = outcome
        }
    }

    /// The number of runs of the whole sweep (scenarios × days).
    public var runCount: Int { plan.scenarios.count * plan.days.count }

    /// The sweep as its report shows it, and the options that make its runs what they are.
    struct Plan: Codable, Equatable, Sendable {
        /// ``WhatIfReport/baseSummary``.
        var base: String
        /// The days' names, in sweep order.
        var days: [String]
        /// ``SolveOptions/method``, ``SolveOptions/timeLimit``, ``SolveOptions/relativeGap``,
        /// ``SolveOptions/pace`` and ``SolveOptions/work``.
        var method: String
        var timeLimit: Double
        var relativeGap: Double?
        var pace: String
        var work: Double?
        /// The scenarios, the base first.
        var scenarios: [PartScenario]
        /// The grid axes.
        var grid: [PartAxis]
        /// How every plan was simulated (`whatif --simulate`); absent when it was not.
        var simulate: WhatIfSimulation?
    }

    /// A scenario as a part writes it: its name and changes (as in a scenario file) and its grid point.
    struct PartScenario: Codable, Equatable, Sendable {
        var scenario: WhatIfScenario

        private enum Extra: String, CodingKey { case gridPoint }

        init(_ scenario: WhatIfScenario) {
            self.scenario = scenario
            self.scenario.source = "plan"
        }

        init(from decoder: any Decoder) throws {
            scenario = try WhatIfScenario(from: decoder)
            scenario.gridPoint = try decoder.container(keyedBy: Extra.self).decodeIfPresent([Int].self, forKey: .gridPoint)
            scenario.source = "plan"
        }

        func encode(to encoder: any Encoder) throws {
            try scenario.encode(to: encoder)
            var c = encoder.container(keyedBy: Extra.self)
            try c.encodeIfPresent(scenario.gridPoint, forKey: .gridPoint)
        }
    }

    /// A grid axis as a scenario file writes it.
    struct PartAxis: Codable, Equatable, Sendable {
        var vary: String
        var values: [WhatIfValue]
    }

    /// The members of a part file.
    private static let topKeys: Set<String> = ["format", "version", "sweep", "shard", "runs", "plan", "results"]

    /// The whole file but its results.
    private struct Header: Codable {
        var format: String
        var version: String
        var sweep: String
        var shard: ShardNumbers
        var runs: Int
        var plan: Plan
    }

    private struct ShardNumbers: Codable {
        var index: Int
        var count: Int
    }

    /// The file as decoded, before its meaning is checked: the header's members (read through
    /// it) and the results.
    @dynamicMemberLookup
    private struct Document: Decodable {
        var header: Header
        var results: [RawRun]

        private enum Keys: String, CodingKey { case results }

        init(from decoder: any Decoder) throws {
            header = try Header(from: decoder)
            results = try decoder.container(keyedBy: Keys.self).decode([RawRun].self, forKey: .results)
        }

        subscript<T>(dynamicMember member: KeyPath<Header, T>) -> T { header[keyPath: member] }
    }

    /// One run as written.
    private struct RawRun: Codable {
        var run: Int
        var scenario: Int
        var day: Int
        var metrics: RawMetrics?
        var failed: String?
    }

    /// ``WhatIfMetrics`` as written: the same names, unscheduled counts keyed by reason.
    private struct RawMetrics: Codable {
        var requests: Int
        var scheduled: Int
        var unscheduled: [String: Int]
        var unscheduledWeight: Double
        var overtimeMinutes: Int
        var excessWaitMinutes: Int
        var chairUtilisation: Double
        var nursePeakLoad: Double
        var pharmacyPeakHour: Double
        var pharmacyQueue: Int
        var releasedFixedBookings: Int
        var solver: String
        var simulatedWaitP90: Int?
        var simulatedOvertimeP90: Int?

        init(_ m: WhatIfMetrics) {
            requests = m.requests; scheduled = m.scheduled
            unscheduled = Dictionary(uniqueKeysWithValues: m.unscheduled.map { ($0.key.rawValue, $0.value) })
            unscheduledWeight = m.unscheduledWeight; overtimeMinutes = m.overtimeMinutes; excessWaitMinutes = m.excessWaitMinutes
            chairUtilisation = m.chairUtilisation; nursePeakLoad = m.nursePeakLoad; pharmacyPeakHour = m.pharmacyPeakHour
            pharmacyQueue = m.pharmacyQueue; releasedFixedBookings = m.releasedFixedBookings; solver = m.solver
            simulatedWaitP90 = m.simulatedWaitP90; simulatedOvertimeP90 = m.simulatedOvertimeP90
        }
    }

    init(version: String, fingerprint: String, shard: WhatIfShard, plan: Plan, results: [Run], file: String? = nil) {
        self.version = version; self.fingerprint = fingerprint; self.shard = shard; self.plan = plan
        self.results = results; self.file = file
    }

    // MARK: Writing

    /// Encoders and decoders of part files: sorted keys, and the non-finite numbers a ratio
    /// could in principle give written as strings rather than failing the shard.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    private static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// The part file's text: the header members on the first line, then one line per run.
    public func rendered() throws -> String {
        let encoder = Self.encoder()
        let header = Header(format: Self.formatTag, version: version, sweep: fingerprint,
                            shard: ShardNumbers(index: shard.index, count: shard.count), runs: runCount, plan: plan)
        var head = String(decoding: try encoder.encode(header), as: UTF8.self)
        // `{...}` becomes `{...,"results":[` so that each run can stand on a line of its own.
        head.removeLast()
        var out = head + ",\"results\":["
        for (i, r) in results.enumerated() {
            var raw = RawRun(run: r.run, scenario: r.scenario, day: r.day)
            switch r.outcome {
            case .solved(let m): raw.metrics = RawMetrics(m)
            case .failed(let why): raw.failed = why
            }
            out += (i == 0 ? "\n" : ",\n") + String(decoding: try encoder.encode(raw), as: UTF8.self)
        }
        out += results.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    // MARK: Reading

    /// Reads and checks a part file.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming the file and the JSON path of the first problem.
    public static func load(path: String) throws -> WhatIfPart {
        var part = try decode(readInput(path), file: path)
        part.file = path
        return part
    }

    /// Decodes and checks a part file's bytes: the format, the shard, the plan, and that the
    /// results are exactly this shard's runs, in order, each with its scenario and day.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming `file` and the JSON path of the first problem.
    public static func decode(_ data: Data, file: String? = nil) throws -> WhatIfPart {
        func fail(_ path: String, _ message: String, _ kind: InputError.Kind = .invalidValue) -> InputError {
            InputError(file: file, path: path, message: message, kind: kind)
        }
        try StrictJSON.check(data, file: file)
        // The format first, so that another file (a report, a scenario file) is named for what it is.
        if let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let format = top["format"] as? String, format != formatTag {
                throw fail("format", "expected \"\(formatTag)\" (a part written by whatif --shard), found \"\(clip(format))\"", .unsupportedFormat)
            }
            if let unknown = top.keys.sorted().first(where: { !topKeys.contains($0) }) {
                throw fail(unknown, "unknown field; expected one of \(topKeys.sorted().joined(separator: ", "))", .unknownReference)
            }
        }
        let doc: Document
        do {
            doc = try decoder().decode(Document.self, from: data)
        } catch {
            throw InputError.from(decoding: error, file: file, data: data)
        }
        guard doc.format == formatTag else { throw fail("format", "expected \"\(formatTag)\"", .unsupportedFormat) }
        guard doc.sweep.count == 64, doc.sweep.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw fail("sweep", "expected the sweep's fingerprint, 64 lowercase hex digits")
        }
        guard (1...WhatIfShard.maximumCount).contains(doc.shard.count) else {
            throw fail("shard.count", "\(doc.shard.count) is not in 1...\(WhatIfShard.maximumCount)")
        }
        guard let shard = WhatIfShard(index: doc.shard.index, count: doc.shard.count) else {
            throw fail("shard.index", "\(doc.shard.index) is not in 0...\(doc.shard.count - 1)")
        }
        let plan = doc.plan
        guard !plan.days.isEmpty else { throw fail("plan.days", "a sweep has at least one day") }
        guard !plan.scenarios.isEmpty else { throw fail("plan.scenarios", "a sweep has at least one scenario") }
        guard SolveMethod(rawValue: plan.method) != nil else { throw fail("plan.method", "expected greedy, mip or auto") }
        guard SearchPace(rawValue: plan.pace) != nil else { throw fail("plan.pace", "expected clock or deterministic") }
        for (i, axis) in plan.grid.enumerated() where WhatIfDimension(parsing: axis.vary) == nil {
            throw fail("plan.grid[\(i)].vary", "unknown dimension \"\(clip(axis.vary))\"", .unknownReference)
        }
        if let simulate = plan.simulate, !(1...100_000).contains(simulate.runs) {
            throw fail("plan.simulate.runs", "\(simulate.runs) is not in 1...100000")
        }
        let runs = plan.scenarios.count * plan.days.count
        guard doc.runs == runs else {
            throw fail("runs", "\(doc.runs), but the plan's \(plan.scenarios.count) scenario(s) x \(plan.days.count) day(s) make \(runs)")
        }
        let expected = shard.runs(of: runs)
        guard doc.results.count == expected.count else {
            throw fail("results", "\(doc.results.count) runs, but shard \(shard) of \(runs) runs holds \(expected.count)")
        }
        var results: [Run] = []
        results.reserveCapacity(expected.count)
        for (k, raw) in doc.results.enumerated() {
            let path = "results[\(k)]"
            guard raw.run == expected[k] else {
                throw fail(path + ".run", "expected run \(expected[k]) (shard \(shard) holds the runs i with i mod \(shard.count) = \(shard.index), in order), found \(raw.run)")
            }
            guard raw.scenario == raw.run / plan.days.count, raw.day == raw.run % plan.days.count else {
                throw fail(path, "run \(raw.run) is scenario \(raw.run / plan.days.count) on day \(raw.run % plan.days.count), found scenario \(raw.scenario) on day \(raw.day)")
            }
            let outcome: WhatIfOutcome
            switch (raw.metrics, raw.failed) {
            case (let m?, nil):
                let simulated = m.simulatedWaitP90 != nil && m.simulatedOvertimeP90 != nil
                guard simulated == (plan.simulate != nil), simulated || (m.simulatedWaitP90 == nil && m.simulatedOvertimeP90 == nil) else {
                    throw fail(path + ".metrics", plan.simulate != nil
                        ? "the plan is simulated (plan.simulate) but the run lacks simulatedWaitP90 or simulatedOvertimeP90"
                        : "simulated figures in a run of a plan that is not simulated (no plan.simulate)")
                }
                var unscheduled: [UnscheduledReason: Int] = [:]
                for (key, n) in m.unscheduled.sorted(by: { $0.key < $1.key }) {
                    guard let reason = UnscheduledReason(rawValue: key) else {
                        throw fail(path + ".metrics.unscheduled." + key, "unknown reason", .unknownReference)
                    }
                    unscheduled[reason] = n
                }
                outcome = .solved(WhatIfMetrics(
                    requests: m.requests, scheduled: m.scheduled, unscheduled: unscheduled, unscheduledWeight: m.unscheduledWeight,
                    overtimeMinutes: m.overtimeMinutes, excessWaitMinutes: m.excessWaitMinutes, chairUtilisation: m.chairUtilisation,
                    nursePeakLoad: m.nursePeakLoad, pharmacyPeakHour: m.pharmacyPeakHour, pharmacyQueue: m.pharmacyQueue,
                    releasedFixedBookings: m.releasedFixedBookings, solver: m.solver,
                    simulatedWaitP90: m.simulatedWaitP90, simulatedOvertimeP90: m.simulatedOvertimeP90))
            case (nil, let why?):
                outcome = .failed(why)
            default:
                throw fail(path, "expected either \"metrics\" or \"failed\"")
            }
            results.append(Run(run: raw.run, scenario: raw.scenario, day: raw.day, outcome: outcome))
        }
        return WhatIfPart(version: doc.version, fingerprint: doc.sweep, shard: shard, plan: plan, results: results, file: file)
    }
}
