import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import MIPKit

/// The days of a horizon as batch booking changes them, and the searches over them: each date's
/// ``SchedulingSolvers/BookableDay`` with the visits booked so far, the candidate dates of each
/// course, and booking one course at chosen dates (docs/BOOKING.md, "Batch booking").
///
/// Every day check is a ``SchedulingSolvers/BookableDay/slot(for:order:after:)``; a chain of visits
/// added to a day is remembered by the visits it holds, so that trying the same visits again
/// (another tuple, another round of the program) costs nothing.
final class BatchSearch {
    /// One choice of dates for a course: visit `k`'s date at `dates[k]`, all distinct.
    struct Tuple: Hashable {
        var dates: [CivilDate]
        /// `weight × delayPerDay × (d1 − earliest) + offsetPerDay × Σ |dk − d1 − offset_k|`.
        var fixedCost: Double
    }

    /// Bookings made so far: the days as they stand and each booked course's visits.
    struct Plan {
        /// Each date that received visits, with them added.
        var days: [CivilDate: BookableDay] = [:]
        /// The visits each such date received, in the order added, with the order of the search
        /// that added each (the key of its chain).
        var added: [CivilDate: [String]] = [:]
        /// By course index: each visit's date, start and own cost (overtime and preference).
        var booked: [Int: [(date: CivilDate, start: Int, cost: Double)]] = [:]
    }

    /// Where booking a course at a tuple failed: the visit (from 0) and its date.
    struct Failure { var visit: Int; var date: CivilDate }

    let horizon: Horizon
    /// Each open day with its patients placed, by date.
    let base: [CivilDate: BookableDay]
    /// Open dates by day number.
    private let openDates: [Int: CivilDate]
    /// Per course: nil when bookable (SPEC §8), else its reason.
    let unbookability: [(reason: UnbookedReason, detail: String)?]
    /// The penalty of leaving each course out: `unbookedPenalty × weight` when bookable, else 0.
    let penalty: [Double]

    private struct VisitKey: Hashable {
        var date: CivilDate
        var request: TreatmentRequest
        /// The day's state when the key names a visit on a changed day (empty on the day as it came).
        var state = ""
    }
    private var baseSlots: [VisitKey: BookableDay.Slot?] = [:]
    private var lowCosts: [VisitKey: Double] = [:]
    private var chains: [String: BookableDay.Slot?] = [:]
    /// Day states (date, the visits added, the check's order and kind) at which a visit, as the
    /// caches key it, found no start: any course's same visit finds none there either.
    private var refusals: Set<VisitKey> = []
    private var tupleCache: [Int: [Tuple]] = [:]

    /// Most date tuples the program takes per course (the first in date order).
    static let maxTuples = 400
    /// Starts at which a thorough day check lets the greedy scheduler move the day's patients
    /// when inserting the visit beside them fails (``BookableDay/greedyStarts``); a quick check
    /// only inserts.
    static let greedyStarts = 1
    /// Tuples a thorough pass tries per course.
    static let thoroughTuples = 8
    /// Thorough day checks (not answered from the caches) a thorough pass may make: each runs
    /// the greedy scheduler on a day, so a crowded horizon would otherwise spend minutes here.
    /// A count, not a time, keeps the run deterministic.
    static let thoroughChecks = 400
    /// Thorough day checks left in the current pass.
    private var thoroughLeft = 0
    /// The greedy scheduler without the fixed-bookings decision: a day check needs a proof, and
    /// a refusal is only a no, whatever its reason.
    static let effort = AddedVisits.Effort(greedy: true, mipSeconds: 0, decisionSeconds: 0)
    /// Most first dates the program takes per course (the earliest that have a tuple).
    static let maxFirstDates = 15

    /// The caller's request to stop: first-fit's thorough pass and the program's rounds end at
    /// their next step (a program under way at its next branch-and-bound node) and the best plan
    /// so far is kept.
    var stop: StopSignal?

    /// Whether the caller asked the search to stop.
    var stopped: Bool { stop?.isSet ?? false }

    /// Places the patients of every open day of `horizon` and reads every course's bookability.
    ///
    /// - Throws: ``SchedulingModel/InputError`` when a day does not resolve.
    /// - Parameter stop: when set (before or while the days are placed), the days not placed
    ///   yet are left out of ``base``: no course is booked into them, and the caller returns what
    ///   it has.
    init(_ horizon: Horizon, stop: StopSignal? = nil) throws {
        self.horizon = horizon
        self.stop = stop
        var base: [CivilDate: BookableDay] = [:]
        for day in horizon.days {
            if stop?.isSet ?? false { break }
            var bookable = try BookableDay(day)
            bookable.greedyStarts = 0
            bookable.effort = Self.effort
            base[day.date] = bookable
        }
        self.base = base
        openDates = Dictionary(horizon.days.map { ($0.date.dayNumber, $0.date) }, uniquingKeysWith: { a, _ in a })
        let bookability = Bookability(horizon)
        unbookability = horizon.courses.map { bookability.unbookability(of: $0) }
        let w = horizon.weights
        penalty = zip(horizon.courses, unbookability).map { course, why in why == nil ? w.unbookedPenalty * (course.weight ?? 1) : 0 }
    }

    /// Visit `k` (from 0) of course `c` as a request with no start.
    func request(_ c: Int, _ k: Int) -> TreatmentRequest { horizon.visitRequest(horizon.courses[c], visit: k + 1, start: nil) }

    /// The request as the caches key it: the same visit of any course on the same day fits the
    /// same starts, whatever its id.
    private func key(_ c: Int, _ k: Int, _ date: CivilDate) -> VisitKey {
        var r = request(c, k)
        r.id = "visit"
        return VisitKey(date: date, request: r)
    }

    /// The cheapest start of visit `k` of course `c` on `date` beside the day's own patients
    /// alone, or nil when the day does not take it (then no booking uses that date for it).
    func baseSlot(_ c: Int, _ k: Int, _ date: CivilDate) -> BookableDay.Slot? {
        let key = key(c, k, date)
        if let known = baseSlots[key] { return known }
        let slot = base[date].flatMap { try? $0.slot(for: key.request, order: .cheapest) }
        baseSlots[key] = slot
        return slot
    }

    /// The least overtime and preference visit `k` of course `c` can pay on `date`: the minimum
    /// over the starts it can take alone on the day (no other request), so never above what it
    /// pays at any start of any booking.
    func lowCost(_ c: Int, _ k: Int, _ date: CivilDate) -> Double {
        let key = key(c, k, date)
        if let known = lowCosts[key] { return known }
        var cost = 0.0
        if var alone = base[date]?.day {
            alone.requests = [key.request]
            if let resolved = try? ResolvedDay(alone) {
                cost = resolved.startsFeasibleAlone(0).map { s in
                    let t = resolved.termCosts(of: 0, start: s, draw: nil)
                    return t.overtime + t.preference
                }.min() ?? 0
            }
        }
        lowCosts[key] = cost
        return cost
    }

    /// The date tuples of course `c` in date order (first visit first, then each later visit's
    /// dates from the earliest): `d1` from its earliest to its latest date, each later visit
    /// within its tolerance, every date open, after the date of `now` and distinct, and each
    /// visit taken by its day beside the day's own patients (``baseSlot(_:_:_:)``). At most
    /// ``maxTuples``, from at most ``maxFirstDates`` first dates; none for a course that is not
    /// bookable.
    func tuples(_ c: Int) -> [Tuple] {
        if let known = tupleCache[c] { return known }
        var found: [Tuple] = []
        var firstDates: Set<Int> = []
        forEachTuple(c) { tuple in
            firstDates.insert(tuple.dates[0].dayNumber)
            guard firstDates.count <= Self.maxFirstDates else { return true }
            found.append(tuple)
            return found.count >= Self.maxTuples
        }
        tupleCache[c] = found
        return found
    }

    /// Calls `body` with the date tuples of course `c` in the order of ``tuples(_:)``, without
    /// their limits, until it returns true; the days are tried only as far as the tuples go.
    func forEachTuple(_ c: Int, _ body: (Tuple) -> Bool) {
        let course = horizon.courses[c]
        guard unbookability[c] == nil else { return }
        let w = horizon.weights
        let first = max(horizon.earliest(of: course).dayNumber, horizon.now.date.dayNumber + 1)
        let last = course.latest?.dayNumber ?? Int.max
        var stop = false
        func usable(_ k: Int, _ n: Int) -> CivilDate? {
            guard n > horizon.now.date.dayNumber, let date = openDates[n], baseSlot(c, k, date) != nil else { return nil }
            return date
        }
        func extend(_ dates: [CivilDate], _ offsetCost: Double) {
            let k = dates.count
            guard k < course.visits.count else {
                let delay = (course.weight ?? 1) * w.delayPerDay * Double(dates[0].dayNumber - horizon.earliest(of: course).dayNumber)
                stop = body(Tuple(dates: dates, fixedCost: delay + offsetCost))
                return
            }
            let target = dates[0].dayNumber + (course.visits[k].offsetDays ?? 0)
            let tolerance = course.visits[k].toleranceDays ?? 0
            for n in (target - tolerance)...(target + tolerance) where !stop && !dates.contains(where: { $0.dayNumber == n }) {
                guard let date = usable(k, n) else { continue }
                extend(dates + [date], offsetCost + w.offsetPerDay * Double(abs(n - target)))
            }
        }
        for n in openDates.keys.sorted() where n >= first && n <= last && !stop {
            guard let date = usable(0, n) else { continue }
            extend([date], 0)
        }
    }

    /// Books course `c` at `tuple` on the days of `plan`: each visit in turn at its first start
    /// in `order` that its day, as it stands, takes beside everyone (``BookableDay/slot(for:order:after:)``;
    /// by insertion only, or `thorough`ly: also letting the greedy scheduler move the day's
    /// patients at ``greedyStarts`` starts). The plan is unchanged when a visit finds no start;
    /// the failure names it.
    func book(_ c: Int, at tuple: Tuple, order: BookableDay.Order, thorough: Bool = false, in plan: inout Plan) -> Failure? {
        var next = plan
        var visits: [(date: CivilDate, start: Int, cost: Double)] = []
        let mark = (order == .cheapest ? "c" : "e") + (thorough ? "t" : "")
        for (k, date) in tuple.dates.enumerated() {
            guard var day = next.days[date] ?? base[date] else { return Failure(visit: k, date: date) }
            day.greedyStarts = thorough ? Self.greedyStarts : 0
            let token = "\(horizon.courses[c].visitId(k + 1)):\(mark)"
            let chain = "\(date)|" + (next.added[date] ?? []).joined(separator: ",") + "|" + token
            var refusal = key(c, k, date)
            refusal.state = String(chain.dropLast(token.count)) + mark
            let slot: BookableDay.Slot?
            if let known = chains[chain] {
                slot = known
            } else if refusals.contains(refusal) || (thorough && thoroughLeft <= 0) {
                slot = nil
            } else {
                if thorough { thoroughLeft -= 1 }
                slot = try? day.slot(for: request(c, k), order: order)
                chains[chain] = slot
                if slot == nil { refusals.insert(refusal) }
            }
            guard let slot else { return Failure(visit: k, date: date) }
            next.days[date] = slot.day
            next.added[date, default: []].append(token)
            visits.append((date, slot.start, slot.cost))
        }
        next.booked[c] = visits
        plan = next
        return nil
    }

    /// Books each course of `courses` not yet in `plan`, in the order given, at its first date
    /// tuple (``forEachTuple(_:_:)``) whose visits all find a start in `order` by insertion;
    /// then, when `thorough`, each course still left out, in the same order, at the first of its
    /// first ``thoroughTuples`` tuples that a thorough check takes, until ``thoroughChecks``
    /// checks are spent or the real instant `until`.
    ///
    /// - Returns: false when `until` or a stop cut the pass.
    @discardableResult
    func firstFit(_ courses: [Int], order: BookableDay.Order = .earliest, thorough: Bool = true,
                  until: ContinuousClock.Instant? = nil, into plan: inout Plan) -> Bool {
        for c in courses where plan.booked[c] == nil {
            if stopped { return false }
            forEachTuple(c) { tuple in book(c, at: tuple, order: order, in: &plan) == nil }
        }
        thoroughLeft = Self.thoroughChecks
        for c in courses where thorough && plan.booked[c] == nil {
            if stopped { return false }
            if let until, ContinuousClock.now >= until { return false }
            var tried = 0
            forEachTuple(c) { tuple in
                tried += 1
                return book(c, at: tuple, order: order, thorough: true, in: &plan) == nil || tried >= Self.thoroughTuples
            }
        }
        return true
    }

    /// The booking objective of `plan` (docs/BOOKING.md), from the visits' own costs: the
    /// penalty of each bookable course left out, and each booked course's delay, offsets and
    /// visit costs. Equal to what the bookings file reports for the plan.
    func objective(of plan: Plan) -> Double {
        let w = horizon.weights
        var total = 0.0
        for (c, course) in horizon.courses.enumerated() {
            guard let visits = plan.booked[c] else { total += penalty[c]; continue }
            let d1 = visits[0].date.dayNumber
            total += (course.weight ?? 1) * w.delayPerDay * Double(d1 - horizon.earliest(of: course).dayNumber)
            for (k, v) in visits.enumerated() {
                if k > 0 { total += w.offsetPerDay * Double(abs(v.date.dayNumber - d1 - (course.visits[k].offsetDays ?? 0))) }
                total += v.cost
            }
        }
        return total
    }

    /// How many bookable courses `plan` leaves out.
    func unbookedCount(_ plan: Plan) -> Int {
        unbookability.indices.filter { unbookability[$0] == nil && plan.booked[$0] == nil }.count
    }
}
