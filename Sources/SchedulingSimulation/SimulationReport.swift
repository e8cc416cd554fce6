import SchedulingModel
import SchedulingRules

/// What a simulation found: how the plan's patients wait, how late the day ends and how the
/// chairs are used, over every run, beside the plan's own figures (`infusion-simulation/1`,
/// docs/ROBUSTNESS.md).
public struct SimulationReport: Sendable, Hashable {
    /// The format tag of a simulation report.
    public static let formatTag = "infusion-simulation/1"

    /// A distribution of whole minutes: its mean and nearest-rank percentiles.
    public struct Distribution: Sendable, Hashable {
        /// How many values.
        public internal(set) var count: Int
        /// The mean (0 when there are none).
        public internal(set) var mean: Double
        /// 10th, 50th and 90th percentiles (nearest rank) and the largest value.
        public internal(set) var p10: Int, p50: Int, p90: Int, max: Int

        /// The distribution of `values` (sorted here).
        init(_ values: [Int]) {
            let sorted = values.sorted()
            count = sorted.count
            mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count)
            func rank(_ p: Int) -> Int {
                guard !sorted.isEmpty else { return 0 }
                return sorted[Swift.max(0, (p * sorted.count + 99) / 100 - 1)]
            }
            p10 = rank(10); p50 = rank(50); p90 = rank(90); max = sorted.last ?? 0
        }
    }

    /// Counts of values in bins of `binMinutes`: `counts[i]` holds `[i * binMinutes, (i + 1) * binMinutes)`.
    public struct Histogram: Sendable, Hashable {
        /// The width of a bin.
        public internal(set) var binMinutes: Int
        /// Values in each bin, from 0 up to the bin of the largest value.
        public internal(set) var counts: [Int]

        /// The histogram of non-negative `values` in at most about 24 bins of a round width.
        init(_ values: [Int]) {
            let largest = values.max() ?? 0
            binMinutes = [5, 10, 15, 20, 30, 60, 120, 240, 480].first { largest / $0 < 24 } ?? 960
            var counts = [Int](repeating: 0, count: largest / binMinutes + 1)
            for v in values { counts[v / binMinutes] += 1 }
            self.counts = counts
        }
    }

    /// The chairs in use over one hour: the plan's and the runs' 10th, 50th and 90th percentiles.
    public struct HourOccupancy: Sendable, Hashable {
        /// The hour's first minute.
        public internal(set) var hour: Int
        /// Chairs the plan keeps in use over the hour, on average.
        public internal(set) var plan: Double
        /// Chairs in use over the hour, on average, at the runs' 10th, 50th and 90th percentiles.
        public internal(set) var p10: Double, p50: Double, p90: Double
    }

    /// One patient's waits over the runs the patient came to.
    public struct PatientWaits: Sendable, Hashable {
        /// The request's id.
        public internal(set) var request: String
        /// Runs the patient came to.
        public internal(set) var runs: Int
        /// Mean wait in those runs.
        public internal(set) var mean: Double
        /// 90th percentile (nearest rank) of the wait.
        public internal(set) var p90: Int
        /// Longest wait.
        public internal(set) var max: Int
    }

    /// The day's date.
    public internal(set) var date: CivilDate
    /// Runs simulated.
    public internal(set) var runs: Int
    /// The seed.
    public internal(set) var seed: UInt64
    /// The noise the runs drew from.
    public internal(set) var noise: NoiseModel
    /// Appointments in the plan.
    public internal(set) var appointments: Int
    /// The clinic's closing minute (overtime is after it).
    public internal(set) var close: Int
    /// The plan's own overtime (SPEC §3), last end and idle chair minutes.
    public internal(set) var planOvertime: Int, planLastEnd: Int, planChairIdle: Int
    /// Every wait of every patient who came, in every run.
    public internal(set) var wait: Distribution
    /// Waits in bins, for the chart.
    public internal(set) var waitHistogram: Histogram
    /// Overtime per run (SPEC §3's sum over patients of minutes after closing).
    public internal(set) var overtime: Distribution
    /// Overtime per run in bins, for the chart.
    public internal(set) var overtimeHistogram: Histogram
    /// The share of runs with any overtime.
    public internal(set) var overtimeProbability: Double
    /// The minute the last patient's treatment ends, per run.
    public internal(set) var lastEnd: Distribution
    /// Idle chair minutes between opening and closing, per run.
    public internal(set) var chairIdle: Distribution
    /// Minutes nurses hold patients past their shift, per run.
    public internal(set) var nurseOvertime: Distribution
    /// Waiting minutes per run by cause (`labs`, `drug`, `chair`, `nurseCapacity`, `nurseAttention`,
    /// `disconnect`, in that order): name and distribution.
    public internal(set) var waitCauses: [(cause: String, minutes: Distribution)]
    /// Mean per run of no-shows, infusion reactions and preps done for patients who did not come.
    public internal(set) var meanNoShows: Double, meanReactions: Double, meanWastedPreps: Double
    /// Chairs in use per hour.
    public internal(set) var occupancy: [HourOccupancy]
    /// Each patient's waits, in plan order.
    public internal(set) var patients: [PatientWaits]

    /// Two reports are equal when they write the same bytes.
    public static func == (a: SimulationReport, b: SimulationReport) -> Bool { a.json() == b.json() }
    /// Hashes the report's bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(json()) }

    /// Aggregates `outcomes`, in run order.
    init(replay: DayReplay, options: SimulationOptions, outcomes: [RunOutcome]) {
        let day = replay.day
        let plan = replay.outcome(of: replay.planned())
        date = day.day.date
        runs = outcomes.count
        seed = options.seed
        noise = options.noise
        appointments = replay.visits.count
        close = day.close
        planOvertime = plan.overtime; planLastEnd = plan.lastEnd; planChairIdle = plan.chairIdle
        var allWaits: [Int] = []
        allWaits.reserveCapacity(outcomes.count * replay.visits.count)
        for o in outcomes { for w in o.waits where w >= 0 { allWaits.append(w) } }
        wait = Distribution(allWaits)
        waitHistogram = Histogram(allWaits)
        let overtimes = outcomes.map(\.overtime)
        overtime = Distribution(overtimes)
        overtimeHistogram = Histogram(overtimes)
        overtimeProbability = Double(overtimes.filter { $0 > 0 }.count) / Double(max(1, outcomes.count))
        lastEnd = Distribution(outcomes.map(\.lastEnd))
        chairIdle = Distribution(outcomes.map(\.chairIdle))
        nurseOvertime = Distribution(outcomes.map(\.nurseOvertime))
        waitCauses = WaitCause.allCases.map { c in (c.name, Distribution(outcomes.map { $0.causeMinutes[c.rawValue] })) }
        let n = Double(max(1, outcomes.count))
        meanNoShows = Double(outcomes.reduce(0) { $0 + $1.noShows }) / n
        meanReactions = Double(outcomes.reduce(0) { $0 + $1.reactions }) / n
        meanWastedPreps = Double(outcomes.reduce(0) { $0 + $1.wastedPreps }) / n
        occupancy = replay.hours.enumerated().map { h, hour in
            let values = outcomes.map { $0.occupancy[h] }.sorted()
            func rank(_ p: Int) -> Double { values.isEmpty ? 0 : values[max(0, (p * values.count + 99) / 100 - 1)] }
            return HourOccupancy(hour: hour, plan: plan.occupancy[h], p10: rank(10), p50: rank(50), p90: rank(90))
        }
        patients = replay.visits.enumerated().map { k, v in
            let waits = outcomes.map { $0.waits[k] }.filter { $0 >= 0 }
            let d = Distribution(waits)
            return PatientWaits(request: day.requests[v.request].id, runs: d.count, mean: d.mean, p90: d.p90, max: d.max)
        }
    }
}

// MARK: - Writing

extension SimulationReport {
    /// Minutes as `HH:MM` (with the day offset past midnight).
    static func clock(_ minutes: Int) -> String { Validator.hm(minutes) }

    /// The report as an `infusion-simulation/1` document, the same bytes for the same runs.
    public func json() -> String {
        func minutes(_ d: Distribution) -> JSONValue {
            .object([("mean", .double(d.mean)), ("p10", .int(d.p10)), ("p50", .int(d.p50)), ("p90", .int(d.p90)), ("max", .int(d.max))])
        }
        func histogram(_ h: Histogram) -> JSONValue { .object([("binMinutes", .int(h.binMinutes)), ("counts", .array(h.counts.map { .int($0) }))]) }
        let value: JSONValue = .object([
            ("format", .string(Self.formatTag)),
            ("date", .string(date.description)),
            ("runs", .int(runs)),
            ("seed", .string(String(seed))),
            ("noise", noise.json),
            ("plan", .object([("appointments", .int(appointments)), ("overtimeMinutes", .int(planOvertime)),
                              ("lastEnd", .string(Self.clock(planLastEnd))), ("chairIdleMinutes", .int(planChairIdle))])),
            ("waitMinutes", minutes(wait)),
            ("waitCauses", .object(waitCauses.map { ($0.cause, minutes($0.minutes)) })),
            ("overtimeMinutes", minutes(overtime)),
            ("overtimeProbability", .double(overtimeProbability)),
            ("lastEnd", .object([("p10", .string(Self.clock(lastEnd.p10))), ("p50", .string(Self.clock(lastEnd.p50))),
                                 ("p90", .string(Self.clock(lastEnd.p90))), ("max", .string(Self.clock(lastEnd.max)))])),
            ("chairIdleMinutes", minutes(chairIdle)),
            ("nurseOvertimeMinutes", minutes(nurseOvertime)),
            ("perRun", .object([("noShows", .double(meanNoShows)), ("reactions", .double(meanReactions)),
                                ("wastedPreps", .double(meanWastedPreps))])),
            ("histograms", .object([("waitMinutes", histogram(waitHistogram)), ("overtimeMinutes", histogram(overtimeHistogram))])),
            ("occupancy", .array(occupancy.map { o in
                .object([("hour", .string(Self.clock(o.hour))), ("plan", .double(o.plan)), ("p10", .double(o.p10)),
                         ("p50", .double(o.p50)), ("p90", .double(o.p90))])
            })),
            ("patients", .array(patients.map { p in
                .object([("request", .string(p.request)), ("runs", .int(p.runs)), ("waitMean", .double(p.mean)),
                         ("waitP90", .int(p.p90)), ("waitMax", .int(p.max))])
            })),
        ])
        return value.rendered()
    }

    /// A few lines for people: waits, overtime, the end of the day, what the waits were for.
    public func summary() -> String {
        func pct(_ p: Double) -> String { Markup.fixed(p * 100, digits: 1) + " %" }
        func mean(_ d: Distribution) -> String { Markup.fixed(d.mean, digits: 1) }
        var lines: [String] = []
        lines.append("simulated \(runs) runs of \(appointments) appointments on \(date) (seed \(seed))")
        lines.append("patient wait: mean \(mean(wait)) min, p50 \(wait.p50), p90 \(wait.p90), max \(wait.max)")
        lines.append("overtime: p50 \(overtime.p50) min, p90 \(overtime.p90) min, chance of any \(pct(overtimeProbability)) (plan: \(planOvertime) min)")
        lines.append("last patient done: p50 \(Self.clock(lastEnd.p50)), p90 \(Self.clock(lastEnd.p90)), max \(Self.clock(lastEnd.max)) (plan: \(Self.clock(planLastEnd)))")
        lines.append("waiting minutes per day by cause (mean): " + waitCauses.map { "\($0.cause) \(mean($0.minutes))" }.joined(separator: ", "))
        lines.append("chair idle minutes: mean \(mean(chairIdle)) (plan: \(planChairIdle)); nurse minutes past shift: mean \(mean(nurseOvertime))")
        let worst = patients.enumerated().max { ($0.element.p90, $1.offset) < ($1.element.p90, $0.offset) }
        if let worst, worst.element.p90 > 0 {
            lines.append("longest p90 wait: \(worst.element.request), \(worst.element.p90) min")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
