import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan
import SchedulingGenerator

/// One what-if scenario: a set of changes to a clinic day (chairs, nurses, hours, pharmacy,
/// lab, demand), applied to every base day of a sweep by ``WhatIfScenario/apply(to:seed:)``.
///
/// Every change is optional; a scenario without changes is the unchanged base. Chair, nurse,
/// compounder and lab station changes are *deltas* (`+2`, `-1`); hours and turnaround are
/// absolute values; demand is a factor on the number of requests.
public struct WhatIfScenario: Sendable, Hashable, Codable {
    /// The name shown in the report; unique within a plan.
    public var name: String
    /// Chairs added (positive) or removed (negative) per chair type.
    public var chairs: [String: Int]?
    /// Nurses added or removed per shift: key `"HH:MM-HH:MM"` (exact shift) or `"HH:MM"` (shift start).
    public var nurses: [String: Int]?
    /// New regular closing time.
    public var close: ClockTime?
    /// New hard end of the day.
    public var latestEnd: ClockTime?
    /// Compounders added or removed.
    public var compounders: Int?
    /// Lab draw stations added or removed.
    public var labStations: Int?
    /// New lab turnaround in minutes.
    public var turnaroundMinutes: Int?
    /// Factor on the number of requests (1.15 = 15% more patients).
    public var demand: Double?
    /// Where the scenario came from (`scenarios[2]`, `grid`, `--chairs`), for error messages.
    public var source: String
    /// For a grid point, the index of its value along each grid dimension.
    public var gridPoint: [Int]?

    enum CodingKeys: String, CodingKey {
        case name, chairs, nurses, close, latestEnd, compounders, labStations, turnaroundMinutes, demand
    }

    /// The keys a scenario object may hold.
    static let keys: Set<String> = ["name", "chairs", "nurses", "close", "latestEnd", "compounders", "labStations",
                                    "turnaroundMinutes", "demand"]

    /// Creates a scenario; without changes it is the unchanged base.
    public init(name: String, chairs: [String: Int]? = nil, nurses: [String: Int]? = nil, close: ClockTime? = nil,
                latestEnd: ClockTime? = nil, compounders: Int? = nil, labStations: Int? = nil,
                turnaroundMinutes: Int? = nil, demand: Double? = nil, source: String = "", gridPoint: [Int]? = nil) {
        self.name = name; self.chairs = chairs; self.nurses = nurses; self.close = close; self.latestEnd = latestEnd
        self.compounders = compounders; self.labStations = labStations; self.turnaroundMinutes = turnaroundMinutes
        self.demand = demand; self.source = source; self.gridPoint = gridPoint
    }

    /// Decodes the scenario fields; `source` is set by the caller that knows the JSON path.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        // Counts are read as numbers and checked here, so that `1.5` is reported at its own path.
        func integer(_ x: Double, _ path: [any CodingKey]) throws -> Int {
            guard x == x.rounded(), abs(x) <= 1_000_000 else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "expected an integer"))
            }
            return Int(x)
        }
        func counts(_ key: CodingKeys) throws -> [String: Int]? {
            guard let raw = try c.decodeIfPresent([String: Double].self, forKey: key) else { return nil }
            var out: [String: Int] = [:]
            for (name, x) in raw.sorted(by: { $0.key < $1.key }) {
                out[name] = try integer(x, c.codingPath + [key, NameKey(name)])
            }
            return out
        }
        func count(_ key: CodingKeys) throws -> Int? {
            try c.decodeIfPresent(Double.self, forKey: key).map { try integer($0, c.codingPath + [key]) }
        }
        chairs = try counts(.chairs)
        nurses = try counts(.nurses)
        close = try c.decodeIfPresent(ClockTime.self, forKey: .close)
        latestEnd = try c.decodeIfPresent(ClockTime.self, forKey: .latestEnd)
        compounders = try count(.compounders)
        labStations = try count(.labStations)
        turnaroundMinutes = try count(.turnaroundMinutes)
        demand = try c.decodeIfPresent(Double.self, forKey: .demand)
        source = ""
        gridPoint = nil
    }

    /// Encodes the scenario fields (not `source` or `gridPoint`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(chairs, forKey: .chairs)
        try c.encodeIfPresent(nurses, forKey: .nurses)
        try c.encodeIfPresent(close, forKey: .close)
        try c.encodeIfPresent(latestEnd, forKey: .latestEnd)
        try c.encodeIfPresent(compounders, forKey: .compounders)
        try c.encodeIfPresent(labStations, forKey: .labStations)
        try c.encodeIfPresent(turnaroundMinutes, forKey: .turnaroundMinutes)
        try c.encodeIfPresent(demand, forKey: .demand)
    }

    /// Whether the scenario changes nothing.
    public var isUnchanged: Bool {
        (chairs ?? [:]).values.allSatisfy { $0 == 0 } && (nurses ?? [:]).values.allSatisfy { $0 == 0 }
            && close == nil && latestEnd == nil && (compounders ?? 0) == 0 && (labStations ?? 0) == 0
            && turnaroundMinutes == nil && (demand ?? 1) == 1
    }

    /// A short description of the changes in a fixed order (`chairs.recliner=+2 demand=1.15`).
    public var changeSummary: String {
        var parts: [String] = []
        for (type, n) in (chairs ?? [:]).sorted(by: { $0.key < $1.key }) { parts.append("chairs.\(type)=\(Self.signed(n))") }
        for (shift, n) in (nurses ?? [:]).sorted(by: { $0.key < $1.key }) { parts.append("nurses.\(shift)=\(Self.signed(n))") }
        if let close { parts.append("close=\(close)") }
        if let latestEnd { parts.append("latestEnd=\(latestEnd)") }
        if let compounders { parts.append("compounders=\(Self.signed(compounders))") }
        if let labStations { parts.append("labStations=\(Self.signed(labStations))") }
        if let turnaroundMinutes { parts.append("turnaroundMinutes=\(turnaroundMinutes)") }
        if let demand { parts.append("demand=\(Markup.fixed(demand, digits: 3, trim: true))") }
        return parts.isEmpty ? "unchanged" : parts.joined(separator: " ")
    }

    private struct NameKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func signed(_ n: Int) -> String { n >= 0 ? "+\(n)" : String(n) }
}

/// One varying dimension of a what-if grid: which change it makes.
public enum WhatIfDimension: Sendable, Hashable, CustomStringConvertible {
    /// Chairs of a type added or removed.
    case chairs(type: String)
    /// Nurses of a shift (`HH:MM-HH:MM` or `HH:MM`) added or removed.
    case nurses(shift: String)
    /// The closing time.
    case close
    /// The hard end of the day.
    case latestEnd
    /// Compounders added or removed.
    case compounders
    /// Lab stations added or removed.
    case labStations
    /// The lab turnaround in minutes.
    case turnaroundMinutes
    /// The demand factor.
    case demand

    /// Parses `chairs.TYPE`, `nurses.SHIFT`, `close`, `latestEnd`, `compounders`, `labStations`,
    /// `turnaroundMinutes` or `demand`; nil for anything else.
    public init?(parsing text: String) {
        switch text {
        case "close": self = .close
        case "latestEnd": self = .latestEnd
        case "compounders": self = .compounders
        case "labStations": self = .labStations
        case "turnaroundMinutes": self = .turnaroundMinutes
        case "demand": self = .demand
        default:
            if text.hasPrefix("chairs."), text.count > 7 { self = .chairs(type: String(text.dropFirst(7))); return }
            if text.hasPrefix("nurses."), text.count > 7 { self = .nurses(shift: String(text.dropFirst(7))); return }
            return nil
        }
    }

    /// The dimension as written in a grid (`chairs.recliner`).
    public var description: String {
        switch self {
        case .chairs(let type): return "chairs." + type
        case .nurses(let shift): return "nurses." + shift
        case .close: return "close"
        case .latestEnd: return "latestEnd"
        case .compounders: return "compounders"
        case .labStations: return "labStations"
        case .turnaroundMinutes: return "turnaroundMinutes"
        case .demand: return "demand"
        }
    }

    /// Sets this dimension of `scenario` to `value`, or explains why the value does not fit.
    ///
    /// Hours take `"HH:MM"` strings, demand any positive number, the others integers.
    public func set(_ value: WhatIfValue, on scenario: inout WhatIfScenario) -> String? {
        switch self {
        case .close, .latestEnd:
            guard case .text(let s) = value, let t = ClockTime(parsing: s) else { return "expected a time \"HH:MM\"" }
            if self == .close { scenario.close = t } else { scenario.latestEnd = t }
        case .demand:
            guard case .number(let x) = value, x.isFinite, x > 0, x <= 10 else { return "expected a demand factor in (0, 10]" }
            scenario.demand = x
        default:
            guard case .number(let x) = value, x == x.rounded(), abs(x) <= 10_000 else { return "expected an integer" }
            let n = Int(x)
            switch self {
            // Two axes may both vary chairs (recliners and beds): each sets its own entry.
            case .chairs(let type): scenario.chairs = (scenario.chairs ?? [:]).merging([type: n]) { $1 }
            case .nurses(let shift): scenario.nurses = (scenario.nurses ?? [:]).merging([shift: n]) { $1 }
            case .compounders: scenario.compounders = n
            case .labStations: scenario.labStations = n
            case .turnaroundMinutes: scenario.turnaroundMinutes = n
            case .close, .latestEnd, .demand: break
            }
        }
        return nil
    }
}

/// A value along a grid dimension: a number (counts, minutes, factors) or text (`"19:00"`).
public enum WhatIfValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A number.
    case number(Double)
    /// A string, used for clock times.
    case text(String)

    /// Decodes a JSON number or string.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let x = try? c.decode(Double.self) { self = .number(x); return }
        self = .text(try c.decode(String.self))
    }

    /// Encodes the number or string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .text(let s): try c.encode(s)
        }
    }

    /// Parses a command-line value: a number when it reads as one, else text.
    public init(parsing text: String) {
        if let x = Double(text), x.isFinite { self = .number(x) } else { self = .text(text) }
    }

    /// The value as written in scenario names and chart labels (`2`, `1.15`, `19:00`).
    public var description: String {
        switch self {
        case .number(let x): return Markup.fixed(x, digits: 3, trim: true)
        case .text(let s): return s
        }
    }
}

/// A grid axis: one dimension and the values it takes.
public struct WhatIfAxis: Sendable, Hashable {
    /// What varies.
    public var dimension: WhatIfDimension
    /// The values, in the order given.
    public var values: [WhatIfValue]

    /// Creates an axis.
    public init(dimension: WhatIfDimension, values: [WhatIfValue]) { self.dimension = dimension; self.values = values }
}
