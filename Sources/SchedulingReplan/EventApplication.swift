import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// Applies an events file to a day (SPEC §7): checks every event against the day, the previous
/// plan and `now`, and builds the day with the events applied.
///
/// What each event does to the day:
/// - `cancel`, `labsOutOfRange`: the request stays in the day but is ended (reason `cancelled`
///   or `labs`); neither costs a penalty. Out-of-range labs also become "nothing valid on file,
///   no same-day draw" in the applied day.
/// - `late`: the request's `window.earliest` becomes its old arrival plus the minutes; when the
///   window closes by then, the visit is dropped (reason `noFeasibleStart`).
/// - `drugDelayed`: the request's `drugReadyAt` becomes `readyAt`.
/// - `chairDown`: `[from, to)` is taken out of the chair's availability, except the minutes a
///   frozen patient already occupies (they stay: alert `chairConflict`).
/// - `nurseOut`: the nurse's shift ends at `from` (a nurse who has not started by then leaves
///   the day), unless a frozen patient cannot be handed over (decided by ``Replanner``).
/// - `addOn`: the request is appended to the day.
///
/// A frozen appointment whose fixed nurse goes out loses that part of its `fixed` booking in
/// the applied day, so that a handover to another nurse does not read as a broken promise.
struct EventApplication {
    /// A request ended by an event, with its reason.
    struct Ending {
        var reason: UnscheduledReason
        var detail: String
        /// Whether the plan lost the visit rather than the patient calling it off: then it is a
        /// drop (change penalty, change `dropped`), not a cancellation.
        var isDrop = false
    }

    /// The day before the events.
    let oldDay: ResolvedDay
    /// The previous plan by request index of ``oldDay``.
    let old: [Placement?]
    /// Minute of `now`.
    let now: Int
    /// Whether the appointment of each request of ``oldDay`` is frozen (its patient is here).
    let frozen: [Bool]

    /// The day being edited.
    private(set) var day: Day
    /// Requests ended by events, by id.
    private(set) var ended: [String: Ending] = [:]
    /// The event index that added each add-on, by index in ``day``'s requests.
    private(set) var addOnEvent: [Int: Int] = [:]
    /// Alerts the events raise on their own (`drugWasted`, `chairConflict`).
    private(set) var alerts: [Alert] = []
    /// Earliest `from` of each nurse who goes out, by nurse id.
    private(set) var nurseOut: [String: Int] = [:]
    /// Down intervals by chair index.
    private var chairDown: [Int: [Range<Int>]] = [:]

    /// Checks and applies `events`.
    ///
    /// - Throws: ``SchedulingModel/InputError`` with the JSON path inside the events file of the first bad event.
    init(oldDay: ResolvedDay, old: [Placement?], now: Int, events: EventsFile) throws {
        self.oldDay = oldDay
        self.old = old
        self.now = now
        self.frozen = old.map { $0.map { $0.arrival < now } ?? false }
        self.day = oldDay.day
        var requestIndex = oldDay.requestIndex
        for (i, event) in events.events.enumerated() {
            let path = "events[\(i)]"
            func fail(_ field: String, _ message: String, _ kind: InputError.Kind = .invalidValue) -> InputError {
                InputError(path: path + field, message: message, kind: kind)
            }
            /// The request an event names, which must exist (an earlier add-on counts) and not be ended.
            func request(_ id: String) throws -> Int {
                guard let r = requestIndex[id] else { throw fail(".request", "unknown request \"\(clip(id))\"", .unknownReference) }
                guard ended[id] == nil else { throw fail(".request", "request \(id) was already ended by an earlier event") }
                return r
            }
            /// The previous placement of an old request, when it had one.
            func placed(_ r: Int) -> Placement? { r < old.count ? old[r] : nil }
            func isFrozen(_ r: Int) -> Bool { r < frozen.count && frozen[r] }
            switch event {
            case .cancel(let id):
                let r = try request(id)
                if isFrozen(r), let p = placed(r) {
                    throw fail(".request", "request \(id) is already here (arrived \(clockText(p.arrival))): a frozen appointment cannot be cancelled")
                }
                end(r, id: id, reason: .cancelled, detail: "cancelled")
            case .labsOutOfRange(let id):
                let r = try request(id)
                if isFrozen(r), let p = placed(r), p.start < now {
                    throw fail(".request", "request \(id) is already in chair (since \(clockText(p.start))): its treatment cannot be called off")
                }
                end(r, id: id, reason: .labs, detail: "labs out of range")
                // No labs on file and no draw today: the day itself now says why, so the validator
                // and a later re-plan from this day read the same reason.
                day.requests[r].labs = LabStatus(validUntil: nil, allowSameDayDraw: false)
            case .late(let id, let minutes):
                let r = try request(id)
                guard let p = placed(r) else {
                    throw fail(".request", "request \(id) is not scheduled: there is no arrival to be late for")
                }
                if isFrozen(r) { throw fail(".request", "request \(id) already arrived at \(clockText(p.arrival))") }
                let earliest = min(1440, p.arrival + minutes)
                var window = day.requests[r].window ?? PatientWindow()
                if let latest = window.latest, latest.minutes <= earliest {
                    // The window closes before the patient can come: nothing is left to plan.
                    end(r, id: id, reason: .noFeasibleStart, detail: "arrives \(clockText(earliest)), after the window closes", isDrop: true)
                } else {
                    window.earliest = ClockTime(minutes: earliest)
                    day.requests[r].window = window
                }
            case .drugDelayed(let id, let readyAt):
                let r = try request(id)
                if let p = placed(r) {
                    if isFrozen(r) { throw fail(".request", "request \(id) already arrived at \(clockText(p.arrival)): its appointment cannot change") }
                    if let prep = p.prepStart, prep < now {
                        throw fail(".request", "request \(id)'s prep began at \(clockText(prep)): the drug is already in the pharmacy")
                    }
                }
                day.requests[r].drugReadyAt = readyAt
            case let .chairDown(id, from, to):
                guard let c = oldDay.chairIndex[id] else { throw fail(".chair", "unknown chair \"\(clip(id))\"", .unknownReference) }
                guard from.minutes >= now else { throw fail(".from", "from \(from) is before now (\(clockText(now)))") }
                let upper = to?.minutes ?? max(1440, oldDay.latestEnd)
                if let to, to <= from { throw fail(".to", "to \(to) is not after from \(from)") }
                chairDown[c, default: []].append(from.minutes..<upper)
            case let .nurseOut(id, from):
                guard oldDay.nurseIndex[id] != nil else { throw fail(".nurse", "unknown nurse \"\(clip(id))\"", .unknownReference) }
                guard from.minutes >= now else { throw fail(".from", "from \(from) is before now (\(clockText(now)))") }
                nurseOut[id] = min(nurseOut[id] ?? Int.max, from.minutes)
            case .addOn(let request):
                guard !request.id.isEmpty else { throw fail(".request.id", "id is empty") }
                guard requestIndex[request.id] == nil else {
                    throw fail(".request.id", "duplicate request id \"\(clip(request.id))\"", .duplicate)
                }
                guard oldDay.day.regimens.contains(where: { $0.id == request.regimen }) else {
                    throw fail(".request.regimen", "unknown regimen \"\(clip(request.regimen))\"", .unknownReference)
                }
                requestIndex[request.id] = day.requests.count
                addOnEvent[day.requests.count] = i
                day.requests.append(request)
            }
        }
        applyChairsDown()
        // A frozen patient whose fixed nurse goes out may be handed over: that promise yields.
        for r in old.indices where frozen[r] {
            if let n = day.requests[r].fixed?.nurse, nurseOut[n] != nil { day.requests[r].fixed?.nurse = nil }
        }
    }

    /// Ends request `r` and raises `drugWasted` when its prep already began.
    private mutating func end(_ r: Int, id: String, reason: UnscheduledReason, detail: String, isDrop: Bool = false) {
        ended[id] = Ending(reason: reason, detail: detail, isDrop: isDrop)
        if r < old.count, let p = old[r], let prep = p.prepStart, prep < now {
            alerts.append(Alert(request: id, kind: .drugWasted, detail: "prep began \(clockText(prep))"))
        }
    }

    /// Takes the down intervals out of the chairs' availability, leaving in what frozen
    /// patients (not ended) already occupy.
    private mutating func applyChairsDown() {
        for c in chairDown.keys.sorted() {
            let down = chairDown[c]!
            var windows = oldDay.chairs[c].windows
            for d in down { windows = windows.flatMap { subtract(d, from: $0) } }
            for r in old.indices where frozen[r] && ended[oldDay.requests[r].id] == nil {
                guard let p = old[r], p.chair == c else { continue }
                let occupied = oldDay.chairOccupancy(of: p)
                guard let hit = down.first(where: { $0.overlaps(occupied) }) else { continue }
                windows.append(occupied)
                alerts.append(Alert(request: oldDay.requests[r].id, kind: .chairConflict,
                                    detail: "chair \(oldDay.chairs[c].id) down \(clockText(hit.lowerBound))-\(clockText(hit.upperBound)) while occupied \(clockText(occupied.lowerBound))-\(clockText(occupied.upperBound))"))
            }
            day.chairs[c].available = merged(windows).map {
                TimeWindow(start: ClockTime(minutes: $0.lowerBound), end: ClockTime(minutes: min(1440, $0.upperBound)))
            }
        }
    }

    /// The day with the nurses' shifts ended: at `from`, or later for a nurse keeping frozen
    /// patients no one else can take (`keptUntil`, by nurse id). A nurse left without any shift
    /// is taken out of the day.
    func dayWithNursesOut(keptUntil: [String: Int]) -> Day {
        var out = day
        out.nurses = []
        for nurse in day.nurses {
            var n = nurse
            if let from = nurseOut[n.id] {
                let end = max(from, keptUntil[n.id] ?? Int.min)
                if end < n.shiftEnd.minutes { n.shiftEnd = ClockTime(minutes: end) }
                if n.shiftEnd <= n.shiftStart { continue }
            }
            out.nurses.append(n)
        }
        return out
    }

    /// `window` without `cut`: zero, one or two pieces.
    private func subtract(_ cut: Range<Int>, from window: Range<Int>) -> [Range<Int>] {
        guard window.overlaps(cut) else { return [window] }
        var pieces: [Range<Int>] = []
        if window.lowerBound < cut.lowerBound { pieces.append(window.lowerBound..<cut.lowerBound) }
        if cut.upperBound < window.upperBound { pieces.append(cut.upperBound..<window.upperBound) }
        return pieces
    }

    /// Sorted, disjoint union of `windows`.
    private func merged(_ windows: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for w in windows.sorted(by: { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }) where !w.isEmpty {
            if let last = out.last, w.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, w.upperBound)
            } else {
                out.append(w)
            }
        }
        return out
    }
}

/// Minutes as `HH:MM`.
func clockText(_ minutes: Int) -> String { ClockTime(minutes: minutes).description }
