/// One clinic day as written in an `infusion-day/1` file (SPEC §4): the resources and the
/// treatment requests to place. Optional fields stay optional here; ``ResolvedDay`` applies
/// the defaults.
public struct Day: Sendable, Hashable, Codable {
    /// The file format tag; always ``Day/formatTag``.
    public var format: String
    /// The day being scheduled.
    public var date: CivilDate
    /// The start-time grid in minutes; divides 60.
    public var slotMinutes: Int
    /// Opening hours.
    public var clinic: ClinicHours
    /// Treatment chairs and beds.
    public var chairs: [Chair]
    /// Nurses on duty.
    public var nurses: [Nurse]
    /// The pharmacy that compounds the drugs.
    public var pharmacy: Pharmacy
    /// The lab that draws and runs same-day labs.
    public var lab: Lab
    /// Treatment protocols the requests refer to.
    public var regimens: [Regimen]
    /// The treatments asked for on this day.
    public var requests: [TreatmentRequest]
    /// Objective weights; absent terms take their defaults.
    public var objective: ObjectiveWeights?

    /// The `format` value of a day file.
    public static let formatTag = "infusion-day/1"

    /// Creates a day.
    public init(format: String = Day.formatTag, date: CivilDate, slotMinutes: Int, clinic: ClinicHours,
                chairs: [Chair], nurses: [Nurse], pharmacy: Pharmacy, lab: Lab,
                regimens: [Regimen], requests: [TreatmentRequest], objective: ObjectiveWeights? = nil) {
        self.format = format; self.date = date; self.slotMinutes = slotMinutes; self.clinic = clinic
        self.chairs = chairs; self.nurses = nurses; self.pharmacy = pharmacy; self.lab = lab
        self.regimens = regimens; self.requests = requests; self.objective = objective
    }
}

/// The clinic's hours: patients may sit down from `open`; treatment past `close` is overtime;
/// nothing may run past `latestEnd`.
public struct ClinicHours: Sendable, Hashable, Codable {
    /// First minute a treatment may start.
    public var open: ClockTime
    /// Regular closing time; minutes after it are overtime.
    public var close: ClockTime
    /// Hard end: every treatment ends by then.
    public var latestEnd: ClockTime

    /// Creates clinic hours.
    public init(open: ClockTime, close: ClockTime, latestEnd: ClockTime) {
        self.open = open; self.close = close; self.latestEnd = latestEnd
    }
}

/// A treatment chair (or bed) of one type.
public struct Chair: Sendable, Hashable, Codable {
    /// Opaque id.
    public var id: String
    /// Chair type, e.g. `recliner` or `bed`; regimens name the types they can use.
    public var type: String
    /// Windows in which the chair can be occupied; absent means open..latestEnd.
    public var available: [TimeWindow]?

    /// Creates a chair.
    public init(id: String, type: String, available: [TimeWindow]? = nil) {
        self.id = id; self.type = type; self.available = available
    }
}

/// A nurse's break: no intensive (access, pre-medication, disconnect) minutes during it.
public struct NurseBreak: Sendable, Hashable, Codable {
    /// When the break starts.
    public var start: ClockTime
    /// How long it lasts.
    public var minutes: Int

    /// Creates a break.
    public init(start: ClockTime, minutes: Int) { self.start = start; self.minutes = minutes }
}

/// A nurse on duty, who is the primary nurse of the patients assigned to them.
public struct Nurse: Sendable, Hashable, Codable {
    /// Opaque id.
    public var id: String
    /// Start of the shift.
    public var shiftStart: ClockTime
    /// End of the shift; every patient of this nurse is out of the chair by then.
    public var shiftEnd: ClockTime
    /// Acuity the nurse can carry at once (default 4).
    public var capacity: Int?
    /// The nurse's break, if any.
    public var `break`: NurseBreak?

    /// Creates a nurse.
    public init(id: String, shiftStart: ClockTime, shiftEnd: ClockTime, capacity: Int? = nil, break: NurseBreak? = nil) {
        self.id = id; self.shiftStart = shiftStart; self.shiftEnd = shiftEnd
        self.capacity = capacity; self.break = `break`
    }
}

/// The pharmacy: compounders (hoods) that each prepare one drug at a time.
public struct Pharmacy: Sendable, Hashable, Codable {
    /// Earliest time a prep may start.
    public var open: ClockTime
    /// Number of compounders working in parallel.
    public var compounders: Int

    /// Creates a pharmacy.
    public init(open: ClockTime, compounders: Int) { self.open = open; self.compounders = compounders }
}

/// The lab: stations for same-day draws and the time results take.
public struct Lab: Sendable, Hashable, Codable {
    /// Earliest time a draw may start.
    public var open: ClockTime
    /// Number of draw stations, each drawing one patient at a time.
    public var stations: Int
    /// Length of one draw.
    public var drawMinutes: Int
    /// From the end of a draw to its results.
    public var turnaroundMinutes: Int

    /// Creates a lab.
    public init(open: ClockTime, stations: Int, drawMinutes: Int, turnaroundMinutes: Int) {
        self.open = open; self.stations = stations
        self.drawMinutes = drawMinutes; self.turnaroundMinutes = turnaroundMinutes
    }
}

/// A treatment protocol: how long the chair is needed and what it takes.
public struct Regimen: Sendable, Hashable, Codable {
    /// Opaque id.
    public var id: String
    /// Minutes in the chair.
    public var chairMinutes: Int
    /// Cleaning time after the patient leaves (default 0).
    public var bufferMinutes: Int?
    /// Chair types the regimen can be given in.
    public var chairTypes: [String]
    /// Nursing load while in chair (default 1).
    public var acuity: Int?
    /// Intensive nurse minutes at the start: access, pre-medication (default 0).
    public var nurseStartMinutes: Int?
    /// Intensive nurse minutes at the end: flush, disconnect (default 0).
    public var nurseEndMinutes: Int?
    /// Pharmacy compounding time (default 0: nothing to compound).
    public var prepMinutes: Int?
    /// Whether compounding waits for the same-day lab results (default false).
    public var holdForLabs: Bool?
    /// Longest the compounded drug may wait before it is hung (absent: no limit).
    public var stabilityMinutes: Int?

    /// Creates a regimen.
    public init(id: String, chairMinutes: Int, bufferMinutes: Int? = nil, chairTypes: [String], acuity: Int? = nil,
                nurseStartMinutes: Int? = nil, nurseEndMinutes: Int? = nil, prepMinutes: Int? = nil,
                holdForLabs: Bool? = nil, stabilityMinutes: Int? = nil) {
        self.id = id; self.chairMinutes = chairMinutes; self.bufferMinutes = bufferMinutes
        self.chairTypes = chairTypes; self.acuity = acuity; self.nurseStartMinutes = nurseStartMinutes
        self.nurseEndMinutes = nurseEndMinutes; self.prepMinutes = prepMinutes
        self.holdForLabs = holdForLabs; self.stabilityMinutes = stabilityMinutes
    }
}

/// When the patient can come: arrival no earlier than `earliest`, treatment over by `latest`.
public struct PatientWindow: Sendable, Hashable, Codable {
    /// Earliest arrival.
    public var earliest: ClockTime?
    /// Latest end of treatment.
    public var latest: ClockTime?

    /// Creates a window.
    public init(earliest: ClockTime? = nil, latest: ClockTime? = nil) { self.earliest = earliest; self.latest = latest }
}

/// The patient's labs: what is on file, and whether a same-day draw is allowed.
public struct LabStatus: Sendable, Hashable, Codable {
    /// Labs on file are valid for starts up to this instant; absent means nothing on file.
    public var validUntil: LocalDateTime?
    /// Whether labs may be drawn on the day (default true).
    public var allowSameDayDraw: Bool?

    /// Creates a lab status.
    public init(validUntil: LocalDateTime? = nil, allowSameDayDraw: Bool? = nil) {
        self.validUntil = validUntil; self.allowSameDayDraw = allowSameDayDraw
    }
}

/// The payer's decision on a treatment.
public enum AuthorizationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Approved: the treatment may be given while current.
    case approved
    /// Still waiting for the payer.
    case pending
    /// Refused.
    case denied
}

/// A payer authorization with its validity dates.
public struct Authorization: Sendable, Hashable, Codable {
    /// The payer's decision.
    public var status: AuthorizationStatus
    /// First day the authorization covers (absent: no lower bound).
    public var validFrom: CivilDate?
    /// Last day the authorization covers (absent: no upper bound).
    public var validTo: CivilDate?

    /// Creates an authorization.
    public init(status: AuthorizationStatus, validFrom: CivilDate? = nil, validTo: CivilDate? = nil) {
        self.status = status; self.validFrom = validFrom; self.validTo = validTo
    }
}

/// A booking that must be kept as made.
public struct FixedBooking: Sendable, Hashable, Codable {
    /// The start the patient was given.
    public var start: ClockTime
    /// The chair, when it was promised too.
    public var chair: String?
    /// The nurse, when it was promised too.
    public var nurse: String?

    /// Creates a fixed booking.
    public init(start: ClockTime, chair: String? = nil, nurse: String? = nil) {
        self.start = start; self.chair = chair; self.nurse = nurse
    }
}

/// One patient's treatment to place on the day.
public struct TreatmentRequest: Sendable, Hashable, Codable {
    /// Opaque id (never a name: ids reach logs).
    public var id: String
    /// The regimen's id.
    public var regimen: String
    /// Priority weight of leaving it unscheduled (default 1).
    public var weight: Double?
    /// When the patient can come.
    public var window: PatientWindow?
    /// The start the patient would like.
    public var preferredStart: ClockTime?
    /// Labs on file and whether a same-day draw is allowed; absent: no labs needed.
    public var labs: LabStatus?
    /// Whether a same-day draw is done at the chair through the port (default false).
    public var labsAtChair: Bool?
    /// When the drug (or its ingredients) reaches the pharmacy.
    public var drugReadyAt: LocalDateTime?
    /// The payer authorization; absent means none is needed.
    public var authorization: Authorization?
    /// A booking that must be kept.
    public var fixed: FixedBooking?

    /// Creates a request.
    public init(id: String, regimen: String, weight: Double? = nil, window: PatientWindow? = nil,
                preferredStart: ClockTime? = nil, labs: LabStatus? = nil, labsAtChair: Bool? = nil,
                drugReadyAt: LocalDateTime? = nil, authorization: Authorization? = nil, fixed: FixedBooking? = nil) {
        self.id = id; self.regimen = regimen; self.weight = weight; self.window = window
        self.preferredStart = preferredStart; self.labs = labs; self.labsAtChair = labsAtChair
        self.drugReadyAt = drugReadyAt; self.authorization = authorization; self.fixed = fixed
    }
}

/// Objective weights (SPEC §3); each absent term takes its default.
public struct ObjectiveWeights: Sendable, Hashable, Codable {
    /// Cost per unit of weight of an admissible request left unscheduled (default 1000).
    public var unscheduledPenalty: Double?
    /// Cost per minute of treatment after `close` (default 2).
    public var overtimePerMinute: Double?
    /// Cost per minute of avoidable waiting (default 1).
    public var waitPerMinute: Double?
    /// Cost per minute away from a preferred start (default 0.2).
    public var preferencePerMinute: Double?
    /// Cost per unit of peak acuity per nurse on shift (default 0).
    public var peakLoadPenalty: Double?

    /// Creates weights.
    public init(unscheduledPenalty: Double? = nil, overtimePerMinute: Double? = nil, waitPerMinute: Double? = nil,
                preferencePerMinute: Double? = nil, peakLoadPenalty: Double? = nil) {
        self.unscheduledPenalty = unscheduledPenalty; self.overtimePerMinute = overtimePerMinute
        self.waitPerMinute = waitPerMinute; self.preferencePerMinute = preferencePerMinute
        self.peakLoadPenalty = peakLoadPenalty
    }
}
