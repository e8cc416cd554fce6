import SchedulingModel
import SchedulingRules

/// Why a patient who is there, and whose booked time has come, is not yet in treatment.
package enum WaitCause: Int, CaseIterable, Sendable {
    /// The same-day lab results are not back (the draw itself may be waiting for a station).
    case labs
    /// The drug is not ready (late to the pharmacy, or its compounder busy).
    case drug
    /// The patient's chair is still taken.
    case chair
    /// The patient's nurse already carries as much acuity as the nurse may.
    case nurseCapacity
    /// The patient's nurse is giving another patient intensive minutes, or is on a break.
    case nurseAttention
    /// The treatment is over but the nurse is not free to disconnect the patient.
    case disconnect

    /// The name used in the report.
    package var name: String {
        switch self {
        case .labs: "labs"
        case .drug: "drug"
        case .chair: "chair"
        case .nurseCapacity: "nurseCapacity"
        case .nurseAttention: "nurseAttention"
        case .disconnect: "disconnect"
        }
    }
}

/// One appointment of the plan, with the regimen figures the replay needs.
package struct PlannedVisit: Sendable, Hashable {
    package var request: Int
    package var chair: Int
    package var nurse: Int
    package var start: Int
    package var end: Int
    package var arrival: Int
    package var drawStart: Int?
    package var station: Int?
    package var prepStart: Int?
    package var compounder: Int?
    package var chairMinutes: Int
    package var bufferMinutes: Int
    package var acuity: Int
    package var nurseStartMinutes: Int
    package var nurseEndMinutes: Int
    package var prepMinutes: Int
    package var holdForLabs: Bool

    /// Whether the labs are drawn at the chair (which is then taken from the draw).
    package var drawAtChair: Bool { drawStart != nil && station == nil }
    /// Whether the intensive minutes at the start and at the end meet: the whole treatment is one (SPEC §2.3).
    package var intensiveThroughout: Bool {
        nurseStartMinutes > 0 && nurseEndMinutes > 0 && nurseStartMinutes + nurseEndMinutes >= chairMinutes
    }
    /// Whether a prep is done even when the patient does not come: it does not wait for a same-day draw.
    package var prepWithoutPatient: Bool { prepStart != nil && !(holdForLabs && drawStart != nil) }
}

/// What happened to the plan's appointments in one run, in plan order (the order of ``DayReplay/visits``).
package struct ReplayResult: Sendable {
    /// Whether the patient came.
    package var attended: [Bool]
    /// Minute the patient arrived (planned arrival plus lateness); for a no-show, the planned arrival.
    package var arrival: [Int]
    /// Minute the draw began, when one was drawn.
    package var drawStart: [Int?]
    /// Minute the results came back, when drawn.
    package var resultsAt: [Int?]
    /// Minute the prep began, when one was done.
    package var prepStart: [Int?]
    /// Minute the treatment began (the planned start for a no-show, who takes nothing).
    package var start: [Int]
    /// Minute the treatment ended (the patient disconnected).
    package var end: [Int]
    /// Minute the chair was taken from (the draw at the chair, else the start).
    package var occupiedFrom: [Int]
    /// Minutes the infusion paused for a reaction.
    package var reactionMinutes: [Int]
    /// Waiting minutes by visit and cause: `waits[k * WaitCause.allCases.count + cause.rawValue]`.
    package var waits: [Int]
    /// The nurse's intensive minutes of each visit, when the replay was asked to record them.
    package var intensive: [[Range<Int>]]?

    /// Minutes visit `k` waited, all causes together.
    package func wait(of k: Int) -> Int {
        let c = WaitCause.allCases.count
        var sum = 0
        for i in (k * c)..<((k + 1) * c) { sum += waits[i] }
        return sum
    }
}

/// The plan of a day, ready to be lived through minute by minute under drawn noise.
///
/// The rules of the replay (docs/ROBUSTNESS.md, "The replay"): nothing happens before the plan
/// says (no draw, prep or start before its planned minute); each patient keeps the planned
/// chair, nurse, station and compounder, and each chair takes its patients in the plan's order;
/// at each minute the clinic serves, in plan order, every
/// patient whose chair, nurse, drug and labs are ready, and the others wait. A nurse gives one
/// patient intensive minutes at a time, never during the break, and never takes a patient who
/// would carry her past her capacity; a patient whose infusion is over waits for the nurse to
/// disconnect them. So the rules of SPEC §2.2–§2.5 hold at every minute; what a replay cannot
/// keep is an *end* (clinic latestEnd, the nurse's shift end, a chair window's end, a patient's
/// latest end) when a treatment runs long: the clinic finishes the patient and the report counts it.
package struct DayReplay: Sendable {
    /// The resolved day.
    package let day: ResolvedDay
    /// The appointments in plan order: by planned start, then request index.
    package let visits: [PlannedVisit]

    /// The replay of `placements` (a valid schedule of `day`).
    package init(day: ResolvedDay, placements: [Placement]) {
        self.day = day
        visits = placements.map { p in
            let reg = day.regimen(of: p.request)
            return PlannedVisit(
                request: p.request, chair: p.chair, nurse: p.nurse, start: p.start, end: p.start + reg.chairMinutes,
                arrival: p.arrival, drawStart: p.drawStart, station: p.station,
                prepStart: reg.prepMinutes > 0 ? p.prepStart : nil, compounder: reg.prepMinutes > 0 ? p.compounder : nil,
                chairMinutes: reg.chairMinutes, bufferMinutes: reg.bufferMinutes, acuity: reg.acuity,
                nurseStartMinutes: reg.nurseStartMinutes, nurseEndMinutes: reg.nurseEndMinutes, prepMinutes: reg.prepMinutes,
                holdForLabs: reg.holdForLabs)
        }.sorted { ($0.start, $0.request) < ($1.start, $1.request) }
    }

    /// The planned chair minutes of every request of the day, by request index (what the noise draws around).
    package var plannedChairMinutes: [Int] { day.requests.indices.map { day.regimen(of: $0).chairMinutes } }

    /// A queue of things waiting to happen: entries enter it in order of their key (the first
    /// minute they may happen), ties by plan order, and leave when served.
    private struct Queue {
        var order: [(key: Int, visit: Int)]
        var next = 0
        var active: [Int] = []

        init(_ entries: [(key: Int, visit: Int)]) { order = entries.sorted { ($0.key, $0.visit) < ($1.key, $1.visit) } }

        mutating func admit(upTo t: Int) {
            while next < order.count, order[next].key <= t { active.append(order[next].visit); next += 1 }
        }
        var isDone: Bool { next == order.count && active.isEmpty }
    }

    /// Lives through the day with `draws` (by request index); `record` keeps every intensive interval.
    ///
    /// - Returns: nil only if the day does not end within three days of its first event, which the
    ///   rules above rule out (every wait ends once the resources ahead of it are released): a bug.
    /// - Complexity: O(minutes × (patients in treatment + patients waiting)).
    package func run(_ draws: [VisitDraw], record: Bool = false) -> ReplayResult? {
        let n = visits.count
        let causes = WaitCause.allCases.count
        var result = ReplayResult(
            attended: visits.map { !draws[$0.request].noShow },
            arrival: visits.map { $0.arrival + draws[$0.request].lateMinutes },
            drawStart: Array(repeating: nil, count: n), resultsAt: Array(repeating: nil, count: n),
            prepStart: Array(repeating: nil, count: n), start: visits.map(\.start), end: visits.map(\.end),
            occupiedFrom: visits.map { $0.drawStart ?? $0.start }, reactionMinutes: visits.map { draws[$0.request].reactionMinutes },
            waits: Array(repeating: 0, count: n * causes), intensive: record ? Array(repeating: [], count: n) : nil)
        for k in 0..<n where !result.attended[k] { result.arrival[k] = visits[k].arrival; result.reactionMinutes[k] = 0 }

        // The drug: known at once without compounding, else when the prep ends.
        var drugReady = [Int?](repeating: nil, count: n)
        var started = [Bool](repeating: false, count: n)
        var ended = [Int?](repeating: nil, count: n)
        var runEnd = [Int](repeating: 0, count: n)
        for (k, v) in visits.enumerated() where v.prepStart == nil { drugReady[k] = v.start + draws[v.request].drugDelay }

        // Each chair takes its patients in plan order: a patient who is late keeps the chair,
        // and the next one waits (a no-show is passed over: the next one's booked time is later).
        var chairQueue = [[Int]](repeating: [], count: day.chairs.count)
        for k in 0..<n where result.attended[k] { chairQueue[visits[k].chair].append(k) }
        var chairNext = [Int](repeating: 0, count: day.chairs.count)
        func isNext(_ k: Int, on c: Int) -> Bool { chairNext[c] < chairQueue[c].count && chairQueue[c][chairNext[c]] == k }
        var chairFree = [Int](repeating: Int.min, count: day.chairs.count)
        var chairHolder = [Int](repeating: -1, count: day.chairs.count)
        var nurseBusy = [Int](repeating: Int.min, count: day.nurses.count)
        var nurseLoad = [Int](repeating: 0, count: day.nurses.count)
        var compounderFree = [Int](repeating: Int.min, count: day.compounders)
        var stationFree = [Int](repeating: Int.min, count: day.stations)

        var draws_ = Queue([]), preps = Queue([]), starts = Queue([])
        var drawEntries: [(key: Int, visit: Int)] = [], prepEntries: [(key: Int, visit: Int)] = []
        var startEntries: [(key: Int, visit: Int)] = []
        var first = Int.max
        for (k, v) in visits.enumerated() {
            first = min(first, v.arrival, v.prepStart ?? Int.max)
            if let p = v.prepStart, result.attended[k] || v.prepWithoutPatient {
                prepEntries.append((p + draws[v.request].drugDelay, k))
            }
            guard result.attended[k] else { continue }
            if let d = v.drawStart { drawEntries.append((max(d, result.arrival[k]), k)) }
            startEntries.append((v.start, k))
        }
        draws_ = Queue(drawEntries); preps = Queue(prepEntries); starts = Queue(startEntries)
        var inTreatment: [Int] = []
        // A patient waits from the booked start, or, when late, as long after arriving as the plan put between arrival and start.
        let reference = (0..<n).map { k in visits[k].start + (result.arrival[k] - visits[k].arrival) }

        func onBreak(_ nurse: Int, _ interval: Range<Int>) -> Bool {
            !interval.isEmpty && day.nurses[nurse].breakTime.overlaps(interval)
        }
        /// The first minutes of nurse attention a start at `t` needs.
        func firstBlock(_ k: Int) -> Int {
            let v = visits[k]
            return v.intensiveThroughout ? draws[v.request].chairMinutes + result.reactionMinutes[k] : v.nurseStartMinutes
        }
        /// Why visit `k` cannot start at `t`, or nil when it can.
        func blocker(_ k: Int, _ t: Int) -> WaitCause? {
            let v = visits[k]
            if v.drawStart != nil, (result.resultsAt[k] ?? Int.max) > t { return .labs }
            if (drugReady[k] ?? Int.max) > t { return .drug }
            if v.drawAtChair ? chairHolder[v.chair] != k : (chairFree[v.chair] > t || chairHolder[v.chair] != -1 || !isNext(k, on: v.chair)) {
                return .chair
            }
            if nurseLoad[v.nurse] + v.acuity > day.nurses[v.nurse].capacity { return .nurseCapacity }
            let block = firstBlock(k)
            if block > 0, nurseBusy[v.nurse] > t || onBreak(v.nurse, t..<(t + block)) { return .nurseAttention }
            return nil
        }

        var t = first
        let limit = first + 3 * 1440
        while !(starts.isDone && preps.isDone && draws_.isDone && inTreatment.isEmpty) {
            guard t < limit else { return nil }
            // 1. Treatments that end now release their nurse's capacity.
            if !inTreatment.isEmpty {
                var any = false
                for k in inTreatment where (ended[k] ?? Int.max) <= t {
                    nurseLoad[visits[k].nurse] -= visits[k].acuity
                    any = true
                }
                if any { inTreatment.removeAll { (ended[$0] ?? Int.max) <= t } }
            }
            // 2. Infusions that are over wait for their nurse to disconnect them.
            for k in inTreatment where ended[k] == nil && runEnd[k] <= t {
                let v = visits[k]
                let block = t..<(t + v.nurseEndMinutes)
                if nurseBusy[v.nurse] <= t && !onBreak(v.nurse, block) {
                    ended[k] = block.upperBound
                    nurseBusy[v.nurse] = block.upperBound
                    result.intensive?[k].append(block)
                    chairFree[v.chair] = block.upperBound + v.bufferMinutes
                    chairHolder[v.chair] = -1
                } else {
                    result.waits[k * causes + WaitCause.disconnect.rawValue] += 1
                }
            }
            // 3. Draws, once the patient is here, at the planned station or chair.
            draws_.admit(upTo: t)
            if !draws_.active.isEmpty {
                var served = false
                for k in draws_.active {
                    let v = visits[k]
                    if let s = v.station {
                        guard stationFree[s] <= t else { continue }
                        stationFree[s] = t + day.drawMinutes
                    } else {
                        guard chairFree[v.chair] <= t, chairHolder[v.chair] == -1, isNext(k, on: v.chair) else { continue }
                        chairNext[v.chair] += 1
                        chairHolder[v.chair] = k
                        chairFree[v.chair] = Int.max
                        result.occupiedFrom[k] = t
                    }
                    result.drawStart[k] = t
                    result.resultsAt[k] = t + day.drawMinutes + day.turnaroundMinutes + draws[v.request].labDelay
                    served = true
                }
                if served { draws_.active.removeAll { result.drawStart[$0] != nil } }
            }
            // 4. Preps, once the drug is in (and the results, when the regimen holds for them).
            preps.admit(upTo: t)
            if !preps.active.isEmpty {
                var served = false
                for k in preps.active {
                    let v = visits[k]
                    guard let c = v.compounder, compounderFree[c] <= t else { continue }
                    if v.holdForLabs, v.drawStart != nil, (result.resultsAt[k] ?? Int.max) > t { continue }
                    result.prepStart[k] = t
                    compounderFree[c] = t + v.prepMinutes
                    drugReady[k] = t + v.prepMinutes
                    served = true
                }
                if served { preps.active.removeAll { result.prepStart[$0] != nil } }
            }
            // 5. Starts, in plan order; who cannot start waits, for the first reason that holds.
            starts.admit(upTo: t)
            if !starts.active.isEmpty {
                var served = false
                for k in starts.active {
                    if t < result.arrival[k] { continue }
                    if let cause = blocker(k, t) {
                        if t >= reference[k] { result.waits[k * causes + cause.rawValue] += 1 }
                        continue
                    }
                    let v = visits[k]
                    let d = draws[v.request]
                    started[k] = true
                    served = true
                    result.start[k] = t
                    if !v.drawAtChair {
                        result.occupiedFrom[k] = t
                        chairNext[v.chair] += 1
                    }
                    chairHolder[v.chair] = k
                    chairFree[v.chair] = Int.max
                    nurseLoad[v.nurse] += v.acuity
                    if v.intensiveThroughout {
                        let block = t..<(t + firstBlock(k))
                        ended[k] = block.upperBound
                        nurseBusy[v.nurse] = block.upperBound
                        result.intensive?[k].append(block)
                    } else {
                        if v.nurseStartMinutes > 0 {
                            nurseBusy[v.nurse] = t + v.nurseStartMinutes
                            result.intensive?[k].append(t..<(t + v.nurseStartMinutes))
                        }
                        let running = max(0, d.chairMinutes - v.nurseStartMinutes - v.nurseEndMinutes) + result.reactionMinutes[k]
                        runEnd[k] = t + v.nurseStartMinutes + running
                        if v.nurseEndMinutes == 0 { ended[k] = runEnd[k] }
                    }
                    if let e = ended[k] {
                        chairFree[v.chair] = e + v.bufferMinutes
                        chairHolder[v.chair] = -1
                    }
                    inTreatment.append(k)
                }
                if served { starts.active.removeAll { started[$0] } }
            }
            t += 1
        }
        for k in 0..<n where result.attended[k] { result.end[k] = ended[k] ?? result.end[k] }
        return result
    }
}
