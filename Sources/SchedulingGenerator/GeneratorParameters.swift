import SchedulingModel
import SchedulingRules

/// What the synthetic day generator builds: resource counts, request count and the shares of
/// requests that carry each complication.
///
/// Counts are exact; shares are turned into exact counts by rounding `share × requests`, so two
/// days with the same parameters differ only in which requests carry what. Out-of-range values
/// are clamped by the generator (at least one chair, nurse, compounder and station).
public struct GeneratorParameters: Sendable, Hashable {
    /// Treatment chairs in total, beds included.
    public var chairs: Int
    /// How many of the chairs are beds (the rest are recliners).
    public var beds: Int
    /// Recliners open only part of the day (morning only, afternoon only, or closed over midday).
    public var restrictedChairs: Int
    /// Nurses on duty, spread over three staggered shifts.
    public var nurses: Int
    /// Pharmacy compounders.
    public var compounders: Int
    /// Lab draw stations.
    public var labStations: Int
    /// Treatment requests.
    public var requests: Int
    /// Requests with a fixed booking (start, chair, sometimes nurse).
    public var fixedBookings: Int
    /// Bounds on total chair demand (chair plus buffer minutes of all requests) as a fraction of
    /// the chairs' available minutes in regular hours (open to close).
    public var demandRatio: ClosedRange<Double>
    /// Share of the requests whose regimen needs labs that have nothing valid on file at all.
    public var sameDayLabShare: Double
    /// Share of the requests whose regimen needs labs that have labs on file expiring mid-morning.
    public var expiringLabShare: Double
    /// Share of the requests that may need a draw which are drawn at the chair through a port.
    public var portDrawShare: Double
    /// Share of the requests with a compounded drug that is delivered mid-morning.
    public var lateDrugShare: Double
    /// Share of the requests whose authorization is pending or denied.
    public var authorizationProblemShare: Double
    /// Share of the requests whose approved authorization expires within 21 days.
    public var expiringAuthorizationShare: Double
    /// Share of the requests with a patient window.
    public var windowShare: Double
    /// Share of the requests with a preferred start.
    public var preferredStartShare: Double

    /// Creates parameters; the shares default to those of every preset.
    public init(chairs: Int, beds: Int, restrictedChairs: Int, nurses: Int, compounders: Int, labStations: Int,
                requests: Int, fixedBookings: Int, demandRatio: ClosedRange<Double> = 0.92...1.02,
                sameDayLabShare: Double = 0.35, expiringLabShare: Double = 0.15, portDrawShare: Double = 0.35,
                lateDrugShare: Double = 0.08, authorizationProblemShare: Double = 0.05,
                expiringAuthorizationShare: Double = 0.10, windowShare: Double = 0.30, preferredStartShare: Double = 0.40) {
        self.chairs = chairs; self.beds = beds; self.restrictedChairs = restrictedChairs; self.nurses = nurses
        self.compounders = compounders; self.labStations = labStations; self.requests = requests
        self.fixedBookings = fixedBookings; self.demandRatio = demandRatio
        self.sameDayLabShare = sameDayLabShare; self.expiringLabShare = expiringLabShare
        self.portDrawShare = portDrawShare; self.lateDrugShare = lateDrugShare
        self.authorizationProblemShare = authorizationProblemShare
        self.expiringAuthorizationShare = expiringAuthorizationShare
        self.windowShare = windowShare; self.preferredStartShare = preferredStartShare
    }

    /// The parameters of a named day size.
    public static func preset(_ profile: DayProfile) -> GeneratorParameters {
        switch profile {
        case .small:
            return GeneratorParameters(chairs: 8, beds: 2, restrictedChairs: 1, nurses: 4, compounders: 2,
                                       labStations: 1, requests: 22, fixedBookings: 1)
        case .medium:
            return GeneratorParameters(chairs: 24, beds: 5, restrictedChairs: 2, nurses: 10, compounders: 5,
                                       labStations: 2, requests: 70, fixedBookings: 3)
        case .large:
            return GeneratorParameters(chairs: 48, beds: 10, restrictedChairs: 4, nurses: 20, compounders: 10,
                                       labStations: 3, requests: 150, fixedBookings: 5)
        case .xl:
            return GeneratorParameters(chairs: 96, beds: 19, restrictedChairs: 8, nurses: 45, compounders: 20,
                                       labStations: 6, requests: 320, fixedBookings: 8)
        }
    }

    /// Parameters for `requests` requests with every resource in the proportion of ``DayProfile/medium``,
    /// for benchmarks that grow a day while keeping it equally hard.
    public static func scaled(requests: Int) -> GeneratorParameters {
        let base = preset(.medium)
        let n = max(0, requests)
        func share(_ count: Int, minimum: Int) -> Int {
            max(minimum, Int((Double(count) * Double(n) / Double(base.requests)).rounded()))
        }
        let chairs = share(base.chairs, minimum: 1)
        return GeneratorParameters(chairs: chairs, beds: min(chairs, share(base.beds, minimum: 1)),
                                   restrictedChairs: share(base.restrictedChairs, minimum: 0),
                                   nurses: share(base.nurses, minimum: 1), compounders: share(base.compounders, minimum: 1),
                                   labStations: share(base.labStations, minimum: 1), requests: n,
                                   fixedBookings: share(base.fixedBookings, minimum: 0))
    }
}
