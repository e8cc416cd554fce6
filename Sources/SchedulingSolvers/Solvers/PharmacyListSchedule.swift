import SchedulingModel
import SchedulingRules
import MIPKit

/// A list schedule of the draws and preps of fixed bookings: the fast way to their pharmacy
/// and lab part (`FixedBookingsProgram` is the exact one).
///
/// Station draws go first, most urgent (latest allowed start) first, each at the earliest
/// minute a station is free, so that the preps waiting for them are released early. Then the
/// preps, most urgent first, each at the earliest minute from its release at which a
/// compounder is free for the whole prep. A draw at the chair follows its prep (as late as it
/// allows), so it needs no station. Nil when some draw or prep finds no room: that proves
/// nothing.
enum PharmacyListSchedule {
    /// Prep and draw starts by request, or nil.
    ///
    /// - Complexity: O(n² log n) for n bookings.
    static func plan(_ day: ResolvedDay, _ set: [Int], prepFloor: [Int: Int]) -> [Int: FixedBookingsProgram.Decision]? {
        let lead = day.drawMinutes + day.turnaroundMinutes
        var decisions: [Int: FixedBookingsProgram.Decision] = [:]
        func start(_ r: Int) -> Int { day.requests[r].fixedStart! }
        func stationDraw(_ r: Int) -> Bool { day.needsDraw(r, start: start(r)) && !day.requests[r].labsAtChair }

        var draws: [Range<Int>] = []
        let drawing = set.filter(stationDraw).sorted { (day.latestDraw($0, start: start($0)), $0) < (day.latestDraw($1, start: start($1)), $1) }
        for r in drawing {
            guard let d = earliestFree(from: day.earliestDraw(r), through: day.latestDraw(r, start: start(r)),
                                       length: day.drawMinutes, busy: draws, capacity: day.stations) else { return nil }
            draws.append(d..<(d + day.drawMinutes))
            decisions[r, default: .init()].drawStart = d
        }

        var preps: [Range<Int>] = []
        var bounds: [(r: Int, lo: Int, hi: Int)] = []
        for r in set {
            guard day.regimen(of: r).prepMinutes > 0 else { continue }
            // Results of the station draw placed above, or of the earliest port draw.
            let drawn = day.needsDraw(r, start: start(r)) ? (decisions[r]?.drawStart ?? day.earliestDraw(r)) + lead : nil
            guard let range = day.prepStarts(r, start: start(r), resultsAt: drawn) else { return nil }
            bounds.append((r, max(range.lowerBound, prepFloor[r] ?? Int.min), range.upperBound))
        }
        for (r, lo, hi) in bounds.sorted(by: { ($0.hi, $0.lo, $0.r) < ($1.hi, $1.lo, $1.r) }) {
            let length = day.regimen(of: r).prepMinutes
            guard let p = earliestFree(from: lo, through: hi, length: length, busy: preps, capacity: day.compounders) else { return nil }
            preps.append(p..<(p + length))
            decisions[r, default: .init()].prepStart = p
            if day.requests[r].labsAtChair, day.needsDraw(r, start: start(r)) {
                var d = day.latestDraw(r, start: start(r))
                if day.regimen(of: r).holdForLabs { d = min(d, p - lead) }
                decisions[r]?.drawStart = d
            }
        }
        // Draws at the chair of bookings without a prep: as late as the labs allow.
        for r in set where day.requests[r].labsAtChair && day.needsDraw(r, start: start(r)) && decisions[r]?.drawStart == nil {
            decisions[r, default: .init()].drawStart = day.latestDraw(r, start: start(r))
        }
        return decisions
    }

    /// The earliest `t` in `lo...hi` with fewer than `capacity` of `busy` overlapping
    /// `[t, t + length)` at every minute: tried at `lo` and at each end of a busy interval.
    private static func earliestFree(from lo: Int, through hi: Int, length: Int, busy: [Range<Int>], capacity: Int) -> Int? {
        guard lo <= hi, capacity > 0 else { return nil }
        let candidates = ([lo] + busy.map(\.upperBound).filter { $0 > lo && $0 <= hi }).sorted()
        for t in candidates {
            let span = t..<(t + length)
            let meeting = busy.filter { $0.overlaps(span) }
            // The count only rises at the start of the span or of a busy interval inside it.
            let points = [t] + meeting.map(\.lowerBound).filter { span.contains($0) }
            if points.allSatisfy({ p in meeting.reduce(0) { $0 + ($1.contains(p) ? 1 : 0) } < capacity }) { return t }
        }
        return nil
    }
}
