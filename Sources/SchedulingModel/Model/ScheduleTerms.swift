/// A term of the contract that this library writes from a fixed list, and that a file from
/// elsewhere may spell otherwise: read from and written as the file's string, an unknown one
/// kept as `other` so that it is written back unchanged.
public protocol ContractTerm: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible where RawValue == String {
    /// The terms this library writes.
    static var known: [Self] { get }
    /// A term this library does not write, as the file spells it.
    static func other(_ spelling: String) -> Self
}

extension ContractTerm {
    /// Reads the file's string: one of ``known``, or anything else as `other`.
    public init(rawValue: String) {
        self = Self.known.first { $0.rawValue == rawValue } ?? .other(rawValue)
    }

    /// The file's string.
    public var description: String { rawValue }
}

/// The solver a schedule says made it (`solver.method`, SPEC §4).
///
/// This library writes `mip` or `greedy`; a schedule read from elsewhere may name another
/// method, kept as ``other(_:)`` so that it is written back unchanged.
public enum SolverMethod: ContractTerm {
    /// The integer program (with its searches).
    case mip
    /// The greedy scheduler alone.
    case greedy
    /// A method this library does not make, as the file spells it.
    case other(String)

    /// The methods this library writes.
    public static let known: [SolverMethod] = [.mip, .greedy]

    /// The file's string.
    public var rawValue: String {
        switch self {
        case .mip: "mip"
        case .greedy: "greedy"
        case .other(let s): s
        }
    }
}

/// How a solve ended (`solver.status`, SPEC §4).
///
/// This library writes `optimal`, `feasible`, `fallback` or `stopped`; another string read from
/// a file is kept as ``other(_:)``.
public enum SolverStatus: ContractTerm {
    /// Proven optimal for the model.
    case optimal
    /// Valid, not proven optimal.
    case feasible
    /// The requested method failed or was withheld; the greedy answer stands in.
    case fallback
    /// Valid, the best found before the caller stopped the solve (a cancelled task, a signal).
    case stopped
    /// A status this library does not write, as the file spells it.
    case other(String)

    /// The statuses this library writes.
    public static let known: [SolverStatus] = [.optimal, .feasible, .fallback, .stopped]

    /// The file's string.
    public var rawValue: String {
        switch self {
        case .optimal: "optimal"
        case .feasible: "feasible"
        case .fallback: "fallback"
        case .stopped: "stopped"
        case .other(let s): s
        }
    }
}

/// What an alert of a schedule is about (`alerts[].kind`, SPEC §5 and §7).
///
/// The kinds this library writes are cases; another string read from a file is kept as
/// ``other(_:)``.
public enum AlertKind: ContractTerm {
    /// An approved authorization ends within 21 days of the date.
    case authorizationExpiring
    /// A fixed booking could not be kept: the desk must call the patient (SPEC §2.8).
    case fixedBookingBroken
    /// A request ended by out-of-range labs after its prep began (SPEC §7).
    case drugWasted
    /// No nurse can take a patient handed over when theirs went out (SPEC §7).
    case handoverOverload
    /// A chair went down under a seated patient (SPEC §7).
    case chairConflict
    /// A kind this library does not write, as the file spells it.
    case other(String)

    /// The kinds this library writes.
    public static let known: [AlertKind] = [
        .authorizationExpiring, .fixedBookingBroken, .drugWasted, .handoverOverload, .chairConflict,
    ]

    /// The file's string.
    public var rawValue: String {
        switch self {
        case .authorizationExpiring: "authorizationExpiring"
        case .fixedBookingBroken: "fixedBookingBroken"
        case .drugWasted: "drugWasted"
        case .handoverOverload: "handoverOverload"
        case .chairConflict: "chairConflict"
        case .other(let s): s
        }
    }
}
