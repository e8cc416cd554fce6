import SchedulingModel
import SchedulingRules
import MIPKit

/// Why a solve cannot proceed (misuse or contradictory input, not a bad schedule).
///
/// A schedule that leaves requests out is a result, not an error; only input that no schedule
/// can honour, such as fixed bookings that cannot all hold (SPEC §2.8), is thrown.
public enum SchedulingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The fixed bookings cannot all hold; names the requests (ids) involved.
    case fixedBookingsConflict(requests: [String], detail: String)
    /// A solver produced a schedule that failed the library's validator (a library bug): the
    /// schedule is withheld rather than returned.
    case invalidSchedule(method: String, violations: [String])
    /// The solver failed (a library bug or exhausted memory, never the input's fault): GLPK
    /// reported an error, which ended the solve; the message is GLPK's. The process and other
    /// solves go on (docs/ARCHITECTURE.md, "GLPK errors").
    case solverFailed(String)

    /// A one-line message naming the requests involved (ids only, never request content), with
    /// control characters escaped and long ids clipped as in ``SchedulingModel/InputError``.
    public var description: String { InputError.printable(message, limit: 2000) }

    private var message: String {
        switch self {
        case let .fixedBookingsConflict(requests, detail):
            return "fixed bookings cannot all hold (\(requests.joined(separator: ", "))): \(detail)"
        case let .invalidSchedule(method, violations):
            return "internal error: the \(method) schedule failed validation (\(violations.count) violation(s)), first: \(violations.first ?? "")"
        case let .solverFailed(detail):
            return "internal error: the solve was abandoned: \(detail)"
        }
    }
}
