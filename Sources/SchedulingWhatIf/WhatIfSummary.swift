import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan
import SchedulingGenerator

/// One scenario's figures over its days: the mean of each ``WhatIfMetrics`` field over the
/// days that were solved.
public struct WhatIfSummary: Sendable, Hashable {
    /// Days solved (the means are over these).
    public var days: Int
    /// Days that could not be solved (fixed bookings that cannot all hold).
    public var failedDays: Int
    /// Mean requests per day.
    public var requests: Double
    /// Mean requests scheduled.
    public var scheduled: Double
    /// Mean requests unscheduled.
    public var unscheduled: Double
    /// Mean unscheduled requests per reason.
    public var unscheduledByReason: [UnscheduledReason: Double]
    /// Mean weight of requests unscheduled for capacity.
    public var unscheduledWeight: Double
    /// Mean overtime minutes.
    public var overtimeMinutes: Double
    /// Mean excess wait minutes.
    public var excessWaitMinutes: Double
    /// Mean chair utilisation, in `0...1`.
    public var chairUtilisation: Double
    /// Mean nurse peak load.
    public var nursePeakLoad: Double
    /// Mean load of the pharmacy's busiest hour, in `0...1`.
    public var pharmacyPeakHour: Double
    /// Mean of the longest pharmacy backlog.
    public var pharmacyQueue: Double
    /// Mean fixed bookings released.
    public var releasedFixedBookings: Double
    /// Mean of the simulated p90 wait of a patient, over the days simulated (nil: none was).
    public var simulatedWaitP90: Double?
    /// Mean of the simulated p90 overtime of a day, over the days simulated (nil: none was).
    public var simulatedOvertimeP90: Double?

    /// The means over the solved outcomes (all zero when none was solved).
    public init(_ outcomes: [WhatIfOutcome]) {
        let solved = outcomes.compactMap { outcome -> WhatIfMetrics? in
            if case .solved(let m) = outcome { return m }
            return nil
        }
        days = solved.count
        failedDays = outcomes.count - solved.count
        let n = Double(max(1, solved.count))
        func mean(_ f: (WhatIfMetrics) -> Double) -> Double { solved.reduce(0) { $0 + f($1) } / n }
        requests = mean { Double($0.requests) }
        scheduled = mean { Double($0.scheduled) }
        unscheduled = mean { Double($0.requests - $0.scheduled) }
        var reasons: [UnscheduledReason: Double] = [:]
        for reason in UnscheduledReason.allCases {
            let m = mean { Double($0.unscheduled[reason] ?? 0) }
            if m > 0 { reasons[reason] = m }
        }
        unscheduledByReason = reasons
        unscheduledWeight = mean(\.unscheduledWeight)
        overtimeMinutes = mean { Double($0.overtimeMinutes) }
        excessWaitMinutes = mean { Double($0.excessWaitMinutes) }
        chairUtilisation = mean(\.chairUtilisation)
        nursePeakLoad = mean(\.nursePeakLoad)
        pharmacyPeakHour = mean(\.pharmacyPeakHour)
        pharmacyQueue = mean { Double($0.pharmacyQueue) }
        releasedFixedBookings = mean { Double($0.releasedFixedBookings) }
        let waits = solved.compactMap(\.simulatedWaitP90), overtimes = solved.compactMap(\.simulatedOvertimeP90)
        simulatedWaitP90 = waits.isEmpty ? nil : Double(waits.reduce(0, +)) / Double(waits.count)
        simulatedOvertimeP90 = overtimes.isEmpty ? nil : Double(overtimes.reduce(0, +)) / Double(overtimes.count)
    }

    /// The figures the report compares against the base, in report order.
    static let compared: [(key: String, header: String, digits: Int, percent: Bool, value: @Sendable (WhatIfSummary) -> Double)] = [
        ("requests", "Requests", 1, false, { $0.requests }),
        ("scheduled", "Scheduled", 1, false, { $0.scheduled }),
        ("unscheduled", "Unscheduled", 1, false, { $0.unscheduled }),
        ("unscheduledWeight", "Unsched. weight", 1, false, { $0.unscheduledWeight }),
        ("overtimeMinutes", "Overtime min", 1, false, { $0.overtimeMinutes }),
        ("excessWaitMinutes", "Excess wait min", 1, false, { $0.excessWaitMinutes }),
        ("chairUtilisation", "Chair util. %", 1, true, { $0.chairUtilisation }),
        ("nursePeakLoad", "Nurse peak", 2, false, { $0.nursePeakLoad }),
        ("pharmacyPeakHour", "Pharmacy peak hour %", 1, true, { $0.pharmacyPeakHour }),
    ]

    /// The simulated figures, compared after ``compared`` when the sweep was simulated (`whatif --simulate`).
    static let simulated: [(key: String, header: String, digits: Int, percent: Bool, value: @Sendable (WhatIfSummary) -> Double)] = [
        ("simulatedWaitP90", "Sim. p90 wait min", 1, false, { $0.simulatedWaitP90 ?? 0 }),
        ("simulatedOvertimeP90", "Sim. p90 overtime min", 1, false, { $0.simulatedOvertimeP90 ?? 0 }),
    ]

    /// Figures written to CSV and JSON only (see ``WhatIfMetrics/pharmacyQueue``).
    static let extra: [(key: String, digits: Int, value: @Sendable (WhatIfSummary) -> Double)] = [
        ("pharmacyQueue", 1, { $0.pharmacyQueue }),
        ("releasedFixedBookings", 1, { $0.releasedFixedBookings }),
    ]
}
