import MIPKit

extension SearchClock {
    /// Builds a program for a phase that must end at `end` on this clock (`make` gets the real
    /// deadline of the build) and charges its columns.
    func program(until end: ContinuousClock.Instant, _ make: (ContinuousClock.Instant) -> ScheduleFormulation) -> ScheduleFormulation {
        let f = BuildStop.$signal.withValue(stop) { make(realDeadline(end)) }
        charge(Self.building(columns: f.program.variables.count))
        return f
    }
}
