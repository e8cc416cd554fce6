import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan
import SchedulingGenerator

/// What one solved day of a what-if sweep looks like: counts, minutes and load figures.
///
/// Definitions (docs/WHATIF.md repeats them):
/// - `unscheduledWeight`: sum of the weights of requests unscheduled for `capacity` (the
///   admissible ones the day had no room for; inadmissible requests are not counted).
/// - `overtimeMinutes`: Σ max(0, end − close) over appointments, unweighted.
/// - `excessWaitMinutes`: Σ (start − arrival − inherent lead) over same-day draws, unweighted.
/// - `chairUtilisation`: occupied chair minutes (draw at the chair, treatment and cleaning
///   buffer) divided by the minutes the chairs are available (their windows; a chair without
///   windows is available from open to latestEnd), so it never exceeds 1.
/// - `nursePeakLoad`: ``SchedulingModel/ResolvedDay/peakLoadRatio(of:)``, the largest acuity in chair per nurse on shift.
/// - `pharmacyPeakHour`: compounding minutes in the busiest 60 minutes of the day over the
///   compounder minutes of an hour (`compounders × 60`), in `0...1`: how close the pharmacy
///   comes to its limit, the figure a compounder more or less moves.
/// - `pharmacyQueue`: the largest number of requests at one minute whose drug could be
///   compounded (pharmacy open, drug delivered, and with `holdForLabs` the same-day results back)
///   but whose prep has not started yet. Schedulers prep just in time (a fresh drug, compounders
///   free for others), so this is the morning backlog of compounding still ahead rather than
///   contention; it is reported in CSV and JSON, the table shows the peak hour.
public struct WhatIfMetrics: Sendable, Hashable {
    /// Requests on the day.
    public var requests: Int
    /// Requests with an appointment.
    public var scheduled: Int
    /// Unscheduled requests per reason.
    public var unscheduled: [UnscheduledReason: Int]
    /// Sum of the weights of requests unscheduled for capacity.
    public var unscheduledWeight: Double
    /// Treatment minutes after closing.
    public var overtimeMinutes: Int
    /// Avoidable waiting minutes of patients drawn on the day.
    public var excessWaitMinutes: Int
    /// Occupied over available chair minutes, in `0...1`.
    public var chairUtilisation: Double
    /// Peak acuity in chair per nurse on shift.
    public var nursePeakLoad: Double
    /// Compounding minutes in the busiest hour over the compounder minutes of an hour.
    public var pharmacyPeakHour: Double
    /// Longest backlog of drugs ready to compound but not started.
    public var pharmacyQueue: Int
    /// Fixed bookings the scenario released.
    public var releasedFixedBookings: Int
    /// `method/status` of the solve (`greedy/feasible`, `mip/optimal`, `greedy/fallback`).
    public var solver: String
    /// With `whatif --simulate`: the plan simulated under the default noise (docs/ROBUSTNESS.md),
    /// the 90th percentile (nearest rank) of one patient's wait over every patient and run.
    public var simulatedWaitP90: Int?
    /// With `whatif --simulate`: the 90th percentile over the runs of a day's overtime (SPEC §3's minutes).
    public var simulatedOvertimeP90: Int?

    /// Creates metrics from their values.
    public init(requests: Int, scheduled: Int, unscheduled: [UnscheduledReason: Int], unscheduledWeight: Double,
                overtimeMinutes: Int, excessWaitMinutes: Int, chairUtilisation: Double, nursePeakLoad: Double,
                pharmacyPeakHour: Double, pharmacyQueue: Int, releasedFixedBookings: Int, solver: String,
                simulatedWaitP90: Int? = nil, simulatedOvertimeP90: Int? = nil) {
        self.requests = requests; self.scheduled = scheduled; self.unscheduled = unscheduled
        self.unscheduledWeight = unscheduledWeight; self.overtimeMinutes = overtimeMinutes
        self.excessWaitMinutes = excessWaitMinutes; self.chairUtilisation = chairUtilisation
        self.nursePeakLoad = nursePeakLoad; self.pharmacyPeakHour = pharmacyPeakHour; self.pharmacyQueue = pharmacyQueue
        self.releasedFixedBookings = releasedFixedBookings; self.solver = solver
        self.simulatedWaitP90 = simulatedWaitP90; self.simulatedOvertimeP90 = simulatedOvertimeP90
    }

    /// Measures a solved day.
    ///
    /// - Complexity: O(requests + placements log placements + chairs).
    public init(day: ResolvedDay, result: SolveResult, releasedFixedBookings: Int = 0) {
        let schedule = result.schedule
        let placements = result.placements
        var reasons: [UnscheduledReason: Int] = [:]
        var weight = 0.0
        for u in schedule.unscheduled {
            reasons[u.reason, default: 0] += 1
            if u.reason == .capacity, let r = day.requestIndex[u.request] { weight += day.requests[r].weight }
        }
        var overtime = 0, wait = 0, occupied = 0
        var queue: [(time: Int, delta: Int)] = []
        var compounding = [Int](repeating: 0, count: 24 * 60 + 2)
        for p in placements {
            overtime += max(0, day.end(of: p) - day.close)
            if let d = p.drawStart { wait += max(0, p.start - d - day.inherentLead(of: p.request)) }
            occupied += day.chairOccupancy(of: p).count
            if let prep = p.prepStart {
                let length = day.regimen(of: p.request).prepMinutes
                compounding[min(max(0, prep), compounding.count - 1)] += 1
                compounding[min(max(0, prep + length), compounding.count - 1)] -= 1
                var ready = day.pharmacyOpen
                if let delivered = day.requests[p.request].drugReadyAt { ready = max(ready, delivered) }
                if day.regimen(of: p.request).holdForLabs, let d = p.drawStart {
                    ready = max(ready, d + day.drawMinutes + day.turnaroundMinutes)
                }
                if ready < prep { queue.append((ready, 1)); queue.append((prep, -1)) }
            }
        }
        // Half-open intervals: at equal times a prep that starts leaves the queue before a new drug joins it.
        queue.sort { ($0.time, $0.delta) < ($1.time, $1.delta) }
        var length = 0, longest = 0
        for event in queue { length += event.delta; longest = max(longest, length) }
        // Running count of preps at each minute, then the busiest 60-minute window of it.
        var busy = [Int](repeating: 0, count: compounding.count)
        var running = 0
        for t in compounding.indices { running += compounding[t]; busy[t] = running }
        var window = 0, busiest = 0
        for t in busy.indices {
            window += busy[t]
            if t >= 60 { window -= busy[t - 60] }
            busiest = max(busiest, window)
        }
        let available = day.chairs.reduce(0) { $0 + $1.windows.reduce(0) { $0 + $1.count } }
        let solver = schedule.solver.map { "\($0.method)/\($0.status)" } ?? "unknown"
        self.init(requests: day.requests.count, scheduled: placements.count, unscheduled: reasons, unscheduledWeight: weight,
                  overtimeMinutes: overtime, excessWaitMinutes: wait,
                  chairUtilisation: available > 0 ? Double(occupied) / Double(available) : 0,
                  nursePeakLoad: day.peakLoadRatio(of: placements),
                  pharmacyPeakHour: Double(busiest) / Double(60 * day.compounders), pharmacyQueue: longest,
                  releasedFixedBookings: releasedFixedBookings, solver: solver)
    }
}
