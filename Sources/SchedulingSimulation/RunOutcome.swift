import SchedulingModel

/// The figures of one run of a simulation (or of the plan itself): what the report aggregates.
package struct RunOutcome: Sendable, Hashable {
    /// Minutes each visit waited, in plan order; -1 for a patient who did not come.
    package var waits: [Int]
    /// Waiting minutes of all patients together, by ``WaitCause`` raw value.
    package var causeMinutes: [Int]
    /// SPEC §3's overtime: minutes of treatment after closing, summed over patients.
    package var overtime: Int
    /// The minute the last patient's treatment ended (the clinic's opening when nobody came).
    package var lastEnd: Int
    /// Chair minutes available between opening and closing that no patient used.
    package var chairIdle: Int
    /// Minutes nurses hold patients past their shift's end, summed over nurses.
    package var nurseOvertime: Int
    /// Chairs in use on average in each hour of ``DayReplay/hours``.
    package var occupancy: [Double]
    /// Patients who did not come.
    package var noShows: Int
    /// Infusion reactions.
    package var reactions: Int
    /// Preps done for patients who did not come.
    package var wastedPreps: Int
}

extension DayReplay {
    /// The hours the occupancy is reported for: whole hours from the one holding the opening to
    /// the one holding the latest end, as their first minutes.
    package var hours: [Int] {
        let first = day.open / 60 * 60
        let last = (day.latestEnd + 59) / 60 * 60
        return Array(stride(from: first, to: last, by: 60))
    }

    /// The plan's own times as a replay result: every patient comes and everything happens as planned.
    package func planned() -> ReplayResult {
        let n = visits.count
        return ReplayResult(
            attended: Array(repeating: true, count: n), arrival: visits.map(\.arrival), drawStart: visits.map(\.drawStart),
            resultsAt: visits.map { v in v.drawStart.map { $0 + day.drawMinutes + day.turnaroundMinutes } },
            prepStart: visits.map(\.prepStart), start: visits.map(\.start), end: visits.map(\.end),
            occupiedFrom: visits.map { $0.drawAtChair ? $0.drawStart! : $0.start }, reactionMinutes: Array(repeating: 0, count: n),
            waits: Array(repeating: 0, count: n * WaitCause.allCases.count), intensive: nil)
    }

    /// The figures of `result`, a run of this replay (or ``planned()``).
    package func outcome(of result: ReplayResult) -> RunOutcome {
        let causes = WaitCause.allCases.count
        var waits = [Int](repeating: -1, count: visits.count)
        var causeMinutes = [Int](repeating: 0, count: causes)
        var overtime = 0, lastEnd = day.open, noShows = 0, reactions = 0, wasted = 0
        var nurseLast = [Int](repeating: 0, count: day.nurses.count)  // a nurse without patients ends at once
        let hours = hours
        var occupancy = [Double](repeating: 0, count: hours.count)
        // Each chair's minutes between opening and closing inside its availability.
        let usable = day.chairs.map { c in c.windows.compactMap { w -> Range<Int>? in
            let r = max(w.lowerBound, day.open)..<min(w.upperBound, day.close)
            return r.isEmpty ? nil : r
        } }
        var idle = usable.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        for (k, v) in visits.enumerated() {
            guard result.attended[k] else {
                noShows += 1
                if result.prepStart[k] != nil { wasted += 1 }
                continue
            }
            waits[k] = result.wait(of: k)
            for c in 0..<causes { causeMinutes[c] += result.waits[k * causes + c] }
            if result.reactionMinutes[k] > 0 { reactions += 1 }
            let end = result.end[k]
            overtime += max(0, end - day.close)
            lastEnd = max(lastEnd, end)
            nurseLast[v.nurse] = max(nurseLast[v.nurse], end)
            let occupied = result.occupiedFrom[k]..<(end + v.bufferMinutes)
            for w in usable[v.chair] where w.overlaps(occupied) {
                idle -= min(w.upperBound, occupied.upperBound) - max(w.lowerBound, occupied.lowerBound)
            }
            for (h, hour) in hours.enumerated() {
                let overlap = min(hour + 60, occupied.upperBound) - max(hour, occupied.lowerBound)
                if overlap > 0 { occupancy[h] += Double(overlap) / 60 }
            }
        }
        let nurseOvertime = day.nurses.indices.reduce(0) { $0 + max(0, nurseLast[$1] - day.nurses[$1].shift.upperBound) }
        return RunOutcome(waits: waits, causeMinutes: causeMinutes, overtime: overtime, lastEnd: lastEnd, chairIdle: idle,
                          nurseOvertime: nurseOvertime, occupancy: occupancy, noShows: noShows, reactions: reactions,
                          wastedPreps: wasted)
    }
}
