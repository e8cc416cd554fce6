import Foundation

/// A schedule for one day as written in an `infusion-schedule/1` file (SPEC §5).
public struct Schedule: Sendable, Hashable, Codable {
    /// The file format tag; always ``Schedule/formatTag``.
    public var format: String
    /// The scheduled day.
    public var date: CivilDate
    /// The placed treatments, in request order.
    public var appointments: [Appointment]
    /// The requests not placed, each with its reason.
    public var unscheduled: [UnscheduledRequest]
    /// Warnings for the clinic (authorizations about to expire, …).
    public var alerts: [Alert]
    /// The objective, term by term.
    public var objective: ObjectiveBreakdown?
    /// How the schedule was found.
    public var solver: SolverReport?
    /// For a re-plan, what changed against the previous plan.
    public var changes: [PlanChange]?

    /// The `format` value of a schedule file.
    public static let formatTag = "infusion-schedule/1"

    /// Creates a schedule.
    public init(format: String = Schedule.formatTag, date: CivilDate, appointments: [Appointment],
                unscheduled: [UnscheduledRequest], alerts: [Alert] = [], objective: ObjectiveBreakdown? = nil,
                solver: SolverReport? = nil, changes: [PlanChange]? = nil) {
        self.format = format; self.date = date; self.appointments = appointments; self.unscheduled = unscheduled
        self.alerts = alerts; self.objective = objective; self.solver = solver; self.changes = changes
    }
}

/// One placed treatment: chair, nurse, times, and the draw and prep that feed it.
public struct Appointment: Sendable, Hashable, Codable {
    /// The request's id.
    public var request: String
    /// The chair's id.
    public var chair: String
    /// The primary nurse's id.
    public var nurse: String
    /// When the patient arrives: the draw's start if labs are drawn, else `start`.
    public var arrival: ClockTime
    /// The same-day lab draw, when one is needed.
    public var labDraw: LabDraw?
    /// The pharmacy prep, when the regimen has `prepMinutes > 0`.
    public var prep: Prep?
    /// When the patient sits down in the chair.
    public var start: ClockTime
    /// `start + chairMinutes`.
    public var end: ClockTime

    /// Creates an appointment.
    public init(request: String, chair: String, nurse: String, arrival: ClockTime, labDraw: LabDraw? = nil,
                prep: Prep? = nil, start: ClockTime, end: ClockTime) {
        self.request = request; self.chair = chair; self.nurse = nurse; self.arrival = arrival
        self.labDraw = labDraw; self.prep = prep; self.start = start; self.end = end
    }
}

/// A same-day lab draw: at a station, or at the chair through the port when `station` is nil.
public struct LabDraw: Sendable, Hashable, Codable {
    /// When the draw starts.
    public var start: ClockTime
    /// Station index `1...stations`; nil for a draw at the chair.
    public var station: Int?

    /// Creates a draw.
    public init(start: ClockTime, station: Int?) { self.start = start; self.station = station }
}

/// A pharmacy prep on one compounder.
public struct Prep: Sendable, Hashable, Codable {
    /// When compounding starts.
    public var start: ClockTime
    /// Compounder index `1...compounders`.
    public var compounder: Int

    /// Creates a prep.
    public init(start: ClockTime, compounder: Int) { self.start = start; self.compounder = compounder }
}

/// Why a request has no appointment (SPEC §5).
public enum UnscheduledReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// Admissible, but the day had no room: counted in the objective.
    case capacity
    /// The authorization is not approved or not current.
    case authorization
    /// The drug is never ready in time.
    case drugNotReady
    /// No valid labs and no same-day draw can return in time.
    case labs
    /// Clinic hours, patient window, chair availability and nurse shifts leave no start.
    case noFeasibleStart
    /// Cancelled during re-planning.
    case cancelled
}

/// A request left unscheduled, with its reason.
public struct UnscheduledRequest: Sendable, Hashable, Codable {
    /// The request's id.
    public var request: String
    /// Why.
    public var reason: UnscheduledReason
    /// A short explanation without patient content.
    public var detail: String?

    /// Creates an entry.
    public init(request: String, reason: UnscheduledReason, detail: String? = nil) {
        self.request = request; self.reason = reason; self.detail = detail
    }
}

/// Something the clinic should act on.
public struct Alert: Sendable, Hashable, Codable {
    /// The request concerned, if any.
    public var request: String?
    /// What the alert is about.
    public var kind: AlertKind
    /// A short explanation without patient content.
    public var detail: String?

    /// Creates an alert.
    public init(request: String?, kind: AlertKind, detail: String? = nil) {
        self.request = request; self.kind = kind; self.detail = detail
    }
}

/// The objective of a schedule, term by term (SPEC §3).
public struct ObjectiveBreakdown: Sendable, Hashable, Codable {
    /// Sum of the terms.
    public var total: Double
    /// Penalty for admissible requests left unscheduled.
    public var unscheduled: Double
    /// Cost of treatment after closing.
    public var overtime: Double
    /// Cost of avoidable waiting.
    public var wait: Double
    /// Cost of starts away from preferred ones.
    public var preference: Double
    /// Cost of the peak acuity per nurse.
    public var peakLoad: Double
    /// Cost of changes against a previous plan (re-planning only).
    public var changes: Double?

    /// Creates a breakdown; `total` is the sum of the terms.
    public init(unscheduled: Double, overtime: Double, wait: Double, preference: Double, peakLoad: Double, changes: Double? = nil) {
        self.unscheduled = unscheduled; self.overtime = overtime; self.wait = wait
        self.preference = preference; self.peakLoad = peakLoad; self.changes = changes
        total = unscheduled + overtime + wait + preference + peakLoad + (changes ?? 0)
    }
}

/// How a schedule was found (SPEC §5 `solver`).
public struct SolverReport: Sendable, Hashable, Codable {
    /// The method that made the schedule.
    public var method: SolverMethod
    /// How the solve ended.
    public var status: SolverStatus
    /// Proven lower bound on the total, when one was proven.
    public var bound: Double?
    /// `(total - bound) / max(1, |total|)`, when a bound was proven.
    public var gap: Double?
    /// Wall time of the solve.
    public var seconds: Double
    /// A short remark on how the answer was chosen (batch booking: which method won); absent
    /// from the file when nil, as in every schedule.
    public var note: String?

    /// Creates a report.
    public init(method: SolverMethod, status: SolverStatus, bound: Double? = nil, gap: Double? = nil, seconds: Double) {
        self.method = method; self.status = status; self.bound = bound; self.gap = gap; self.seconds = seconds
    }

    /// Creates a report with a note.
    public init(method: SolverMethod, status: SolverStatus, bound: Double?, gap: Double?, seconds: Double, note: String?) {
        self.init(method: method, status: status, bound: bound, gap: gap, seconds: seconds)
        self.note = note
    }

    enum CodingKeys: String, CodingKey { case method, status, bound, gap, seconds, note }

    /// Writes `bound` and `gap` as `null` when no bound was proven, as the contract shows.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(method, forKey: .method)
        try c.encode(status, forKey: .status)
        if let bound { try c.encode(bound, forKey: .bound) } else { try c.encodeNil(forKey: .bound) }
        if let gap { try c.encode(gap, forKey: .gap) } else { try c.encodeNil(forKey: .gap) }
        try c.encode(seconds, forKey: .seconds)
        try c.encodeIfPresent(note, forKey: .note)
    }
}

/// One request whose plan changed in a re-plan (SPEC §7).
public struct PlanChange: Sendable, Hashable, Codable {
    /// The request's id.
    public var request: String
    /// `moved`, `reassigned`, `dropped`, `cancelled` or `added`.
    public var change: String
    /// The old plan (empty for `added`).
    public var from: PlanPoint?
    /// The new plan (empty for `dropped` and `cancelled`).
    public var to: PlanPoint?
    /// Who must act on it: `patient`, `nurse`, `pharmacy`, `lab`.
    public var notify: [String]
    /// For a `dropped` or `cancelled` request, the best slot on a later day of a horizon, when
    /// one was asked for (`reschedule --horizon`); absent otherwise, and then not written.
    public var next: NextSlot?

    /// Creates a change.
    public init(request: String, change: String, from: PlanPoint?, to: PlanPoint?, notify: [String], next: NextSlot? = nil) {
        self.request = request; self.change = change; self.from = from; self.to = to; self.notify = notify; self.next = next
    }
}

/// The next available slot of a request a re-plan gave up: a date of a later day and a chair start.
public struct NextSlot: Sendable, Hashable, Codable {
    /// The later day's date.
    public var date: CivilDate
    /// When the patient sits down in the chair that day.
    public var start: ClockTime

    /// Creates a slot.
    public init(date: CivilDate, start: ClockTime) { self.date = date; self.start = start }
}

/// The parts of an appointment a change list shows.
public struct PlanPoint: Sendable, Hashable, Codable {
    /// When the patient arrives (the draw, or the start).
    public var arrival: ClockTime?
    /// When the treatment starts.
    public var start: ClockTime?
    /// The chair's id.
    public var chair: String?
    /// The primary nurse's id.
    public var nurse: String?

    /// Creates a point.
    public init(arrival: ClockTime?, start: ClockTime?, chair: String?, nurse: String?) {
        self.arrival = arrival; self.start = start; self.chair = chair; self.nurse = nurse
    }
}

extension Schedule: ContractFile {
    /// Decodes a schedule file, read strictly (`StrictJSON`: no duplicate keys, no trailing commas).
    ///
    /// - Throws: ``InputError`` naming `file` and the JSON path of the first problem.
    public static func decode(_ data: Data, file: String? = nil) throws -> Schedule { try decodeStrictly(data, file: file) }

    /// A schedule's own check is its format tag; the rest is the validator's.
    package func checked(file: String?) throws -> Schedule {
        try Self.checkFormat(format, expected: Self.formatTag, file: file)
        return self
    }

    /// Reads and decodes a schedule file.
    public static func load(path: String) throws -> Schedule { try loadStrictly(path: path) }

    /// Reads and decodes a schedule file at a file URL (``load(path:)``).
    public static func load(url: URL) throws -> Schedule { try load(path: url.path) }
}
