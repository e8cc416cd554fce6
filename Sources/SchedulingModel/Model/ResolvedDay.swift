/// A ``Day`` checked against the contract and compiled for the solvers: defaults applied,
/// references turned into indices, every time in minutes after midnight of the day.
///
/// Building one is the only way the solvers and the validator see a day, so a day that
/// reaches them has passed every semantic check in ``ResolvedDay/init(_:)``.
public struct ResolvedDay: Sendable {
    /// A chair with its type index and merged availability windows.
    public struct ChairInfo: Sendable, Hashable {
        /// The chair's id in the day file.
        public var id: String
        /// Index into ``ResolvedDay/chairTypeNames``.
        public var type: Int
        /// Sorted, disjoint `[start, end)` windows in minutes.
        public var windows: [Range<Int>]
    }

    /// A nurse with defaults applied; `breakTime` is empty when the nurse has no break.
    public struct NurseInfo: Sendable, Hashable {
        /// The nurse's id in the day file.
        public var id: String
        /// `[shiftStart, shiftEnd)` in minutes.
        public var shift: Range<Int>
        /// The most acuity the nurse carries at once.
        public var capacity: Int
        /// `[start, start + minutes)` of the break, in minutes.
        public var breakTime: Range<Int>
    }

    /// A regimen with defaults applied and its chair types as indices.
    public struct RegimenInfo: Sendable, Hashable {
        /// The regimen's id in the day file.
        public var id: String
        /// Minutes in the chair.
        public var chairMinutes: Int
        /// Minutes of cleaning after the treatment, the chair still taken.
        public var bufferMinutes: Int
        /// Indices of the chair types it may use.
        public var chairTypes: Set<Int>
        /// How much of a nurse's capacity a patient takes while in the chair.
        public var acuity: Int
        /// The nurse's intensive minutes at the start (access, pre-meds).
        public var nurseStartMinutes: Int
        /// The nurse's intensive minutes at the end.
        public var nurseEndMinutes: Int
        /// Minutes of pharmacy compounding before the start; 0 for none.
        public var prepMinutes: Int
        /// Whether the prep waits for the same-day lab results.
        public var holdForLabs: Bool
        /// Longest wait from the end of the prep to the start, when the drug has a limit.
        public var stabilityMinutes: Int?
    }

    /// A request with defaults applied, references as indices and instants in day minutes.
    public struct RequestInfo: Sendable, Hashable {
        /// The request's id in the day file.
        public var id: String
        /// Index into ``ResolvedDay/regimens``.
        public var regimen: Int
        /// Weight of leaving it out (times the unscheduled penalty).
        public var weight: Double
        /// Earliest arrival (draw or start), when the window has one.
        public var earliest: Int?
        /// Latest end of treatment, when the window has one.
        public var latest: Int?
        /// The preferred start, when given.
        public var preferredStart: Int?
        /// Whether the request needs labs at all (`labs` present).
        public var needsLabs: Bool
        /// Labs on file are valid for starts `<=` this minute; nil means nothing on file.
        public var labsValidUntil: Int?
        /// Whether labs may be drawn on the day when those on file do not cover the start.
        public var allowSameDayDraw: Bool
        /// Whether the draw is done at the chair (port access) instead of a lab station.
        public var labsAtChair: Bool
        /// The minute the drug is in the pharmacy, when later than the day's start.
        public var drugReadyAt: Int?
        /// Nil when authorized on the day; otherwise why not (`authorization pending`, …).
        public var authorizationProblem: String?
        /// Last covered day of an approved authorization, when it has one.
        public var authorizationValidTo: CivilDate?
        /// The fixed booking's start, when the request is booked at a fixed time.
        public var fixedStart: Int?
        /// The fixed booking's chair index, when pinned.
        public var fixedChair: Int?
        /// The fixed booking's nurse index, when pinned.
        public var fixedNurse: Int?
    }

    /// The day as given.
    public let day: Day
    /// Minutes between allowed starts.
    public let slotMinutes: Int
    /// The clinic's opening minute.
    public let open: Int
    /// The clinic's closing minute (treatment after it is overtime).
    public let close: Int
    /// The latest minute a treatment may end.
    public let latestEnd: Int
    /// Distinct chair type names, in order of first appearance.
    public let chairTypeNames: [String]
    /// The chairs, in file order.
    public let chairs: [ChairInfo]
    /// The nurses, in file order.
    public let nurses: [NurseInfo]
    /// The minute the pharmacy opens.
    public let pharmacyOpen: Int
    /// How many preps can run at once.
    public let compounders: Int
    /// The minute the lab opens.
    public let labOpen: Int
    /// How many draws can run at once at lab stations.
    public let stations: Int
    /// Minutes of a draw.
    public let drawMinutes: Int
    /// Minutes from the end of a draw to its results.
    public let turnaroundMinutes: Int
    /// The regimens, in file order.
    public let regimens: [RegimenInfo]
    /// The requests, in file order.
    public let requests: [RequestInfo]
    /// The objective's weights, defaults applied.
    public let weights: ResolvedWeights
    /// Request index by id.
    public let requestIndex: [String: Int]
    /// Chair index by id.
    public let chairIndex: [String: Int]
    /// Nurse index by id.
    public let nurseIndex: [String: Int]

    /// Objective weights with defaults applied.
    public struct ResolvedWeights: Sendable, Hashable {
        /// Cost of leaving out an admissible request of weight 1.
        public var unscheduledPenalty: Double
        /// Cost of a minute of treatment after closing.
        public var overtimePerMinute: Double
        /// Cost of a minute of excess wait after a draw.
        public var waitPerMinute: Double
        /// Cost of a minute away from the preferred start.
        public var preferencePerMinute: Double
        /// Cost of the peak ratio of acuity in chair to nurses on shift.
        public var peakLoadPenalty: Double
    }

    /// Largest value accepted for durations, capacities and counts: anything above is a typo.
    static let absurd = 100_000

    /// Checks `day` against the contract and compiles it.
    ///
    /// - Throws: ``InputError`` naming the JSON path of the first problem.
    public init(_ day: Day) throws {
        func fail(_ path: String, _ message: String, _ kind: InputError.Kind = .invalidValue) -> InputError {
            InputError(path: path, message: message, kind: kind)
        }
        self.day = day
        guard day.format == Day.formatTag else {
            throw fail("format", "unknown format \"\(clip(day.format))\": expected \"\(Day.formatTag)\"", .unsupportedFormat)
        }
        guard day.slotMinutes > 0, day.slotMinutes <= 60, 60 % day.slotMinutes == 0 else {
            throw fail("slotMinutes", "\(day.slotMinutes) does not divide 60")
        }
        slotMinutes = day.slotMinutes
        open = day.clinic.open.minutes
        close = day.clinic.close.minutes
        latestEnd = day.clinic.latestEnd.minutes
        guard open < close else { throw fail("clinic.close", "close \(day.clinic.close) is not after open \(day.clinic.open)") }
        guard close <= latestEnd else { throw fail("clinic.latestEnd", "latestEnd \(day.clinic.latestEnd) is before close \(day.clinic.close)") }

        // Chairs.
        var typeNames: [String] = []
        var typeIndex: [String: Int] = [:]
        var chairIndex: [String: Int] = [:]
        var chairs: [ChairInfo] = []
        for (i, chair) in day.chairs.enumerated() {
            let path = "chairs[\(i)]"
            try Self.checkId(chair.id, path: path + ".id")
            guard chairIndex[chair.id] == nil else { throw fail(path + ".id", "duplicate chair id \"\(clip(chair.id))\"", .duplicate) }
            chairIndex[chair.id] = i
            guard !chair.type.isEmpty else { throw fail(path + ".type", "chair type is empty") }
            if typeIndex[chair.type] == nil { typeIndex[chair.type] = typeNames.count; typeNames.append(chair.type) }
            var windows: [Range<Int>] = []
            if let available = chair.available {
                for (w, window) in available.enumerated() {
                    guard window.start < window.end else {
                        throw fail("\(path).available[\(w)]", "window ends at \(window.end), not after its start \(window.start)")
                    }
                    windows.append(window.start.minutes..<window.end.minutes)
                }
            } else {
                windows = [open..<latestEnd]
            }
            chairs.append(ChairInfo(id: chair.id, type: typeIndex[chair.type]!, windows: Self.merge(windows)))
        }

        // Nurses.
        var nurseIndex: [String: Int] = [:]
        var nurses: [NurseInfo] = []
        for (i, nurse) in day.nurses.enumerated() {
            let path = "nurses[\(i)]"
            try Self.checkId(nurse.id, path: path + ".id")
            guard nurseIndex[nurse.id] == nil else { throw fail(path + ".id", "duplicate nurse id \"\(clip(nurse.id))\"", .duplicate) }
            nurseIndex[nurse.id] = i
            guard nurse.shiftStart < nurse.shiftEnd else {
                throw fail(path + ".shiftEnd", "shift ends at \(nurse.shiftEnd), not after its start \(nurse.shiftStart)")
            }
            let capacity = nurse.capacity ?? 4
            guard capacity >= 1, capacity <= 100 else { throw fail(path + ".capacity", "capacity \(capacity) is not in 1...100") }
            var breakTime = 0..<0
            if let b = nurse.break {
                guard b.minutes >= 1, b.minutes <= 480 else { throw fail(path + ".break.minutes", "break of \(b.minutes) minutes is not in 1...480") }
                breakTime = b.start.minutes..<(b.start.minutes + b.minutes)
            }
            nurses.append(NurseInfo(id: nurse.id, shift: nurse.shiftStart.minutes..<nurse.shiftEnd.minutes,
                                    capacity: capacity, breakTime: breakTime))
        }

        // Pharmacy and lab.
        guard day.pharmacy.compounders >= 1, day.pharmacy.compounders <= 1000 else {
            throw fail("pharmacy.compounders", "\(day.pharmacy.compounders) compounders is not in 1...1000")
        }
        guard day.lab.stations >= 1, day.lab.stations <= 1000 else {
            throw fail("lab.stations", "\(day.lab.stations) stations is not in 1...1000")
        }
        guard day.lab.drawMinutes >= 1, day.lab.drawMinutes <= 240 else {
            throw fail("lab.drawMinutes", "a draw of \(day.lab.drawMinutes) minutes is not in 1...240")
        }
        guard day.lab.turnaroundMinutes >= 0, day.lab.turnaroundMinutes <= 1440 else {
            throw fail("lab.turnaroundMinutes", "a turnaround of \(day.lab.turnaroundMinutes) minutes is not in 0...1440")
        }
        pharmacyOpen = day.pharmacy.open.minutes
        compounders = day.pharmacy.compounders
        labOpen = day.lab.open.minutes
        stations = day.lab.stations
        drawMinutes = day.lab.drawMinutes
        turnaroundMinutes = day.lab.turnaroundMinutes

        // Regimens.
        let dayLength = latestEnd - open
        var regimenIndex: [String: Int] = [:]
        var regimens: [RegimenInfo] = []
        for (i, r) in day.regimens.enumerated() {
            let path = "regimens[\(i)]"
            try Self.checkId(r.id, path: path + ".id")
            guard regimenIndex[r.id] == nil else { throw fail(path + ".id", "duplicate regimen id \"\(clip(r.id))\"", .duplicate) }
            regimenIndex[r.id] = i
            guard r.chairMinutes >= 1 else { throw fail(path + ".chairMinutes", "chairMinutes must be positive, found \(r.chairMinutes)") }
            guard r.chairMinutes <= dayLength else {
                throw fail(path + ".chairMinutes", "\(r.chairMinutes) minutes is longer than the clinic day (\(dayLength) minutes from open to latestEnd)")
            }
            let buffer = r.bufferMinutes ?? 0
            guard (0...480).contains(buffer) else { throw fail(path + ".bufferMinutes", "\(buffer) is not in 0...480") }
            guard !r.chairTypes.isEmpty else { throw fail(path + ".chairTypes", "a regimen needs at least one chair type") }
            var types = Set<Int>()
            for (t, name) in r.chairTypes.enumerated() {
                guard !name.isEmpty else { throw fail("\(path).chairTypes[\(t)]", "chair type is empty") }
                // A type no chair has is allowed: its requests end unscheduled (a what-if may remove those chairs).
                if let index = typeIndex[name] { types.insert(index) }
            }
            let acuity = r.acuity ?? 1
            guard (1...100).contains(acuity) else { throw fail(path + ".acuity", "acuity \(acuity) is not in 1...100") }
            let ns = r.nurseStartMinutes ?? 0, ne = r.nurseEndMinutes ?? 0
            guard (0...r.chairMinutes).contains(ns) else {
                throw fail(path + ".nurseStartMinutes", "\(ns) is not in 0...chairMinutes (\(r.chairMinutes))")
            }
            guard (0...r.chairMinutes).contains(ne) else {
                throw fail(path + ".nurseEndMinutes", "\(ne) is not in 0...chairMinutes (\(r.chairMinutes))")
            }
            let prep = r.prepMinutes ?? 0
            guard (0...720).contains(prep) else { throw fail(path + ".prepMinutes", "\(prep) is not in 0...720") }
            if let s = r.stabilityMinutes {
                guard (0...Self.absurd).contains(s) else { throw fail(path + ".stabilityMinutes", "\(s) is not in 0...\(Self.absurd)") }
            }
            regimens.append(RegimenInfo(id: r.id, chairMinutes: r.chairMinutes, bufferMinutes: buffer, chairTypes: types,
                                        acuity: acuity, nurseStartMinutes: ns, nurseEndMinutes: ne, prepMinutes: prep,
                                        holdForLabs: r.holdForLabs ?? false, stabilityMinutes: r.stabilityMinutes))
        }

        // Requests.
        var requestIndex: [String: Int] = [:]
        var requests: [RequestInfo] = []
        for (i, q) in day.requests.enumerated() {
            let path = "requests[\(i)]"
            try Self.checkId(q.id, path: path + ".id")
            guard requestIndex[q.id] == nil else { throw fail(path + ".id", "duplicate request id \"\(clip(q.id))\"", .duplicate) }
            requestIndex[q.id] = i
            guard let regimen = regimenIndex[q.regimen] else {
                throw fail(path + ".regimen", "unknown regimen \"\(clip(q.regimen))\"", .unknownReference)
            }
            let weight = q.weight ?? 1
            guard weight.isFinite, weight > 0, weight <= 1_000_000 else {
                throw fail(path + ".weight", "weight must be a positive number up to 1000000")
            }
            // One request's odd but meaningful data does not reject the day; it is read as it
            // stands. A window that ends at or before its earliest arrival, a drug ready only on a
            // later day, labs that expired on an earlier day without a draw allowed, an
            // authorization whose validTo precedes its validFrom: each leaves the request
            // inadmissible with the reason SPEC §5 gives (noFeasibleStart, drugNotReady, labs,
            // authorization); so does a fixed start off the slot grid (noFeasibleStart, and the
            // booking is broken). A preferred start outside the window only costs its preference.
            // What has no meaning is an error: an unknown regimen, chair or nurse, a duplicate or
            // empty id, a weight that is not a positive number.
            var authProblem: String?
            var validTo: CivilDate?
            if let a = q.authorization {
                // validTo before validFrom covers no date: one of the two tests below fails.
                if a.status != .approved {
                    authProblem = "authorization \(a.status.rawValue)"
                } else if let from = a.validFrom, day.date < from {
                    authProblem = "authorization starts \(from)"
                } else if let to = a.validTo, to < day.date {
                    authProblem = "authorization expired \(to)"
                } else {
                    validTo = a.validTo
                }
            }
            var fixedStart: Int?, fixedChair: Int?, fixedNurse: Int?
            if let f = q.fixed {
                // A fixed start off the slot grid is a promise no schedule can keep: the booking
                // is broken (noFeasibleStart and the alert fixedBookingBroken), not the day.
                fixedStart = f.start.minutes
                if let c = f.chair {
                    guard let index = chairIndex[c] else { throw fail(path + ".fixed.chair", "unknown chair \"\(clip(c))\"", .unknownReference) }
                    fixedChair = index
                }
                if let n = f.nurse {
                    guard let index = nurseIndex[n] else { throw fail(path + ".fixed.nurse", "unknown nurse \"\(clip(n))\"", .unknownReference) }
                    fixedNurse = index
                }
            }
            requests.append(RequestInfo(
                id: q.id, regimen: regimen, weight: weight,
                earliest: q.window?.earliest?.minutes, latest: q.window?.latest?.minutes,
                preferredStart: q.preferredStart?.minutes,
                needsLabs: q.labs != nil, labsValidUntil: q.labs?.validUntil?.minutes(relativeTo: day.date),
                allowSameDayDraw: q.labs?.allowSameDayDraw ?? true, labsAtChair: q.labsAtChair ?? false,
                drugReadyAt: q.drugReadyAt?.minutes(relativeTo: day.date),
                authorizationProblem: authProblem, authorizationValidTo: validTo,
                fixedStart: fixedStart, fixedChair: fixedChair, fixedNurse: fixedNurse))
        }

        // Objective.
        let o = day.objective
        for (name, value) in [("unscheduledPenalty", o?.unscheduledPenalty), ("overtimePerMinute", o?.overtimePerMinute),
                              ("waitPerMinute", o?.waitPerMinute), ("preferencePerMinute", o?.preferencePerMinute),
                              ("peakLoadPenalty", o?.peakLoadPenalty)] {
            if let value, !(value.isFinite && value >= 0 && value <= 1e9) {
                throw fail("objective." + name, "must be a number in 0...1e9")
            }
        }
        weights = ResolvedWeights(unscheduledPenalty: o?.unscheduledPenalty ?? 1000, overtimePerMinute: o?.overtimePerMinute ?? 2,
                                  waitPerMinute: o?.waitPerMinute ?? 1, preferencePerMinute: o?.preferencePerMinute ?? 0.2,
                                  peakLoadPenalty: o?.peakLoadPenalty ?? 0)
        chairTypeNames = typeNames
        self.chairs = chairs
        self.nurses = nurses
        self.regimens = regimens
        self.requests = requests
        self.requestIndex = requestIndex
        self.chairIndex = chairIndex
        self.nurseIndex = nurseIndex
    }

    /// Refuses an empty id or one longer than 64 bytes (ids reach logs and messages).
    package static func checkId(_ id: String, path: String) throws {
        guard !id.isEmpty else { throw InputError(path: path, message: "id is empty") }
        guard id.utf8.count <= 64 else { throw InputError(path: path, message: "id is longer than 64 bytes") }
    }

    private static func merge(_ windows: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for w in windows.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, w.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, w.upperBound)
            } else {
                out.append(w)
            }
        }
        return out
    }
}

extension ResolvedDay {
    /// The regimen of request `r`.
    @inlinable public func regimen(of r: Int) -> RegimenInfo { regimens[requests[r].regimen] }

    /// Start slots inside clinic hours for a regimen of `chairMinutes`, in increasing order.
    public func clinicStarts(chairMinutes: Int) -> StrideThrough<Int> {
        let first = (open + slotMinutes - 1) / slotMinutes * slotMinutes
        return stride(from: first, through: latestEnd - chairMinutes, by: slotMinutes)
    }

    /// The minutes a nurse must give a patient in full attention: access and pre-medication at
    /// the start, disconnection at the end, merged into one interval when they meet.
    public static func intensiveIntervals(start: Int, end: Int, regimen: RegimenInfo) -> [Range<Int>] {
        let a = start..<(start + regimen.nurseStartMinutes)
        let b = (end - regimen.nurseEndMinutes)..<end
        if a.isEmpty { return b.isEmpty ? [] : [b] }
        if b.isEmpty { return [a] }
        if a.upperBound >= b.lowerBound { return [start..<end] }
        return [a, b]
    }

    /// Whether the chair can be occupied over `interval` (inside one availability window).
    public func chairAvailable(_ c: Int, over interval: Range<Int>) -> Bool {
        chairs[c].windows.contains { $0.lowerBound <= interval.lowerBound && interval.upperBound <= $0.upperBound }
    }

    /// Lead time from the start of a same-day draw to the earliest start it allows (SPEC §3).
    public func inherentLead(of r: Int) -> Int {
        let reg = regimen(of: r)
        return drawMinutes + turnaroundMinutes + (reg.holdForLabs ? reg.prepMinutes : 0)
    }

    /// Whether a start at `start` needs a same-day draw: labs are needed and those on file
    /// (if any) expire before `start`.
    public func needsDraw(_ r: Int, start: Int) -> Bool {
        let q = requests[r]
        guard q.needsLabs else { return false }
        if let until = q.labsValidUntil, start <= until { return false }
        return true
    }
}
