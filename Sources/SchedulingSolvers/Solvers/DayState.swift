import SchedulingModel
import SchedulingRules
import MIPKit

/// The resources of a day as taken by a set of placements, with the checks and updates that a
/// constructive heuristic, a re-planning heuristic or a repair step needs.
///
/// What each resource holds:
/// - each chair: its occupied intervals (from the draw when drawn at the chair, else from the
///   start, to the end plus the cleaning buffer), sorted and disjoint;
/// - each nurse: the acuity in chair at every minute (a per-minute array, because capacity is
///   a sum over overlapping patients) and the patients' intensive intervals, sorted and disjoint;
/// - each compounder: its prep intervals; each lab station: its draw intervals (sorted, disjoint).
///
/// The searches read copies of these intervals as busy minutes (``MinuteBits``: one row of bits
/// per chair, nurse, compounder and station; ``BusyByMinute``: the busy chairs of each minute),
/// which answer "is it free over this interval" and "which chairs are free" from a few words
/// in one flat table instead of a binary search per resource.
///
/// Invariant: every placement held was accepted by ``canPlace(_:)`` against the others, so the
/// state always describes a schedule that keeps every hard constraint of SPEC §2 (fixed bookings
/// are the caller's concern: the state checks a fixed request's start, chair and nurse, not
/// that it is present). ``place(_:)`` and ``remove(request:)`` keep the indices exact, so a
/// placement can be tried, undone and tried elsewhere at the cost of its own intervals.
package struct DayState: Sendable {
    /// A busy interval of one resource and the request that holds it.
    package struct Booking: Sendable, Hashable {
        /// The half-open interval in day minutes.
        package var range: Range<Int>
        /// Index of the request that holds it.
        package var request: Int
    }

    /// The day the state belongs to.
    package let day: ResolvedDay
    /// The placement of each request, by request index; nil when it is not placed.
    package private(set) var placements: [Placement?]
    /// Occupied intervals of each chair, sorted by start.
    package private(set) var chairBookings: [[Booking]]
    /// Intensive intervals of each nurse's patients, sorted by start.
    package private(set) var intensiveBookings: [[Booking]]
    /// Preps of each compounder, sorted by start.
    package private(set) var compounderBookings: [[Booking]]
    /// Draws of each lab station, sorted by start.
    package private(set) var stationBookings: [[Booking]]
    /// Acuity-minutes given to each nurse: how loaded the nurse is over the day.
    package private(set) var nurseWork: [Int]
    /// Frozen patients of a re-plan handed to another nurse (SPEC §7), by request: their old
    /// nurse holds them before the handover, the placement's nurse from then on.
    package private(set) var handovers: [Int: Handover] = [:]

    /// Minutes covered by the per-minute arrays: `0..<horizon`.
    let horizon: Int
    /// Acuity in chair per nurse and minute, nurse-major (`n * horizon + t`).
    private var nurseLoad: [Int]
    /// The largest of ``nurseLoad`` over each block of ``blockMinutes`` minutes
    /// (`n * blocks + t / blockMinutes`), so that a capacity check skips whole blocks with room.
    private var nurseBlockMax: [Int]
    /// Blocks per nurse in ``nurseBlockMax``.
    private let blocks: Int
    /// Minutes per block of ``nurseBlockMax``.
    static let blockMinutes = 16
    /// Acuity in chair per minute over all nurses (for the peak-load term).
    private var totalLoad: [Int]
    /// The peak-load ratio of the placements held, kept current by ``place(_:)`` and ``remove(request:)``.
    package private(set) var peakLoadRatio: Double = 0
    /// Nurses on shift per minute.
    private let onShift: [Int]
    /// Chairs whose type suits each regimen, in chair order.
    package let eligibleChairs: [[Int]]
    // Copies of the day's hot fields in flat arrays: the searches read them millions of times.
    /// Every chair's availability windows, chair after chair; chair `c`'s are
    /// `windowList[windowFirst[c]..<windowFirst[c + 1]]`.
    private let windowList: [Range<Int>]
    private let windowFirst: [Int]
    /// Bookings per chair.
    private var chairCount: [Int]
    /// The chairs' bookings as busy minutes, and the nurses' intensive intervals (copies of
    /// ``chairBookings`` and ``intensiveBookings`` that the placement search reads).
    private var chairBits: MinuteBits
    /// The chairs busy at each minute: where a free chair is looked for.
    private var chairsBusy: BusyByMinute
    /// The chairs whose type suits each regimen as a bit set, ``BusyByMinute/words`` words per regimen.
    private let eligibleMask: [UInt64]
    private var intensiveBits: MinuteBits
    /// The compounders' preps and the lab stations' draws as busy minutes.
    private var compounderBits: MinuteBits
    private var stationBits: MinuteBits
    /// False once a booking reached outside the minutes the bits cover (only an invalid
    /// schedule handed in could): from then on the searches read the booking lists.
    private var bitsExact = true
    private let chairType: [Int]
    /// For each chair, the index of the first chair with its type and windows (empty chairs of one class are interchangeable).
    private let chairClass: [Int]
    private let nurseShift: [Range<Int>]
    private let nurseBreak: [Range<Int>]
    private let nurseCapacity: [Int]

    /// An empty clinic for `day`.
    ///
    /// - Complexity: O(nurses × minutes of the day).
    package init(day: ResolvedDay) { self.init(day: day, minuteBits: true) }

    /// An empty clinic for `day` whose searches read the minute bits (`true`, the library's
    /// choice) or only the booking lists (`false`: what tests compare the bits against).
    init(day: ResolvedDay, minuteBits: Bool) {
        self.day = day
        bitsExact = minuteBits
        let h = max(day.latestEnd, day.nurses.map(\.shift.upperBound).max() ?? 0) + 1
        horizon = h
        placements = Array(repeating: nil, count: day.requests.count)
        chairBookings = Array(repeating: [], count: day.chairs.count)
        intensiveBookings = Array(repeating: [], count: day.nurses.count)
        compounderBookings = Array(repeating: [], count: day.compounders)
        stationBookings = Array(repeating: [], count: day.stations)
        nurseWork = Array(repeating: 0, count: day.nurses.count)
        nurseLoad = Array(repeating: 0, count: day.nurses.count * h)
        blocks = (h + Self.blockMinutes - 1) / Self.blockMinutes
        nurseBlockMax = Array(repeating: 0, count: day.nurses.count * blocks)
        totalLoad = Array(repeating: 0, count: h)
        var shift = Array(repeating: 0, count: h)
        for n in day.nurses {
            for t in max(0, n.shift.lowerBound)..<min(h, n.shift.upperBound) { shift[t] += 1 }
        }
        onShift = shift
        windowList = day.chairs.flatMap(\.windows)
        windowFirst = day.chairs.reduce(into: [0]) { $0.append($0.last! + $1.windows.count) }
        chairCount = Array(repeating: 0, count: day.chairs.count)
        // Every interval of a valid schedule lies inside: the clinic, the shifts, the chairs'
        // windows and a buffer after the latest end (an interval outside turns the bits off).
        // No more, because ruin and recreate copies the state on every move.
        let minutes = max(h, day.latestEnd + (day.regimens.map(\.bufferMinutes).max() ?? 0) + 1,
                          day.chairs.flatMap(\.windows).map(\.upperBound).max() ?? 0)
        chairBits = MinuteBits(rows: day.chairs.count, minutes: minutes)
        let busy = BusyByMinute(resources: day.chairs.count, minutes: minutes)
        chairsBusy = busy
        eligibleMask = day.regimens.flatMap { reg in
            (0..<busy.words).map { w in
                day.chairs.indices.filter { $0 >> 6 == w && reg.chairTypes.contains(day.chairs[$0].type) }
                    .reduce(UInt64(0)) { $0 | 1 << UInt64($1 & 63) }
            }
        }
        intensiveBits = MinuteBits(rows: day.nurses.count, minutes: minutes)
        compounderBits = MinuteBits(rows: day.compounders, minutes: minutes)
        stationBits = MinuteBits(rows: day.stations, minutes: minutes)
        chairType = day.chairs.map(\.type)
        var classes: [Int] = []
        for c in day.chairs.indices {
            let first = day.chairs.indices.first { day.chairs[$0].type == day.chairs[c].type && day.chairs[$0].windows == day.chairs[c].windows }!
            classes.append(first == c ? classes.max().map { $0 + 1 } ?? 0 : classes[first])
        }
        chairClass = classes
        nurseShift = day.nurses.map(\.shift)
        nurseBreak = day.nurses.map(\.breakTime)
        nurseCapacity = day.nurses.map(\.capacity)
        eligibleChairs = day.regimens.map { reg in day.chairs.indices.filter { reg.chairTypes.contains(day.chairs[$0].type) } }
    }

    /// The placements held, in request order.
    package var placedList: [Placement] { placements.compactMap { $0 } }

    // MARK: Checking

    /// Whether `p` keeps every hard constraint of SPEC §2 alongside the placements held
    /// (its own request must not be placed already).
    package func canPlace(_ p: Placement, handover: Handover? = nil) -> Bool { problem(with: p, handover: handover) == nil }

    /// The first hard constraint `p` would break alongside the placements held, or nil. With a
    /// `handover`, each nurse is checked over the part of the treatment that nurse holds.
    ///
    /// - Complexity: O(chair minutes + log of bookings per resource).
    package func problem(with p: Placement, handover: Handover? = nil) -> String? {
        let r = p.request
        guard day.requests.indices.contains(r) else { return "unknown request" }
        guard placements[r] == nil else { return "request already placed" }
        guard day.chairs.indices.contains(p.chair) else { return "unknown chair" }
        guard day.nurses.indices.contains(p.nurse) else { return "unknown nurse" }
        if let handover, !day.nurses.indices.contains(handover.nurse) { return "unknown nurse" }

        // The rules the placement keeps or breaks on its own are the validator's (one statement
        // of them, SchedulingRules); the first break is the answer.
        var broken: String?
        Validator.checkAlone(p, day: day, chairKnown: true, handover: handover) { rule, message in
            if broken == nil { broken = "\(rule): \(message())" }
        }
        if let broken { return broken }

        // Then what the placements held already take, read from the same statement of what a
        // placement holds as the validator's sweeps (ResolvedDay.forEachUse).
        day.forEachUse(of: p, handover: handover) { use in
            if broken == nil { broken = conflict(use) }
        }
        return broken
    }

    /// Why the placements held leave no room for `use`, or nil when they do.
    private func conflict(_ use: ResourceUse) -> String? {
        switch use.resource {
        case .chair(let c):
            return Self.overlaps(chairBookings[c], use.interval) ? "chair busy" : nil
        case .nurseLoad(let n):
            let room = day.capacity(of: use.resource) - use.amount
            return hasRoom(n, start: use.interval.lowerBound, end: use.interval.upperBound, room: room) ? nil : "nurse over capacity"
        case .nurseIntensive(let n):
            return Self.overlaps(intensiveBookings[n], use.interval) ? "intensive minutes overlap another patient's" : nil
        case .compounder(let k):
            return Self.overlaps(compounderBookings[k], use.interval) ? "compounder busy" : nil
        case .station(let s):
            return Self.overlaps(stationBookings[s], use.interval) ? "lab station busy" : nil
        }
    }

    /// Whether nurse `n` carries at most `room` acuity at every minute of `[s, e)`.
    ///
    /// - Complexity: O((e - s) / blockMinutes) for blocks with room, plus the minutes of the blocks without.
    private func hasRoom(_ n: Int, start s: Int, end e: Int, room: Int) -> Bool {
        let size = Self.blockMinutes
        let loadBase = n * horizon, blockBase = n * blocks
        return nurseLoad.withUnsafeBufferPointer { load in
            nurseBlockMax.withUnsafeBufferPointer { blockMax in
                var t = s
                while t < e {
                    let block = t / size
                    let stop = min(e, (block + 1) * size)
                    if blockMax[blockBase + block] > room {
                        // The block is too full somewhere; only its minutes inside [s, e) decide.
                        if t == block * size, stop == (block + 1) * size { return false }
                        for m in t..<stop where load[loadBase + m] > room { return false }
                    }
                    t = stop
                }
                return true
            }
        }
    }

    /// Whether nurse `n` can take a patient in chair over `[s, e)` with these intensive intervals.
    private func nurseCanTake(_ n: Int, start s: Int, end e: Int, acuity: Int, intensive: (Range<Int>, Range<Int>)) -> Bool {
        let shift = nurseShift[n], breakTime = nurseBreak[n], capacity = nurseCapacity[n]
        guard capacity >= acuity, shift.lowerBound <= s, e <= shift.upperBound else { return false }
        if !intensive.0.isEmpty, intensive.0.overlaps(breakTime) || intensiveBusy(n, intensive.0) { return false }
        if !intensive.1.isEmpty, intensive.1.overlaps(breakTime) || intensiveBusy(n, intensive.1) { return false }
        return hasRoom(n, start: s, end: e, room: capacity - acuity)
    }

    /// Whether nurse `n` has another patient's intensive minutes in `i`.
    @inline(__always) private func intensiveBusy(_ n: Int, _ i: Range<Int>) -> Bool {
        bitsExact && intensiveBits.covers(i) ? intensiveBits.anySet(n, i) : Self.overlaps(intensiveBookings[n], i)
    }

    // MARK: Updating

    /// Adds `p` to the state; with a `handover`, each nurse holds the patient over that nurse's
    /// part of the treatment only (kept until the placement is removed).
    ///
    /// - Precondition: ``canPlace(_:handover:)`` holds (checked in debug builds only: it is the
    ///   caller's search that guarantees it, and checking twice would double the cost of every move).
    package mutating func place(_ p: Placement, handover: Handover? = nil) {
        assert(canPlace(p, handover: handover), "placement breaks a hard constraint: \(problem(with: p, handover: handover) ?? "")")
        let r = p.request
        placements[r] = p
        if let handover { handovers[r] = handover }
        day.forEachUse(of: p, handover: handover) { use in book(use, request: r) }
    }

    /// Books one resource interval of request `r`: in its list, its bits and the loads.
    private mutating func book(_ use: ResourceUse, request r: Int) {
        let range = use.interval
        switch use.resource {
        case .chair(let c):
            Self.insert(&chairBookings[c], Booking(range: range, request: r))
            chairCount[c] = chairBookings[c].count
            if chairBits.covers(range) {
                chairBits.set(c, range)
                chairsBusy.set(c, range)
            } else {
                bitsExact = false
            }
        case .nurseLoad(let n):
            addLoad(nurse: n, start: range.lowerBound, end: range.upperBound, acuity: use.amount)
        case .nurseIntensive(let n):
            Self.insert(&intensiveBookings[n], Booking(range: range, request: r))
            if intensiveBits.covers(range) { intensiveBits.set(n, range) } else { bitsExact = false }
        case .compounder(let k):
            Self.insert(&compounderBookings[k], Booking(range: range, request: r))
            if compounderBits.covers(range) { compounderBits.set(k, range) } else { bitsExact = false }
        case .station(let st):
            Self.insert(&stationBookings[st], Booking(range: range, request: r))
            if stationBits.covers(range) { stationBits.set(st, range) } else { bitsExact = false }
        }
    }

    /// Adds each placement that keeps every hard constraint alongside those already held, in
    /// the order given, and returns the ones it rejected (for a repair step to re-place).
    @discardableResult
    package mutating func placeWherePossible(_ candidates: [Placement]) -> [Placement] {
        var rejected: [Placement] = []
        for p in candidates {
            if canPlace(p) { place(p) } else { rejected.append(p) }
        }
        return rejected
    }

    /// Removes the placement of request `r`, if any, and returns it.
    @discardableResult
    package mutating func remove(request r: Int) -> Placement? {
        guard let p = placements[r] else { return nil }
        placements[r] = nil
        let handover = handovers.removeValue(forKey: r)
        day.forEachUse(of: p, handover: handover) { use in unbook(use, request: r) }
        return p
    }

    /// Takes one resource interval of request `r` off the books.
    ///
    /// Bookings never overlap in a valid state, but one handed in might: rebuilding a row of
    /// bits from its list keeps the bits equal to the lists whatever was placed.
    private mutating func unbook(_ use: ResourceUse, request r: Int) {
        switch use.resource {
        case .chair(let c):
            chairBookings[c].removeAll { $0.request == r }
            chairCount[c] = chairBookings[c].count
            Self.rebuild(&chairBits, c, from: chairBookings[c])
            if chairBits.covers(use.interval) { chairsBusy.reset(c, use.interval, from: chairBits) }
        case .nurseLoad(let n):
            addLoad(nurse: n, start: use.interval.lowerBound, end: use.interval.upperBound, acuity: -use.amount)
        case .nurseIntensive(let n):
            // A patient's two intensive pieces go in one pass: the second finds nothing to redo.
            let held = intensiveBookings[n].count
            intensiveBookings[n].removeAll { $0.request == r }
            if intensiveBookings[n].count != held { Self.rebuild(&intensiveBits, n, from: intensiveBookings[n]) }
        case .compounder(let k):
            compounderBookings[k].removeAll { $0.request == r }
            Self.rebuild(&compounderBits, k, from: compounderBookings[k])
        case .station(let st):
            stationBookings[st].removeAll { $0.request == r }
            Self.rebuild(&stationBits, st, from: stationBookings[st])
        }
    }

    /// Sets row `row` of `bits` to the bookings of `list`.
    private static func rebuild(_ bits: inout MinuteBits, _ row: Int, from list: [Booking]) {
        bits.clear(row)
        for b in list where bits.covers(b.range) { bits.set(row, b.range) }
    }

    private mutating func addLoad(nurse n: Int, start s: Int, end e: Int, acuity a: Int) {
        let base = n * horizon
        // Removing load lowers the peak only if it leaves a minute that was at the peak.
        var peakTouched = false
        if a < 0 { for t in s..<e where isAtPeak(t, peak: peakLoadRatio) { peakTouched = true; break } }
        for t in s..<e {
            nurseLoad[base + t] += a
            totalLoad[t] += a
        }
        if a > 0 {
            for t in s..<e { peakLoadRatio = max(peakLoadRatio, ratio(at: t, extra: 0)) }
        } else if peakTouched {
            peakLoadRatio = recomputedPeak()
        }
        assert(peakLoadRatio == recomputedPeak(), "peak-load ratio out of date")
        nurseWork[n] += a * (e - s)
        let size = Self.blockMinutes
        guard s < e else { return }
        for block in (s / size)...((e - 1) / size) {
            var top = 0
            for t in (block * size)..<min(horizon, (block + 1) * size) { top = max(top, nurseLoad[base + t]) }
            nurseBlockMax[n * blocks + block] = top
        }
    }

    // MARK: Searching

    /// The best placement of request `r` at `start` given the placements held, or nil when it
    /// cannot start then.
    ///
    /// Prep: the latest on any compounder (drug fresh, compounders free early for others).
    /// Draw: the latest the station (or, for a port, the chair) and the prep allow, so the
    /// patient waits least. Chair: the eligible chair whose free gap hugs the occupancy tightest.
    /// Nurse: the least-loaded nurse (acuity-minutes) who can take the patient.
    /// `chair` and `nurse` pin the choice; a fixed booking's chair and nurse always apply.
    ///
    /// The first check is that some suitable chair is free over the infusion and its buffer
    /// (then nurse, prep, draw, and the best-fit chair among those free over the occupancy).
    ///
    /// - Complexity: O(chair minutes / 16 × chairs / 64) for the free chairs, plus
    ///   O(nurses × chair minutes / 16) for the nurse and O(free chairs × minutes / 64) for the
    ///   best fit, at worst.
    package func bestPlacement(of r: Int, start s: Int, chair pinnedChair: Int? = nil, nurse pinnedNurse: Int? = nil) -> Placement? {
        let q = day.requests[r]
        let reg = day.regimen(of: r)
        let e = s + reg.chairMinutes
        guard q.authorizationProblem == nil, placements[r] == nil else { return nil }
        if let fixed = q.fixedStart, fixed != s { return nil }
        guard s % day.slotMinutes == 0, s >= day.open, e <= day.latestEnd else { return nil }
        if let latest = q.latest, e > latest { return nil }

        // A chair free over the infusion and its buffer is needed whatever the draw and the
        // nurse. On a full day it is what fails most, and finding one free chair is cheaper than
        // scanning the nurses.
        if pinnedChair == nil, q.fixedChair == nil, !someChairFree(of: q.regimen, over: s..<(e + reg.bufferMinutes)) {
            return nil
        }

        // Then the nurse: it depends on the start alone.
        let intensive = (s..<(s + reg.nurseStartMinutes), (e - reg.nurseEndMinutes)..<e)
        var bestNurse = -1
        if let n = pinnedNurse ?? q.fixedNurse {
            if nurseCanTake(n, start: s, end: e, acuity: reg.acuity, intensive: intensive) { bestNurse = n }
        } else {
            for n in day.nurses.indices where bestNurse < 0 || nurseWork[n] < nurseWork[bestNurse] {
                if nurseCanTake(n, start: s, end: e, acuity: reg.acuity, intensive: intensive) { bestNurse = n }
            }
        }
        guard bestNurse >= 0 else { return nil }

        var prepStart: Int?, compounder: Int?
        if reg.prepMinutes > 0 {
            var lo = max(day.pharmacyOpen, q.drugReadyAt ?? Int.min)
            if let st = reg.stabilityMinutes { lo = max(lo, s - reg.prepMinutes - st) }
            let hi = s - reg.prepMinutes
            guard lo <= hi else { return nil }
            for k in compounderBookings.indices {
                if let p = latestFree(compounderBits, compounderBookings, k, length: reg.prepMinutes, from: lo, through: hi),
                   p > (prepStart ?? Int.min) {
                    prepStart = p; compounder = k
                    if p == hi { break }
                }
            }
            guard prepStart != nil else { return nil }
        } else if let ready = q.drugReadyAt, ready > s {
            return nil
        }

        var drawStart: Int?, station: Int?
        if day.needsDraw(r, start: s) {
            guard q.allowSameDayDraw else { return nil }
            var latest = day.latestDraw(r, start: s)
            // With the hold, the prep found above bounds the results, hence the draw.
            if reg.holdForLabs, let p = prepStart { latest = min(latest, p - day.drawMinutes - day.turnaroundMinutes) }
            let earliest = day.earliestDraw(r)
            guard earliest <= latest else { return nil }
            if q.labsAtChair {
                // A port draw makes the chair busy from the draw: the latest draw is best for every chair.
                drawStart = latest
            } else {
                for k in stationBookings.indices {
                    if let d = latestFree(stationBits, stationBookings, k, length: day.drawMinutes, from: earliest, through: latest),
                       d > (drawStart ?? Int.min) {
                        drawStart = d; station = k
                        if d == latest { break }
                    }
                }
                guard drawStart != nil else { return nil }
            }
        }
        if let earliest = q.earliest, (drawStart ?? s) < earliest { return nil }

        // Chair: best fit.
        let occupied = day.chairOccupancy(of: r, start: s, drawAtChair: q.labsAtChair ? drawStart : nil)
        var bestChair = -1, bestSlack = Int.max
        func consider(_ c: Int) {
            guard let slack = chairSlack(c, occupied) else { return }
            if slack < bestSlack { bestSlack = slack; bestChair = c }
        }
        if let c = pinnedChair ?? q.fixedChair {
            if reg.chairTypes.contains(chairType[c]) { consider(c) }
        } else {
            // Empty chairs of one class (type and windows) all leave the same slack: the first one speaks for the rest.
            var emptySeen: UInt64 = 0
            func tryChair(_ c: Int) -> Bool {
                let k = chairClass[c]
                if k < 64, chairCount[c] == 0 {
                    if emptySeen & (1 << UInt64(k)) != 0 { return true }
                    emptySeen |= 1 << UInt64(k)
                }
                consider(c)
                return bestSlack != 0
            }
            if bitsExact, chairBits.covers(occupied) {
                // Only the chairs free over the whole occupancy, in chair order as below.
                chairsBusy.forEachFree(in: eligibleMask, offset: q.regimen * chairsBusy.words, over: occupied, tryChair)
            } else {
                for c in eligibleChairs[q.regimen] where !tryChair(c) { break }
            }
        }
        guard bestChair >= 0 else { return nil }

        return Placement(request: r, chair: bestChair, nurse: bestNurse, start: s, drawStart: drawStart, station: station,
                         prepStart: prepStart, compounder: compounder)
    }

    /// Whether some chair suited to `regimen` is available and free over all of `range`.
    private func someChairFree(of regimen: Int, over range: Range<Int>) -> Bool {
        if bitsExact, chairBits.covers(range) {
            var found = false
            chairsBusy.forEachFree(in: eligibleMask, offset: regimen * chairsBusy.words, over: range) { c in
                found = window(of: c, holding: range) != nil
                return !found
            }
            return found
        }
        for c in eligibleChairs[regimen] where window(of: c, holding: range) != nil {
            if chairCount[c] == 0 || !Self.overlaps(chairBookings[c], range) { return true }
        }
        return false
    }

    /// The availability window of chair `c` that holds all of `range`, if one does.
    @inline(__always) private func window(of c: Int, holding range: Range<Int>) -> Range<Int>? {
        for i in windowFirst[c]..<windowFirst[c + 1] where windowList[i].lowerBound <= range.lowerBound && range.upperBound <= windowList[i].upperBound {
            return windowList[i]
        }
        return nil
    }

    /// The latest `t` in `lo...hi` with `[t, t + length)` free on row `k` of a resource: from
    /// its bits when they are exact there, else from its booking list.
    @inline(__always)
    private func latestFree(_ bits: MinuteBits, _ lists: [[Booking]], _ k: Int, length: Int, from lo: Int, through hi: Int) -> Int? {
        if bitsExact, length > 0, lo <= hi, bits.covers(lo..<(hi + length)) {
            return bits.latestFree(k, length: length, from: lo, through: hi)
        }
        return Self.latestFree(lists[k], length: length, from: lo, through: hi)
    }

    /// Free minutes left around `occupied` on chair `c` (before it plus after it, inside its
    /// availability window), or nil when the chair cannot be occupied then.
    @inline(__always)
    private func chairSlack(_ c: Int, _ occupied: Range<Int>) -> Int? {
        guard let window = window(of: c, holding: occupied), !window.isEmpty else { return nil }
        if chairCount[c] == 0 { return (occupied.lowerBound - window.lowerBound) + (window.upperBound - occupied.upperBound) }
        if bitsExact, chairBits.covers(window) {
            if chairBits.anySet(c, occupied) { return nil }
            let before = chairBits.endOfBusy(c, before: occupied.lowerBound, floor: window.lowerBound)
            let after = chairBits.startOfBusy(c, from: occupied.upperBound, ceiling: window.upperBound)
            return (occupied.lowerBound - before) + (after - occupied.upperBound)
        }
        let list = chairBookings[c]
        let j = Self.firstIndex(in: list, endingAfter: occupied.lowerBound)
        if j < list.count, list[j].range.lowerBound < occupied.upperBound { return nil }
        let before = max(window.lowerBound, j > 0 ? list[j - 1].range.upperBound : Int.min)
        let after = min(window.upperBound, j < list.count ? list[j].range.lowerBound : Int.max)
        return (occupied.lowerBound - before) + (after - occupied.upperBound)
    }

    // MARK: Costs

    /// The objective terms of `p` that depend on it alone: overtime, excess wait and distance
    /// from the preferred start (SPEC §3), weighted.
    package func separableCost(of p: Placement) -> Double {
        let t = day.termCosts(of: p.request, start: p.start, draw: p.drawStart)
        return t.overtime + t.wait + t.preference
    }

    /// The part of the separable cost a start fixes before the draw is chosen (overtime and preference).
    func startCost(of r: Int, start s: Int) -> Double {
        let t = day.termCosts(of: r, start: s, draw: nil)
        return t.overtime + t.preference
    }

    /// The largest ratio over the day of acuity in chair to nurses on shift (SPEC §3 peak
    /// load), recomputed from the per-minute loads.
    ///
    /// - Complexity: O(minutes of the day).
    private func recomputedPeak() -> Double {
        var best = 0.0
        for t in 0..<horizon where totalLoad[t] > 0 {
            let k = onShift[t]
            best = max(best, k > 0 ? Double(totalLoad[t]) / Double(k) : Double(totalLoad[t]))
        }
        return best
    }

    /// The ratio of acuity in chair to nurses on shift at minute `t`, with `extra` more acuity.
    @inline(__always) private func ratio(at t: Int, extra: Int) -> Double {
        let k = onShift[t], load = totalLoad[t] + extra
        return k > 0 ? Double(load) / Double(k) : Double(load)
    }

    /// Whether minute `t` is at the day's peak ratio `peak` (so that moving a patient in chair
    /// then may lower the peak-load term).
    func isAtPeak(_ t: Int, peak: Double) -> Bool {
        t >= 0 && t < horizon && totalLoad[t] > 0 && ratio(at: t, extra: 0) >= peak - 1e-12
    }

    /// For each start, how far a patient of acuity `a` in chair over `[start, start + minutes)`
    /// would raise the peak-load ratio above `peak`.
    ///
    /// The rise at each minute is computed once and kept as maxima over blocks of
    /// ``blockMinutes`` minutes, so each start costs O(minutes / blockMinutes).
    func peakRises(acuity a: Int, minutes: Int, starts: [Int], peak: Double) -> [Double] {
        guard let first = starts.min(), let last = starts.max() else { return [] }
        let lo = max(0, first), hi = min(horizon, last + minutes)
        guard lo < hi else { return starts.map { _ in 0 } }
        let size = Self.blockMinutes
        var rise = [Double](repeating: 0, count: hi - lo)
        var blockMax = [Double](repeating: 0, count: (hi - lo + size - 1) / size)
        for t in lo..<hi {
            let k = onShift[t], load = totalLoad[t] + a
            // Most minutes stay under the peak: a product decides that without dividing.
            guard k == 0 || Double(load) > peak * Double(k) else { continue }
            let r = max(0, ratio(at: t, extra: a) - peak)
            rise[t - lo] = r
            blockMax[(t - lo) / size] = max(blockMax[(t - lo) / size], r)
        }
        return starts.map { s in
            var best = 0.0, t = max(lo, s)
            let e = min(hi, s + minutes)
            while t < e {
                let block = (t - lo) / size
                let stop = min(e, lo + (block + 1) * size)
                if t == lo + block * size, stop == lo + (block + 1) * size {
                    best = max(best, blockMax[block])
                } else if blockMax[block] > best {
                    for m in t..<stop { best = max(best, rise[m - lo]) }
                }
                t = stop
            }
            return best
        }
    }

    /// The objective of the placements held (SPEC §3), with `admissible` telling which
    /// unplaced requests count in the penalty; equal to ``SchedulingModel/ResolvedDay/objective(of:exempt:admissible:)``'s total.
    ///
    /// - Complexity: O(requests + minutes of the day).
    package func objectiveTotal(admissible: [Bool]) -> Double {
        let w = day.weights
        var total = 0.0
        for r in day.requests.indices {
            if let p = placements[r] { total += separableCost(of: p) }
            else if admissible[r] { total += w.unscheduledPenalty * day.requests[r].weight }
        }
        if w.peakLoadPenalty > 0 { total += w.peakLoadPenalty * peakLoadRatio }
        return total
    }

    /// The cheapest placement of request `r` over `starts` given the placements held, with its
    /// marginal cost (separable cost plus the rise of the peak-load term).
    ///
    /// Starts are tried in increasing order of the cost they fix before any resource is chosen
    /// (overtime, preference, peak), which is a lower bound of their full cost; the search
    /// stops as soon as that bound cannot beat the best found. Ties go to the earlier start.
    ///
    /// - Complexity: O(starts × ``bestPlacement(of:start:chair:nurse:)``) at worst.
    package func cheapestPlacement(of r: Int, among starts: [Int], chair: Int? = nil, nurse: Int? = nil) -> (placement: Placement, cost: Double)? {
        guard !starts.isEmpty else { return nil }
        let w = day.weights
        let reg = day.regimen(of: r)
        let peak = w.peakLoadPenalty > 0 ? peakLoadRatio : 0
        let rises = w.peakLoadPenalty > 0 ? peakRises(acuity: reg.acuity, minutes: reg.chairMinutes, starts: starts, peak: peak) : []
        var bounds: [(cost: Double, start: Int)] = []
        bounds.reserveCapacity(starts.count)
        for (i, s) in starts.enumerated() {
            var c = startCost(of: r, start: s)
            if w.peakLoadPenalty > 0 { c += w.peakLoadPenalty * rises[i] }
            bounds.append((c, s))
        }
        bounds.sort { ($0.cost, $0.start) < ($1.cost, $1.start) }
        var best: (placement: Placement, cost: Double)?
        for (bound, s) in bounds {
            if let b = best, bound >= b.cost { break }
            guard let p = bestPlacement(of: r, start: s, chair: chair, nurse: nurse) else { continue }
            var cost = bound
            cost += day.waitCost(of: r, start: s, draw: p.drawStart)
            if best == nil || cost < best!.cost { best = (p, cost) }
        }
        return best
    }

    // MARK: Sorted intervals

    /// Index of the first booking that ends after `t` (bookings are disjoint, so their ends are sorted too).
    static func firstIndex(in list: [Booking], endingAfter t: Int) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].range.upperBound > t { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Whether any booking overlaps `range`.
    static func overlaps(_ list: [Booking], _ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        let j = firstIndex(in: list, endingAfter: range.lowerBound)
        return j < list.count && list[j].range.lowerBound < range.upperBound
    }

    /// The latest `t` in `lo...hi` with `[t, t + length)` free, or nil.
    static func latestFree(_ list: [Booking], length: Int, from lo: Int, through hi: Int) -> Int? {
        var t = hi
        while t >= lo {
            let j = firstIndex(in: list, endingAfter: t)
            guard j < list.count, list[j].range.lowerBound < t + length else { return t }
            t = list[j].range.lowerBound - length
        }
        return nil
    }

    private static func insert(_ list: inout [Booking], _ booking: Booking) {
        guard !booking.range.isEmpty else { return }
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].range.lowerBound < booking.range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        list.insert(booking, at: lo)
    }
}
