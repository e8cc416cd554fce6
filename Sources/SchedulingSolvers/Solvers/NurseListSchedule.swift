import SchedulingModel
import SchedulingRules
import MIPKit

/// A list schedule of the nurses of fixed bookings: the fast way to their nurse part
/// (`FixedBookingsProgram` is the exact one).
///
/// Pinned bookings take their nurse first; the others go in order of start, each to a nurse
/// who can still take the patient (shift, break, acuity capacity at every minute in chair,
/// intensive minutes free). Which nurse is the rule's choice; three rules are tried in turn:
/// the nurse whose shift ends first (keeping the late nurses for the late patients), the most
/// loaded (packing), the least loaded (spreading). Nil when none places everyone: that proves
/// nothing.
enum NurseListSchedule {
    /// A nurse by request, or nil.
    ///
    /// - Complexity: O(rules × n × nurses × bookings per nurse) for n bookings.
    static func plan(_ day: ResolvedDay, _ set: [Int]) -> [Int: Int]? {
        func start(_ r: Int) -> Int { day.requests[r].fixedStart! }
        func end(_ r: Int) -> Int { start(r) + day.regimen(of: r).chairMinutes }
        let intensive = Dictionary(uniqueKeysWithValues: set.map { r in
            (r, ResolvedDay.intensiveIntervals(start: start(r), end: end(r), regimen: day.regimen(of: r)))
        })
        let order = set.filter { day.requests[$0].fixedNurse != nil }.sorted { (start($0), $0) < (start($1), $1) }
            + set.filter { day.requests[$0].fixedNurse == nil }.sorted { (start($0), $0) < (start($1), $1) }

        for rule in 0..<3 {
            var patients = [[Int]](repeating: [], count: day.nurses.count)
            var work = [Int](repeating: 0, count: day.nurses.count)
            var assigned: [Int: Int] = [:]
            func fits(_ r: Int, _ n: Int) -> Bool {
                guard day.nurseAllows(n, r, start: start(r)) else { return false }
                let mine = patients[n]
                if mine.contains(where: { q in intensive[q]!.contains { a in intensive[r]!.contains { $0.overlaps(a) } } }) { return false }
                // Load only rises at a start: check the starts inside this patient's time in chair.
                let span = start(r)..<end(r)
                let inside = mine.filter { (start($0)..<end($0)).overlaps(span) }
                for t in [start(r)] + inside.map(start).filter({ span.contains($0) }) {
                    let load = inside.reduce(day.regimen(of: r).acuity) { $0 + ((start($1)..<end($1)).contains(t) ? day.regimen(of: $1).acuity : 0) }
                    if load > day.nurses[n].capacity { return false }
                }
                return true
            }
            var failed = false
            for r in order {
                let candidates = day.requests[r].fixedNurse.map { [$0] } ?? Array(day.nurses.indices)
                let fitting = candidates.filter { fits(r, $0) }
                let choice: Int?
                switch rule {
                case 0: choice = fitting.min { (day.nurses[$0].shift.upperBound, -work[$0], $0) < (day.nurses[$1].shift.upperBound, -work[$1], $1) }
                case 1: choice = fitting.min { (-work[$0], $0) < (-work[$1], $1) }
                default: choice = fitting.min { (work[$0], $0) < (work[$1], $1) }
                }
                guard let n = choice else { failed = true; break }
                patients[n].append(r)
                work[n] += day.regimen(of: r).acuity * (end(r) - start(r))
                assigned[r] = n
            }
            if !failed { return assigned }
        }
        return nil
    }
}
