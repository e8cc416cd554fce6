import SchedulingModel

/// The plan of a day, ready to be lived through minute by minute under drawn noise.
///
/// The rules of the replay (docs/ROBUSTNESS.md, "The replay"): nothing happens before the plan
/// says (no draw, prep or start before its planned minute); each patient keeps the planned
/// chair, nurse, station and compounder, and each chair takes its patients in the plan's order;
/// at each minute the clinic serves, in plan order, every patient whose chair, nurse, drug and
/// labs are ready, and the others wait. A nurse gives one
/// patient intensive minutes at a time, never during the break, and never takes a patient who
/// would carry her past her capacity; a patient whose infusion is over waits for the nurse to
/// disconnect them. So the rules of SPEC §2.2–§2.5 hold at every minute; what a replay cannot
/// keep is an *end* (clinic latestEnd, the nurse's shift end, a chair window's end, a patient's
/// latest end) when a treatment runs long: the clinic finishes the patient and the report counts it.
package struct DayReplay: Sendable {
    /// The resolved day.
    package let day: ResolvedDay
    /// The appointments in plan order: by planned start, then request index.
    package let visits: [PlannedVisit]

    /// The replay of `placements` (a valid schedule of `day`).
    package init(day: ResolvedDay, placements: [Placement]) {
        self.day = day
        visits = placements.map { p in
            let reg = day.regimen(of: p.request)
            return PlannedVisit(
                request: p.request, chair: p.chair, nurse: p.nurse, start: p.start, end: p.start + reg.chairMinutes,
                arrival: p.arrival, drawStart: p.drawStart, station: p.station,
                prepStart: reg.prepMinutes > 0 ? p.prepStart : nil, compounder: reg.prepMinutes > 0 ? p.compounder : nil,
                chairMinutes: reg.chairMinutes, bufferMinutes: reg.bufferMinutes, acuity: reg.acuity,
                nurseStartMinutes: reg.nurseStartMinutes, nurseEndMinutes: reg.nurseEndMinutes, prepMinutes: reg.prepMinutes,
                holdForLabs: reg.holdForLabs)
        }.sorted { ($0.start, $0.request) < ($1.start, $1.request) }
    }

    /// The planned chair minutes of every request of the day, by request index (what the noise draws around).
    package var plannedChairMinutes: [Int] { day.requests.indices.map { day.regimen(of: $0).chairMinutes } }
}
