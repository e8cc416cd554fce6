import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingGenerator

/// Builds synthetic horizons for tests, benchmarks and demonstrations: weeks of clinic days
/// holding patients already booked, and courses to book into them.
///
/// Weekdays are open but for public holidays (24–26 December, 1 January) and one closure a
/// month (a staff training day); weekends are closed. Each open day is a ``SchedulingGenerator/DayGenerator``
/// day of the profile for its date, with `load` times the profile's requests and chair demand;
/// it then keeps only the requests a schedule places — the greedy scheduler's, repeated on the
/// reduced day until it places every request — so that every day holds patients who can all
/// stay. Courses follow common cycles (a weekly ×3, fortnightly and three-weekly regimens, a
/// daily ×3 hydration), with tolerances, drug lead times of 0, 24 or 48 hours, patient windows,
/// preferred starts, same-day labs and authorizations, some pending and some ending mid-horizon.
///
/// The same arguments give the same horizon, and so the same ``Horizon/jsonString()``, byte for byte.
public enum HorizonGenerator {
    /// When generated bookings are made unless told otherwise: a Monday, 16:00.
    public static let defaultNow = LocalDateTime(date: CivilDate(year: 2026, month: 12, day: 7)!, time: ClockTime(minutes: 16 * 60))

    /// A synthetic horizon.
    ///
    /// - Parameters:
    ///   - profile: the size of every day (``SchedulingGenerator/DayProfile``).
    ///   - weeks: how many weeks the horizon spans, from the day after `now` (at least 1).
    ///   - courses: how many courses to book.
    ///   - load: how full the days already are, `0...1`: the share of the profile's requests (and of
    ///     its chair demand) each day is generated with before the requests no schedule places are
    ///     dropped; 1 is a full day of the profile, 0 an empty one.
    ///   - seed: the random seed.
    ///   - now: when the booking is made.
    public static func generate(profile: DayProfile, weeks: Int, courses: Int, load: Double, seed: UInt64,
                                now: LocalDateTime = defaultNow) -> Horizon {
        var rng = SeededRandom(seed: seed)
        let span = max(1, weeks) * 7
        let first = now.date.adding(days: 1)
        let dates = (0..<span).map { first.adding(days: $0) }
        let days = openDates(dates, rng: &rng).map { date in
            bookedDay(profile: profile, load: min(max(load, 0), 1), seed: rng.next(), date: date)
        }
        let made = (0..<max(0, courses)).map { i in
            course(i, of: courses, catalogue: days.first?.regimens ?? [], from: first, span: span, now: now, rng: &rng)
        }
        return Horizon(now: now, days: days, courses: made,
                       objective: BookingWeights(unbookedPenalty: 10_000, delayPerDay: 10, offsetPerDay: 50))
    }

    /// The weekdays of `dates` but the holidays and one training day in every four weeks.
    private static func openDates(_ dates: [CivilDate], rng: inout SeededRandom) -> [CivilDate] {
        func isHoliday(_ d: CivilDate) -> Bool { (d.month == 12 && (24...26).contains(d.day)) || (d.month == 1 && d.day == 1) }
        let weekdays = dates.filter { weekday($0) == $0 && !isHoliday($0) }
        var closed = Set<CivilDate>()
        for block in stride(from: 0, to: dates.count, by: 28) {
            let inBlock = weekdays.filter { (dates[block]...dates[min(dates.count, block + 28) - 1]).contains($0) }
            if let d = rng.pick(inBlock) { closed.insert(d) }
        }
        return weekdays.filter { !closed.contains($0) }
    }

    /// A day of `profile` at `load` whose requests a schedule places in full.
    static func bookedDay(profile: DayProfile, load: Double, seed: UInt64, date: CivilDate) -> Day {
        var p = GeneratorParameters.preset(profile)
        p.requests = Int((load * Double(p.requests)).rounded())
        p.fixedBookings = min(p.fixedBookings, p.requests)
        p.demandRatio = (p.demandRatio.lowerBound * load)...(p.demandRatio.upperBound * load)
        return keepingPlaced(DayGenerator.generate(p, seed: seed, date: date))
    }

    /// `day` with only the requests its greedy schedule places, again until it places them all
    /// (each round drops at least one request, so this ends).
    static func keepingPlaced(_ day: Day) -> Day {
        var day = day
        while true {
            let options = SolveOptions(method: .greedy, pace: .deterministic)
            guard let placed = try? Scheduler.solve(day, options: options).placements else {
                // Fixed bookings that cannot all hold: the day keeps them unfixed.
                if day.requests.allSatisfy({ $0.fixed == nil }) { day.requests = []; return day }
                for r in day.requests.indices { day.requests[r].fixed = nil }
                continue
            }
            let kept = Set(placed.map(\.request))
            if kept.count == day.requests.count { return day }
            day.requests = day.requests.indices.filter(kept.contains).map { day.requests[$0] }
        }
    }

    /// A cycle: the regimen, each visit's offset and tolerance, and a regimen for the first
    /// visit when it differs.
    private struct Cycle {
        var regimen: String
        var offsets: [Int]
        var tolerances: [Int]
        var laterRegimen: String? = nil
        var span: Int { offsets.last! + tolerances.last! }
    }

    private static let cycles: [Cycle] = [
        Cycle(regimen: "FOLFOX", offsets: [0, 14], tolerances: [0, 2]),
        Cycle(regimen: "FOLFOX", offsets: [0, 14], tolerances: [0, 2], laterRegimen: "FOLFIRI"),
        Cycle(regimen: "CARBO-TAXOL", offsets: [0, 21], tolerances: [0, 3]),
        Cycle(regimen: "PEMBRO", offsets: [0, 21], tolerances: [0, 3]),
        Cycle(regimen: "RCHOP", offsets: [0, 21], tolerances: [0, 3]),
        Cycle(regimen: "GEMCIS", offsets: [0, 7], tolerances: [0, 1]),
        Cycle(regimen: "DOCETAXEL", offsets: [0, 7, 14], tolerances: [0, 1, 1]),
        Cycle(regimen: "IRON", offsets: [0, 7], tolerances: [0, 2]),
        Cycle(regimen: "HYDRATION", offsets: [0, 1, 2], tolerances: [0, 0, 0]),
    ]

    /// Course `i`: a cycle that mostly fits the horizon, dates from a few days ahead, and the
    /// patient's data.
    private static func course(_ i: Int, of count: Int, catalogue: [Regimen], from first: CivilDate, span: Int,
                               now: LocalDateTime, rng: inout SeededRandom) -> Course {
        let digits = String(i + 1)
        let id = "K" + String(repeating: "0", count: max(3, String(count).count) - digits.count) + digits
        let fitting = cycles.filter { $0.span <= span - 5 }
        let cycle = rng.chance(0.85) ? (rng.pick(fitting) ?? rng.pick(cycles)!) : rng.pick(cycles)!
        let room = max(0, span - 1 - cycle.span)
        let earliest = weekday(first.adding(days: rng.int(in: 0...min(4, room))))
        let lastFirstDate = first.adding(days: room)
        var latest: CivilDate? = earliest.adding(days: rng.int(in: 3...10))
        if let l = latest, lastFirstDate < l { latest = max(earliest, lastFirstDate) }
        if rng.chance(0.2) { latest = nil }
        var visits = zip(cycle.offsets, cycle.tolerances).map { CourseVisit(offsetDays: $0, toleranceDays: $1 > 0 ? $1 : nil) }
        visits[0].offsetDays = 0
        if let later = cycle.laterRegimen { for k in visits.indices.dropFirst() { visits[k].regimen = later } }
        var course = Course(id: id, regimen: cycle.regimen, earliest: earliest, latest: latest, visits: visits)

        let x = rng.unit()
        course.weight = x < 0.7 ? nil : x < 0.9 ? 2 : 3
        course.drugLeadHours = rng.pick([0, 0, 24, 48]).flatMap { $0 > 0 ? $0 : nil }
        let a = rng.unit()
        if a < 0.05 {
            course.authorization = Authorization(status: .pending)
        } else if a < 0.2 {
            course.authorization = nil
        } else if a < 0.35 {
            // Ends mid-horizon: later visits of a long course may fall past it.
            course.authorization = Authorization(status: .approved, validFrom: now.date.adding(days: -rng.int(in: 7...30)),
                                                 validTo: first.adding(days: span / 2))
        } else {
            course.authorization = Authorization(status: .approved, validFrom: now.date.adding(days: -rng.int(in: 7...60)),
                                                 validTo: first.adding(days: span + rng.int(in: 30...120)))
        }
        let regimen = catalogue.first { $0.id == cycle.regimen }
        let chair = regimen?.chairMinutes ?? 120
        let holds = regimen?.holdForLabs ?? false
        if holds {
            course.labs = LabStatus(allowSameDayDraw: true)
            course.labsAtChair = rng.chance(0.3) ? true : nil
        }
        let lead = holds ? 120 : 0
        if rng.chance(0.25) {
            // Mornings or afternoons, each wide enough for the treatment, its labs and an hour to spare.
            let need = lead + chair + 60
            course.window = rng.chance(0.5)
                ? PatientWindow(latest: ClockTime(minutes: min(19 * 60, max(13 * 60, roundUp(450 + need)))))
                : PatientWindow(earliest: ClockTime(minutes: max(7 * 60 + 30, min(11 * 60, (19 * 60 - need) / 15 * 15))))
        }
        if rng.chance(0.4) { course.preferredStart = ClockTime(minutes: 8 * 60 + 30 * rng.int(in: 0...8)) }
        return course
    }

    /// `date`, or the Monday after it when it falls on a weekend.
    private static func weekday(_ date: CivilDate) -> CivilDate {
        // 1970-01-01 was a Thursday: (dayNumber + 3) % 7 counts from Monday.
        let day = ((date.dayNumber + 3) % 7 + 7) % 7
        return day < 5 ? date : date.adding(days: 7 - day)
    }

    private static func roundUp(_ m: Int) -> Int { (m + 14) / 15 * 15 }
}
