import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan
import SchedulingGenerator

/// A base day with a scenario's changes applied, ready to solve.
public struct AppliedScenario: Sendable {
    /// The changed day; it resolves (``SchedulingModel/ResolvedDay/init(_:)`` does not throw).
    public var day: Day
    /// Ids of the fixed bookings released because they cannot hold at all in the scenario
    /// (their chair type removed, hours shortened): they became ordinary requests.
    public var releasedFixedBookings: [String]
}

extension WhatIfScenario {
    /// Applies the scenario to `day`.
    ///
    /// In order: hours, chairs, nurses, compounders, lab stations and turnaround, demand. Then
    /// fixed bookings that name a removed chair or nurse keep their start but lose that chair or
    /// nurse, and a fixed booking that can no longer hold even alone is released (see
    /// ``AppliedScenario/releasedFixedBookings``) — a what-if asks what the day *could* look
    /// like, so a booking that the change makes impossible must not stop the whole day.
    ///
    /// - Chairs: `-k` removes the last `k` chairs of the type in file order (all of them when
    ///   there are fewer); `+k` adds chairs whose availability is the most common one among the
    ///   type's chairs (open..latestEnd when the type has none), with ids `C01-x1`, `C01-x2`, ….
    /// - Nurses: `-k` removes the last `k` nurses of the shift; `+k` copies the first nurse of
    ///   the shift (capacity and break). An exact shift `HH:MM-HH:MM` nobody works yet gets
    ///   capacity 4 and a 30-minute break four hours in (when the shift is longer than six hours).
    /// - Hours: when only one of `close` and `latestEnd` is given and the pair would be inverted,
    ///   the other follows it.
    /// - Demand: factor `f` on `n` requests makes `round(f × n)`. Extra requests are copies of the
    ///   base's requests drawn in shuffled passes (so the mix of regimens, labs and windows is the
    ///   base's), without their fixed booking, with ids `R001-x1`; fewer requests drop non-fixed
    ///   requests in a shuffled order. The draws depend only on `seed`, so two scenarios with the
    ///   same seed and factor get the same requests and a larger factor adds to a smaller one's.
    ///
    /// - Throws: ``SchedulingModel/InputError`` whose path starts with the scenario's ``source`` when a change
    ///   does not fit the day (unknown chair type, a shift start nobody works, hours or counts
    ///   the day cannot take).
    public func apply(to day: Day, seed: UInt64) throws -> AppliedScenario {
        func fail(_ field: String, _ message: String, _ kind: InputError.Kind = .invalidValue) -> InputError {
            InputError(path: field.isEmpty ? source : source + "." + field, message: message, kind: kind)
        }
        var d = day

        // Hours.
        if let close { d.clinic.close = close; if latestEnd == nil, d.clinic.latestEnd < close { d.clinic.latestEnd = close } }
        if let latestEnd { d.clinic.latestEnd = latestEnd; if self.close == nil, d.clinic.close > latestEnd { d.clinic.close = latestEnd } }

        // Chairs.
        var chairIds = UniqueIds(d.chairs.map(\.id))
        var removedChairs = Set<String>()
        let knownTypes = Set(d.chairs.map(\.type) + d.regimens.flatMap(\.chairTypes))
        for (type, delta) in (chairs ?? [:]).sorted(by: { $0.key < $1.key }) where delta != 0 {
            guard knownTypes.contains(type) else {
                throw fail("chairs." + type, "unknown chair type \"\(clip(type))\": no chair or regimen uses it", .unknownReference)
            }
            let ofType = d.chairs.indices.filter { d.chairs[$0].type == type }
            if delta < 0 {
                let drop = Set(ofType.suffix(-delta))
                for i in drop { removedChairs.insert(d.chairs[i].id) }
                d.chairs = d.chairs.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            } else {
                let template = Self.mostCommonAvailability(ofType.map { d.chairs[$0].available })
                let stem = ofType.first.map { d.chairs[$0].id } ?? type
                for _ in 0..<delta {
                    d.chairs.append(Chair(id: chairIds.make(stem: stem), type: type, available: template))
                }
            }
        }

        // Nurses.
        var nurseIds = UniqueIds(d.nurses.map(\.id))
        var removedNurses = Set<String>()
        for (shift, delta) in (nurses ?? [:]).sorted(by: { $0.key < $1.key }) where delta != 0 {
            guard let pattern = ShiftPattern(parsing: shift) else {
                throw fail("nurses." + shift, "expected a shift \"HH:MM-HH:MM\" or a shift start \"HH:MM\"")
            }
            let ofShift = d.nurses.indices.filter { pattern.matches(d.nurses[$0]) }
            if delta < 0 {
                let drop = Set(ofShift.suffix(-delta))
                for i in drop { removedNurses.insert(d.nurses[i].id) }
                d.nurses = d.nurses.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            } else {
                var template: Nurse
                if let first = ofShift.first {
                    template = d.nurses[first]
                } else if let end = pattern.end {
                    let length = end.minutes - pattern.start.minutes
                    let lunch = length > 360 ? NurseBreak(start: ClockTime(minutes: pattern.start.minutes + 240), minutes: 30) : nil
                    template = Nurse(id: "N", shiftStart: pattern.start, shiftEnd: end, capacity: 4, break: lunch)
                } else {
                    throw fail("nurses." + shift, "no nurse's shift starts at \(pattern.start): give the whole shift \"HH:MM-HH:MM\"")
                }
                let stem = template.id
                for _ in 0..<delta {
                    template.id = nurseIds.make(stem: stem)
                    d.nurses.append(template)
                }
            }
        }

        // Pharmacy and lab.
        if let compounders { d.pharmacy.compounders += compounders }
        if let labStations { d.lab.stations += labStations }
        if let turnaroundMinutes { d.lab.turnaroundMinutes = turnaroundMinutes }
        guard d.pharmacy.compounders >= 1 else { throw fail("compounders", "the scenario leaves no compounder") }
        guard d.lab.stations >= 1 else { throw fail("labStations", "the scenario leaves no lab station") }

        // Demand.
        if let demand, demand != 1 {
            d.requests = Self.scaled(d.requests, by: demand, seed: seed)
        }

        // Fixed bookings that lost their chair or nurse keep their start.
        for i in d.requests.indices {
            guard var f = d.requests[i].fixed else { continue }
            if let c = f.chair, removedChairs.contains(c) { f.chair = nil }
            if let n = f.nurse, removedNurses.contains(n) { f.nurse = nil }
            d.requests[i].fixed = f
        }

        let resolved: ResolvedDay
        do {
            resolved = try ResolvedDay(d)
        } catch let error as InputError {
            throw fail("", "the changed day is not valid: \(error.path): \(error.message)")
        }
        var released: [String] = []
        for r in resolved.requests.indices where resolved.requests[r].fixedStart != nil && resolved.requests[r].authorizationProblem == nil {
            if !resolved.isAdmissible(r) {
                d.requests[r].fixed = nil
                released.append(d.requests[r].id)
            }
        }
        return AppliedScenario(day: d, releasedFixedBookings: released)
    }

    /// The availability most chairs of a type share (the first such in file order on a tie).
    static func mostCommonAvailability(_ options: [[TimeWindow]?]) -> [TimeWindow]? {
        var best: [TimeWindow]?, bestCount = 0
        for option in options {
            let count = options.filter { $0 == option }.count
            if count > bestCount { best = option; bestCount = count }
        }
        return best
    }

    /// `requests` grown or shrunk to `round(factor × count)`; see ``apply(to:seed:)``.
    static func scaled(_ requests: [TreatmentRequest], by factor: Double, seed: UInt64) -> [TreatmentRequest] {
        let n = requests.count
        let target = Int((factor * Double(n)).rounded())
        var rng = SeededRandom(seed: seed ^ 0xD3_4A_7D_15_C0_FF_EE_00)
        if target >= n {
            guard n > 0 else { return requests }
            var out = requests
            var ids = UniqueIds(requests.map(\.id))
            var pass = 0
            while out.count < target {
                pass += 1
                for i in rng.shuffled(Array(0..<n)) where out.count < target {
                    var copy = requests[i]
                    copy.id = ids.make(stem: requests[i].id, first: pass)
                    copy.fixed = nil
                    out.append(copy)
                }
            }
            return out
        }
        // Fixed bookings go last: a smaller clinic day still keeps the bookings already made.
        let order = rng.shuffled(requests.indices.filter { requests[$0].fixed == nil })
            + rng.shuffled(requests.indices.filter { requests[$0].fixed != nil })
        let drop = Set(order.prefix(n - target))
        return requests.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    }
}

/// Makes ids `STEM-xK` that collide with no id taken so far and fit the 64-byte limit.
struct UniqueIds {
    private var taken: Set<String>
    private var serial = 0

    init(_ existing: [String]) { taken = Set(existing) }

    /// The first free `stem-xK` with `K >= first`, or `xK` when the stem is too long.
    mutating func make(stem: String, first: Int = 1) -> String {
        var k = first
        while true {
            var candidate = stem + "-x\(k)"
            if candidate.utf8.count > 64 { serial += 1; candidate = "x\(serial)" }
            if !taken.contains(candidate) {
                taken.insert(candidate)
                return candidate
            }
            k += 1
        }
    }
}
