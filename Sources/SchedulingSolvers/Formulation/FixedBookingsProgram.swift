import SchedulingModel
import SchedulingRules
import MIPKit

/// The resources fixed bookings can compete for, one family of rules each (SPEC §2.2–2.5).
public enum SharedResource: String, Sendable, Hashable, CaseIterable {
    /// Chairs: no two occupied intervals of one chair overlap.
    case chairs
    /// Nurses: acuity capacity at every minute and intensive minutes that never overlap.
    case nurses
    /// The pharmacy and the lab: preps at once on the compounders, draws at once on the
    /// stations, and preps that wait for the results.
    case pharmacyAndLab
}

/// An integer program that decides whether a set of fixed bookings can all hold on a day, and
/// a placement of them when they can: each booking's chair, nurse, prep and draw at its fixed
/// start (SPEC §2.8) — or the part of that choice that concerns some resources.
///
/// With every start fixed, the resources hardly meet: a nurse's load depends on the starts
/// alone, a chair's on the starts and, for a draw at the chair (port) that waits for nothing,
/// the fixed draw; only a port draw whose prep waits for its results ties the chair to the
/// pharmacy. So the decision splits into independent programs (``Part``): nurses, chairs, and
/// the pharmacy with the lab (joined to the chairs when a port draw ties them). Each is exact,
/// with these reductions that lose nothing:
/// - Compounders and stations are identical machines and preps and draws are intervals, so a
///   machine for each exists exactly when no minute holds more preps (draws) than machines
///   (interval graphs are perfect); the rows count, and ``decode(_:)`` leaves the colouring to
///   the caller.
/// - A prep whose possible interval never meets more than `compounders` possible preps cannot
///   compete: its latest start is best for everything else (the labs it waits for, a port draw
///   before it), so it gets that one start. Likewise an uncontested station draw gets its earliest.
/// - A contested station draw can be shifted earlier until it meets its earliest minute or the
///   end of another draw without breaking anything (an earlier draw only frees the prep that
///   waits for it); all draws are equally long, so its starts are earliest draw + k × draw minutes.
/// A draw at the chair is as late as its prep allows: the chair is then busy least.
///
/// Chairs and intensive nurse minutes are written as cliques (at each moment an interval
/// starts, at most one of the bookings covering it per chair or nurse), which the relaxation
/// reads far better than pairwise rows.
struct FixedBookingsProgram {
    /// Which resources a program decides.
    typealias Part = SharedResource

    /// One booking's choices, parallel to ``bookings``.
    struct Choices {
        var request: Int
        /// (chair, column).
        var chairs: [(chair: Int, column: Int)] = []
        /// (nurse, column).
        var nurses: [(nurse: Int, column: Int)] = []
        /// (prep start, column); empty without a prep.
        var preps: [(start: Int, column: Int)] = []
        /// (draw start, column) for a draw at a station; empty otherwise.
        var draws: [(start: Int, column: Int)] = []
    }

    /// What a solution says of one booking (nil: not decided by this program).
    struct Decision {
        var chair: Int?
        var nurse: Int?
        var prepStart: Int?
        var drawStart: Int?
    }

    let day: ResolvedDay
    /// The request indices of the bookings.
    let bookings: [Int]
    /// The resources decided.
    let parts: Set<Part>
    /// The program (a feasibility program: its objective is zero).
    private(set) var program = IntegerProgram()
    /// Each booking's columns.
    private(set) var choices: [Choices] = []
    /// A booking left with no choice at all, when there is one (the program is then infeasible).
    private(set) var emptyChoice: Int?

    /// Earliest prep start per request, beyond the day's own bounds (a chair already chosen
    /// for a port draw that waits for its prep).
    let prepFloor: [Int: Int]
    /// Whether a port draw waiting for its prep is taken at its latest (the chair's relaxation:
    /// its occupancy is then shortest).
    let portAtLatest: Bool

    init(day: ResolvedDay, bookings: [Int], parts: Set<Part> = Set(Part.allCases), prepFloor: [Int: Int] = [:],
         portAtLatest: Bool = false) {
        self.day = day
        self.bookings = bookings
        self.parts = parts
        self.prepFloor = prepFloor
        self.portAtLatest = portAtLatest
        build()
    }

    /// Whether a port draw ties the chairs to the pharmacy for these bookings: its prep may
    /// start at more than one minute, and the chair is busy from the draw before it.
    static func chairsNeedPharmacy(day: ResolvedDay, bookings: [Int]) -> Bool {
        let probe = FixedBookingsProgram(day: day, bookings: bookings, parts: [.pharmacyAndLab])
        return probe.choices.contains { c in probe.portDraw(c.request) && probe.holds(c.request) && c.preps.count > 1 }
    }

    // MARK: Per-booking facts

    private func start(_ r: Int) -> Int { day.requests[r].fixedStart! }
    private func end(_ r: Int) -> Int { start(r) + day.regimen(of: r).chairMinutes }
    private func occupiedEnd(_ r: Int) -> Int { end(r) + day.regimen(of: r).bufferMinutes }
    func needsDraw(_ r: Int) -> Bool { day.needsDraw(r, start: start(r)) }
    func portDraw(_ r: Int) -> Bool { needsDraw(r) && day.requests[r].labsAtChair }
    private func stationDraw(_ r: Int) -> Bool { needsDraw(r) && !day.requests[r].labsAtChair }
    /// Whether the prep must wait for the same-day results.
    func holds(_ r: Int) -> Bool { needsDraw(r) && day.regimen(of: r).holdForLabs && day.regimen(of: r).prepMinutes > 0 }
    private var lead: Int { day.drawMinutes + day.turnaroundMinutes }

    /// The prep starts allowed alone: from the pharmacy, drug and stability bounds to the latest.
    private func prepRange(_ r: Int) -> ClosedRange<Int>? {
        guard let range = day.prepStarts(r, start: start(r), resultsAt: needsDraw(r) ? day.earliestDraw(r) + lead : nil) else { return nil }
        let lo = max(range.lowerBound, prepFloor[r] ?? Int.min)
        return lo <= range.upperBound ? lo...range.upperBound : nil
    }

    /// A port draw's start for a prep at `prep` (nil: none needed): as late as labs and prep allow.
    func portDrawStart(_ r: Int, prep: Int?) -> Int {
        var d = day.latestDraw(r, start: start(r))
        if holds(r), let p = prep { d = min(d, p - lead) }
        return d
    }

    /// When the chair is first occupied, for a prep at `prep`.
    private func occupiedFrom(_ r: Int, prep: Int?) -> Int {
        portDraw(r) ? portDrawStart(r, prep: prep) : start(r)
    }

    // MARK: Building

    private mutating func column(_ name: String) -> Int {
        program.addVariable(.init(name: name, lower: 0, upper: 1, isInteger: true, objective: 0))
    }

    private mutating func oneOf(_ kind: String, _ id: String, _ columns: [Int]) {
        guard !columns.isEmpty else { return }
        program.addRow(.init(name: "one\(kind)(\(id))", columns: columns, coefficients: columns.map { _ in 1 }, lower: 1, upper: 1))
    }

    private mutating func build() {
        let ids = bookings.map { day.requests[$0].id.utf8.count <= 64 && !day.requests[$0].id.utf8.contains { $0 <= 32 || $0 == 127 }
                                   ? day.requests[$0].id : "r\($0)" }
        let pharmacy = parts.contains(.pharmacyAndLab)
        // Candidate prep and draw minutes, before the columns.
        let prepSpans: [Range<Int>?] = bookings.map { r in
            prepRange(r).map { $0.lowerBound..<($0.upperBound + day.regimen(of: r).prepMinutes) }
        }
        let prepContested = contested(spans: prepSpans, capacity: day.compounders)
        let drawSpans: [Range<Int>?] = bookings.map { r in
            stationDraw(r) ? day.earliestDraw(r)..<(day.latestDraw(r, start: start(r)) + day.drawMinutes) : nil
        }
        let drawContested = contested(spans: drawSpans, capacity: day.stations)
        let roots = bookings.filter(stationDraw).map(day.earliestDraw)

        for (i, r) in bookings.enumerated() {
            let reg = day.regimen(of: r), q = day.requests[r], s = start(r)
            var c = Choices(request: r)
            // Prep starts: every minute when contested, else the latest. The chairs need them
            // only for a port draw, which is as late as the prep allows.
            var prepStarts: [Int] = []
            if let range = prepRange(r), pharmacy || (parts.contains(.chairs) && portDraw(r) && holds(r)) {
                prepStarts = prepContested[i] && !(portAtLatest && !pharmacy) ? Array(range) : [range.upperBound]
                if portDraw(r) { prepStarts = prepStarts.filter { portDrawStart(r, prep: $0) >= day.earliestDraw(r) } }
                if prepStarts.isEmpty { emptyChoice = r; return }
            }
            for p in prepStarts { c.preps.append((p, column("prep(\(ids[i])@\(p))"))) }
            // Station draws: the earliest when uncontested, else the chain starts that fit.
            if pharmacy, stationDraw(r) {
                let lo = day.earliestDraw(r), hi = day.latestDraw(r, start: s)
                var starts: Set<Int> = [lo]
                if drawContested[i] {
                    for root in roots { for k in 0..<roots.count { let t = root + k * day.drawMinutes; if t >= lo, t <= hi { starts.insert(t) } } }
                }
                for d in starts.sorted() where d <= hi { c.draws.append((d, column("draw(\(ids[i])@\(d))"))) }
                if c.draws.isEmpty { emptyChoice = r; return }
            }
            // Chairs of the right type (or the pinned one) that some occupancy fits.
            if parts.contains(.chairs) {
                let eligible = q.fixedChair.map { [$0] } ?? Array(day.chairs.indices)
                let froms = c.preps.isEmpty || !portDraw(r) ? [occupiedFrom(r, prep: c.preps.first?.start)]
                                                           : Set(c.preps.map { occupiedFrom(r, prep: $0.start) }).sorted()
                for ch in eligible where reg.chairTypes.contains(day.chairs[ch].type) {
                    guard froms.contains(where: { day.chairAvailable(ch, over: $0..<occupiedEnd(r)) }) else { continue }
                    c.chairs.append((ch, column("chair(\(ids[i]),\(ch))")))
                }
                if c.chairs.isEmpty { emptyChoice = r; return }
            }
            // Nurses whose shift, capacity and break allow the booking alone.
            if parts.contains(.nurses) {
                for n in q.fixedNurse.map({ [$0] }) ?? Array(day.nurses.indices) where day.nurseAllows(n, r, start: s) {
                    c.nurses.append((n, column("nurse(\(ids[i]),\(n))")))
                }
                if c.nurses.isEmpty { emptyChoice = r; return }
            }
            choices.append(c)

            oneOf("chair", ids[i], c.chairs.map(\.column))
            oneOf("nurse", ids[i], c.nurses.map(\.column))
            oneOf("prep", ids[i], c.preps.map(\.column))
            oneOf("draw", ids[i], c.draws.map(\.column))
            // A chair whose window holds only some port-draw occupancies rules out the others.
            if portDraw(r), holds(r), c.preps.count > 1 {
                for (ch, col) in c.chairs {
                    let bad = c.preps.filter { !day.chairAvailable(ch, over: occupiedFrom(r, prep: $0.start)..<occupiedEnd(r)) }.map(\.column)
                    guard !bad.isEmpty else { continue }
                    program.addRow(.init(name: "window(\(ids[i]),\(ch))", columns: [col] + bad,
                                         coefficients: [1] + bad.map { _ in 1 }, lower: nil, upper: 1))
                }
            }
            // The prep waits for the results of a station draw.
            if holds(r), !c.draws.isEmpty, !c.preps.isEmpty {
                program.addRow(.init(name: "hold(\(ids[i]))", columns: c.preps.map(\.column) + c.draws.map(\.column),
                                     coefficients: c.preps.map { Double($0.start) } + c.draws.map { -Double($0.start) },
                                     lower: Double(lead), upper: nil))
            }
        }

        if parts.contains(.chairs) { addChairRows(ids) }
        if parts.contains(.nurses) { addNurseRows(ids) }
        if pharmacy {
            addMachineRows("compounders", capacity: day.compounders,
                           intervals: choices.map { c in c.preps.map { ($0.start..<($0.start + day.regimen(of: c.request).prepMinutes), $0.column) } })
            addMachineRows("stations", capacity: day.stations,
                           intervals: choices.map { c in c.draws.map { ($0.start..<($0.start + day.drawMinutes), $0.column) } })
        }
    }

    /// For each span, whether some minute of it lies in more than `capacity` spans.
    private func contested(spans: [Range<Int>?], capacity: Int) -> [Bool] {
        // The count only rises at span starts: checking the starts inside a span suffices.
        let starts = spans.compactMap { $0?.lowerBound }.sorted()
        let over = Set(starts.filter { t in spans.reduce(0) { $0 + ($1?.contains(t) == true ? 1 : 0) } > capacity })
        return spans.map { span in
            guard let span else { return false }
            return over.contains { span.contains($0) }
        }
    }

    /// No two bookings on one chair whose occupancies overlap: at each moment an occupancy
    /// begins, at most one booking covering it per chair. A port draw whose start moves with
    /// its prep covers the moments before its start only for some preps: such pairs get a row
    /// of their own (of two bookings, the later start decides whether they meet).
    private mutating func addChairRows(_ ids: [String]) {
        let moving = choices.indices.filter { portDraw(choices[$0].request) && holds(choices[$0].request) && choices[$0].preps.count > 1 }
        // Occupancy each booking surely covers (a moving one: from its start).
        func sure(_ i: Int) -> Range<Int> {
            let r = choices[i].request
            return moving.contains(i) ? start(r)..<occupiedEnd(r) : occupiedFrom(r, prep: choices[i].preps.first?.start)..<occupiedEnd(r)
        }
        let moments = Set(choices.indices.map { sure($0).lowerBound }).sorted()
        for ch in day.chairs.indices {
            let here = choices.indices.compactMap { i in choices[i].chairs.first { $0.chair == ch }.map { (i, $0.column) } }
            guard here.count > 1 else { continue }
            var lastCover: [Int] = []
            for t in moments {
                let cover = here.filter { sure($0.0).contains(t) }
                // A clique inside the previous one adds nothing.
                guard cover.count > 1, !Set(cover.map(\.0)).isSubset(of: Set(lastCover)) else { continue }
                lastCover = cover.map(\.0)
                program.addRow(.init(name: "chair(\(ch)@\(t))", columns: cover.map(\.1), coefficients: cover.map { _ in 1 },
                                     lower: nil, upper: 1))
            }
            // A moving port draw against a booking that ends after the draw may start.
            for b in moving {
                guard let colB = choices[b].chairs.first(where: { $0.chair == ch })?.column else { continue }
                let rb = choices[b].request
                for (a, colA) in here where a != b {
                    let ra = choices[a].request
                    guard (start(ra), a) < (start(rb), b), !sure(a).overlaps(sure(b)) else { continue }
                    let clashing = choices[b].preps.filter { occupiedFrom(rb, prep: $0.start) < occupiedEnd(ra) }.map(\.column)
                    guard !clashing.isEmpty else { continue }
                    program.addRow(.init(name: "chair(\(ids[a]),\(ids[b]),\(ch))", columns: [colA, colB] + clashing,
                                         coefficients: [1, 1] + clashing.map { _ in 1 }, lower: nil, upper: 2))
                }
            }
        }
    }

    /// Each nurse's acuity capacity at every booking start, and intensive minutes that never
    /// overlap (at each moment an intensive interval begins, at most one covering it).
    private mutating func addNurseRows(_ ids: [String]) {
        let intensive = choices.map { c in
            ResolvedDay.intensiveIntervals(start: start(c.request), end: end(c.request), regimen: day.regimen(of: c.request))
        }
        let moments = Set(intensive.flatMap { $0.map(\.lowerBound) }).sorted()
        for n in day.nurses.indices {
            let mine = choices.indices.compactMap { i in choices[i].nurses.first { $0.nurse == n }.map { (i, $0.column) } }
            guard mine.count > 1 else { continue }
            for t in Set(mine.map { start(choices[$0.0].request) }).sorted() {
                let inChair = mine.filter { (j, _) in (start(choices[j].request)..<end(choices[j].request)).contains(t) }
                let load = inChair.reduce(0) { $0 + day.regimen(of: choices[$1.0].request).acuity }
                guard load > day.nurses[n].capacity else { continue }
                program.addRow(.init(name: "capacity(\(n)@\(t))", columns: inChair.map(\.1),
                                     coefficients: inChair.map { Double(day.regimen(of: choices[$0.0].request).acuity) },
                                     lower: nil, upper: Double(day.nurses[n].capacity)))
            }
            var lastCover: [Int] = []
            for t in moments {
                let cover = mine.filter { (j, _) in intensive[j].contains { $0.contains(t) } }
                guard cover.count > 1, !Set(cover.map(\.0)).isSubset(of: Set(lastCover)) else { continue }
                lastCover = cover.map(\.0)
                program.addRow(.init(name: "intensive(\(n)@\(t))", columns: cover.map(\.1), coefficients: cover.map { _ in 1 },
                                     lower: nil, upper: 1))
            }
        }
    }

    /// At most `capacity` of the chosen intervals at any minute; checked at every interval start
    /// (the count only rises there), and only where more than `capacity` bookings could be.
    private mutating func addMachineRows(_ kind: String, capacity: Int, intervals: [[(Range<Int>, Int)]]) {
        let starts = Set(intervals.flatMap { $0.map(\.0.lowerBound) }).sorted()
        for t in starts {
            var cols: [Int] = []
            var bookingsThere = 0
            for options in intervals {
                let here = options.filter { $0.0.contains(t) }.map(\.1)
                if !here.isEmpty { bookingsThere += 1; cols += here }
            }
            guard bookingsThere > capacity else { continue }
            program.addRow(.init(name: "\(kind)@\(t)", columns: cols, coefficients: cols.map { _ in 1 },
                                 lower: nil, upper: Double(capacity)))
        }
    }

    // MARK: Reading a solution

    /// What a solution of the program decides for each booking, by request index.
    func decode(_ values: [Double]) -> [Int: Decision] {
        func chosen(_ options: [(Int, Int)]) -> Int? { options.first { values[$0.1] > 0.5 }?.0 }
        var result: [Int: Decision] = [:]
        for c in choices {
            let r = c.request
            var d = Decision()
            d.chair = chosen(c.chairs.map { ($0.chair, $0.column) })
            d.nurse = chosen(c.nurses.map { ($0.nurse, $0.column) })
            d.prepStart = chosen(c.preps.map { ($0.start, $0.column) })
            if portDraw(r) { d.drawStart = portDrawStart(r, prep: d.prepStart ?? prepRange(r)?.upperBound) }
            if stationDraw(r) { d.drawStart = chosen(c.draws.map { ($0.start, $0.column) }) }
            result[r] = d
        }
        return result
    }

    /// Placements from decisions on every resource, with compounders and stations assigned by
    /// start (the first machine free: enough when no minute is over capacity).
    static func placements(day: ResolvedDay, bookings: [Int], decisions: [Int: Decision]) -> [Placement]? {
        var result: [Placement] = []
        for r in bookings {
            guard let d = decisions[r], let chair = d.chair, let nurse = d.nurse else { return nil }
            let reg = day.regimen(of: r)
            guard (reg.prepMinutes > 0) == (d.prepStart != nil), day.needsDraw(r, start: day.requests[r].fixedStart!) == (d.drawStart != nil) else { return nil }
            result.append(Placement(request: r, chair: chair, nurse: nurse, start: day.requests[r].fixedStart!,
                                    drawStart: d.drawStart, prepStart: d.prepStart))
        }
        assign(&result, capacity: day.compounders, interval: { p in
            p.prepStart.map { $0..<($0 + day.regimen(of: p.request).prepMinutes) }
        }, set: { $0.compounder = $1 })
        assign(&result, capacity: day.stations, interval: { p in
            (p.drawStart != nil && !day.requests[p.request].labsAtChair) ? p.drawStart!..<(p.drawStart! + day.drawMinutes) : nil
        }, set: { $0.station = $1 })
        return result
    }

    /// Interval colouring by start: each interval takes the first machine free at its start.
    private static func assign(_ placements: inout [Placement], capacity: Int, interval: (Placement) -> Range<Int>?,
                               set: (inout Placement, Int) -> Void) {
        let order = placements.indices.filter { interval(placements[$0]) != nil }
            .sorted { (interval(placements[$0])!.lowerBound, $0) < (interval(placements[$1])!.lowerBound, $1) }
        var freeAt = [Int](repeating: Int.min, count: max(1, capacity))
        for i in order {
            let range = interval(placements[i])!
            // Over capacity (a program that missed a rule) the machine free soonest: the day's rules then refuse it.
            let k = freeAt.firstIndex { $0 <= range.lowerBound } ?? freeAt.indices.min { freeAt[$0] < freeAt[$1] }!
            freeAt[k] = range.upperBound
            set(&placements[i], k)
        }
    }
}
