import Foundation
import SchedulingModel

import SchedulingRules

// The seeded days the tests build in code. Both families draw from the library's own generator
// (``SeededRandom``, SplitMix64), so a seed gives the same day on every run and machine.

extension SeededRandom {
    /// True with probability `percent` / 100 (one draw in 0...99).
    package mutating func percent(_ percent: Int) -> Bool { int(in: 0...99) < percent }

    /// True with probability `p`, read in steps of 1/10,000 (one draw in 0...9,999).
    package mutating func tenThousandths(_ p: Double) -> Bool { Double(int(in: 0...9_999)) / 10_000 < p }
}

/// Random days built in code from a seed.
package enum RandomDays {
    static package func hhmm(_ m: Int) -> String { ClockTime(minutes: m).description }

    /// A tiny day: at most `maxRequests` requests, 1–3 chairs, 1–2 nurses, a short clinic on a
    /// 30-minute grid. Compounders and stations are as many as requests unless `scarce`.
    static package func tiny(seed: UInt64, maxRequests: Int = 6, scarce: Bool = false) throws -> ResolvedDay {
        var rng = SeededRandom(seed: seed)
        let open = 8 * 60, close = 11 * 60 + 30, latestEnd = 12 * 60 + 30
        let requestCount = rng.int(in: 3...maxRequests)
        let chairCount = rng.int(in: 1...3)
        var chairs: [String] = []
        for c in 0..<chairCount {
            let type = c == 0 ? "recliner" : (rng.percent(50) ? "recliner" : "bed")
            let window = rng.percent(25) ? ", \"available\": [[\"\(hhmm(open))\", \"\(hhmm(open + 180))\"]]" : ""
            chairs.append("{\"id\": \"C\(c + 1)\", \"type\": \"\(type)\"\(window)}")
        }
        var nurses: [String] = []
        for n in 0..<rng.int(in: 1...2) {
            let start = n == 0 ? open : open + 60 * rng.int(in: 0...1)
            let brk = rng.percent(40) ? ", \"break\": {\"start\": \"\(hhmm(open + 120))\", \"minutes\": 30}" : ""
            nurses.append("{\"id\": \"N\(n + 1)\", \"shiftStart\": \"\(hhmm(start))\", \"shiftEnd\": \"\(hhmm(latestEnd))\", \"capacity\": \(rng.int(in: 1...3))\(brk)}")
        }
        var regimens: [String] = []
        for g in 0..<2 {
            let minutes = [30, 60, 90, 120][rng.int(in: 0...3)]
            let types = g == 0 || rng.percent(50) ? "[\"recliner\", \"bed\"]" : "[\"recliner\"]"
            let prep = rng.percent(60) ? [10, 20, 30][rng.int(in: 0...2)] : 0
            let hold = prep > 0 && rng.percent(50)
            let stability = prep > 0 && rng.percent(40) ? ", \"stabilityMinutes\": \(rng.int(in: 0...4) * 15)" : ""
            regimens.append("""
            {"id": "G\(g + 1)", "chairMinutes": \(minutes), "bufferMinutes": \([0, 10, 15][rng.int(in: 0...2)]), "chairTypes": \(types),
             "acuity": \(rng.int(in: 1...2)), "nurseStartMinutes": \([0, 10, 15][rng.int(in: 0...2)]), "nurseEndMinutes": \([0, 5, 10][rng.int(in: 0...2)]),
             "prepMinutes": \(prep), "holdForLabs": \(hold)\(stability)}
            """)
        }
        var requests: [String] = []
        for r in 0..<requestCount {
            var fields = ["\"id\": \"R\(r + 1)\"", "\"regimen\": \"G\(rng.int(in: 1...2))\"", "\"weight\": \(rng.int(in: 1...3))"]
            if rng.percent(50) { fields.append("\"preferredStart\": \"\(hhmm(open + 30 * rng.int(in: 0...6)))\"") }
            if rng.percent(30) {
                let earliest = open + 30 * rng.int(in: 0...3)
                let latest = rng.percent(50) ? ", \"latest\": \"\(hhmm(earliest + 120 + 30 * rng.int(in: 0...3)))\"" : ""
                fields.append("\"window\": {\"earliest\": \"\(hhmm(earliest))\"\(latest)}")
            }
            if rng.percent(50) {
                let valid = rng.percent(50) ? "\"validUntil\": \"2026-12-01T\(hhmm(open + 30 * rng.int(in: 0...5)))\"" : ""
                let allow = rng.percent(20) ? (valid.isEmpty ? "" : ", ") + "\"allowSameDayDraw\": false" : ""
                fields.append("\"labs\": {\(valid)\(allow)}")
                if rng.percent(40) { fields.append("\"labsAtChair\": true") }
            }
            if rng.percent(20) { fields.append("\"drugReadyAt\": \"2026-12-01T\(hhmm(open + 30 * rng.int(in: 0...4)))\"") }
            if rng.percent(8) { fields.append("\"authorization\": {\"status\": \"pending\"}") }
            requests.append("{" + fields.joined(separator: ", ") + "}")
        }
        let ample = requestCount
        let peak = rng.percent(30) ? rng.int(in: 1...20) : 0
        let json = """
        {"format": "infusion-day/1", "date": "2026-12-01", "slotMinutes": 30,
         "clinic": {"open": "\(hhmm(open))", "close": "\(hhmm(close))", "latestEnd": "\(hhmm(latestEnd))"},
         "chairs": [\(chairs.joined(separator: ", "))],
         "nurses": [\(nurses.joined(separator: ", "))],
         "pharmacy": {"open": "07:00", "compounders": \(scarce ? 1 : ample)},
         "lab": {"open": "07:00", "stations": \(scarce ? 1 : ample), "drawMinutes": 10, "turnaroundMinutes": \([20, 30, 45][rng.int(in: 0...2)])},
         "regimens": [\(regimens.joined(separator: ", "))],
         "requests": [\(requests.joined(separator: ", "))],
         "objective": {"peakLoadPenalty": \(peak)}}
        """
        return try ResolvedDay(Day.decode(Data(json.utf8)))
    }
}

extension RandomDays {
    /// A full clinic day on a 15-minute grid: `requestCount` requests over four regimens,
    /// `chairCount` chairs of two types, `nurseCount` nurses on two shift patterns, 2 compounders, 1 station.
    static package func small(seed: UInt64, requestCount: Int, chairCount: Int, nurseCount: Int) throws -> ResolvedDay {
        var rng = SeededRandom(seed: seed)
        let open = 7 * 60 + 30
        let chairs = (0..<chairCount).map { c in "{\"id\": \"C\(c + 1)\", \"type\": \"\(c % 4 == 3 ? "bed" : "recliner")\"}" }
        let nurses = (0..<nurseCount).map { n in
            n % 2 == 0
                ? "{\"id\": \"N\(n + 1)\", \"shiftStart\": \"07:00\", \"shiftEnd\": \"15:30\", \"capacity\": 4, \"break\": {\"start\": \"11:30\", \"minutes\": 30}}"
                : "{\"id\": \"N\(n + 1)\", \"shiftStart\": \"09:30\", \"shiftEnd\": \"18:00\", \"capacity\": 4, \"break\": {\"start\": \"13:00\", \"minutes\": 30}}"
        }
        let regimens = """
        {"id": "FOLFOX", "chairMinutes": 180, "bufferMinutes": 15, "chairTypes": ["recliner", "bed"], "acuity": 2,
         "nurseStartMinutes": 15, "nurseEndMinutes": 10, "prepMinutes": 30, "holdForLabs": true, "stabilityMinutes": 240},
        {"id": "IO", "chairMinutes": 60, "bufferMinutes": 10, "chairTypes": ["recliner"], "acuity": 1,
         "nurseStartMinutes": 15, "nurseEndMinutes": 10, "prepMinutes": 20, "stabilityMinutes": 240},
        {"id": "HYD", "chairMinutes": 45, "chairTypes": ["recliner", "bed"], "nurseStartMinutes": 10, "nurseEndMinutes": 5},
        {"id": "RITUX", "chairMinutes": 240, "bufferMinutes": 15, "chairTypes": ["bed", "recliner"], "acuity": 2,
         "nurseStartMinutes": 20, "nurseEndMinutes": 10, "prepMinutes": 45}
        """
        var requests: [String] = []
        for r in 0..<requestCount {
            let regimen = ["FOLFOX", "IO", "HYD", "RITUX"][rng.int(in: 0...3)]
            var fields = ["\"id\": \"R\(r + 1)\"", "\"regimen\": \"\(regimen)\"", "\"weight\": \(rng.int(in: 1...3))"]
            if rng.percent(60) { fields.append("\"preferredStart\": \"\(hhmm(open + 15 * rng.int(in: 0...30)))\"") }
            if rng.percent(60) {
                fields.append(rng.percent(50) ? "\"labs\": {\"validUntil\": \"2026-12-01T\(hhmm(open + 15 * rng.int(in: 0...30)))\"}" : "\"labs\": {}")
                if rng.percent(30) { fields.append("\"labsAtChair\": true") }
            }
            if rng.percent(25) { fields.append("\"drugReadyAt\": \"2026-12-01T\(hhmm(open + 15 * rng.int(in: 0...20)))\"") }
            requests.append("{" + fields.joined(separator: ", ") + "}")
        }
        let json = """
        {"format": "infusion-day/1", "date": "2026-12-01", "slotMinutes": 15,
         "clinic": {"open": "07:30", "close": "17:30", "latestEnd": "19:00"},
         "chairs": [\(chairs.joined(separator: ", "))], "nurses": [\(nurses.joined(separator: ", "))],
         "pharmacy": {"open": "06:30", "compounders": 2},
         "lab": {"open": "07:00", "stations": 1, "drawMinutes": 10, "turnaroundMinutes": 45},
         "regimens": [\(regimens)], "requests": [\(requests.joined(separator: ", "))]}
        """
        return try ResolvedDay(Day.decode(Data(json.utf8)))
    }
}

// MARK: - Days built in code

/// Deterministic synthetic days for the scheduler tests (and the timing of an xl day).
package enum SyntheticDay {
    static package let date = CivilDate(year: 2026, month: 12, day: 1)!
    static package func t(_ h: Int, _ m: Int = 0) -> ClockTime { ClockTime(minutes: h * 60 + m) }

    /// One clinic 08:00–17:00 (latest end 19:00), recliners, two nurses, one station and compounder.
    static package func small(chairs: Int, regimens: [Regimen], requests: [TreatmentRequest]) -> Day {
        Day(date: date, slotMinutes: 15,
            clinic: ClinicHours(open: t(8), close: t(17), latestEnd: t(19)),
            chairs: (1...chairs).map { Chair(id: "C\($0)", type: "recliner") },
            nurses: [Nurse(id: "N1", shiftStart: t(7), shiftEnd: t(19), capacity: 4),
                     Nurse(id: "N2", shiftStart: t(7), shiftEnd: t(19), capacity: 4)],
            pharmacy: Pharmacy(open: t(7), compounders: 1),
            lab: Lab(open: t(7), stations: 1, drawMinutes: 10, turnaroundMinutes: 30),
            regimens: regimens, requests: requests)
    }

    static package let regimenPool: [Regimen] = [
        Regimen(id: "FOLFOX", chairMinutes: 180, bufferMinutes: 15, chairTypes: ["recliner", "bed"], acuity: 1,
                nurseStartMinutes: 15, nurseEndMinutes: 10, prepMinutes: 30, holdForLabs: true, stabilityMinutes: 240),
        Regimen(id: "IO", chairMinutes: 60, bufferMinutes: 10, chairTypes: ["recliner"], acuity: 1,
                nurseStartMinutes: 15, nurseEndMinutes: 10, prepMinutes: 20, stabilityMinutes: 240),
        Regimen(id: "HYD", chairMinutes: 30, chairTypes: ["recliner"], nurseStartMinutes: 10, nurseEndMinutes: 5),
        Regimen(id: "RITUX", chairMinutes: 300, bufferMinutes: 15, chairTypes: ["bed"], acuity: 2,
                nurseStartMinutes: 20, nurseEndMinutes: 10, prepMinutes: 45, stabilityMinutes: 120),
        Regimen(id: "INJ", chairMinutes: 15, chairTypes: ["recliner", "chair"], nurseStartMinutes: 10, nurseEndMinutes: 5),
        Regimen(id: "IRON", chairMinutes: 90, bufferMinutes: 10, chairTypes: ["recliner", "chair"], acuity: 1,
                nurseStartMinutes: 10, nurseEndMinutes: 10),
    ]

    /// A random day with every feature of SPEC §2: chair types and windows, breaks, labs on
    /// file, same-day and port draws, holds, preps with stability, windows, preferences,
    /// late drugs, authorizations and a few fixed bookings.
    static package func make(seed: UInt64, chairs chairCount: Int, nurses nurseCount: Int, requests requestCount: Int,
                     open: Int = 7 * 60, close: Int = 18 * 60, latestEnd: Int = 20 * 60, fixedShare: Double = 0.05, slotMinutes: Int = 15,
                     compounders: Int? = nil, stations: Int? = nil, peakLoadPenalty: Double = 0) -> Day {
        var g = SeededRandom(seed: seed &* 0x2545_F491_4F6C_DD1D &+ 1)
        let types = ["recliner", "bed", "chair"]
        var chairs: [Chair] = []
        for c in 1...chairCount {
            let type = c % 5 == 0 ? "bed" : (c % 7 == 0 ? "chair" : "recliner")
            var available: [TimeWindow]?
            if g.tenThousandths(0.2) {
                let split = g.int(in: 10...14) * 60
                available = g.tenThousandths(0.5) ? [TimeWindow(start: ClockTime(minutes: open), end: ClockTime(minutes: split))]
                    : [TimeWindow(start: ClockTime(minutes: open), end: ClockTime(minutes: split)),
                       TimeWindow(start: ClockTime(minutes: split + 60), end: ClockTime(minutes: latestEnd))]
            }
            chairs.append(Chair(id: String(format: "C%03d", c), type: type, available: available))
        }
        _ = types
        var nurses: [Nurse] = []
        for n in 1...nurseCount {
            let early = n % 2 == 1
            let start = early ? open : open + 120
            let end = min(latestEnd, start + 9 * 60 + (g.tenThousandths(0.3) ? 60 : 0))
            let breakStart = (start + 4 * 60 + g.int(in: 0...4) * 15)
            nurses.append(Nurse(id: String(format: "N%02d", n), shiftStart: ClockTime(minutes: start), shiftEnd: ClockTime(minutes: end),
                                capacity: g.int(in: 3...5), break: NurseBreak(start: ClockTime(minutes: breakStart), minutes: 30)))
        }
        var requests: [TreatmentRequest] = []
        for i in 1...requestCount {
            let regimen = regimenPool[g.int(in: 0...(regimenPool.count - 1))]
            var q = TreatmentRequest(id: String(format: "R%03d", i), regimen: regimen.id, weight: Double(g.int(in: 1...3)))
            if g.tenThousandths(0.3) {
                let earliest = open + g.int(in: 0...16) * 30
                q.window = PatientWindow(earliest: ClockTime(minutes: earliest),
                                         latest: g.tenThousandths(0.5) ? ClockTime(minutes: min(latestEnd, earliest + regimen.chairMinutes + g.int(in: 2...10) * 30)) : nil)
            }
            if g.tenThousandths(0.4) { q.preferredStart = ClockTime(minutes: open + g.int(in: 0...20) * 30) }
            if g.tenThousandths(0.5) {
                let onFile: LocalDateTime? = g.tenThousandths(0.5) ? LocalDateTime(date: date, time: ClockTime(minutes: open + g.int(in: 0...16) * 30)) : nil
                q.labs = LabStatus(validUntil: onFile, allowSameDayDraw: g.tenThousandths(0.9))
                q.labsAtChair = g.tenThousandths(0.3)
            }
            if g.tenThousandths(0.15) { q.drugReadyAt = LocalDateTime(date: date, time: ClockTime(minutes: open + g.int(in: 0...12) * 30)) }
            if g.tenThousandths(0.1) { q.authorization = Authorization(status: g.tenThousandths(0.5) ? .approved : .pending) }
            if g.tenThousandths(fixedShare) {
                let start = open + 60 + g.int(in: 0...16) * 30
                q.fixed = FixedBooking(start: ClockTime(minutes: start - start % slotMinutes),
                                       chair: g.tenThousandths(0.5) ? chairs[g.int(in: 0...(chairCount - 1))].id : nil,
                                       nurse: g.tenThousandths(0.3) ? nurses[g.int(in: 0...(nurseCount - 1))].id : nil)
            }
            requests.append(q)
        }
        return Day(date: date, slotMinutes: slotMinutes,
                   clinic: ClinicHours(open: ClockTime(minutes: open), close: ClockTime(minutes: close), latestEnd: ClockTime(minutes: latestEnd)),
                   chairs: chairs, nurses: nurses,
                   pharmacy: Pharmacy(open: ClockTime(minutes: open - 60), compounders: compounders ?? max(1, chairCount / 8)),
                   lab: Lab(open: ClockTime(minutes: open - 30), stations: stations ?? max(1, chairCount / 12), drawMinutes: 10, turnaroundMinutes: 45),
                   regimens: regimenPool, requests: requests,
                   objective: ObjectiveWeights(peakLoadPenalty: peakLoadPenalty))
    }

    /// The day resolved, with the fixed bookings that could not hold even alone unfixed, so that
    /// random days exercise the scheduler rather than the conflict error.
    static package func keepingPossibleFixed(_ raw: Day) throws -> ResolvedDay {
        var raw = raw
        let first = try ResolvedDay(raw)
        for r in first.requests.indices where first.requests[r].fixedStart != nil && first.inadmissibility(of: r) != nil {
            raw.requests[r].fixed = nil
        }
        return try ResolvedDay(raw)
    }

    /// An xl day: 96 chairs, 18 nurses, 320 requests, 15-minute slots, 07:00–20:00.
    static package func xl(seed: UInt64) -> Day {
        make(seed: seed, chairs: 96, nurses: 18, requests: 320, fixedShare: 0)
    }
}
