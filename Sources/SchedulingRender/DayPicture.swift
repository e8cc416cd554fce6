import SchedulingModel
import SchedulingRules

/// A schedule read against its day for drawing: the appointments in index form, what the
/// picture cannot place, the time axis and the figures of the header.
///
/// A schedule handed to the renderer may be invalid or belong to another day, so nothing here
/// trusts it: appointments naming an unknown request, chair or nurse are counted and left out,
/// and every figure is computed from what is drawn.
struct DayPicture {
    /// One appointment that can be drawn: its index form and the file entry it came from.
    struct Item {
        var placement: Placement
        var appointment: Appointment
    }

    let day: ResolvedDay
    let schedule: Schedule
    /// Drawable appointments, in the schedule's order.
    let items: [Item]
    /// Appointments naming a request, chair or nurse the day does not have, or with times
    /// outside the clock (only a schedule built in code can have those).
    let unknownAppointments: Int
    /// The minutes the picture spans: whole hours from the first opening (clinic, pharmacy,
    /// lab) to the latest end, widened to hold anything an invalid schedule puts outside.
    let axis: Range<Int>

    /// Distinct requests with an appointment.
    let scheduledRequests: Int
    /// Unscheduled request ids by reason, in the order of ``UnscheduledReason/allCases``;
    /// reasons without requests are left out.
    let unscheduledByReason: [(reason: UnscheduledReason, requests: [String])]
    /// Σ max(0, end − close) over the drawn appointments.
    let overtimeMinutes: Int
    /// Σ (start − arrival − inherent lead) over the drawn appointments with a same-day draw.
    let excessWaitMinutes: Int
    /// Chair minutes taken (draw at the chair, treatment, cleaning) inside the chairs' windows.
    let occupiedChairMinutes: Int
    /// Chair minutes available: the total length of every chair's windows.
    let availableChairMinutes: Int
    /// Largest acuity in chair per nurse on shift over the day (SPEC §3 peak load).
    let peakLoad: Double

    init(day: ResolvedDay, schedule: Schedule) {
        self.day = day
        self.schedule = schedule
        var items: [Item] = []
        var unknown = 0
        for a in schedule.appointments {
            let times = [a.start.minutes, a.labDraw?.start.minutes ?? 0, a.prep?.start.minutes ?? 0]
            guard let r = day.requestIndex[a.request], let c = day.chairIndex[a.chair], let n = day.nurseIndex[a.nurse],
                  times.allSatisfy({ (0...1440).contains($0) }) else {
                unknown += 1
                continue
            }
            // Numbers far out of range stay out of range but can no longer overflow.
            func index(_ number: Int) -> Int { min(max(number, 0), 1_000_000) - 1 }
            let placement = Placement(request: r, chair: c, nurse: n, start: a.start.minutes,
                                      drawStart: a.labDraw?.start.minutes, station: a.labDraw?.station.map(index),
                                      prepStart: a.prep?.start.minutes, compounder: a.prep.map { index($0.compounder) })
            items.append(Item(placement: placement, appointment: a))
        }
        self.items = items
        unknownAppointments = unknown

        // Whole hours read best; anything an invalid schedule puts outside widens the axis
        // instead of falling off the picture.
        var first = min(day.open, day.pharmacyOpen, day.labOpen)
        var last = day.latestEnd
        for item in items {
            let p = item.placement
            first = min(first, p.arrival, p.prepStart ?? p.start)
            last = max(last, Self.occupancy(of: p, in: day).upperBound)
        }
        first = max(0, first)
        let lower = first / 60 * 60
        let upper = max(lower + 60, (last + 59) / 60 * 60)
        axis = lower..<upper

        var placed = [Bool](repeating: false, count: day.requests.count)
        var overtime = 0, wait = 0
        for item in items {
            let p = item.placement
            placed[p.request] = true
            overtime += max(0, day.end(of: p) - day.close)
            if let d = p.drawStart { wait += max(0, p.start - d - day.inherentLead(of: p.request)) }
        }
        scheduledRequests = placed.filter { $0 }.count
        overtimeMinutes = overtime
        excessWaitMinutes = wait

        unscheduledByReason = UnscheduledReason.allCases.compactMap { reason in
            let ids = schedule.unscheduled.filter { $0.reason == reason }.map(\.request)
            return ids.isEmpty ? nil : (reason, ids)
        }

        // Utilisation counts each chair minute once, so overlapping bookings of an invalid
        // schedule cannot push it past 100 %.
        var occupied = 0, available = 0
        let span = axis
        for (c, chair) in day.chairs.enumerated() {
            var taken = [Bool](repeating: false, count: span.count)
            var open = [Bool](repeating: false, count: span.count)
            for w in chair.windows {
                for t in w.clamped(to: span) { open[t - span.lowerBound] = true }
            }
            for item in items where item.placement.chair == c {
                let o = Self.occupancy(of: item.placement, in: day).clamped(to: span)
                for t in o { taken[t - span.lowerBound] = true }
            }
            for i in 0..<span.count where open[i] {
                available += 1
                if taken[i] { occupied += 1 }
            }
        }
        occupiedChairMinutes = occupied
        availableChairMinutes = available
        peakLoad = day.peakLoadRatio(of: items.map(\.placement))
    }

    /// The minutes the chair is taken, as ``ResolvedDay/chairOccupancy(of:)`` reads them, but
    /// safe for an invalid schedule whose draw at the chair comes after the treatment.
    static func occupancy(of p: Placement, in day: ResolvedDay) -> Range<Int> {
        let reg = day.regimen(of: p.request)
        let upper = p.start + reg.chairMinutes + reg.bufferMinutes
        if let d = p.drawStart, p.station == nil, d <= upper { return day.chairOccupancy(of: p) }
        return p.start..<upper
    }

    /// Chair utilisation as a fraction; zero when no chair is available.
    var chairUtilisation: Double {
        availableChairMinutes > 0 ? Double(occupiedChairMinutes) / Double(availableChairMinutes) : 0
    }

    /// Acuity in chair of nurse `n` as constant steps over the day: `(minutes, acuity)` for
    /// every stretch with patients, in time order.
    func loadSteps(nurse n: Int) -> [(span: Range<Int>, acuity: Int)] {
        var changes: [(time: Int, delta: Int)] = []
        for item in items where item.placement.nurse == n {
            let p = item.placement
            let acuity = day.regimen(of: p.request).acuity
            let end = day.end(of: p)
            guard p.start < end else { continue }
            changes.append((p.start, acuity))
            changes.append((end, -acuity))
        }
        changes.sort { ($0.time, $0.delta) < ($1.time, $1.delta) }
        var steps: [(span: Range<Int>, acuity: Int)] = []
        var level = 0
        var i = 0
        while i < changes.count {
            let t = changes[i].time
            while i < changes.count && changes[i].time == t { level += changes[i].delta; i += 1 }
            if level > 0, i < changes.count { steps.append((t..<changes[i].time, level)) }
        }
        return steps
    }

    /// The intensive minutes of nurse `n`'s patients, each with its item index and whether it
    /// collides with another patient's intensive minutes or the nurse's break (SPEC §2.3).
    ///
    /// - Complexity: O(k²) in the nurse's patients, a few dozen at most.
    func intensiveMinutes(nurse n: Int) -> [(span: Range<Int>, item: Int, conflict: Bool)] {
        var marks: [(span: Range<Int>, item: Int)] = []
        for (i, item) in items.enumerated() where item.placement.nurse == n {
            let p = item.placement
            for span in ResolvedDay.intensiveIntervals(start: p.start, end: day.end(of: p), regimen: day.regimen(of: p.request)) {
                marks.append((span, i))
            }
        }
        marks.sort { ($0.span.lowerBound, $0.span.upperBound, $0.item) < ($1.span.lowerBound, $1.span.upperBound, $1.item) }
        let breakTime = day.nurses[n].breakTime
        return marks.map { mark in
            let clash = mark.span.overlaps(breakTime)
                || marks.contains { $0.item != mark.item && $0.span.overlaps(mark.span) }
            return (mark.span, mark.item, clash)
        }
    }
}
