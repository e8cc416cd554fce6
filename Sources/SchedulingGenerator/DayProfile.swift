import SchedulingModel
import SchedulingRules

/// The size of a synthetic clinic day, from a small satellite clinic to a large cancer centre.
public enum DayProfile: String, Sendable, CaseIterable {
    /// About 8 chairs and 22 requests.
    case small
    /// About 24 chairs and 70 requests.
    case medium
    /// About 48 chairs and 150 requests.
    case large
    /// About 96 chairs and 320 requests.
    case xl
}
