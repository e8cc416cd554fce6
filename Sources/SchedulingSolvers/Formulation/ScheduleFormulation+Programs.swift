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

    /// The small exact program of one neighbourhood of the improvement search: only the `freed`
    /// requests keep their candidates; every other request is frozen to what `hints` does with it
    /// (its start, draw, chair's group, nurse's group and prep, or left out).
    ///
    /// - Parameters:
    ///   - draws: same-day draw starts tried per start (at least 1, the latest); a hint's draw is added.
    ///   - startWindows: for the requests named, only starts in the range are candidates.
    ///   - startSets: for the requests named, only these starts are candidates.
    package static func neighbourhood(_ day: ResolvedDay, freeing freed: Set<Int>, hints: [Placement],
                                      admissible: [Bool]? = nil, deadline: ContinuousClock.Instant? = nil,
                                      draws: Int = drawAlternatives, startWindows: [Int: ClosedRange<Int>] = [:],
                                      startSets: [Int: Set<Int>] = [:]) -> ScheduleFormulation {
        build(day, .perNurse, hints, admissible, deadline,
              Scope(freed: freed, draws: draws, startWindows: startWindows, startSets: startSets))
    }

    /// The exact program of a re-plan (SPEC §7): the `freed` requests follow `rules`, every other
    /// request keeps its hinted plan, and every chair is a group of its own.
    ///
    /// - Parameters:
    ///   - startWindows: for the requests named, only starts in the range are candidates.
    ///   - chairSets: for the requests named, only chairs among these are candidates.
    ///   - nurseSets: for the requests named, only nurses among these are candidates.
    package static func replan(_ day: ResolvedDay, rules: ReplanRules, freeing freed: Set<Int>, hints: [Placement],
                               admissible: [Bool]? = nil, deadline: ContinuousClock.Instant? = nil,
                               startWindows: [Int: ClosedRange<Int>] = [:], chairSets: [Int: Set<Int>] = [:],
                               nurseSets: [Int: Set<Int>] = [:]) -> ScheduleFormulation {
        build(day, .perNurse, hints, admissible, deadline,
              Scope(freed: freed, startWindows: startWindows, chairSets: chairSets, nurseSets: nurseSets, replan: rules))
    }

    private static func build(_ day: ResolvedDay, _ aggregation: NurseAggregation, _ hints: [Placement], _ admissible: [Bool]?,
                              _ deadline: ContinuousClock.Instant?, _ scope: Scope) -> ScheduleFormulation {
        var builder = Builder(day: day, aggregation: aggregation, hints: hints, admissible: admissible, deadline: deadline, scope: scope)
        return builder.build()
    }
}
