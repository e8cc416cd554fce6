import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan
import SchedulingGenerator
import SchedulingSimulation

/// The result of a what-if sweep: every scenario's outcome on every day, their means, and the
/// change of each mean against the unchanged base (the first scenario), written as a markdown
/// table, CSV, JSON or an SVG chart.
///
/// Every writer is deterministic: scenarios in plan order, reasons in ``SchedulingModel/UnscheduledReason`` order,
/// numbers in a fixed, locale-free form, and no timings.
public struct WhatIfReport: Sendable {
    /// The output format of a report.
    public enum Format: String, Sendable, CaseIterable {
        /// A markdown table (the default).
        case md
        /// One CSV row per scenario.
        case csv
        /// The whole report, with per-day figures.
        case json
    }

    /// What the base days were.
    public var baseSummary: String
    /// How the days were solved.
    public var method: SolveMethod
    /// Seconds per solve.
    public var timeLimit: Double
    /// The base days' names.
    public var dayNames: [String]
    /// The scenarios; the first is the base.
    public var scenarios: [WhatIfScenario]
    /// Outcome per scenario (outer) and day (inner).
    public var outcomes: [[WhatIfOutcome]]
    /// The grid axes, when the scenarios came from a grid.
    public var grid: [WhatIfAxis]
    /// Means per scenario.
    public let summaries: [WhatIfSummary]
    /// Whether the sweep was stopped before it was done (a cancelled task, a stop of its
    /// control): the solves under way gave their best schedule so far, the jobs not run are
    /// listed as not solved. The markdown says so above the table and the JSON has
    /// `"stopped": true`; a sweep that ran to its end writes neither.
    public var stopped = false
    /// How every plan was simulated, when it was (`whatif --simulate`).
    public var simulation: WhatIfSimulation?

    /// Creates a report and computes its means.
    public init(baseSummary: String, method: SolveMethod, timeLimit: Double, dayNames: [String],
                scenarios: [WhatIfScenario], outcomes: [[WhatIfOutcome]], grid: [WhatIfAxis] = [],
                simulation: WhatIfSimulation? = nil) {
        self.baseSummary = baseSummary; self.method = method; self.timeLimit = timeLimit
        self.dayNames = dayNames; self.scenarios = scenarios; self.outcomes = outcomes; self.grid = grid
        summaries = outcomes.map(WhatIfSummary.init)
        self.simulation = simulation
    }

    /// The figures compared against the base: ``WhatIfSummary/compared``, then the simulated ones when the sweep was simulated.
    var columns: [(key: String, header: String, digits: Int, percent: Bool, value: @Sendable (WhatIfSummary) -> Double)] {
        WhatIfSummary.compared + (simulation == nil ? [] : WhatIfSummary.simulated)
    }

    /// The report in `format`.
    public func rendered(_ format: Format) -> String {
        switch format {
        case .md: return markdown()
        case .csv: return csv()
        case .json: return json().rendered()
        }
    }

    /// Change of `value` against the base, or nil when there is no solved base to compare with.
    func change(_ s: Int, _ value: (WhatIfSummary) -> Double) -> Double? {
        guard s > 0, summaries[0].days > 0, summaries[s].days > 0 else { return nil }
        return value(summaries[s]) - value(summaries[0])
    }

    static func number(_ v: Double, digits: Int) -> String {
        let text = Markup.fixed(v, digits: digits)
        return text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
    }

    static func signedNumber(_ v: Double, digits: Int) -> String {
        let text = number(v, digits: digits)
        return text.hasPrefix("-") ? text : "+" + text
    }

    /// Reasons other than capacity are listed in the table; `cancelled` never occurs in a what-if.
    static let reasons = UnscheduledReason.allCases.filter { $0 != .cancelled }

    // MARK: Markdown

    /// A markdown table: one row per scenario with its means and, in brackets, the change against the base.
    public func markdown() -> String {
        var out = "## What-if: \(baseSummary), \(methodSummary)\n\n"
        if stopped { out += "**Stopped on request**: the results so far; jobs not run are listed under \"Not solved\".\n\n" }
        let columns = self.columns
        out += "| Scenario | " + columns.map(\.header).joined(separator: " | ") + " | Unscheduled by reason |\n"
        out += "|---|" + String(repeating: "---:|", count: columns.count) + "---|\n"
        for (s, scenario) in scenarios.enumerated() {
            let summary = summaries[s]
            var cells = [Self.markdownEscape(scenario.name)]
            if summary.days == 0 {
                cells += Array(repeating: "n/a", count: columns.count) + ["not solved"]
            } else {
                for column in columns {
                    let scale = column.percent ? 100.0 : 1.0
                    var cell = Self.number(column.value(summary) * scale, digits: column.digits)
                    if let delta = change(s, column.value) { cell += " (" + Self.signedNumber(delta * scale, digits: column.digits) + ")" }
                    cells.append(cell)
                }
                let reasons = Self.reasons.compactMap { r in summary.unscheduledByReason[r].map { "\(r.rawValue) \(Self.number($0, digits: 1))" } }
                cells.append(reasons.isEmpty ? "-" : reasons.joined(separator: ", "))
            }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\n"
        let perDay = dayNames.count == 1 ? "one day (\(Self.markdownEscape(dayNames[0])))" : "means over \(dayNames.count) days"
        out += "Figures are \(perDay) per scenario; (±x) is the change against `base`. "
        out += "Chair utilisation is occupied over available chair minutes; nurse peak is the largest acuity in chair per nurse on shift; "
        out += "pharmacy peak hour is the compounding minutes of the busiest hour over the compounders' minutes (docs/WHATIF.md).\n"
        if let simulation {
            out += "\nSim. p90 wait is the 90th percentile of a patient's wait, Sim. p90 overtime that of a day's overtime, "
            out += "each plan simulated \(simulation.runs) times under the default noise from seed \(simulation.seed), "
            out += "the same draws for every scenario (docs/ROBUSTNESS.md).\n"
        }
        let released = summaries.enumerated().filter { $0.element.releasedFixedBookings > 0 }
        if !released.isEmpty {
            out += "\nFixed bookings released (they cannot hold in the scenario and became ordinary requests): "
            out += released.map { "\(Self.markdownEscape(scenarios[$0.offset].name)) \(Self.number($0.element.releasedFixedBookings, digits: 1))" }
                .joined(separator: ", ") + ".\n"
        }
        if method != .greedy {
            // How the solves ended tells how far a time-limited MIP got (optimal, feasible, fallback).
            var statuses: [String: Int] = [:]
            for row in outcomes {
                for case .solved(let m) in row { statuses[m.solver, default: 0] += 1 }
            }
            out += "\nSolves: " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ".\n"
        }
        var failures: [String] = []
        for (s, row) in outcomes.enumerated() {
            for (d, outcome) in row.enumerated() {
                if case .failed(let why) = outcome {
                    failures.append("- \(Self.markdownEscape(scenarios[s].name)) on \(Self.markdownEscape(dayNames[d])): \(Self.markdownEscape(why))")
                }
            }
        }
        if !failures.isEmpty { out += "\nNot solved (left out of the means):\n" + failures.joined(separator: "\n") + "\n" }
        return out
    }

    var methodSummary: String {
        method == .greedy ? "greedy" : "\(method.rawValue), \(Markup.fixed(timeLimit, digits: 2, trim: true)) s per solve"
    }

    static func markdownEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    // MARK: CSV

    /// One row per scenario: means, unscheduled per reason, and the changes against the base
    /// (empty for the base itself).
    public func csv() -> String {
        let columns = self.columns
        var header = ["scenario", "days", "failedDays"] + columns.map(\.key) + Self.reasons.map { "unscheduled." + $0.rawValue }
        header += WhatIfSummary.extra.map(\.key) + columns.map { "change." + $0.key }
        var lines = [header.joined(separator: ",")]
        for (s, scenario) in scenarios.enumerated() {
            let summary = summaries[s]
            var row = [Self.csvField(scenario.name), String(summary.days), String(summary.failedDays)]
            row += columns.map { Self.number($0.value(summary), digits: 4) }
            row += Self.reasons.map { Self.number(summary.unscheduledByReason[$0] ?? 0, digits: 4) }
            row += WhatIfSummary.extra.map { Self.number($0.value(summary), digits: 4) }
            row += columns.map { column in change(s, column.value).map { Self.number($0, digits: 4) } ?? "" }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: JSON

    /// The whole report: plan, per-scenario means and changes, and every day's figures.
    package func json() -> JSONValue {
        let columns = self.columns
        var scenarioValues: [JSONValue] = []
        for (s, scenario) in scenarios.enumerated() {
            let summary = summaries[s]
            var mean: [(String, JSONValue)] = columns.map { ($0.key, .double($0.value(summary))) }
            mean.append(("unscheduledByReason", .object(Self.reasons.map { ($0.rawValue, .double(summary.unscheduledByReason[$0] ?? 0)) })))
            mean += WhatIfSummary.extra.map { ($0.key, .double($0.value(summary))) }
            let changeValue: JSONValue = s == 0 || change(s, { $0.scheduled }) == nil
                ? .null : .object(columns.map { column in (column.key, .double(change(s, column.value) ?? 0)) })
            var perDay: [JSONValue] = []
            for (d, outcome) in outcomes[s].enumerated() {
                switch outcome {
                case .solved(let m):
                    perDay.append(.object([
                        ("day", .string(dayNames[d])), ("requests", .int(m.requests)), ("scheduled", .int(m.scheduled)),
                        ("unscheduledByReason", .object(Self.reasons.map { ($0.rawValue, .int(m.unscheduled[$0] ?? 0)) })),
                        ("unscheduledWeight", .double(m.unscheduledWeight)), ("overtimeMinutes", .int(m.overtimeMinutes)),
                        ("excessWaitMinutes", .int(m.excessWaitMinutes)), ("chairUtilisation", .double(m.chairUtilisation)),
                        ("nursePeakLoad", .double(m.nursePeakLoad)), ("pharmacyPeakHour", .double(m.pharmacyPeakHour)),
                        ("pharmacyQueue", .int(m.pharmacyQueue)),
                        ("releasedFixedBookings", .int(m.releasedFixedBookings)), ("solver", .string(m.solver)),
                    ] + (simulation == nil ? [] : [
                        ("simulatedWaitP90", m.simulatedWaitP90.map { .int($0) } ?? .null),
                        ("simulatedOvertimeP90", m.simulatedOvertimeP90.map { .int($0) } ?? .null),
                    ])))
                case .failed(let why):
                    perDay.append(.object([("day", .string(dayNames[d])), ("failed", .string(why))]))
                }
            }
            scenarioValues.append(.object([
                ("name", .string(scenario.name)),
                ("changes", Self.changes(of: scenario)),
                ("days", .int(summary.days)), ("failedDays", .int(summary.failedDays)),
                ("mean", .object(mean)),
                ("change", changeValue),
                ("perDay", .array(perDay)),
            ]))
        }
        var members: [(String, JSONValue)] = [
            ("format", .string("infusion-whatif-report/1")),
            ("base", .string(baseSummary)),
            ("method", .string(method.rawValue)),
            ("timeLimit", method == .greedy ? .null : .double(timeLimit)),
            ("days", .array(dayNames.map { .string($0) })),
        ]
        if let simulation {
            members.append(("simulation", .object([("runs", .int(simulation.runs)), ("seed", .string(String(simulation.seed))),
                                                   ("noise", .string("defaults"))])))
        }
        if stopped { members.append(("stopped", .bool(true))) }
        members.append(("scenarios", .array(scenarioValues)))
        return .object(members)
    }

    /// A scenario's changes as an ordered JSON object (dictionary keys sorted).
    static func changes(of s: WhatIfScenario) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let chairs = s.chairs, !chairs.isEmpty {
            members.append(("chairs", .object(chairs.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })))
        }
        if let nurses = s.nurses, !nurses.isEmpty {
            members.append(("nurses", .object(nurses.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })))
        }
        if let close = s.close { members.append(("close", .string(close.description))) }
        if let latestEnd = s.latestEnd { members.append(("latestEnd", .string(latestEnd.description))) }
        if let n = s.compounders { members.append(("compounders", .int(n))) }
        if let n = s.labStations { members.append(("labStations", .int(n))) }
        if let n = s.turnaroundMinutes { members.append(("turnaroundMinutes", .int(n))) }
        if let x = s.demand { members.append(("demand", .double(x))) }
        return .object(members)
    }
}
