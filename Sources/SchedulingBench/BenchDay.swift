import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingGenerator

/// One day of a benchmark run: a committed instance, a generated seed of a profile, a day of
/// the scaling series, or any day file.
public struct BenchDay: Sendable {
    /// Short name used in tables, e.g. `medium-1`, `scaled-100`.
    public var name: String
    /// The group its rows are summarised under: the profile's name, `scaled`, or `file`.
    public var group: String
    /// The generator seed, when the day was generated.
    public var seed: UInt64?
    /// The day.
    public var day: Day
    /// A file holding exactly `day`, when there is one (solves in a child process read it).
    public var path: String?

    /// Creates a benchmark day.
    public init(name: String, group: String, seed: UInt64? = nil, day: Day, path: String? = nil) {
        self.name = name; self.group = group; self.seed = seed; self.day = day; self.path = path
    }

    /// The day of `profile` generated with `seed` (seed 1 is the committed instance).
    public static func generated(_ profile: DayProfile, seed: UInt64) -> BenchDay {
        BenchDay(name: "\(profile.rawValue)-\(seed)", group: profile.rawValue, seed: seed,
                 day: DayGenerator.generate(profile: profile, seed: seed))
    }

    /// A day of the scaling series: `requests` requests with chairs, nurses, compounders and
    /// stations in the proportion of a medium day (``SchedulingGenerator/GeneratorParameters/scaled(requests:)``).
    public static func scaled(requests: Int, seed: UInt64 = 1) -> BenchDay {
        BenchDay(name: "scaled-\(requests)", group: BenchDay.scalingGroup, seed: seed,
                 day: DayGenerator.generate(.scaled(requests: requests), seed: seed))
    }

    /// The group of the scaling series.
    public static let scalingGroup = "scaled"
}
