import Foundation
import SchedulingModel
import SchedulingSolvers

extension WhatIfRunner {
    /// Solves only the runs of `shard` and returns them as a part for ``WhatIfPart/merge(_:)``.
    ///
    /// Every scenario is still applied to every day first, so a scenario that does not fit a day
    /// fails every shard as it fails the unsharded run.
    ///
    /// - Parameters:
    ///   - shard: which runs to solve (``WhatIfShard/runs(of:)`` of ``runCount``).
    ///   - version: the library version, written into the part (parts of different versions are
    ///     not merged) and into the fingerprint.
    ///   - progress: called after each of this shard's runs with (runs done, runs in the shard),
    ///     as in `run(progress:)`.
    /// - Throws: ``SchedulingModel/InputError`` when a scenario does not fit a day (before any solving starts).
    public func run(shard: WhatIfShard, version: String,
                    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws -> WhatIfPart {
        let fingerprint = try fingerprint(version: version)
        let selected = shard.runs(of: runCount)
        let outcomes = try solve(runs: selected, progress: progress)
        let results = zip(selected, outcomes).map { run, outcome in
            WhatIfPart.Run(run: run, scenario: run / days.count, day: run % days.count, outcome: outcome)
        }
        return WhatIfPart(version: version, fingerprint: fingerprint, shard: shard, plan: partPlan, results: results)
    }

    /// The sweep's identity: SHA-256, as 64 hex digits, of the part format, `version`, the plan
    /// (days' names, scenarios, grid, method, time limit, gap, pace and work) and every base
    /// day's contents and seed. `jobs` is left out: it changes how fast, not what.
    ///
    /// - Throws: `EncodingError` only if a day cannot be encoded (it always can).
    public func fingerprint(version: String) throws -> String {
        let encoder = WhatIfPart.encoder()
        var hash = SHA256()
        hash.update((WhatIfPart.formatTag + "\n" + version + "\n").utf8)
        hash.update(try encoder.encode(partPlan))
        for d in days {
            hash.update("\nday \(d.seed)\n".utf8)
            hash.update(try encoder.encode(d.day))
        }
        return hash.hexDigest()
    }

    /// The sweep as a part records it.
    var partPlan: WhatIfPart.Plan {
        WhatIfPart.Plan(base: baseSummary, days: days.map(\.name), method: options.method.rawValue, timeLimit: options.timeLimit,
                        relativeGap: options.relativeGap, pace: options.pace.rawValue, work: options.work,
                        scenarios: scenarios.map(WhatIfPart.PartScenario.init),
                        grid: grid.map { WhatIfPart.PartAxis(vary: $0.dimension.description, values: $0.values) },
                        simulate: simulation)
    }
}
