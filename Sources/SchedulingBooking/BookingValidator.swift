import SchedulingModel
import SchedulingRules

/// Checks a bookings file against its horizon (docs/BOOKING.md): every course once, booked whole
/// or unbooked with the right reason; each first visit inside the course's dates, each later one
/// within its tolerance, every visit on an open date and after `now`; for every day that received
/// a visit, a schedule of the augmented day that the day ``SchedulingRules/Validator`` accepts,
/// that holds each visit where the booking says, and that displaces no patient already booked;
/// and the objective recomputed term by term.
public enum BookingValidator {
    /// Checks `bookings` against `horizon` (a horizon that has passed its own checks, as
    /// ``Horizon/load(path:)`` and ``Horizon/decode(_:file:)`` return it).
    ///
    /// - Complexity: one day validation per day that received a visit, plus the bookability of
    ///   every unbooked course (docs/BOOKING.md).
    public static func validate(_ bookings: Bookings, horizon: Horizon) -> BookingReport {
        var log: [BookingViolation] = []
        func add(_ rule: BookingViolation.Rule, _ course: String?, _ message: String) {
            log.append(BookingViolation(rule: rule, course: course, message: message))
        }
        if bookings.format != Bookings.formatTag {
            add(.coverage, nil, "unknown format \"\(clip(bookings.format))\": expected \"\(Bookings.formatTag)\"")
        }
        let courseIndex = Dictionary(horizon.courses.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var listed = [Bool](repeating: false, count: horizon.courses.count)
        func claim(_ id: String, _ what: String) -> Int? {
            guard let c = courseIndex[id] else { add(.coverage, nil, "\(what): unknown course \"\(clip(id))\""); return nil }
            guard !listed[c] else { add(.coverage, id, "\(id): appears more than once"); return nil }
            listed[c] = true
            return c
        }

        // Booked courses: whole, on open dates, within their dates and tolerances, after now.
        var booked: [BookedCourse] = []
        var bookedIds = Set<String>()
        var slots: [(course: Course, visit: Int, slot: VisitSlot)] = []
        for (i, b) in bookings.bookings.enumerated() {
            guard let c = claim(b.course, "booking \(i + 1)") else { continue }
            let course = horizon.courses[c]
            bookedIds.insert(course.id)
            guard b.visits.count == course.visits.count else {
                add(.visits, course.id, "\(course.id): books \(b.visits.count) of its \(course.visits.count) visits (a course is booked whole or not at all)")
                continue
            }
            guard checkDates(b.visits, of: course, horizon: horizon, add: add) else { continue }
            booked.append(BookedCourse(course: course, visits: b.visits.map { ($0.date, $0.start.minutes) }))
            for (k, slot) in b.visits.enumerated() { slots.append((course, k + 1, slot)) }
        }
        var reported: [(course: Course, reason: UnbookedReason)] = []
        for (j, u) in bookings.unbooked.enumerated() {
            guard let c = claim(u.course, "unbooked \(j + 1)") else { continue }
            reported.append((horizon.courses[c], u.reason))
        }
        for (c, course) in horizon.courses.enumerated() where !listed[c] {
            add(.coverage, course.id, "\(course.id): neither booked nor listed as unbooked")
        }

        // The days that received visits: each augmented, with one schedule that proves rule (3).
        let byDate = Dictionary(grouping: slots, by: \.slot.date)
        var entries: [CivilDate: Schedule] = [:]
        for (i, entry) in bookings.days.enumerated() {
            if entries[entry.date] != nil {
                add(.days, nil, "days[\(i)]: a second schedule for \(entry.date)")
            } else if byDate[entry.date] == nil {
                add(.days, nil, "days[\(i)]: no visit is booked on \(entry.date)")
            } else {
                entries[entry.date] = entry.schedule
            }
        }
        var augmented: [CivilDate: ResolvedDay] = [:]
        var notes: [String] = []
        var expectedAlerts = Set<String>()
        for date in byDate.keys.sorted() {
            let visits = byDate[date]!
            let day: ResolvedDay
            do {
                let refs = visits.map { VisitBooking(course: $0.course.id, visit: $0.visit, start: $0.slot.start) }
                day = try ResolvedDay(horizon.augmentedDay(on: date, with: refs))
            } catch {
                add(.days, nil, "\(date): the augmented day cannot be built: \((error as? InputError)?.message ?? "\(error)")")
                continue
            }
            augmented[date] = day
            for alert in day.authorizationAlerts() where visits.contains(where: { $0.course.visitId($0.visit) == alert.request }) {
                expectedAlerts.insert(alert.request ?? "")
            }
            guard let schedule = entries[date] else {
                add(.days, nil, "\(date): received visits but has no schedule in days")
                continue
            }
            checkDay(schedule, day: day, date: date, visits: visits, add: add, notes: &notes)
        }

        // Reasons and the objective.
        let bookability = Bookability(horizon)
        var unbookedBookable: [Course] = []
        for course in horizon.courses where !bookedIds.contains(course.id) {
            let why = bookability.unbookability(of: course)
            if why == nil { unbookedBookable.append(course) }
            if let given = reported.first(where: { $0.course.id == course.id })?.reason {
                let computed = why?.reason ?? .capacity
                if given != computed {
                    add(.reason, course.id, "\(course.id): reported reason \(given.rawValue), computed \(computed.rawValue)"
                        + (why.map { " (\($0.detail))" } ?? " (it fits an otherwise empty horizon)"))
                }
            }
        }
        let objective = horizon.objective(booked: booked, unbookedBookable: unbookedBookable, augmented: augmented)
        for message in objectiveDifferences(reported: bookings.objective, computed: objective) { add(.objective, nil, message) }
        let givenAlerts = Set(bookings.alerts.filter { $0.kind == .authorizationExpiring }.compactMap(\.request))
        for id in expectedAlerts.subtracting(givenAlerts).sorted() { notes.append("\(id): no authorizationExpiring alert") }
        for id in givenAlerts.subtracting(expectedAlerts).sorted() { notes.append("\(clip(id)): authorizationExpiring alert not expected") }
        if bookings.solver == nil { notes.append("no solver report") }
        // Listed by rule, in the order the rules are declared, and within a rule as found.
        let rank = { (rule: BookingViolation.Rule) in BookingViolation.Rule.allCases.firstIndex(of: rule)! }
        let sorted = log.enumerated().sorted { (rank($0.element.rule), $0.offset) < (rank($1.element.rule), $1.offset) }.map(\.element)
        return BookingReport(violations: sorted, objective: objective, notes: notes)
    }

    /// The reported objective's terms that differ from the recomputed ones (within the day
    /// validator's relative tolerance), one message each.
    private static func objectiveDifferences(reported: BookingObjective?, computed: BookingObjective) -> [String] {
        guard let reported else { return ["no objective reported"] }
        let terms: [(String, Double, Double)] = [
            ("unbooked", reported.unbooked, computed.unbooked), ("delay", reported.delay, computed.delay),
            ("offset", reported.offset, computed.offset), ("overtime", reported.overtime, computed.overtime),
            ("preference", reported.preference, computed.preference), ("total", reported.total, computed.total),
        ]
        return terms.filter { !Validator.close($0.1, $0.2) }.map { name, given, expected in
            "objective.\(name) reported \(Validator.number(given)), recomputed \(Validator.number(expected))"
        }
    }

    /// Rule (2) for one booked course: the first visit within `earliest...latest`, each later one
    /// within its tolerance of its offset, every visit on an open date whose day defines its
    /// regimen, and starting after `now`. False when a visit's day cannot be read at all.
    private static func checkDates(_ visits: [VisitSlot], of course: Course, horizon: Horizon,
                                   add: (BookingViolation.Rule, String?, String) -> Void) -> Bool {
        let id = course.id
        let d1 = visits[0].date
        let earliest = horizon.earliest(of: course)
        if d1 < earliest { add(.dates, id, "\(id): first visit on \(d1), before the earliest date \(earliest)") }
        if let latest = course.latest, latest < d1 { add(.dates, id, "\(id): first visit on \(d1), after the latest date \(latest)") }
        var readable = true
        for (k, v) in visits.enumerated() {
            let visit = "\(course.visitId(k + 1))"
            if k > 0 {
                let offset = course.visits[k].offsetDays ?? 0, tolerance = course.visits[k].toleranceDays ?? 0
                let away = v.date.dayNumber - d1.dayNumber - offset
                if abs(away) > tolerance {
                    add(.dates, id, "\(visit): on \(v.date), \(away) day(s) from its offset of \(offset) days after \(d1) (tolerance \(tolerance))")
                }
            }
            guard let day = horizon.day(on: v.date) else {
                add(.dates, id, "\(visit): \(v.date) is not an open date")
                readable = false
                continue
            }
            if !day.regimens.contains(where: { $0.id == course.regimen(ofVisit: k + 1) }) {
                add(.dates, id, "\(visit): regimen \(course.regimen(ofVisit: k + 1)) is not defined on \(v.date)")
                readable = false
            }
            if v.start.minutes <= horizon.now.minutes(relativeTo: v.date) {
                add(.dates, id, "\(visit): starts \(v.date)T\(v.start), not after now (\(horizon.now))")
            }
        }
        return readable
    }

    /// Rule (3) on one day: the day validator's verdict on the schedule of the augmented day, each
    /// visit in it as booked, and every patient already booked who is admissible still scheduled.
    private static func checkDay(_ schedule: Schedule, day: ResolvedDay, date: CivilDate,
                                 visits: [(course: Course, visit: Int, slot: VisitSlot)],
                                 add: (BookingViolation.Rule, String?, String) -> Void, notes: inout [String]) {
        let report = Validator.validate(schedule, day: day)
        for v in report.violations { add(.days, nil, "\(date): \(v.description)") }
        notes += report.notes.map { "\(date): \($0)" }
        let appointments = Dictionary(schedule.appointments.map { ($0.request, $0) }, uniquingKeysWith: { a, _ in a })
        for v in visits {
            let id = v.course.visitId(v.visit)
            guard let a = appointments[id] else {
                add(.placement, v.course.id, "\(id): booked on \(date) at \(v.slot.start) but not in that day's schedule")
                continue
            }
            var differences: [String] = []
            if a.start != v.slot.start { differences.append("start \(a.start), booked \(v.slot.start)") }
            if a.end != v.slot.end { differences.append("end \(a.end), booked \(v.slot.end)") }
            if a.chair != v.slot.chair { differences.append("chair \(a.chair), booked \(v.slot.chair)") }
            if a.nurse != v.slot.nurse { differences.append("nurse \(a.nurse), booked \(v.slot.nurse)") }
            if !differences.isEmpty {
                add(.placement, v.course.id, "\(id): the schedule of \(date) has " + differences.joined(separator: ", "))
            }
        }
        // The day's own requests come first in the augmented day.
        let original = day.requests.count - visits.count
        for r in 0..<original where appointments[day.requests[r].id] == nil && day.isAdmissible(r) {
            add(.displaced, nil, "\(date): \(day.requests[r].id) is admissible but not scheduled (a booking never displaces a patient already booked)")
        }
    }
}

/// One broken rule in a bookings file.
public struct BookingViolation: Sendable, Hashable, CustomStringConvertible {
    /// The rule a bookings file breaks.
    public enum Rule: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Every course exactly once, booked or unbooked, by a known id (and the format tag).
        case coverage
        /// A booked course lists every visit it has.
        case visits
        /// The first visit within the course's dates, later ones within their tolerance, every
        /// visit on an open date whose day defines its regimen, after `now`.
        case dates
        /// Each day that received visits has one schedule of its augmented day, which keeps every
        /// hard rule; no schedule for a day without visits.
        case days
        /// Each visit is in its day's schedule at its start, chair and nurse.
        case placement
        /// No patient already booked (and admissible) is left out of a day's schedule.
        case displaced
        /// The reported objective matches the recomputed one, term by term.
        case objective
        /// An unbooked course's reason is the computed one.
        case reason

        /// The rule's name, as a violation line shows it in brackets.
        public var description: String { rawValue }
    }

    /// The rule broken.
    public var rule: Rule
    /// The id of the course concerned, if any.
    public var course: String?
    /// One line saying what is wrong.
    public var message: String

    /// Creates a violation.
    public init(rule: Rule, course: String?, message: String) { self.rule = rule; self.course = course; self.message = message }

    /// The violation on one line, e.g. `[dates] K002.2: on 2026-12-23, 3 day(s) from its offset…`,
    /// with control characters from the files escaped.
    public var description: String { "[\(rule)] \(InputError.printable(message, limit: 2_000))" }
}

/// What the bookings validator found: broken rules, the recomputed objective and remarks.
public struct BookingReport: Sendable {
    /// Violations; the bookings are invalid when there is any.
    public var violations: [BookingViolation]
    /// The booking objective recomputed from the bookings.
    public var objective: BookingObjective
    /// Non-fatal remarks: each day validator's notes, alerts that differ from the expected ones.
    public var notes: [String]

    /// Creates a report.
    public init(violations: [BookingViolation], objective: BookingObjective, notes: [String]) {
        self.violations = violations; self.objective = objective; self.notes = notes
    }

    /// Whether the bookings keep every rule.
    public var isValid: Bool { violations.isEmpty }
}
