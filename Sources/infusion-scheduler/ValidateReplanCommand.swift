import ArgumentParser
import Foundation

import InfusionScheduler

struct ValidateReplanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-replan",
        abstract: "Check a re-plan against the previous schedule and the events: exit 0 when valid, 1 with one line per violation.")

    @Argument(help: "The day file (infusion-day/1).")
    var day: String

    @Argument(help: "The previous schedule (infusion-schedule/1) the re-plan started from.")
    var oldSchedule: String

    @Argument(help: "The events file (infusion-events/1).")
    var events: String

    @Argument(help: "The re-plan to check (infusion-schedule/1).")
    var newSchedule: String

    @OptionGroup var moment: ReplanMoment

    func run() throws {
        let report = try Validator.validateReplan(
            day: loadDay(day), old: Schedule.load(path: oldSchedule), events: loadEvents(events),
            new: Schedule.load(path: newSchedule), now: moment.time, noticeMinutes: moment.notice,
            files: ReplanFiles(day: day, schedule: oldSchedule, events: events))
        for v in report.violations { print(v) }
        for n in report.notes { note("note: \(n)") }
        if report.isValid {
            note("valid: the re-plan keeps every hard rule and every re-planning rule")
        } else {
            note("invalid: \(report.violations.count) violation(s)")
            throw ExitCode(1)
        }
    }
}
