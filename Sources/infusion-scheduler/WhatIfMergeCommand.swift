import ArgumentParser
import Foundation

import InfusionScheduler

struct WhatIfMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif-merge",
        abstract: "Merge the parts of a sharded what-if sweep (whatif --shard K/N) into its report.",
        discussion: """
        Give every part of one sweep, in any order. The report is the one the unsharded whatif writes, byte for byte, \
        in any of its formats. Parts of another sweep, another number of shards or another version, a shard given twice \
        or a missing shard are refused (exit 2, naming the file). docs/WHATIF.md, "Big sweeps on a batch engine".
        Example: infusion-scheduler whatif-merge parts/part-*.json --output report.md
        """)

    @Argument(help: "The part files (infusion-whatif-part/1), one per shard.")
    var parts: [String]

    @Option(help: "md | csv | json")
    var format: WhatIfReport.Format = .md

    @Option(help: "Also draw patients treated and overtime to this SVG file.")
    var chart: String?

    @Option(name: .shortAndLong, help: "Write the report here instead of stdout.")
    var output: String?

    func validate() throws {
        if parts.isEmpty { throw ValidationError("give the part files of the sweep, one per shard") }
    }

    func run() throws {
        let loaded = try parts.map(WhatIfPart.load(path:))
        let report = try WhatIfPart.merge(loaded)
        try emit(report.rendered(format), to: output)
        if let chart { try emit(report.svgChart(), to: chart) }
        let runs = loaded.reduce(0) { $0 + $1.results.count }
        note("merged \(loaded.count) part(s): \(runs) runs of \(report.scenarios.count) scenario(s) x \(report.dayNames.count) day(s)")
    }
}
