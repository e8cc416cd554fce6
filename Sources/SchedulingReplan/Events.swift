import Foundation
import SchedulingModel
import SchedulingRules

import SchedulingSolvers

/// What happened during the day, as written in an `infusion-events/1` file (SPEC §7).
public struct EventsFile: Sendable, Hashable, Codable, ContractFile {
    /// The file format tag; always ``EventsFile/formatTag``.
    public var format: String
    /// The events, in the order they are applied.
    public var events: [DayEvent]
    /// Weights of the change terms; absent terms take their defaults.
    public var objective: ChangeWeights?

    /// The `format` value of an events file.
    public static let formatTag = "infusion-events/1"

    /// Creates an events file.
    public init(format: String = EventsFile.formatTag, events: [DayEvent], objective: ChangeWeights? = nil) {
        self.format = format; self.events = events; self.objective = objective
    }

    /// Decodes an events file, read strictly (`StrictJSON`: no duplicate keys, no trailing
    /// commas), as the day and schedule files are.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming `file` and the JSON path of the first problem, such as
    ///   `events[2].kind: unknown kind "strike"` or `events[0].from: malformed time "9:30"`.
    public static func decode(_ data: Data, file: String? = nil) throws -> EventsFile { try decodeStrictly(data, file: file) }

    /// The format tag and the change weights.
    package func checked(file: String?) throws -> EventsFile {
        try Self.checkFormat(format, expected: Self.formatTag, file: file)
        if let o = objective {
            for (name, value) in [("changePenalty", o.changePenalty), ("shiftPerMinute", o.shiftPerMinute)] {
                if let value, !(value.isFinite && value >= 0 && value <= 1e9) {
                    throw InputError(file: file, path: "objective." + name, message: "must be a number in 0...1e9")
                }
            }
        }
        return self
    }

    /// Reads and decodes an events file.
    public static func load(path: String) throws -> EventsFile { try loadStrictly(path: path) }

    /// Reads and decodes an events file at a file URL (``load(path:)``).
    public static func load(url: URL) throws -> EventsFile { try load(path: url.path) }
}

/// Weights of the re-planning terms of the objective (SPEC §7).
public struct ChangeWeights: Sendable, Hashable, Codable {
    /// Cost of each previously scheduled request whose arrival, start, chair or nurse changed,
    /// or which was dropped (default 50).
    public var changePenalty: Double?
    /// Cost per minute a start moves (default 1).
    public var shiftPerMinute: Double?

    /// Creates weights.
    public init(changePenalty: Double? = nil, shiftPerMinute: Double? = nil) {
        self.changePenalty = changePenalty; self.shiftPerMinute = shiftPerMinute
    }
}

/// One thing that changed during the day; the `kind` field of the file picks the case.
public enum DayEvent: Sendable, Hashable, Codable {
    /// The patient cancelled: the request ends unscheduled with reason `cancelled`.
    case cancel(request: String)
    /// Labs came back out of range: the request ends unscheduled with reason `labs`.
    case labsOutOfRange(request: String)
    /// The patient will come `minutes` after their planned arrival.
    case late(request: String, minutes: Int)
    /// The drug reaches the pharmacy only at `readyAt`.
    case drugDelayed(request: String, readyAt: LocalDateTime)
    /// The chair cannot be used over `[from, to)`; `to` absent: the rest of the day.
    case chairDown(chair: String, from: ClockTime, to: ClockTime?)
    /// The nurse leaves at `from`: the shift ends then.
    case nurseOut(nurse: String, from: ClockTime)
    /// A new request for the day: a same-day add-on or a waitlisted patient.
    case addOn(request: TreatmentRequest)

    /// The kinds, as written in the `kind` field.
    public static let kinds = ["cancel", "labsOutOfRange", "late", "drugDelayed", "chairDown", "nurseOut", "addOn"]

    /// The `kind` field of this event.
    public var kind: String {
        switch self {
        case .cancel: return "cancel"
        case .labsOutOfRange: return "labsOutOfRange"
        case .late: return "late"
        case .drugDelayed: return "drugDelayed"
        case .chairDown: return "chairDown"
        case .nurseOut: return "nurseOut"
        case .addOn: return "addOn"
        }
    }

    enum CodingKeys: String, CodingKey { case kind, request, minutes, readyAt, chair, from, to, nurse }

    /// Decodes an event by its `kind`; an unknown kind is reported at the `kind` field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "cancel": self = .cancel(request: try c.decode(String.self, forKey: .request))
        case "labsOutOfRange": self = .labsOutOfRange(request: try c.decode(String.self, forKey: .request))
        case "late":
            let minutes = try c.decode(Int.self, forKey: .minutes)
            guard (1...1440).contains(minutes) else {
                throw DecodingError.dataCorruptedError(forKey: .minutes, in: c, debugDescription: "\(minutes) is not in 1...1440")
            }
            self = .late(request: try c.decode(String.self, forKey: .request), minutes: minutes)
        case "drugDelayed":
            self = .drugDelayed(request: try c.decode(String.self, forKey: .request),
                                readyAt: try c.decode(LocalDateTime.self, forKey: .readyAt))
        case "chairDown":
            self = .chairDown(chair: try c.decode(String.self, forKey: .chair), from: try c.decode(ClockTime.self, forKey: .from),
                              to: try c.decodeIfPresent(ClockTime.self, forKey: .to))
        case "nurseOut":
            self = .nurseOut(nurse: try c.decode(String.self, forKey: .nurse), from: try c.decode(ClockTime.self, forKey: .from))
        case "addOn": self = .addOn(request: try c.decode(TreatmentRequest.self, forKey: .request))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c,
                debugDescription: "unknown kind \"\(clip(kind))\": expected one of \(DayEvent.kinds.joined(separator: ", "))")
        }
    }

    /// Encodes the event with its `kind` first, as the contract shows it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case let .cancel(request), let .labsOutOfRange(request):
            try c.encode(request, forKey: .request)
        case let .late(request, minutes):
            try c.encode(request, forKey: .request)
            try c.encode(minutes, forKey: .minutes)
        case let .drugDelayed(request, readyAt):
            try c.encode(request, forKey: .request)
            try c.encode(readyAt, forKey: .readyAt)
        case let .chairDown(chair, from, to):
            try c.encode(chair, forKey: .chair)
            try c.encode(from, forKey: .from)
            try c.encodeIfPresent(to, forKey: .to)
        case let .nurseOut(nurse, from):
            try c.encode(nurse, forKey: .nurse)
            try c.encode(from, forKey: .from)
        case let .addOn(request):
            try c.encode(request, forKey: .request)
        }
    }
}

extension EventsFile {
    /// The events file as deterministic, pretty-printed JSON.
    public func jsonString() -> String {
        (try? OrderedJSONEncoder.string(self)) ?? "{}\n"
    }
}
