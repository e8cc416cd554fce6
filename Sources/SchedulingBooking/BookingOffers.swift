import Foundation
import SchedulingModel
import SchedulingRules
import SchedulingSolvers

/// A booking screen's session on a horizon: asked repeatedly for the best ways to book one
/// course (SPEC §8 "Offers", docs/BOOKING.md), it builds each day's ``SchedulingSolvers/BookableDay``
/// (its patients placed once) only when an offer first touches that date, and keeps it for the
/// next question.
///
/// Each offer books the course alone against the horizon (not beside other courses' offers),
/// keeps every hard rule of a booking, and carries the schedule of each augmented day that
/// proves no patient already booked is displaced. Offers are distinct date tuples, each with the
/// cheapest start of every visit that its day takes beside everyone
/// (``SchedulingSolvers/BookableDay/slot(for:order:after:)``). Two visits of the course on one
/// date are added to that day in turn, the second on the day that holds the first.
public struct BookingOffers: Sendable {
    /// The horizon the offers are made against.
    public let horizon: Horizon
    /// Days built so far, by date; nil for a day whose own patients could not all be placed
    /// (it takes no visit).
    private var built: [CivilDate: BookableDay?] = [:]
    /// Index into `horizon.days` by day number.
    private let dayIndex: [Int: Int]

    /// Starts a session; no day is built yet.
    public init(_ horizon: Horizon) {
        self.horizon = horizon
        dayIndex = Dictionary(horizon.days.enumerated().map { ($0.element.date.dayNumber, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    /// How many days the session has built so far.
    public var builtDays: Int { built.count }

    /// The `count` best offers for the course `courseID`, cheapest first, as an offers file;
    /// with none, the file says why: the course's unbookability reason, else `capacity`.
    ///
    /// - Parameters:
    ///   - courseID: the id of one of the horizon's courses.
    ///   - count: how many offers at most.
    ///   - control: lets another thread stop the search (``SchedulingSolvers/SolveControl/stop()``);
    ///     a stopped search throws `CancellationError` rather than return offers it has not
    ///     proven to be the best (the days built so far are kept for the next question).
    /// - Throws: ``SchedulingModel/InputError`` (path `course`) when the horizon has no such
    ///   course; ``SchedulingModel/InputError`` when a day does not resolve; `CancellationError`
    ///   when stopped.
    public mutating func offers(for courseID: String, count: Int = 3, control: SolveControl? = nil) throws -> Offers {
        guard let course = horizon.courses.first(where: { $0.id == courseID }) else {
            throw InputError(path: "course", message: "unknown course \"\(clip(courseID))\"", kind: .unknownReference)
        }
        let found = try offers(for: course, count: count, control: control)
        guard found.isEmpty else { return Offers(course: course.id, offers: found) }
        let why = Bookability(horizon).unbookability(of: course)
        return Offers(course: course.id, offers: [], reason: why?.reason ?? .capacity,
                      detail: why?.detail ?? "no room beside the patients already booked")
    }

    /// ``offers(for:count:control:)`` off the calling task: cancelling the task stops the search
    /// at its next date tuple (a day check under way ends first) and throws `CancellationError`.
    public mutating func offers(for courseID: String, count: Int = 3) async throws -> Offers {
        let session = self
        let (answer, after) = try await SolveControl().run { control in
            var session = session
            return (try session.offers(for: courseID, count: count, control: control), session)
        }
        self = after
        return answer
    }

    /// The `count` best offers for `course` (which need not be one of the horizon's), cheapest
    /// first, ranked from 1.
    ///
    /// Date tuples are tried in order of their date cost (delay and offset, a lower bound of
    /// the tuple's cost since a visit's own cost is never negative): first dates one by one in
    /// order of delay, and for each the later visits' dates in order of their distance from
    /// their offsets. Each (date, visits) slot is found once. The search stops when the
    /// `count`-th best offer costs no more than the date cost of anything untried.
    package mutating func offers(for course: Course, count: Int, control: SolveControl? = nil) throws -> [Offer] {
        guard count > 0 else { return [] }
        let plan = DatePlan(horizon: horizon, course: course)
        var frontier = MinHeap<Entry>()
        var memo: [String: Placed?] = [:]
        var found: [Candidate] = []
        if !plan.firsts.isEmpty { frontier.push(Entry(key: plan.delay(0), first: 0, choice: nil, last: 0)) }

        while let next = frontier.peek {
            if control?.isStopped == true { throw CancellationError() }
            if found.count >= count, found[count - 1].cost <= next.key { break }
            let entry = frontier.pop()!
            guard let choice = entry.choice else {
                // Opening first date `f`: its best tuple, and the next first date.
                if plan.later[entry.first].allSatisfy({ !$0.isEmpty }) {
                    let zero = [Int](repeating: 0, count: course.visits.count - 1)
                    frontier.push(Entry(key: plan.dateCost(entry.first, zero), first: entry.first, choice: zero, last: 0))
                }
                if entry.first + 1 < plan.firsts.count {
                    frontier.push(Entry(key: plan.delay(entry.first + 1), first: entry.first + 1, choice: nil, last: 0))
                }
                continue
            }
            // A first date whose day does not take the first visit holds no booking: none of its tuples is tried.
            if case .some(.none) = memo[Self.memoKey(plan.firsts[entry.first], [1])] { continue }
            let lists = plan.later[entry.first]
            for i in entry.last..<choice.count where choice[i] + 1 < lists[i].count {
                var successor = choice
                successor[i] += 1
                frontier.push(Entry(key: plan.dateCost(entry.first, successor), first: entry.first, choice: successor, last: i))
            }
            let dates = plan.dates(entry.first, choice)
            guard let candidate = try evaluate(course, dates: dates, memo: &memo) else { continue }
            let at = found.firstIndex { $0.cost > candidate.cost } ?? found.count
            if at < count {
                found.insert(candidate, at: at)
                if found.count > count { found.removeLast() }
            }
        }
        return found.enumerated().map { offer(course, $1, rank: $0 + 1) }
    }

    // MARK: - Days and slots

    /// The day open on `date` with its patients placed, built on first use.
    private mutating func bookableDay(on date: CivilDate) throws -> BookableDay? {
        if let known = built[date] { return known }
        let day = try BookableDay(horizon.days[dayIndex[date.dayNumber]!])
        let usable = day.schedule == nil ? nil : day
        built[date] = .some(usable)
        return usable
    }

    /// Visits (numbers from 1) added in turn to the day on one date, with their starts.
    private struct Placed {
        var day: BookableDay
        var starts: [Int]
    }

    /// The day on `date` holding `visits` of `course` in turn, each at the cheapest start that
    /// fits after the ones before it; nil when one does not fit. Memoised by date and visits.
    private mutating func place(_ course: Course, _ visits: [Int], on date: CivilDate, memo: inout [String: Placed?]) throws -> Placed? {
        let key = Self.memoKey(date, visits)
        if let known = memo[key] { return known }
        var result: Placed?
        let base: Placed?
        if visits.count == 1 {
            base = try bookableDay(on: date).map { Placed(day: $0, starts: []) }
        } else {
            base = try place(course, Array(visits.dropLast()), on: date, memo: &memo)
        }
        if let base, let slot = try base.day.slot(for: horizon.visitRequest(course, visit: visits.last!, start: nil),
                                                  order: .cheapest, after: horizon.now.minutes(relativeTo: date)) {
            result = Placed(day: slot.day, starts: base.starts + [slot.start])
        }
        memo[key] = .some(result)
        return result
    }

    /// The memo's key of `visits` placed in turn on `date`.
    private static func memoKey(_ date: CivilDate, _ visits: [Int]) -> String { "\(date.dayNumber):\(visits)" }

    /// A date tuple booked at its visits' cheapest starts, priced by the booking objective; nil
    /// when a day does not take its visits.
    private mutating func evaluate(_ course: Course, dates: [CivilDate], memo: inout [String: Placed?]) throws -> Candidate? {
        var byDate: [CivilDate: [Int]] = [:]
        for (k, date) in dates.enumerated() { byDate[date, default: []].append(k + 1) }
        var starts = [Int](repeating: 0, count: dates.count)
        var days: [(date: CivilDate, day: BookableDay)] = []
        for date in byDate.keys.sorted() {
            let visits = byDate[date]!
            guard let placed = try place(course, visits, on: date, memo: &memo) else { return nil }
            for (v, s) in zip(visits, placed.starts) { starts[v - 1] = s }
            days.append((date, placed.day))
        }
        let booked = BookedCourse(course: course, visits: Array(zip(dates, starts)).map { (date: $0.0, start: $0.1) })
        let augmented = Dictionary(uniqueKeysWithValues: days.map { ($0.date, $0.day.resolved) })
        let cost = horizon.objective(booked: [booked], unbookedBookable: [], augmented: augmented).total
        return Candidate(cost: cost, dates: dates, starts: starts, days: days)
    }

    /// An evaluated date tuple.
    private struct Candidate {
        var cost: Double
        var dates: [CivilDate]
        var starts: [Int]
        var days: [(date: CivilDate, day: BookableDay)]
    }

    /// The offer file entry of a candidate: each day's proof as a schedule, each visit as placed there.
    private func offer(_ course: Course, _ c: Candidate, rank: Int) -> Offer {
        var appointments: [String: Appointment] = [:]
        let days = c.days.map { entry -> BookedDay in
            var schedule = entry.day.resolved.makeSchedule(placements: entry.day.schedule ?? [],
                                                           solver: SolverReport(method: .greedy, status: .feasible, seconds: 0))
            schedule.solver = nil
            for a in schedule.appointments { appointments[a.request] = a }
            return BookedDay(date: entry.date, schedule: schedule)
        }
        let visits = c.dates.indices.map { k -> VisitSlot in
            // Every visit is in its day's proof (`BookableDay` holds only proven days).
            let a = appointments[course.visitId(k + 1)]!
            return VisitSlot(date: c.dates[k], start: a.start, end: a.end, chair: a.chair, nurse: a.nurse)
        }
        return Offer(rank: rank, cost: c.cost, visits: visits, days: days)
    }

    // MARK: - The order of date tuples

    /// A pending item of the search: a first date not yet opened (`choice` nil), or a date tuple.
    private struct Entry: Comparable {
        /// The date cost: a lower bound of everything the entry stands for.
        var key: Double
        /// Index into the first dates.
        var first: Int
        /// For each later visit, an index into its dates (nearest its offset first).
        var choice: [Int]?
        /// The last coordinate incremented: successors increment only from it on, so that each
        /// tuple is reached once.
        var last: Int

        static func < (a: Entry, b: Entry) -> Bool {
            if a.key != b.key { return a.key < b.key }
            if a.first != b.first { return a.first < b.first }
            switch (a.choice, b.choice) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x.lexicographicallyPrecedes(y)
            }
        }
    }
}

/// The dates a course's visits may take (SPEC §8 rule 2), and their date cost.
private struct DatePlan {
    let horizon: Horizon
    let course: Course
    /// The first visit's possible dates, ascending: open, from `earliest` (and today) to `latest`,
    /// defining its regimen.
    let firsts: [CivilDate]
    /// For each first date, for each later visit (k = 2…), its dates: open, not past, defining
    /// its regimen, within its tolerance of its offset, nearest the offset first.
    let later: [[[CivilDate]]]

    init(horizon: Horizon, course: Course) {
        self.horizon = horizon; self.course = course
        var regimens: [Int: Set<String>] = [:]
        for day in horizon.days where day.date >= horizon.now.date { regimens[day.date.dayNumber] = Set(day.regimens.map(\.id)) }
        let from = max(horizon.earliest(of: course), horizon.now.date)
        let first = course.regimen(ofVisit: 1)
        firsts = horizon.days.map(\.date).filter { date in
            date >= from && (course.latest.map { date <= $0 } ?? true) && regimens[date.dayNumber]?.contains(first) == true
        }.sorted()
        later = firsts.map { d1 in
            let n1 = d1.dayNumber
            return course.visits.indices.dropFirst().map { i in
                let target = n1 + (course.visits[i].offsetDays ?? 0)
                let tolerance = course.visits[i].toleranceDays ?? 0
                let regimen = course.regimen(ofVisit: i + 1)
                return (target - tolerance...target + tolerance)
                    .filter { regimens[$0]?.contains(regimen) == true }
                    .sorted { (abs($0 - target), $0) < (abs($1 - target), $1) }
                    .map { d1.adding(days: $0 - n1) }
            }
        }
    }

    /// The dates of a tuple: the first date and each later visit's chosen date.
    func dates(_ f: Int, _ choice: [Int]) -> [CivilDate] {
        [firsts[f]] + choice.enumerated().map { later[f][$0.offset][$0.element] }
    }

    /// The booking objective's delay and offset terms of a tuple (its visits' own costs left out).
    func dateCost(_ f: Int, _ choice: [Int]) -> Double {
        let booked = BookedCourse(course: course, visits: dates(f, choice).map { (date: $0, start: 0) })
        return horizon.objective(booked: [booked], unbookedBookable: [], augmented: [:]).total
    }

    /// The delay term of first date `f`: a lower bound of every tuple starting there.
    func delay(_ f: Int) -> Double { dateCost(f, []) }
}

/// A binary min-heap: the search's frontier.
private struct MinHeap<Element: Comparable> {
    private var items: [Element] = []

    var peek: Element? { items.first }

    mutating func push(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0, items[i] < items[(i - 1) / 2] {
            items.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, items[l] < items[m] { m = l }
            if r < items.count, items[r] < items[m] { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}
