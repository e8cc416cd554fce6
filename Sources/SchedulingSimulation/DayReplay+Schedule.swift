import SchedulingModel
import SchedulingRules

extension DayReplay {
    /// The replay of `schedule`, which must keep every hard rule of `day`.
    ///
    /// - Throws: ``SchedulingModel/InputError`` for `file` when it does not: the validator's first
    ///   violation, and how many more there are.
    package init(day: ResolvedDay, schedule: Schedule, file: String?) throws {
        let report = Validator.validate(schedule, day: day)
        if let first = report.violations.first {
            let more = report.violations.count > 1 ? " (and \(report.violations.count - 1) more)" : ""
            throw InputError(file: file, path: "appointments",
                             message: "not a valid schedule of this day: \(first)\(more); run `validate` for the list")
        }
        // A valid schedule names known ids once each and 1-based station and compounder numbers.
        let placements = schedule.appointments.map { a in
            Placement(request: day.requestIndex[a.request]!, chair: day.chairIndex[a.chair]!, nurse: day.nurseIndex[a.nurse]!,
                      start: a.start.minutes, drawStart: a.labDraw?.start.minutes, station: a.labDraw?.station.map { $0 - 1 },
                      prepStart: a.prep?.start.minutes, compounder: a.prep.map { $0.compounder - 1 })
        }
        self.init(day: day, placements: placements)
    }
}
