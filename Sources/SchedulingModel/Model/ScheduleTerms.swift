/// The solver a schedule says made it (`solver.method`, SPEC §4).
///
/// This library writes `mip` or `greedy`; a schedule read from elsewhere may name another
/// method, kept as ``other(_:)`` so that it is written back unchanged.
public enum SolverMethod: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// The integer program (with its searches).
    case mip
    /// The greedy scheduler alone.
    case greedy
    /// A method this library does not make, as the file spells it.
    case other(String)

    /// Reads the file's string: `mip`, `greedy`, or anything else as ``other(_:)``.
    public init(rawValue: String) {
        switch rawValue {
        case "mip": self = .mip
        case "greedy": self = .greedy
        default: self = .other(rawValue)
        }
    }

    /// The file's string.
    public var rawValue: String {
        switch self {
        case .mip: "mip"
        case .greedy: "greedy"
        case .other(let s): s
        }
    }

    public var description: String { rawValue }
}

/// How a solve ended (`solver.status`, SPEC §4).
///
/// This library writes `optimal`, `feasible` or `fallback`; another string read from a file is
/// kept as ``other(_:)``.
public enum SolverStatus: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// Proven optimal for the model.
    case optimal
    /// Valid, not proven optimal.
    case feasible
    /// The requested method failed or was withheld; the greedy answer stands in.
    case fallback
    /// A status this library does not write, as the file spells it.
    case other(String)

    /// Reads the file's string: `optimal`, `feasible`, `fallback`, or anything else as ``other(_:)``.
    public init(rawValue: String) {
        switch rawValue {
        case "optimal": self = .optimal
        case "feasible": self = .feasible
        case "fallback": self = .fallback
        default: self = .other(rawValue)
        }
    }

    /// The file's string.
    public var rawValue: String {
        switch self {
        case .optimal: "optimal"
        case .feasible: "feasible"
        case .fallback: "fallback"
        case .other(let s): s
        }
    }

    public var description: String { rawValue }
}

/// What an alert of a schedule is about (`alerts[].kind`, SPEC §5 and §7).
///
/// The kinds this library writes are cases; another string read from a file is kept as
/// ``other(_:)``.
public enum AlertKind: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible, CaseIterable {
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
    public static let allCases: [AlertKind] = [
        .authorizationExpiring, .fixedBookingBroken, .drugWasted, .handoverOverload, .chairConflict,
    ]

    /// Reads the file's string; an unknown one is ``other(_:)``.
    public init(rawValue: String) {
        self = Self.allCases.first { $0.rawValue == rawValue } ?? .other(rawValue)
    }

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

    public var description: String { rawValue }
}
