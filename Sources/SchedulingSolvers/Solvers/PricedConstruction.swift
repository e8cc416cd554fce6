import SchedulingModel
import SchedulingRules
import MIPKit

extension RuinAndRecreate {
    /// A schedule built request by request at the starts the Lagrangian bound's multipliers
    /// favour (docs/MODEL.md §6, 2).
    ///
    /// The multipliers price every chair, nurse load and nurse's intensive minute of the
    /// relaxation; a request's *slack* at a start is its cost there plus those prices, less its
    /// cheapest. Where the prices are right, taking each request at its least slack that still
    /// fits spreads the day as the relaxation does — on a crowded day quite unlike the greedy
    /// scheduler, which takes each request at its cheapest start while there is room.
    ///
    /// - Parameters:
    ///   - slack: ``LagrangianBound/startSlack``.
    ///   - kept: placements kept as they are (fixed bookings), placed first.
    /// - Returns: a valid schedule: `kept` and every request that fits at a start with a slack,
    ///   most constrained first (fewest starts alone), unless its cost there is above its penalty.
    func pricedConstruction(slack: [Int: [Int: Double]], keeping kept: [Placement]) -> [Placement] {
        var state = DayState(day: day)
        for p in kept where state.canPlace(p) { state.place(p) }
        let order = day.requests.indices.filter { state.placements[$0] == nil && !feasibleStarts[$0].isEmpty && slack[$0] != nil }
            .sorted { (feasibleStarts[$0].count, $0) < (feasibleStarts[$1].count, $1) }
        for r in order {
            let prices = slack[r]!
            let starts = feasibleStarts[r].compactMap { s in prices[s].map { (slack: $0, start: s) } }
                .sorted { ($0.slack, $0.start) < ($1.slack, $1.start) }
            for (_, s) in starts {
                guard let p = state.bestPlacement(of: r, start: s) else { continue }
                if state.separableCost(of: p) <= day.weights.unscheduledPenalty * day.requests[r].weight { state.place(p) }
                break
            }
        }
        return state.placedList
    }
}
