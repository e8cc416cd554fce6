/// How to simulate a plan: how many runs, from which seed, under which noise, on how many threads.
public struct SimulationOptions: Sendable, Hashable {
    /// Runs (simulated days), `1...1_000_000`.
    public var runs: Int
    /// The seed: equal seeds give equal reports, byte for byte.
    public var seed: UInt64
    /// What goes differently from the plan.
    public var noise: NoiseModel
    /// Threads that share the runs, `1...256`; the report does not depend on it.
    public var jobs: Int

    /// Creates options; the defaults are 1000 runs, seed 1, ``NoiseModel/defaults``, one thread.
    public init(runs: Int = 1000, seed: UInt64 = 1, noise: NoiseModel = .defaults, jobs: Int = 1) {
        self.runs = runs; self.seed = seed; self.noise = noise; self.jobs = jobs
    }
}
