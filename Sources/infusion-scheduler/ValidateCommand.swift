import ArgumentParser
import Foundation

import InfusionScheduler

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a schedule against a day: exit 0 when valid, 1 with one line per violation.")

    @Argument(help: "The day file (infusion-day/1); - reads it from standard input.")
    var day: String

    @Argument(help: "The schedule file (infusion-schedule/1).")
    var schedule: String

    @Option(help: "text (the default: one line per violation) or json (one object: valid, violations, objective).")
    var format: ReportFormat = .text

    func run() throws {
        let resolved = try ResolvedDay(loadDay(day))
        let loaded = try Schedule.load(path: schedule)
        let report = Validator.validate(loaded, day: resolved)
        if format == .json {
            print(Self.json(report).rendered(), terminator: "")
            if !report.isValid { throw ExitCode(1) }
            return
        }
        for v in report.violations { print(v.description) }
        for n in report.notes { note("note: \(n)") }
        let o = report.objective
        note("objective \(Summary.fmt(o.total)) = unscheduled \(Summary.fmt(o.unscheduled)) + overtime \(Summary.fmt(o.overtime)) + wait \(Summary.fmt(o.wait)) + preference \(Summary.fmt(o.preference)) + peak load \(Summary.fmt(o.peakLoad))")
        if report.isValid {
            note("valid: \(loaded.appointments.count) appointments keep every hard constraint")
        } else {
            note("invalid: \(report.violations.count) violation(s)")
            throw ExitCode(1)
        }
    }

    /// The report as one JSON object: `valid`, `violations` (`rule`, `request`, `message`),
    /// the recomputed `objective` and the `notes`.
    static func json(_ report: ValidationReport) -> JSONValue {
        let o = report.objective
        return .object([
            ("valid", .bool(report.isValid)),
            ("violations", .array(report.violations.map { v in
                .object([("rule", .string(v.rule.rawValue)), ("request", v.request.map { .string($0) } ?? .null),
                         ("message", .string(v.message))])
            })),
            ("objective", .object([("total", .double(o.total)), ("unscheduled", .double(o.unscheduled)), ("overtime", .double(o.overtime)),
                                   ("wait", .double(o.wait)), ("preference", .double(o.preference)), ("peakLoad", .double(o.peakLoad))])),
            ("notes", .array(report.notes.map { .string($0) })),
        ])
    }
}

/// How `validate` reports.
enum ReportFormat: String, ExpressibleByArgument {
    case text, json
}
