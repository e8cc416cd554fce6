import SchedulingModel
import SchedulingSolvers

extension WhatIfPart {
    /// Puts the parts of one sweep back together: the report the unsharded run gives.
    ///
    /// The parts may come in any order. They must be all N shards of one sweep, each once: the
    /// same library version, the same N and the same fingerprint (the same days, scenarios and
    /// options). Each part's runs were checked when it was read (``decode(_:file:)``), so the
    /// shards then hold every run exactly once; the outcomes go back in the scenario-major order
    /// and the report computes its means from them as the unsharded run does.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming the part file and the JSON path that does not fit
    ///   (`version`, `shard.count`, `sweep`, `plan`, a repeated `shard.index`), or the missing shards.
    public static func merge(_ parts: [WhatIfPart]) throws -> WhatIfReport {
        guard let first = parts.first else { throw InputError(path: "", message: "no part files to merge") }
        func name(_ part: WhatIfPart) -> String { part.file ?? "part \(part.shard)" }
        var holder: [Int: WhatIfPart] = [:]
        for part in parts {
            func fail(_ path: String, _ message: String, _ kind: InputError.Kind = .invalidValue) -> InputError {
                InputError(file: part.file, path: path, message: message, kind: kind)
            }
            guard part.version == first.version else {
                throw fail("version", "written by version \(clip(part.version)), but \(name(first)) by \(clip(first.version)): run every shard with the same build")
            }
            guard part.shard.count == first.shard.count else {
                throw fail("shard.count", "a part of a sweep in \(part.shard.count) shards, but \(name(first)) is one of \(first.shard.count)")
            }
            guard part.fingerprint == first.fingerprint else {
                throw fail("sweep", "a part of another sweep than \(name(first)) (fingerprint \(part.fingerprint.prefix(12))… against \(first.fingerprint.prefix(12))…): the days, scenarios or solve options differ")
            }
            guard part.plan == first.plan else {
                throw fail("plan", "differs from the plan in \(name(first)) although the fingerprints agree: was the file edited?")
            }
            if let other = holder[part.shard.index] {
                throw fail("shard.index", "shard \(part.shard) is given twice: also \(name(other))", .duplicate)
            }
            holder[part.shard.index] = part
        }
        let missing = (0..<first.shard.count).filter { holder[$0] == nil }
        guard missing.isEmpty else {
            let listed = missing.prefix(20).map { "\($0)/\(first.shard.count)" }.joined(separator: ", ")
                + (missing.count > 20 ? " and \(missing.count - 20) more" : "")
            throw InputError(path: "shard.index", message: "\(missing.count) of the \(first.shard.count) shards of sweep \(first.fingerprint.prefix(12))… missing: \(listed)")
        }
        let plan = first.plan
        var outcomes = [WhatIfOutcome?](repeating: nil, count: first.runCount)
        for part in holder.values {
            for r in part.results { outcomes[r.run] = r.outcome }
        }
        let days = plan.days.count
        let rows = plan.scenarios.indices.map { s in (0..<days).map { d in outcomes[s * days + d] ?? .failed("not run") } }
        return WhatIfReport(baseSummary: plan.base, method: SolveMethod(rawValue: plan.method) ?? .greedy, timeLimit: plan.timeLimit,
                            dayNames: plan.days, scenarios: plan.scenarios.map(\.scenario), outcomes: rows,
                            grid: plan.grid.compactMap { axis in
                                WhatIfDimension(parsing: axis.vary).map { WhatIfAxis(dimension: $0, values: axis.values) }
                            }, simulation: plan.simulate)
    }
}
