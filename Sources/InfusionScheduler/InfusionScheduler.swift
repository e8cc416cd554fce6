// The library an embedder imports: one module that re-exports every layer (docs/ARCHITECTURE.md).
@_exported import SchedulingModel
@_exported import SchedulingRules
@_exported import SchedulingSolvers
@_exported import SchedulingReplan
@_exported import SchedulingWhatIf
@_exported import SchedulingGenerator
@_exported import SchedulingRender
@_exported import SchedulingBench
@_exported import SchedulingBooking
@_exported import SchedulingSimulation
@_exported import SchedulingRobust
