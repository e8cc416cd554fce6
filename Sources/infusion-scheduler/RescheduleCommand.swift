import ArgumentParser
import Foundation

import InfusionScheduler

struct RescheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reschedule",
        abstract: "Re-plan the rest of a day after events: writes the new schedule with its change list.")

    @Argument(help: "The day file (infusion-day/1).")
    var day: String

    @Argument(help: "The current schedule (infusion-schedule/1).")
    var schedule: String

    @Argument(help: "The events file (infusion-events/1).")
    var events: String

    @OptionGroup var moment: ReplanMoment

    @Option(help: "auto | mip | greedy. greedy: the repair heuristic alone; auto and mip also improve it with the integer program.")
    var method: SolveMethod = .auto

    @Option(name: .long, help: "Seconds for the re-plan.")
    var timeLimit: Double = 30

    @Option(name: .shortAndLong, help: "Write the schedule here instead of stdout.")
    var output: String?

    @Option(name: .customLong("day-output"), help: "Also write the day with the events applied (the day the schedule is valid for).")
    var dayOutput: String?

    @Option(help: "A horizon (infusion-horizon/1): each dropped or cancelled request gets its best slot on a later day of it, as `next` on its change.")
    var horizon: String?

    func validate() throws {
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--time-limit must be a number of seconds in (0, 86400]")
        }
    }

    func run() throws {
        // The horizon is read first: bad input stops before the re-plan's work.
        let loadedHorizon = try horizon.map { path in
            defer { warnAboutUnknownKeys(in: path, Horizon.unknownKeys(in:)) }
            return try Horizon.load(path: path)
        }
        let options = ReplanOptions(now: moment.time, noticeMinutes: moment.notice, method: method, timeLimit: timeLimit)
        let planned = try loadDay(day)
        let result = try Replanner.replan(day: planned, schedule: Schedule.load(path: schedule),
                                          events: loadEvents(events), options: options,
                                          files: ReplanFiles(day: day, schedule: schedule, events: events))
        var schedule = result.schedule
        var nextLine: String?
        if let loadedHorizon {
            var session = BookingOffers(loadedHorizon)
            schedule = try session.addingNextSlots(to: schedule, day: planned, applied: result.day)
            let given = (schedule.changes ?? []).filter { $0.change == "dropped" || $0.change == "cancelled" }
            nextLine = "next slot on a later day for \(given.filter { $0.next != nil }.count) of \(given.count) dropped or cancelled request(s)"
        }
        try emit(schedule.jsonString(), to: output)
        if let dayOutput { try emit(result.day.jsonString(), to: dayOutput) }
        let s = result.schedule
        var lines = Summary.lines(for: s, requests: s.appointments.count + s.unscheduled.count)
        if let changes = s.changes {
            var counts: [String: Int] = [:]
            for c in changes { counts[c.change, default: 0] += 1 }
            let kinds = ["moved", "reassigned", "dropped", "cancelled", "added"].compactMap { k in counts[k].map { "\(k) \($0)" } }
            lines.append("\(changes.count) change(s)" + (kinds.isEmpty ? "" : ": " + kinds.joined(separator: ", "))
                         + "; change cost \(Summary.fmt(s.objective?.changes ?? 0)); \(result.frozen.count) frozen")
        }
        if let nextLine { lines.append(nextLine) }
        note(lines.joined(separator: "\n"))
        for n in result.notes { note("note: \(n)") }
    }
}

/// When a re-plan happens and how much notice it owes, shared by `reschedule` and `validate-replan`.
struct ReplanMoment: ParsableArguments {
    @Option(help: "The time of the re-plan (HH:MM): patients who arrived before it are frozen.")
    var now: String

    @Option(help: "Minutes of notice for a patient whose arrival changes.")
    var notice: Int = 30

    func validate() throws {
        guard ClockTime(parsing: now) != nil else { throw ValidationError("--now must be a time HH:MM") }
        guard (0...1440).contains(notice) else { throw ValidationError("--notice must be in 0...1440 minutes") }
    }

    /// `--now` as a clock time (checked by ``validate()``).
    var time: ClockTime { ClockTime(parsing: now)! }
}
