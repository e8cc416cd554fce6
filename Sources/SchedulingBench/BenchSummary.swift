import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingGenerator

/// The rows of one group (a profile) and one method, summarised.
public struct BenchSummary: Sendable, Hashable {
    /// The group (profile name).
    public var group: String
    /// The method.
    public var method: SolveMethod
    /// Days summarised.
    public var days: Int
    /// Days the solve proved optimal.
    public var optimal: Int
    /// Median wall-clock seconds of a solve.
    public var medianSeconds: Double
    /// Longest solve, in seconds.
    public var maxSeconds: Double
    /// Median proven gap, over the days with a proven bound; nil when none has one (greedy).
    public var medianGap: Double?
    /// Largest proven gap, over the days with a proven bound.
    public var maxGap: Double?
    /// Median gap to the LP relaxation bound, over the days where it was found.
    public var medianRelaxationGap: Double?
    /// Median of this method's objective divided by the MIP's on the same day (by at least 1,
    /// as the gap is), nil for the MIP
    /// itself or when no day has both.
    public var medianRatioToMIP: Double?
    /// Largest such ratio.
    public var maxRatioToMIP: Double?
    /// Median peak memory in bytes, over the days where it was measured.
    public var medianPeakMemoryBytes: Int?

    /// One summary per group and method, groups and methods in the order of their first row.
    public static func summarise(_ rows: [BenchRow]) -> [BenchSummary] {
        var groups: [String] = [], methods: [SolveMethod] = []
        for row in rows {
            if !groups.contains(row.group) { groups.append(row.group) }
            if !methods.contains(row.method) { methods.append(row.method) }
        }
        var summaries: [BenchSummary] = []
        for group in groups {
            for method in methods {
                let mine = rows.filter { $0.group == group && $0.method == method }
                guard !mine.isEmpty else { continue }
                let ratios: [Double] = method == .mip ? [] : mine.compactMap { row in
                    guard let mip = rows.first(where: { $0.day == row.day && $0.method == .mip }) else { return nil }
                    return row.objective.total / max(1, abs(mip.objective.total))
                }
                let gaps = mine.compactMap(\.gap)
                summaries.append(BenchSummary(
                    group: group, method: method, days: mine.count,
                    optimal: mine.filter { $0.status == .optimal }.count,
                    medianSeconds: median(mine.map(\.seconds)) ?? 0, maxSeconds: mine.map(\.seconds).max() ?? 0,
                    medianGap: median(gaps), maxGap: gaps.max(),
                    medianRelaxationGap: median(mine.compactMap(\.relaxationGap)),
                    medianRatioToMIP: median(ratios), maxRatioToMIP: ratios.max(),
                    medianPeakMemoryBytes: median(mine.compactMap { $0.peakMemoryBytes.map(Double.init) }).map { Int($0.rounded()) }))
            }
        }
        return summaries
    }

    /// The median; the mean of the two middle values for an even count; nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
