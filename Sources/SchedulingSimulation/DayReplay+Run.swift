import SchedulingModel

extension DayReplay {
    /// Lives through the day with `draws` (by request index); `record` keeps every intensive interval.
    ///
    /// - Returns: nil only if the day does not end within three days of its first event, which the
    ///   rules of the replay rule out (every wait ends once the resources ahead of it are
    ///   released): a bug.
    /// - Complexity: O(minutes × (patients in treatment + patients waiting)).
    package func run(_ draws: [VisitDraw], record: Bool = false) -> ReplayResult? {
        var state = ReplayState(replay: self, draws: draws, record: record)
        var t = state.firstMinute
        let limit = t + 3 * 1440
        while !state.isOver {
            guard t < limit else { return nil }
            // The order within a minute matters: capacity released before anyone starts, the
            // nurse's disconnections before new patients, draws and preps before the starts they allow.
            state.release(at: t)
            state.disconnect(at: t)
            state.draw(at: t)
            state.prep(at: t)
            state.start(at: t)
            t += 1
        }
        return state.finished()
    }
}

/// A queue of things waiting to happen: entries enter it in order of their key (the first
/// minute they may happen), ties by plan order, and leave when served.
private struct Queue {
    private var order: [(key: Int, visit: Int)]
    private var next = 0
    /// The entries whose minute has come and that are not served yet, in the order they came.
    var active: [Int] = []

    init(_ entries: [(key: Int, visit: Int)]) { order = entries.sorted { ($0.key, $0.visit) < ($1.key, $1.visit) } }

    mutating func admit(upTo t: Int) {
        while next < order.count, order[next].key <= t { active.append(order[next].visit); next += 1 }
    }

    var isDone: Bool { next == order.count && active.isEmpty }
}

/// One run under way: what has happened so far and what each resource is doing. Visits are
/// indices into ``DayReplay/visits`` (plan order).
private struct ReplayState {
    let visits: [PlannedVisit]
    let day: ResolvedDay
    let draws: [VisitDraw]
    var result: ReplayResult

    /// When the drug is ready: known at once without compounding, else when the prep ends.
    var drugReady: [Int?]
    var started: [Bool]
    /// When the treatment ends, once known (at the start, or when the disconnection begins).
    var ended: [Int?]
    /// When the infusion itself is over and the patient needs disconnecting.
    var runEnd: [Int]
    /// The minute from which a patient who is late, or has a draw, is counted as waiting.
    let reference: [Int]
    /// Patients in treatment (started, not ended), in the order they started.
    var inTreatment: [Int] = []

    /// Each chair's patients who came, in plan order, and the next of them to take it.
    var chairQueue: [[Int]]
    var chairNext: [Int]
    /// The minute the chair is free from (`Int.max` while someone holds it) and who holds it (-1: nobody).
    var chairFree: [Int]
    var chairHolder: [Int]
    /// The end of the nurse's current intensive minutes, and the acuity the nurse carries.
    var nurseBusy: [Int]
    var nurseLoad: [Int]
    var compounderFree: [Int]
    var stationFree: [Int]

    var draws_: Queue
    var preps: Queue
    var starts: Queue
    /// The first minute anything is planned.
    let firstMinute: Int

    private static let causes = WaitCause.allCases.count

    init(replay: DayReplay, draws: [VisitDraw], record: Bool) {
        let visits = replay.visits, day = replay.day
        self.visits = visits
        self.day = day
        self.draws = draws
        let n = visits.count
        var result = ReplayResult(
            attended: visits.map { !draws[$0.request].noShow },
            arrival: visits.map { $0.arrival + draws[$0.request].lateMinutes },
            drawStart: Array(repeating: nil, count: n), resultsAt: Array(repeating: nil, count: n),
            prepStart: Array(repeating: nil, count: n), start: visits.map(\.start), end: visits.map(\.end),
            occupiedFrom: visits.map { $0.drawStart ?? $0.start }, reactionMinutes: visits.map { draws[$0.request].reactionMinutes },
            waits: Array(repeating: 0, count: n * Self.causes), intensive: record ? Array(repeating: [], count: n) : nil)
        for k in 0..<n where !result.attended[k] { result.arrival[k] = visits[k].arrival; result.reactionMinutes[k] = 0 }

        drugReady = visits.map { $0.prepStart == nil ? $0.start + draws[$0.request].drugDelay : nil }
        started = Array(repeating: false, count: n)
        ended = Array(repeating: nil, count: n)
        runEnd = Array(repeating: 0, count: n)
        // A patient waits from the booked start, or, when late, as long after arriving as the
        // plan put between arrival and start: a patient's own lateness is not a wait.
        reference = (0..<n).map { k in visits[k].start + (result.arrival[k] - visits[k].arrival) }

        // Each chair takes its patients in plan order: a patient who is late keeps the chair, and
        // the next one waits (a no-show is passed over: the next one's booked time is later).
        var chairQueue = [[Int]](repeating: [], count: day.chairs.count)
        for k in 0..<n where result.attended[k] { chairQueue[visits[k].chair].append(k) }
        self.chairQueue = chairQueue
        chairNext = Array(repeating: 0, count: day.chairs.count)
        chairFree = Array(repeating: Int.min, count: day.chairs.count)
        chairHolder = Array(repeating: -1, count: day.chairs.count)
        nurseBusy = Array(repeating: Int.min, count: day.nurses.count)
        nurseLoad = Array(repeating: 0, count: day.nurses.count)
        compounderFree = Array(repeating: Int.min, count: day.compounders)
        stationFree = Array(repeating: Int.min, count: day.stations)

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
        draws_ = Queue(drawEntries)
        preps = Queue(prepEntries)
        starts = Queue(startEntries)
        firstMinute = first == Int.max ? 0 : first
        self.result = result
    }

    var isOver: Bool { starts.isDone && preps.isDone && draws_.isDone && inTreatment.isEmpty }

    /// The result, with every treatment's end.
    func finished() -> ReplayResult {
        var out = result
        for k in visits.indices where out.attended[k] { out.end[k] = ended[k] ?? out.end[k] }
        return out
    }

    private mutating func waited(_ k: Int, for cause: WaitCause) { result.waits[k * Self.causes + cause.rawValue] += 1 }

    private func onBreak(_ nurse: Int, _ interval: Range<Int>) -> Bool {
        !interval.isEmpty && day.nurses[nurse].breakTime.overlaps(interval)
    }

    private func isNext(_ k: Int, on c: Int) -> Bool { chairNext[c] < chairQueue[c].count && chairQueue[c][chairNext[c]] == k }

    /// The first minutes of nurse attention a start of `k` needs: the whole treatment when its
    /// intensive minutes meet, else the access minutes.
    private func firstBlock(_ k: Int) -> Int {
        let v = visits[k]
        return v.intensiveThroughout ? draws[v.request].chairMinutes + result.reactionMinutes[k] : v.nurseStartMinutes
    }

    /// Why visit `k` cannot start at `t`, or nil when it can: the first reason that holds.
    private func blocker(_ k: Int, _ t: Int) -> WaitCause? {
        let v = visits[k]
        if v.drawStart != nil, (result.resultsAt[k] ?? Int.max) > t { return .labs }
        if (drugReady[k] ?? Int.max) > t { return .drug }
        if v.drawAtChair {
            if chairHolder[v.chair] != k { return .chair }
        } else if chairFree[v.chair] > t || chairHolder[v.chair] != -1 || !isNext(k, on: v.chair) {
            return .chair
        }
        if nurseLoad[v.nurse] + v.acuity > day.nurses[v.nurse].capacity { return .nurseCapacity }
        let block = firstBlock(k)
        if block > 0, nurseBusy[v.nurse] > t || onBreak(v.nurse, t..<(t + block)) { return .nurseAttention }
        return nil
    }

    /// Treatments that end at `t` release their nurse's capacity.
    mutating func release(at t: Int) {
        guard !inTreatment.isEmpty else { return }
        var any = false
        for k in inTreatment where (ended[k] ?? Int.max) <= t {
            nurseLoad[visits[k].nurse] -= visits[k].acuity
            any = true
        }
        if any { inTreatment.removeAll { (ended[$0] ?? Int.max) <= t } }
    }

    /// Infusions that are over are disconnected when their nurse is free and not on break; the others wait.
    mutating func disconnect(at t: Int) {
        for k in inTreatment where ended[k] == nil && runEnd[k] <= t {
            let v = visits[k]
            let block = t..<(t + v.nurseEndMinutes)
            guard nurseBusy[v.nurse] <= t, !onBreak(v.nurse, block) else {
                waited(k, for: .disconnect)
                continue
            }
            ended[k] = block.upperBound
            nurseBusy[v.nurse] = block.upperBound
            result.intensive?[k].append(block)
            chairFree[v.chair] = block.upperBound + v.bufferMinutes
            chairHolder[v.chair] = -1
        }
    }

    /// Draws start, first come first served, once the patient is here and the station (or the
    /// patient's chair, for a draw at the chair) is free.
    mutating func draw(at t: Int) {
        draws_.admit(upTo: t)
        guard !draws_.active.isEmpty else { return }
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

    /// Preps start once the drug is in, the compounder free and, for a regimen that holds for
    /// labs, the results back.
    mutating func prep(at t: Int) {
        preps.admit(upTo: t)
        guard !preps.active.isEmpty else { return }
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

    /// Patients whose booked time has come start, in plan order, when nothing holds them back;
    /// the others wait, each minute put down to the first reason that holds.
    mutating func start(at t: Int) {
        starts.admit(upTo: t)
        guard !starts.active.isEmpty else { return }
        var served = false
        for k in starts.active where t >= result.arrival[k] {
            if let cause = blocker(k, t) {
                if t >= reference[k] { waited(k, for: cause) }
                continue
            }
            begin(k, at: t)
            served = true
        }
        if served { starts.active.removeAll { started[$0] } }
    }

    /// Seats visit `k` at `t`: the chair, the nurse's capacity and first intensive minutes, and
    /// the end of the infusion (of the whole treatment when the nurse needs no disconnection).
    private mutating func begin(_ k: Int, at t: Int) {
        let v = visits[k]
        started[k] = true
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
            let infusion = max(0, draws[v.request].chairMinutes - v.nurseStartMinutes - v.nurseEndMinutes) + result.reactionMinutes[k]
            runEnd[k] = t + v.nurseStartMinutes + infusion
            if v.nurseEndMinutes == 0 { ended[k] = runEnd[k] }
        }
        if let e = ended[k] {
            chairFree[v.chair] = e + v.bufferMinutes
            chairHolder[v.chair] = -1
        }
        inTreatment.append(k)
    }
}
