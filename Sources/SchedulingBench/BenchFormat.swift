import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingGenerator

/// How a benchmark report is written.
public enum BenchFormat: String, Sendable, CaseIterable {
    /// GitHub-flavoured Markdown tables, for BENCHMARKS.md.
    case md
    /// One CSV line per row, every number in full.
    case csv
    /// One JSON document with the rows, the summaries and the scaling series.
    case json
}
