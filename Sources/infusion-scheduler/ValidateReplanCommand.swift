import ArgumentParser
import Foundation
import InfusionScheduler
// The layers are imported too, so that an incremental build recompiles the CLI when one changes
// (the umbrella module alone does not change when a layer does).
import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan
import SchedulingWhatIf
import SchedulingGenerator
import SchedulingRender
import SchedulingBench

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

    @Option(help: "The time of the re-plan (HH:MM).")
    var now: String

    @Option(help: "Minutes of notice for a patient whose arrival changes.")
    var notice: Int = 30

    func validate() throws {
        guard ClockTime(parsing: now) != nil else { throw ValidationError("--now must be a time HH:MM") }
        guard (0...1440).contains(notice) else { throw ValidationError("--notice must be in 0...1440 minutes") }
    }

    func run() throws {
        let report = try Validator.validateReplan(
            day: loadDay(day), old: Schedule.load(path: oldSchedule), events: loadEvents(events),
            new: Schedule.load(path: newSchedule), now: ClockTime(parsing: now)!, noticeMinutes: notice,
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
