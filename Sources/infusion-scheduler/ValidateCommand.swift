import ArgumentParser
import Foundation

import InfusionScheduler

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a schedule against a day: exit 0 when valid, 1 with one line per violation.")

    @Argument(help: "The day file (infusion-day/1).")
    var day: String

    @Argument(help: "The schedule file (infusion-schedule/1).")
    var schedule: String

    func run() throws {
        let resolved = try ResolvedDay(loadDay(day))
        let loaded = try Schedule.load(path: schedule)
        let report = Validator.validate(loaded, day: resolved)
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
}
