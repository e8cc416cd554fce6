import SchedulingModel
import SchedulingRules
import MIPKit

/// The programs of a day, one factory each. Every factory takes:
///   - hints: placements (e.g. the greedy schedule) whose draw and prep minutes are added to the
///     candidates, so that they can be written as a solution with ``ScheduleFormulation/encode(_:)``;
///     a neighbourhood or re-plan program also freezes the requests it does not free to them.
///   - admissible: precomputed admissibility, else computed here.
///   - deadline: when it passes during the build, building stops and
///     ``ScheduleFormulation/interrupted`` is true (the program is then incomplete and must not be solved).
///
/// - Complexity: O(requests × starts × (draws × chair groups + nurse groups) + rows × candidates).
extension ScheduleFormulation {
    /// The whole day: every request with all its candidates.
    ///
    /// - Parameter aggregation: per nurse (exact) for the searches; by shift pattern (a
    ///   relaxation) for the exported model and ``MIPScheduler/relaxationBound()``.
    package static func wholeDay(_ day: ResolvedDay, nurses aggregation: NurseAggregation = .byShiftPattern,
                                 hints: [Placement] = [], admissible: [Bool]? = nil,
                                 deadline: ContinuousClock.Instant? = nil) -> ScheduleFormulation {
        build(day, aggregation, hints, admissible, deadline, Scope())
    }

    /// The bound relaxation, nurses pooled by shift: each start keeps only its latest draw (and a
    /// hint's), preps get no columns and compounders and lab stations no rows. Without those two
    /// capacities the latest draw and the latest prep are always best, so its optimum is a lower
    /// bound on every valid schedule of the day, not only on the restricted ones.
    package static func boundRelaxation(_ day: ResolvedDay, hints: [Placement] = [], admissible: [Bool]? = nil,
                                        deadline: ContinuousClock.Instant? = nil) -> ScheduleFormulation {
        build(day, .byShift, hints, admissible, deadline, Scope(relaxed: true))
    }

    /// The exact program of the whole day with, for the requests `starts` names, only those starts.
    package static func limitedStarts(_ day: ResolvedDay, starts: [Int: Set<Int>], hints: [Placement] = [],
                                      admissible: [Bool]? = nil,
                                      deadline: ContinuousClock.Instant? = nil) -> ScheduleFormulation {
        build(day, .perNurse, hints, admissible, deadline, Scope(startSets: starts))
    }

    /// The small exact program of one neighbourhood of a plan: only the requests `neighbourhood`
    /// frees keep their candidates, within its limits; every other request is frozen to what
    /// `hints` does with it (its start, draw, chair's group, nurse's group and prep, or left out).
    /// With re-planning `rules` (SPEC §7) the freed requests follow them and every chair is a
    /// group of its own.
    package static func neighbourhood(_ day: ResolvedDay, _ neighbourhood: Neighbourhood, hints: [Placement],
                                      admissible: [Bool]? = nil, deadline: ContinuousClock.Instant? = nil,
                                      rules: ReplanRules? = nil) -> ScheduleFormulation {
        let n = neighbourhood
        return build(day, .perNurse, hints, admissible, deadline,
                     Scope(freed: n.freed, draws: n.draws, startWindows: n.startWindows, startSets: n.startSets,
                           chairSets: n.chairSets, nurseSets: n.nurseSets, replan: rules))
    }

    private static func build(_ day: ResolvedDay, _ aggregation: NurseAggregation, _ hints: [Placement], _ admissible: [Bool]?,
                              _ deadline: ContinuousClock.Instant?, _ scope: Scope) -> ScheduleFormulation {
        var builder = Builder(day: day, aggregation: aggregation, hints: hints, admissible: admissible, deadline: deadline, scope: scope)
        return builder.build()
    }
}
