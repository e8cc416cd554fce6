import Foundation
import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan

import SchedulingGenerator

/// The days a what-if sweep starts from: one day file, or a set of synthetic days.
public enum WhatIfBase: Sendable, Hashable {
    /// One day file.
    case day(path: String)
    /// Synthetic days of a profile, seeds `1...seeds`.
    case profile(DayProfile, seeds: Int)
}

/// A what-if plan as written in an `infusion-whatif/1` file: the base days, how to solve, the
/// listed scenarios and an optional grid of one or two varying dimensions.
///
/// ``scenarios()`` expands it into the scenarios to run: an unchanged `base` first, then the
/// listed ones, then the grid points (first axis outermost).
public struct WhatIfPlan: Sendable {
    /// The base days; nil when the command line gives them.
    public var base: WhatIfBase?
    /// The solve method; nil for the caller's default.
    public var method: SolveMethod?
    /// Seconds per solve; nil for the caller's default.
    public var timeLimit: Double?
    /// The listed scenarios, in file order.
    public var listed: [WhatIfScenario]
    /// The grid axes (zero, one or two).
    public var grid: [WhatIfAxis]

    /// The `format` value of a what-if file.
    public static let formatTag = "infusion-whatif/1"
    /// The most scenarios one plan may expand to.
    public static let maximumScenarios = 1000

    /// Creates a plan.
    public init(base: WhatIfBase? = nil, method: SolveMethod? = nil, timeLimit: Double? = nil,
                listed: [WhatIfScenario] = [], grid: [WhatIfAxis] = []) {
        self.base = base; self.method = method; self.timeLimit = timeLimit; self.listed = listed; self.grid = grid
    }

    /// Reads and checks a what-if file; a relative `base.day` path is taken relative to the file's folder.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming the file and the JSON path of the first problem.
    public static func load(path: String) throws -> WhatIfPlan {
        var plan = try decode(readInput(path), file: path)
        if case .day(let dayPath)? = plan.base, !dayPath.hasPrefix("/") {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            plan.base = .day(path: folder.appendingPathComponent(dayPath).path)
        }
        return plan
    }

    /// Decodes and checks a what-if file's bytes.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming `file` and the JSON path of the first problem.
    public static func decode(_ data: Data, file: String? = nil) throws -> WhatIfPlan {
        func fail(_ path: String, _ message: String, _ kind: InputError.Kind = .invalidValue) -> InputError {
            InputError(file: file, path: path, message: message, kind: kind)
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) else { throw fail("", "not valid JSON") }
        guard let top = root as? [String: Any] else { throw fail("", "expected an object") }
        try checkKeys(top, allowed: ["format", "base", "method", "timeLimit", "scenarios", "grid"], path: "", file: file)
        if let base = top["base"] as? [String: Any] { try checkKeys(base, allowed: ["day", "profile", "seeds"], path: "base", file: file) }
        for (i, s) in ((top["scenarios"] as? [Any]) ?? []).enumerated() {
            if let s = s as? [String: Any] { try checkKeys(s, allowed: WhatIfScenario.keys, path: "scenarios[\(i)]", file: file) }
        }
        for (i, a) in ((top["grid"] as? [Any]) ?? []).enumerated() {
            if let a = a as? [String: Any] { try checkKeys(a, allowed: ["vary", "values"], path: "grid[\(i)]", file: file) }
        }

        let raw: RawPlan
        do {
            raw = try JSONDecoder().decode(RawPlan.self, from: data)
        } catch {
            throw InputError.from(decoding: error, file: file, data: data)
        }
        guard raw.format == formatTag else { throw fail("format", "expected \"\(formatTag)\"") }
        var plan = WhatIfPlan()
        if let b = raw.base {
            switch (b.day, b.profile, b.seeds) {
            case let (day?, nil, nil):
                guard !day.isEmpty else { throw fail("base.day", "the path is empty") }
                plan.base = .day(path: day)
            case let (nil, profile?, seeds):
                guard let p = DayProfile(rawValue: profile) else {
                    throw fail("base.profile", "unknown profile \"\(clip(profile))\": expected small, medium, large or xl", .unknownReference)
                }
                let n = seeds ?? 1
                guard (1...1000).contains(n) else { throw fail("base.seeds", "\(n) is not in 1...1000") }
                plan.base = .profile(p, seeds: n)
            default:
                throw fail("base", "expected {\"day\": FILE} or {\"profile\": NAME, \"seeds\": N}")
            }
        }
        if let m = raw.method {
            guard let method = SolveMethod(rawValue: m) else { throw fail("method", "expected greedy, mip or auto") }
            plan.method = method
        }
        if let t = raw.timeLimit {
            guard t.isFinite, t > 0, t <= 86_400 else { throw fail("timeLimit", "expected seconds in (0, 86400]") }
            plan.timeLimit = t
        }
        for (i, var s) in (raw.scenarios ?? []).enumerated() {
            s.source = "scenarios[\(i)]"
            plan.listed.append(s)
        }
        for (i, axis) in (raw.grid ?? []).enumerated() {
            guard let dimension = WhatIfDimension(parsing: axis.vary) else {
                throw fail("grid[\(i)].vary", "unknown dimension \"\(clip(axis.vary))\"", .unknownReference)
            }
            plan.grid.append(WhatIfAxis(dimension: dimension, values: axis.values))
        }
        do {
            _ = try plan.scenarios()
        } catch let error as InputError {
            throw error.inFile(file)
        }
        return plan
    }

    /// The scenarios to run: an unchanged `base` first (the listed one of that name, or one
    /// added), the other listed scenarios in order, then every grid point.
    ///
    /// - Throws: ``SchedulingModel/InputError`` for a changed scenario named `base`, duplicate or empty names,
    ///   out-of-range values, a grid with more than two axes or too many points.
    public func scenarios() throws -> [WhatIfScenario] {
        var out = [WhatIfScenario(name: "base", source: "base")]
        var seen: [String: String] = [:]
        for s in listed {
            try Self.check(s)
            guard !s.name.isEmpty, s.name.utf8.count <= 80 else {
                throw InputError(path: s.source + ".name", message: "a name of 1 to 80 bytes is required")
            }
            if s.name == "base" {
                guard s.isUnchanged else {
                    throw InputError(path: s.source + ".name", message: "the scenario named \"base\" is the reference and must change nothing")
                }
                guard seen["base"] == nil else { throw InputError(path: s.source + ".name", message: "duplicate scenario name \"base\"", kind: .duplicate) }
                seen["base"] = s.source
                out[0].source = s.source
                continue
            }
            guard seen[s.name] == nil else { throw InputError(path: s.source + ".name", message: "duplicate scenario name \"\(clip(s.name))\"", kind: .duplicate) }
            seen[s.name] = s.source
            out.append(s)
        }
        guard grid.count <= 2 else { throw InputError(path: "grid", message: "a grid varies one or two dimensions, found \(grid.count)") }
        if !grid.isEmpty {
            for (i, axis) in grid.enumerated() {
                guard (1...100).contains(axis.values.count) else {
                    throw InputError(path: "grid[\(i)].values", message: "expected 1 to 100 values")
                }
                if grid.count == 2, i == 1, axis.dimension == grid[0].dimension {
                    throw InputError(path: "grid[1].vary", message: "the two grid dimensions must differ")
                }
            }
            let counts = grid.map(\.values.count)
            let total = counts.reduce(1, *)
            guard total + out.count <= Self.maximumScenarios else {
                throw InputError(path: "grid", message: "\(total + out.count) scenarios is more than \(Self.maximumScenarios)")
            }
            for flat in 0..<total {
                var indices: [Int] = [], rest = flat
                for count in counts.reversed() { indices.insert(rest % count, at: 0); rest /= count }
                var s = WhatIfScenario(name: "", source: "grid", gridPoint: indices)
                var names: [String] = []
                for (i, axis) in grid.enumerated() {
                    let value = axis.values[indices[i]]
                    if let problem = axis.dimension.set(value, on: &s) {
                        throw InputError(path: "grid[\(i)].values[\(indices[i])]", message: problem)
                    }
                    names.append(axis.dimension.description + "=" + Self.label(value, of: axis.dimension))
                }
                s.name = names.joined(separator: " ")
                try Self.check(s)
                guard seen[s.name] == nil else { throw InputError(path: "grid", message: "duplicate scenario name \"\(clip(s.name))\"", kind: .duplicate) }
                seen[s.name] = "grid"
                out.append(s)
            }
        }
        guard out.count <= Self.maximumScenarios else {
            throw InputError(path: "scenarios", message: "\(out.count) scenarios is more than \(Self.maximumScenarios)")
        }
        return out
    }

    /// A grid value as shown in names: deltas signed (`+2`), others as written.
    static func label(_ value: WhatIfValue, of dimension: WhatIfDimension) -> String {
        switch (dimension, value) {
        case (.chairs, .number(let x)), (.nurses, .number(let x)), (.compounders, .number(let x)), (.labStations, .number(let x)):
            return WhatIfScenario.signed(Int(x))
        default:
            return value.description
        }
    }

    /// Range checks that need no day; the day-dependent ones happen when the scenario is applied.
    static func check(_ s: WhatIfScenario) throws {
        func fail(_ field: String, _ message: String) -> InputError { InputError(path: s.source + "." + field, message: message) }
        for (type, n) in (s.chairs ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard !type.isEmpty else { throw fail("chairs", "chair type is empty") }
            guard abs(n) <= 1000 else { throw fail("chairs." + type, "\(n) is not in -1000...1000") }
        }
        for (shift, n) in (s.nurses ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard ShiftPattern(parsing: shift) != nil else { throw fail("nurses." + shift, "expected a shift \"HH:MM-HH:MM\" or a shift start \"HH:MM\"") }
            guard abs(n) <= 1000 else { throw fail("nurses." + shift, "\(n) is not in -1000...1000") }
        }
        if let n = s.compounders, abs(n) > 1000 { throw fail("compounders", "\(n) is not in -1000...1000") }
        if let n = s.labStations, abs(n) > 1000 { throw fail("labStations", "\(n) is not in -1000...1000") }
        if let n = s.turnaroundMinutes, !(0...1440).contains(n) { throw fail("turnaroundMinutes", "\(n) is not in 0...1440") }
        if let x = s.demand, !(x.isFinite && x > 0 && x <= 10) { throw fail("demand", "expected a factor in (0, 10]") }
    }

    private static func checkKeys(_ object: [String: Any], allowed: Set<String>, path: String, file: String?) throws {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw InputError(file: file, path: path.isEmpty ? unknown : path + "." + unknown,
                             message: "unknown field; expected one of \(allowed.sorted().joined(separator: ", "))", kind: .unknownReference)
        }
    }

    /// The file as decoded before its meaning is checked.
    private struct RawPlan: Decodable {
        var format: String
        var base: RawBase?
        var method: String?
        var timeLimit: Double?
        var scenarios: [WhatIfScenario]?
        var grid: [RawAxis]?
    }

    private struct RawBase: Decodable {
        var day: String?
        var profile: String?
        var seeds: Int?
    }

    private struct RawAxis: Decodable {
        var vary: String
        var values: [WhatIfValue]
    }
}

/// A nurse shift named in a scenario: an exact shift `HH:MM-HH:MM`, or all shifts starting at `HH:MM`.
struct ShiftPattern: Hashable {
    var start: ClockTime
    var end: ClockTime?

    init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let s = ClockTime(parsing: String(parts[0])) else { return nil }
        start = s
        if parts.count == 2 {
            guard let e = ClockTime(parsing: String(parts[1])), s < e else { return nil }
            end = e
        }
    }

    func matches(_ nurse: Nurse) -> Bool { nurse.shiftStart == start && (end == nil || nurse.shiftEnd == end) }
}
