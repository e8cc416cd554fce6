/// Why a solve cannot proceed (misuse or contradictory input, not a bad schedule).
///
/// A schedule that leaves requests out is a result, not an error; only input that no schedule
/// can honour, such as fixed bookings that cannot all hold (SPEC §2.8), is thrown.
public enum SchedulingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The fixed bookings cannot all hold; names the requests (ids) involved.
    case fixedBookingsConflict(requests: [String], detail: String)

    /// A one-line message naming the requests involved (ids only, never request content).
    public var description: String {
        switch self {
        case let .fixedBookingsConflict(requests, detail):
            return "fixed bookings cannot all hold (\(requests.joined(separator: ", "))): \(detail)"
        }
    }
}
