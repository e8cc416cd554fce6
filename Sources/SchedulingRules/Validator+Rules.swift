import SchedulingModel

/// The hard constraints of SPEC §2, shared by ``Validator/validate(_:day:)`` and
/// ``Validator/violations(of:day:)``: first the rules a placement keeps or breaks on its own,
/// then the resource rules between placements, found by sorted sweeps per resource.
extension Validator {
    /// Checks `placements`; `positions[i]` is where placement `i` sits in the file (for ordering).
    /// A patient in `handovers` (by request index) is held by two nurses in turn (SPEC §7), and
    /// each nurse's rules apply over that nurse's part.
    package static func check(_ placements: [Placement], positions: [Int], day: ResolvedDay, handovers: [Int: Handover] = [:],
                              into log: inout ViolationLog) {
        var seen = [Bool](repeating: false, count: day.requests.count)
        // What the placements that passed the index checks hold, by resource, for the sweeps.
        var byChair = [[Busy]](repeating: [], count: day.chairs.count)
        var byNurse = [[Busy]](repeating: [], count: day.nurses.count)
        var intensiveByNurse = [[Busy]](repeating: [], count: day.nurses.count)
        var byCompounder = [[Busy]](repeating: [], count: day.compounders)
        var byStation = [[Busy]](repeating: [], count: day.stations)

        for (i, p) in placements.enumerated() {
            let pos = positions[i]
            guard day.requests.indices.contains(p.request) else {
                log.add(.appointments, pos, .coverage, nil, "placement \(i + 1): request index \(p.request) out of range")
                continue
            }
            let id = day.requests[p.request].id
            guard !seen[p.request] else {
                log.add(.appointments, pos, .coverage, id, "\(id): placed more than once")
                continue
            }
            seen[p.request] = true
            func add(_ rule: Violation.Rule, _ message: String) { log.add(.appointments, pos, rule, id, "\(id): " + message) }

            let chairKnown = day.chairs.indices.contains(p.chair)
            if !chairKnown { add(.chair, "chair index \(p.chair) out of range") }
            if !day.nurses.indices.contains(p.nurse) { add(.nurse, "nurse index \(p.nurse) out of range") }
            let handover = handovers[p.request].flatMap { day.nurses.indices.contains($0.nurse) ? $0 : nil }
            checkAlone(p, day: day, chairKnown: chairKnown, handover: handover) { rule, message in add(rule, message()) }

            day.forEachUse(of: p, handover: handover) { use in
                let busy = Busy(interval: use.interval, owner: i)
                switch use.resource {
                case .chair(let c): if chairKnown { byChair[c].append(busy) }
                case .nurseLoad(let n): if byNurse.indices.contains(n) { byNurse[n].append(busy) }
                case .nurseIntensive(let n): if intensiveByNurse.indices.contains(n) { intensiveByNurse[n].append(busy) }
                case .compounder(let k): if byCompounder.indices.contains(k) { byCompounder[k].append(busy) }
                case .station(let s): if byStation.indices.contains(s) { byStation[s].append(busy) }
                }
            }
        }

        func id(_ owner: Int) -> String { day.requests[placements[owner].request].id }
        func add(_ owner: Int, _ rule: Violation.Rule, _ message: String) {
            log.add(.appointments, positions[owner], rule, id(owner), "\(id(owner)): " + message)
        }
        for (c, items) in byChair.enumerated() {
            sweepOverlaps(items) { later, earlier in
                add(later.owner, .chair, "chair \(day.chairs[c].id) occupied \(hm(later.interval)) overlaps \(id(earlier.owner)) (\(hm(earlier.interval)))")
            }
        }
        for (n, items) in intensiveByNurse.enumerated() {
            sweepOverlaps(items) { later, earlier in
                add(later.owner, .nurse, "intensive minutes \(hm(later.interval)) with nurse \(day.nurses[n].id) overlap \(id(earlier.owner))'s (\(hm(earlier.interval)))")
            }
        }
        for (n, items) in byNurse.enumerated() {
            let nurse = day.nurses[n]
            sweepLoad(items, acuity: { day.regimen(of: placements[$0].request).acuity }, capacity: day.capacity(of: .nurseLoad(n))) { owner, at, load, others in
                let with = others.isEmpty ? "" : " (with \(others.map(id).joined(separator: ", ")))"
                add(owner, .nurse, "nurse \(nurse.id) carries acuity \(load) over capacity \(nurse.capacity) at \(hm(at))\(with)")
            }
        }
        for (k, items) in byCompounder.enumerated() {
            sweepOverlaps(items) { later, earlier in
                add(later.owner, .pharmacy, "prep \(hm(later.interval)) on compounder \(k + 1) overlaps \(id(earlier.owner))'s (\(hm(earlier.interval)))")
            }
        }
        for (s, items) in byStation.enumerated() {
            sweepOverlaps(items) { later, earlier in
                add(later.owner, .labs, "draw \(hm(later.interval)) at station \(s + 1) overlaps \(id(earlier.owner))'s (\(hm(earlier.interval)))")
            }
        }
    }

    /// The rules one placement keeps or breaks on its own: grid, clinic hours, window,
    /// authorization, fixed booking, chair type and availability, nurse shift and break,
    /// pharmacy timing and compounder index, lab draw timing and place.
    ///
    /// The one statement of these rules: the validator lists every break, and the searches'
    /// day state (``DayState/problem(with:handover:)``) asks for the first. A message is built
    /// only when `add` reads it, so a search that wants only the rule pays for no text.
    /// With a `handover`, each nurse's shift and break apply over the part that nurse holds;
    /// a nurse index out of range is left to the caller.
    package static func checkAlone(_ p: Placement, day: ResolvedDay, chairKnown: Bool, handover: Handover? = nil,
                                   add: (Violation.Rule, @autoclosure () -> String) -> Void) {
        let q = day.requests[p.request]
        let reg = day.regimen(of: p.request)
        let start = p.start
        let end = start + reg.chairMinutes

        checkHours(request: p.request, start: start, arrival: p.arrival, day: day, add: add)

        // §2.7 Authorization.
        if let problem = q.authorizationProblem { add(.authorization, "scheduled but \(problem)") }

        // §2.8 Fixed bookings.
        if let fixed = q.fixedStart, fixed != start { add(.fixed, "fixed at \(hm(fixed)) but starts \(hm(start))") }
        if let fixed = q.fixedChair, fixed != p.chair {
            add(.fixed, "fixed on chair \(day.chairs[fixed].id) but placed on \(chairKnown ? day.chairs[p.chair].id : "another")")
        }
        if let fixed = q.fixedNurse, fixed != p.nurse {
            add(.fixed, "fixed with nurse \(day.nurses[fixed].id) but assigned \(day.nurses.indices.contains(p.nurse) ? day.nurses[p.nurse].id : "another")")
        }

        // §2.2 Chair type and availability (overlaps are between placements).
        if chairKnown { checkChair(p.chair, request: p.request, occupied: day.chairOccupancy(of: p), day: day, add: add) }

        // §2.3 Nurse shift and break, for each nurse over the part they hold (capacity and
        // intensive overlaps are between placements).
        day.forEachHolder(of: p, handover: handover) { n, span in
            if day.nurses.indices.contains(n) { checkHold(nurse: n, span: span, treatment: start..<end, regimen: reg, day: day, add: add) }
        }

        // §2.4 Pharmacy.
        if reg.prepMinutes > 0 {
            if let ps = p.prepStart {
                let pe = ps + reg.prepMinutes
                if ps < day.pharmacyOpen { add(.pharmacy, "prep starts \(hm(ps)), before the pharmacy opens at \(hm(day.pharmacyOpen))") }
                if let ready = q.drugReadyAt, ps < ready { add(.pharmacy, "prep starts \(hm(ps)), before the drug is ready at \(hm(ready))") }
                if pe > start { add(.pharmacy, "prep ends \(hm(pe)), after the start \(hm(start))") }
                if let stability = reg.stabilityMinutes, start - pe > stability {
                    add(.pharmacy, "drug waits \(start - pe) minutes from prep end \(hm(pe)) to start \(hm(start)), over its stability of \(stability)")
                }
                if let k = p.compounder {
                    if !(0..<day.compounders).contains(k) { add(.pharmacy, "compounder \(fileNumber(k)) is not in 1...\(day.compounders)") }
                } else {
                    add(.pharmacy, "prep has no compounder")
                }
            } else {
                add(.pharmacy, "regimen \(reg.id) needs a \(reg.prepMinutes)-minute prep but none is scheduled")
            }
        } else {
            if p.prepStart != nil { add(.pharmacy, "regimen \(reg.id) needs no prep but one is scheduled") }
            if let ready = q.drugReadyAt, ready > start { add(.pharmacy, "starts \(hm(start)), before the drug is ready at \(hm(ready))") }
        }

        // §2.5 Labs.
        let needsDraw = day.needsDraw(p.request, start: start)
        if let d = p.drawStart {
            if !needsDraw {
                add(.labs, q.needsLabs ? "labs on file are valid at the start \(hm(start)) but a draw is scheduled"
                                        : "needs no labs but a draw is scheduled")
            } else if !q.allowSameDayDraw {
                add(.labs, "labs on file do not cover the start \(hm(start)) and no same-day draw is allowed")
            }
            if d < day.labOpen { add(.labs, "draw at \(hm(d)), before the lab opens at \(hm(day.labOpen))") }
            let results = d + day.drawMinutes + day.turnaroundMinutes
            if results > start { add(.labs, "lab results at \(hm(results)) come after the start \(hm(start))") }
            if reg.holdForLabs, reg.prepMinutes > 0, let ps = p.prepStart, ps < results {
                add(.labs, "prep starts \(hm(ps)), before the lab results at \(hm(results)) it must wait for")
            }
            if q.labsAtChair {
                if let s = p.station { add(.labs, "drawn at station \(fileNumber(s)) but labs are drawn at the chair (labsAtChair)") }
            } else if let s = p.station {
                if !(0..<day.stations).contains(s) { add(.labs, "station \(fileNumber(s)) is not in 1...\(day.stations)") }
            } else {
                add(.labs, "drawn at the chair without port access (labsAtChair is false)")
            }
        } else if needsDraw {
            add(.labs, q.allowSameDayDraw ? "no valid labs at the start \(hm(start)) and no draw is scheduled"
                                           : "no valid labs at the start \(hm(start)) and no same-day draw is allowed")
        }
    }

    /// The slot grid (SPEC §1), the clinic hours (§2.1) and the patient's window (§2.6) for
    /// request `r` starting at `start`, arriving at `arrival`.
    package static func checkHours(request r: Int, start: Int, arrival: Int, day: ResolvedDay,
                                   add: (Violation.Rule, @autoclosure () -> String) -> Void) {
        let q = day.requests[r]
        let end = start + day.regimen(of: r).chairMinutes
        if start % day.slotMinutes != 0 { add(.times, "start \(hm(start)) is not on the \(day.slotMinutes)-minute slot grid") }
        if start < day.open { add(.clinic, "starts \(hm(start)), before the clinic opens at \(hm(day.open))") }
        if end > day.latestEnd { add(.clinic, "ends \(hm(end)), after the clinic's latest end \(hm(day.latestEnd))") }
        if let earliest = q.earliest, arrival < earliest {
            add(.window, "arrives \(hm(arrival)), before the earliest arrival \(hm(earliest))")
        }
        if let latest = q.latest, end > latest { add(.window, "ends \(hm(end)), after the window's latest end \(hm(latest))") }
    }

    /// SPEC §2.2 for request `r` on chair `c` over `occupied`: the chair's type suits the
    /// regimen and one availability window holds the occupancy.
    package static func checkChair(_ c: Int, request r: Int, occupied: Range<Int>, day: ResolvedDay,
                                   add: (Violation.Rule, @autoclosure () -> String) -> Void) {
        let chair = day.chairs[c], reg = day.regimen(of: r)
        if !reg.chairTypes.contains(chair.type) {
            add(.chair, "chair \(chair.id) of type \(day.chairTypeNames[chair.type]) does not suit regimen \(reg.id)")
        }
        if !day.chairAvailable(c, over: occupied) {
            add(.chair, "chair \(chair.id) occupied \(hm(occupied)) outside its availability (\(chair.windows.isEmpty ? "none" : chair.windows.map(hm).joined(separator: ", ")))")
        }
    }

    /// SPEC §2.3 for nurse `n` holding a patient in chair over `span` of a treatment over
    /// `treatment`: the shift holds the span, and the treatment's intensive minutes in it miss
    /// the nurse's break. Capacity and overlaps with other patients are between placements.
    package static func checkHold(nurse n: Int, span: Range<Int>, treatment: Range<Int>, regimen reg: ResolvedDay.RegimenInfo,
                                  day: ResolvedDay, add: (Violation.Rule, @autoclosure () -> String) -> Void) {
        let nurse = day.nurses[n]
        if span.lowerBound < nurse.shift.lowerBound || span.upperBound > nurse.shift.upperBound {
            add(.nurse, "in chair \(hm(span)) outside nurse \(nurse.id)'s shift \(hm(nurse.shift))")
        }
        Handover.forEachIntensive(start: treatment.lowerBound, end: treatment.upperBound, regimen: reg, within: span) { piece in
            if piece.overlaps(nurse.breakTime) {
                add(.nurse, "intensive minutes \(hm(piece)) overlap nurse \(nurse.id)'s break \(hm(nurse.breakTime))")
            }
        }
    }

    /// A minute interval during which a placement holds a unit resource.
    package struct Busy {
        package var interval: Range<Int>
        /// Index of the placement.
        package var owner: Int

        package init(interval: Range<Int>, owner: Int) { self.interval = interval; self.owner = owner }
    }

    /// Reports, for every interval that overlaps an earlier-starting one of another owner, one
    /// such earlier interval (the one reaching furthest), so each conflict is reported once at
    /// the later of the two.
    ///
    /// Comparing only with the furthest-reaching earlier interval finds every conflicting
    /// interval: if any earlier interval overlaps, the furthest-reaching one does too, and it
    /// cannot be the same owner's, whose pieces are disjoint and ordered.
    ///
    /// - Complexity: O(n log n).
    package static func sweepOverlaps(_ items: [Busy], report: (_ later: Busy, _ earlier: Busy) -> Void) {
        guard items.count > 1 else { return }
        let sorted = items.sorted {
            ($0.interval.lowerBound, $0.interval.upperBound, $0.owner) < ($1.interval.lowerBound, $1.interval.upperBound, $1.owner)
        }
        var reach = sorted[0]
        for item in sorted.dropFirst() {
            if reach.interval.upperBound > item.interval.lowerBound, reach.owner != item.owner { report(item, reach) }
            if item.interval.upperBound > reach.interval.upperBound { reach = item }
        }
    }

    /// Reports every interval whose start brings the summed load above `capacity`, with the
    /// load and the other owners then active. Ends are processed before starts at the same
    /// minute because intervals are half-open.
    ///
    /// - Complexity: O(n log n + n × active).
    package static func sweepLoad(_ items: [Busy], acuity: (Int) -> Int, capacity: Int,
                          report: (_ owner: Int, _ at: Int, _ load: Int, _ others: [Int]) -> Void) {
        var events: [(time: Int, isStart: Int, owner: Int)] = []
        events.reserveCapacity(items.count * 2)
        for item in items {
            events.append((item.interval.lowerBound, 1, item.owner))
            events.append((item.interval.upperBound, 0, item.owner))
        }
        events.sort { ($0.time, $0.isStart, $0.owner) < ($1.time, $1.isStart, $1.owner) }
        var active: [Int] = []
        var load = 0
        for e in events {
            if e.isStart == 1 {
                load += acuity(e.owner)
                if load > capacity { report(e.owner, e.time, load, active) }
                active.append(e.owner)
            } else {
                load -= acuity(e.owner)
                if let k = active.firstIndex(of: e.owner) { active.remove(at: k) }
            }
        }
    }
}
