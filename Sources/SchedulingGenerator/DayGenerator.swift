import SchedulingModel
import SchedulingRules

/// Builds realistic synthetic clinic days for tests, benchmarks and demonstrations.
///
/// A day has recliners and about 20% beds (a few chairs open only part of the day), nurses in
/// three staggered shifts with staggered 30-minute breaks, a pharmacy opening at 06:30 and a lab
/// opening at 07:00. Requests mix the regimens of `RegimenCatalogue` so that their chair time
/// fills the chairs' regular hours to within ``GeneratorParameters/demandRatio``; they carry labs
/// on file or needing a same-day draw (some through a port at the chair), late drug deliveries,
/// pending, denied and soon-expiring authorizations, patient windows, preferred starts, weights and
/// a few fixed bookings.
///
/// Guarantees: the day resolves (``SchedulingModel/ResolvedDay/init(_:)`` does not throw); every request whose
/// authorization is in order is admissible (SPEC §3), so a good scheduler leaves only requests
/// unscheduled for `capacity`; the fixed bookings can all hold at once (distinct chairs, distinct
/// nurses, and preps and draws that fit the compounders and stations); the same parameters, seed
/// and date give the same day, and so the same ``SchedulingModel/Day/jsonString()``, byte for byte.
public enum DayGenerator {
    /// The date synthetic days are generated for unless told otherwise.
    public static let defaultDate = CivilDate(year: 2026, month: 12, day: 1)!

    /// A synthetic day of a named size.
    public static func generate(profile: DayProfile, seed: UInt64, date: CivilDate = defaultDate) -> Day {
        generate(.preset(profile), seed: seed, date: date)
    }

    /// A synthetic day built from `parameters`.
    ///
    /// - Complexity: O(requests × starts × (chairs + nurses)) for the admissibility checks.
    public static func generate(_ parameters: GeneratorParameters, seed: UInt64, date: CivilDate = defaultDate) -> Day {
        var builder = DayBuilder(parameters: parameters, seed: seed, date: date)
        return builder.build()
    }
}

/// The state of one generation run; every random choice goes through `rng` in a fixed order.
private struct DayBuilder {
    let p: GeneratorParameters
    let date: CivilDate
    var rng: SeededRandom
    let slot = 15
    let open = 7 * 60 + 30
    let close = 17 * 60 + 30
    var latestEnd = 19 * 60
    var day: Day
    /// Catalogue entry of each request.
    var entries: [RegimenCatalogue.Entry] = []

    init(parameters: GeneratorParameters, seed: UInt64, date: CivilDate) {
        var q = parameters
        q.chairs = max(1, q.chairs)
        q.beds = min(max(0, q.beds), q.chairs)
        q.restrictedChairs = min(max(0, q.restrictedChairs), q.chairs - q.beds)
        q.nurses = max(1, q.nurses)
        q.compounders = max(1, q.compounders)
        q.labStations = max(1, q.labStations)
        q.requests = max(0, q.requests)
        q.fixedBookings = min(max(0, q.fixedBookings), q.requests)
        p = q
        self.date = date
        // The size enters the stream so that days of different sizes sharing a seed do not all
        // make the same first choices (closing time, lab turnaround).
        var mixer = SeededRandom(seed: UInt64(q.requests) << 32 | UInt64(q.chairs))
        rng = SeededRandom(seed: seed ^ mixer.next())
        day = Day(date: date, slotMinutes: 15,
                  clinic: ClinicHours(open: ClockTime(minutes: 450), close: ClockTime(minutes: 1050), latestEnd: ClockTime(minutes: 1140)),
                  chairs: [], nurses: [], pharmacy: Pharmacy(open: ClockTime(minutes: 390), compounders: q.compounders),
                  lab: Lab(open: ClockTime(minutes: 420), stations: q.labStations, drawMinutes: 10, turnaroundMinutes: 45),
                  regimens: RegimenCatalogue.entries.map(\.regimen), requests: [],
                  objective: ObjectiveWeights(unscheduledPenalty: 1000, overtimePerMinute: 2, waitPerMinute: 1,
                                              preferencePerMinute: 0.2, peakLoadPenalty: 0))
    }

    mutating func build() -> Day {
        latestEnd = rng.pick([19 * 60, 19 * 60 + 30])!
        day.clinic = ClinicHours(open: time(open), close: time(close), latestEnd: time(latestEnd))
        day.lab.drawMinutes = rng.pick([5, 10, 15])!
        day.lab.turnaroundMinutes = rng.pick([30, 45, 60])!
        makeChairs()
        makeNurses()
        chooseRegimens()
        makeRequests()
        makeAdmissible()
        makePreferredStarts()
        makeFixedBookings()
        return day
    }

    // MARK: Resources

    func time(_ minutes: Int) -> ClockTime { ClockTime(minutes: minutes) }
    func instant(_ minutes: Int, daysLater: Int = 0) -> LocalDateTime {
        LocalDateTime(date: date.adding(days: daysLater), time: time(minutes))
    }
    static func id(_ prefix: String, _ index: Int, of count: Int) -> String {
        let width = max(prefix == "R" ? 3 : 2, String(count).count)
        let digits = String(index + 1)
        return prefix + String(repeating: "0", count: width - digits.count) + digits
    }

    /// Recliners first, then beds (a bed bay); some recliners open only part of the day, as when
    /// a chair is shared with another service or kept for a procedure over midday.
    mutating func makeChairs() {
        let recliners = p.chairs - p.beds
        let restricted = Set(rng.sample(Array(0..<recliners), count: p.restrictedChairs))
        for i in 0..<p.chairs {
            var chair = Chair(id: Self.id("C", i, of: p.chairs), type: i < recliners ? RegimenCatalogue.recliner : RegimenCatalogue.bed)
            if restricted.contains(i) {
                switch rng.int(in: 0...2) {
                case 0: chair.available = [TimeWindow(start: time(open), end: time(rng.pick([12 * 60 + 30, 13 * 60, 13 * 60 + 30])!))]
                case 1: chair.available = [TimeWindow(start: time(rng.pick([11 * 60 + 30, 12 * 60, 12 * 60 + 30])!), end: time(latestEnd))]
                default:
                    chair.available = [TimeWindow(start: time(open), end: time(11 * 60 + 30)),
                                       TimeWindow(start: time(13 * 60), end: time(latestEnd))]
                }
            }
            day.chairs.append(chair)
        }
    }

    /// Three staggered 10.5-hour shifts (about 40% from 07:00, 35% from 08:00, 25% from 09:00)
    /// so that the day's first and last hours are thinly staffed; breaks are staggered
    /// half-hourly four to five and a half hours into each shift.
    ///
    /// A primary nurse keeps a patient from start to end (SPEC §2.3), so 8.5-hour shifts
    /// (07:00–15:30, 09:00–17:30, 11:00–19:30) leave too few nurses able to take the 4–5-hour
    /// regimens: on such days the greedy scheduler left 10–15% of the admissible requests out for
    /// want of a nurse, against a few with these shifts.
    mutating func makeNurses() {
        let n = p.nurses
        let early = Int((0.40 * Double(n)).rounded())
        let late = Int((0.25 * Double(n)).rounded())
        let middle = max(0, n - early - late)
        let shifts: [(start: Int, end: Int, count: Int)] = [(7 * 60, 17 * 60 + 30, early), (8 * 60, 18 * 60 + 30, middle),
                                                             (9 * 60, 19 * 60 + 30, n - early - middle)]
        var index = 0
        for shift in shifts {
            for j in 0..<shift.count {
                let breakStart = shift.start + 240 + (j % 4) * 30
                day.nurses.append(Nurse(id: Self.id("N", index, of: n), shiftStart: time(shift.start), shiftEnd: time(shift.end),
                                        capacity: rng.int(in: 4...6), break: NurseBreak(start: time(breakStart), minutes: 30)))
                index += 1
            }
        }
    }

    // MARK: Requests

    /// Chair minutes available in regular hours, the yardstick of demand.
    var regularCapacity: Int {
        day.chairs.reduce(0) { total, chair in
            let windows = chair.available ?? [TimeWindow(start: time(open), end: time(latestEnd))]
            return total + windows.reduce(0) { $0 + max(0, min($1.end.minutes, close) - max($1.start.minutes, open)) }
        }
    }

    /// Draws a regimen per request by booking frequency, keeping bed-only regimens within 60% of
    /// the beds' hours, then swaps long for short regimens (or back) until chair demand is
    /// inside the demand ratio, so that the day is full but not hopeless.
    mutating func chooseRegimens() {
        // Regimens no chair can take (a day of beds only) are never drawn: they could not be placed.
        let types = Set(day.chairs.map(\.type))
        let catalogue = RegimenCatalogue.entries.filter { $0.regimen.chairTypes.contains(where: types.contains) }
        let bedHours = Double(p.beds * (close - open))
        var bedDemand = 0
        for _ in 0..<p.requests {
            var weights = catalogue.map(\.frequency)
            for (k, e) in catalogue.enumerated() where e.bedOnly && Double(bedDemand + e.chairDemand) > 0.6 * bedHours {
                weights[k] = 0
            }
            let k = rng.weightedIndex(weights)!
            if catalogue[k].bedOnly { bedDemand += catalogue[k].chairDemand }
            entries.append(catalogue[k])
        }
        let capacity = Double(regularCapacity)
        let low = p.demandRatio.lowerBound * capacity, high = p.demandRatio.upperBound * capacity
        var demand = Double(entries.reduce(0) { $0 + $1.chairDemand })
        let swappable = catalogue.filter { !$0.bedOnly }
        var rounds = 0
        while (demand < low || demand > high), rounds < 20 * max(1, p.requests) {
            rounds += 1
            let longer = demand < low
            let current = entries.indices.filter { i in
                !entries[i].bedOnly && swappable.contains { longer ? $0.chairDemand > entries[i].chairDemand : $0.chairDemand < entries[i].chairDemand }
            }
            guard let i = rng.pick(current) else { break }
            let options = swappable.filter { longer ? $0.chairDemand > entries[i].chairDemand : $0.chairDemand < entries[i].chairDemand }
            let e = options[rng.weightedIndex(options.map(\.frequency))!]
            demand += Double(e.chairDemand - entries[i].chairDemand)
            entries[i] = e
        }
    }

    func count(_ share: Double, of total: Int) -> Int { min(total, max(0, Int((share * Double(total)).rounded()))) }

    /// Minutes from the start of a same-day draw to the earliest start it allows.
    func drawLead(_ e: RegimenCatalogue.Entry) -> Int {
        day.lab.drawMinutes + day.lab.turnaroundMinutes + ((e.regimen.holdForLabs ?? false) ? (e.regimen.prepMinutes ?? 0) : 0)
    }

    /// Requests that are to carry a fixed booking (replaced in order if one cannot be built).
    var fixedPool: [Int] = []
    var authorizationProblems: Set<Int> = []

    mutating func makeRequests() {
        let n = p.requests
        day.requests = (0..<n).map { TreatmentRequest(id: Self.id("R", $0, of: n), regimen: entries[$0].regimen.id) }
        let all = Array(0..<n)

        // Authorizations: a few pending or denied, some approved but expiring soon, most approved
        // for months, a fifth needing none.
        let problems = rng.sample(all, count: max(p.authorizationProblemShare > 0 && n > 0 ? 1 : 0,
                                                  count(p.authorizationProblemShare, of: n)))
        authorizationProblems = Set(problems)
        fixedPool = rng.shuffled(all.filter { !authorizationProblems.contains($0) })
        let fixedIntended = Set(fixedPool.prefix(p.fixedBookings))
        let expiring = Set(rng.sample(all.filter { !authorizationProblems.contains($0) }, count: count(p.expiringAuthorizationShare, of: n)))
        for i in all {
            if authorizationProblems.contains(i) {
                day.requests[i].authorization = rng.chance(2.0 / 3.0)
                    ? Authorization(status: .pending)
                    : Authorization(status: .denied, validFrom: date.adding(days: -rng.int(in: 1...14)))
            } else if expiring.contains(i) {
                day.requests[i].authorization = Authorization(status: .approved, validFrom: date.adding(days: -rng.int(in: 14...60)),
                                                              validTo: date.adding(days: rng.int(in: 1...20)))
            } else if rng.chance(0.8) {
                day.requests[i].authorization = Authorization(status: .approved, validFrom: date.adding(days: -rng.int(in: 7...90)),
                                                              validTo: date.adding(days: rng.int(in: 30...180)))
            }
        }

        // Labs for regimens that need them: nothing valid on file, on file until mid-morning,
        // or on file for the whole day (drawn at a pre-visit).
        let labNeeding = rng.shuffled(all.filter { entries[$0].needsLabs })
        let sameDay = count(p.sameDayLabShare, of: labNeeding.count)
        let expiringLabs = min(labNeeding.count - sameDay, count(p.expiringLabShare, of: labNeeding.count))
        var mayDraw: [Int] = []
        for (k, i) in labNeeding.enumerated() {
            if k < sameDay {
                day.requests[i].labs = rng.chance(0.5) ? LabStatus() : LabStatus(validUntil: instant(rng.pick([14 * 60, 16 * 60, 18 * 60])!, daysLater: -1))
                mayDraw.append(i)
            } else if k < sameDay + expiringLabs {
                if rng.chance(0.2) {
                    // No draw possible today (a patient without venous access outside the port
                    // clinic): the treatment must start while the labs on file hold.
                    day.requests[i].labs = LabStatus(validUntil: instant(12 * 60), allowSameDayDraw: false)
                } else {
                    day.requests[i].labs = LabStatus(validUntil: instant(rng.pick([8 * 60 + 30, 9 * 60, 9 * 60 + 30, 10 * 60, 10 * 60 + 30])!))
                    mayDraw.append(i)
                }
            } else {
                day.requests[i].labs = LabStatus(validUntil: instant(rng.pick([7 * 60, 12 * 60, 23 * 60 + 59])!, daysLater: 1))
            }
        }
        for i in rng.sample(mayDraw.sorted(), count: count(p.portDrawShare, of: mayDraw.count)) {
            day.requests[i].labsAtChair = true
        }

        // Late drug deliveries: compounded drugs whose ingredients arrive mid-morning.
        let compounded = all.filter { (entries[$0].regimen.prepMinutes ?? 0) > 0 && !fixedIntended.contains($0) }
        for i in rng.sample(compounded, count: count(p.lateDrugShare, of: n)) {
            day.requests[i].drugReadyAt = instant(9 * 60 + slot * rng.int(in: 0...8))
        }

        // Weights: most 1 (left to the default), some 2, a few 3.
        for i in all {
            let x = rng.unit()
            day.requests[i].weight = x < 0.7 ? nil : x < 0.9 ? 2 : 3
        }

        // Patient windows: mornings only, afternoons only, or a span in between, each wide
        // enough for the treatment and its lab lead.
        let windowed = rng.sample(all.filter { !fixedIntended.contains($0) }, count: count(p.windowShare, of: n))
        for i in windowed.sorted() {
            let e = entries[i]
            let lead = mayDraw.contains(i) ? drawLead(e) : 0
            let need = lead + e.regimen.chairMinutes + 60
            var earliest: Int?, latest: Int?
            switch rng.int(in: 0...2) {
            case 0:
                latest = max(rng.pick([12 * 60, 12 * 60 + 30, 13 * 60, 14 * 60])!, roundUp(open + need))
            case 1:
                earliest = min(rng.pick([11 * 60, 11 * 60 + 30, 12 * 60, 13 * 60])!, roundDown(latestEnd - need))
            default:
                let e0 = rng.pick([8 * 60, 8 * 60 + 30, 9 * 60, 10 * 60])!
                earliest = e0
                latest = roundUp(e0 + need) + slot * rng.int(in: 2...10)
            }
            if let l = latest, l > latestEnd { latest = nil }
            if let e0 = earliest, e0 <= open { earliest = nil }
            if earliest != nil || latest != nil {
                day.requests[i].window = PatientWindow(earliest: earliest.map(time), latest: latest.map(time))
            }
        }
    }

    func roundUp(_ m: Int) -> Int { (m + slot - 1) / slot * slot }
    func roundDown(_ m: Int) -> Int { m / slot * slot }

    /// Loosens, in a fixed order, whatever makes an authorized request impossible alone — its
    /// window, then its late drug, then its labs — so that only authorizations rule requests out.
    mutating func makeAdmissible() {
        for round in 0..<3 {
            guard let resolved = try? ResolvedDay(day) else { return }
            var changed = false
            for i in day.requests.indices where !authorizationProblems.contains(i) && !resolved.isAdmissible(i) {
                changed = true
                switch round {
                case 0: day.requests[i].window = nil
                case 1: day.requests[i].drugReadyAt = nil
                default:
                    if day.requests[i].labs != nil { day.requests[i].labs = LabStatus(validUntil: instant(12 * 60, daysLater: 1)) }
                    day.requests[i].labsAtChair = nil
                }
            }
            if !changed { return }
        }
    }

    /// Preferred starts on the grid, inside what the window and the lab lead allow, mostly in
    /// regular hours.
    mutating func makePreferredStarts() {
        guard let resolved = try? ResolvedDay(day) else { return }
        let fixedIntended = Set(fixedPool.prefix(p.fixedBookings))
        let chosen = rng.sample(day.requests.indices.filter { !fixedIntended.contains($0) }, count: count(p.preferredStartShare, of: p.requests))
        for i in chosen.sorted() {
            let q = resolved.requests[i]
            let chair = resolved.regimen(of: i).chairMinutes
            let lead = resolved.needsDraw(i, start: open) ? resolved.inherentLead(of: i) : 0
            let lo = roundUp(max(open, (q.earliest ?? open) + lead, q.drugReadyAt ?? open))
            var hi = roundDown(min(q.latest ?? close, close) - chair)
            if hi < lo { hi = roundDown(min(q.latest ?? latestEnd, latestEnd) - chair) }
            guard hi >= lo else { continue }
            day.requests[i].preferredStart = time(lo + slot * rng.int(in: 0...((hi - lo) / slot)))
        }
    }

    // MARK: Fixed bookings

    /// Gives fixed bookings to the first requests of `fixedPool` for which one can be built.
    ///
    /// Each booking gets its own chair and its own (witness) nurse, checked with the
    /// single-request admissibility of SPEC §3; the witness placements prep just before the start
    /// and draw as late as allowed, and a booking is kept only if those preps and station draws
    /// never need more compounders or stations than there are. Together that is a schedule in
    /// which every fixed booking holds, so they can all hold at once.
    mutating func makeFixedBookings() {
        var usedChairs = Set<Int>(), usedNurses = Set<Int>()
        var preps: [Range<Int>] = [], draws: [Range<Int>] = []
        var built = 0
        for r in fixedPool where built < p.fixedBookings {
            day.requests[r].window = nil
            day.requests[r].preferredStart = nil
            day.requests[r].drugReadyAt = nil
            let e = entries[r]
            let chairs = day.chairs.indices.filter { !usedChairs.contains($0) && e.regimen.chairTypes.contains(day.chairs[$0].type) }
            let nurses = day.nurses.indices.filter { n in
                let nurse = day.nurses[n]
                return !usedNurses.contains(n) && (nurse.capacity ?? 4) >= (e.regimen.acuity ?? 1)
                    && nurse.shiftEnd.minutes - nurse.shiftStart.minutes >= e.regimen.chairMinutes
            }
            guard !chairs.isEmpty, !nurses.isEmpty else { continue }
            for _ in 0..<40 {
                let c = rng.pick(chairs)!, n = rng.pick(nurses)!
                let nurse = day.nurses[n]
                let lo = roundUp(max(open, nurse.shiftStart.minutes))
                let hi = roundDown(min(latestEnd, nurse.shiftEnd.minutes) - e.regimen.chairMinutes)
                guard hi >= lo else { continue }
                let start = lo + slot * rng.int(in: 0...((hi - lo) / slot))
                let writeNurse = rng.chance(0.5)
                var witness = day
                witness.requests[r].fixed = FixedBooking(start: time(start), chair: day.chairs[c].id, nurse: nurse.id)
                guard let resolved = try? ResolvedDay(witness), resolved.isAdmissible(r) else { continue }
                let reg = resolved.regimen(of: r)
                var newPreps = preps, newDraws = draws
                if reg.prepMinutes > 0 { newPreps.append((start - reg.prepMinutes)..<start) }
                if resolved.needsDraw(r, start: start), !resolved.requests[r].labsAtChair {
                    let d = resolved.latestDraw(r, start: start)
                    newDraws.append(d..<(d + resolved.drawMinutes))
                }
                guard Self.peakOverlap(newPreps) <= p.compounders, Self.peakOverlap(newDraws) <= p.labStations else { continue }
                preps = newPreps; draws = newDraws
                usedChairs.insert(c); usedNurses.insert(n)
                day.requests[r].fixed = FixedBooking(start: time(start), chair: day.chairs[c].id, nurse: writeNurse ? nurse.id : nil)
                built += 1
                break
            }
        }
    }

    /// The largest number of `intervals` that share a minute (interval graphs need no more colours).
    static func peakOverlap(_ intervals: [Range<Int>]) -> Int {
        intervals.map { i in intervals.filter { $0.contains(i.lowerBound) }.count }.max() ?? 0
    }
}
