import Foundation
import Testing
import TestSupport

@testable import SchedulingBench

/// The benchmark harness on tiny days: what it measures is consistent, the three formats carry
/// the same numbers, the command line works end to end and the chart is well-formed SVG.
/// Nothing here is timed.
@Suite struct BenchTests {
    static func workedBenchDay() throws -> BenchDay {
        let path = TestFiles.fixture("worked-day.json")
        return BenchDay(name: "worked-day", group: "file", day: try Day.load(path: path), path: path)
    }

    /// Both methods on the worked day and two tiny scaled days, in this process; run once and
    /// shared by the tests that read it.
    static let tiny = Result { () throws -> BenchReport in
        let runner = BenchRunner(methods: [.greedy, .mip], timeLimit: 2)
        return BenchReport(rows: try runner.run([workedBenchDay()]),
                           scaling: try runner.run([.scaled(requests: 4), .scaled(requests: 8)]))
    }

    static func runTiny() throws -> BenchReport { try tiny.get() }

    @Test func rowsAreConsistentWithTheBounds() throws {
        let report = try Self.runTiny()
        #expect(report.rows.map(\.method) == [.greedy, .mip])
        #expect(report.scaling.map(\.day) == ["scaled-4", "scaled-4", "scaled-8", "scaled-8"])
        for row in report.rows + report.scaling {
            #expect(row.scheduled <= row.requests)
            let o = row.objective
            #expect(abs(o.total - (o.unscheduled + o.overtime + o.wait + o.preference + o.peakLoad)) < 1e-6)
            // The LP bound is below every schedule's objective (enough stations and compounders on these days).
            let lp = try #require(row.relaxationBound)
            #expect(lp <= o.total + 1e-6)
            if let bound = row.bound { #expect(bound <= o.total + 1e-6) }
            #expect(row.peakMemoryBytes == nil)  // in process: not attributable to one solve
        }
        let greedy = report.rows[0], mip = report.rows[1]
        #expect(greedy.bound == nil && greedy.gap == nil)
        #expect(mip.objective.total <= greedy.objective.total + 1e-9)
        #expect(mip.status == .optimal && mip.gap == 0)
        // The worked day's MIP optimum is known: all but the unauthorized request, no cost.
        #expect(mip.requests == 7 && mip.scheduled == 6 && mip.objective.total == 0)
    }

    @Test func summaryTakesMediansAndRatios() throws {
        func row(_ day: String, _ method: SolveMethod, total: Double, seconds: Double, gap: Double?) -> BenchRow {
            BenchRow(day: day, group: "medium", seed: 1, method: method, status: .feasible, requests: 10, scheduled: 9,
                     chairs: 3, nurses: 2, objective: ObjectiveBreakdown(unscheduled: total, overtime: 0, wait: 0, preference: 0, peakLoad: 0),
                     bound: gap.map { total * (1 - $0) }, gap: gap, relaxationBound: nil, seconds: seconds, peakMemoryBytes: nil)
        }
        let rows = [row("a", .greedy, total: 110, seconds: 0.01, gap: nil), row("a", .mip, total: 100, seconds: 3, gap: 0.02),
                    row("b", .greedy, total: 104, seconds: 0.03, gap: nil), row("b", .mip, total: 100, seconds: 5, gap: 0),
                    row("c", .greedy, total: 300, seconds: 0.02, gap: nil), row("c", .mip, total: 200, seconds: 4, gap: 0.01)]
        let summaries = BenchSummary.summarise(rows)
        #expect(summaries.map(\.method) == [.greedy, .mip])
        #expect(summaries[0].medianSeconds == 0.02 && summaries[0].medianRatioToMIP == 1.1 && summaries[0].maxRatioToMIP == 1.5)
        #expect(summaries[0].medianGap == nil)
        #expect(summaries[1].medianSeconds == 4 && summaries[1].maxSeconds == 5 && summaries[1].medianGap == 0.01)
        #expect(summaries[1].medianRatioToMIP == nil)
        #expect(BenchSummary.median([4, 1, 3, 2]) == 2.5)
    }

    @Test func markdownCSVAndJSONCarryTheSameRows() throws {
        let report = try Self.runTiny()
        let all = report.rows + report.scaling

        let lines = report.csv().split(separator: "\n").map(String.init)
        #expect(lines.first == BenchReport.columns.joined(separator: ","))
        #expect(lines.count == all.count + 1)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let jsonRows = try #require(json["rows"] as? [[String: Any]]) + (try #require(json["scaling"] as? [[String: Any]]))
        #expect(jsonRows.count == all.count)
        #expect((json["summaries"] as? [Any])?.count == 2)
        for (i, row) in all.enumerated() {
            let fields = lines[i + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == BenchReport.columns.count)
            let csv = Dictionary(uniqueKeysWithValues: zip(BenchReport.columns, fields))
            #expect(Set(jsonRows[i].keys) == Set(BenchReport.columns))
            #expect(csv["day"] == row.day && jsonRows[i]["day"] as? String == row.day)
            #expect(csv["method"] == row.method.rawValue && jsonRows[i]["method"] as? String == row.method.rawValue)
            #expect(Int(csv["scheduled"]!) == row.scheduled && jsonRows[i]["scheduled"] as? Int == row.scheduled)
            #expect(Double(csv["total"]!) == row.objective.total)
            #expect((jsonRows[i]["total"] as? NSNumber)?.doubleValue == row.objective.total)
            #expect(Double(csv["lpBound"]!).map { abs($0 - row.relaxationBound!) < 1e-6 } == true)
        }

        let md = report.markdown()
        for heading in ["### Per day and method", "### Per profile", "### Scaling series"] { #expect(md.contains(heading)) }
        for column in ["| day | method | status | requests | scheduled | unscheduled | overtime | wait | preference | peak load | total | bound | gap | LP bound",
                       "median gap", "objective ÷ MIP", "| requests | chairs | nurses | greedy s"] {
            #expect(md.contains(column))
        }
        let mip = report.rows[1]
        #expect(md.contains("| worked-day | mip | optimal | 7 | 6 | 0.0 | 0.0 | 0.0 | 0.0 | 0.0 | 0.0 | 0.0 | 0.00% |"))
        #expect(mip.day == "worked-day")
    }

    @Test func chartIsWellFormedSVG() throws {
        let report = try Self.runTiny()
        let svg = ScalingChart.svg(of: report.scaling)
        let nodes = try RenderTests.parse(svg)
        #expect(nodes.first?.name == "svg")
        // Greedy and MIP times on the left, the MIP gap on the right.
        #expect(nodes.filter { $0.name == "polyline" }.count == 3)
        #expect(nodes.filter { $0.name == "circle" }.count == 6)
        #expect(svg == ScalingChart.svg(of: report.scaling))
        #expect(ScalingChart.niceCeiling(1) == 1 && ScalingChart.niceCeiling(1.2) == 2 && ScalingChart.niceCeiling(37) == 50)
    }

    /// The command line end to end on the worked day and a tiny scaling series: each solve in a
    /// child process, so memory is measured; Markdown on stdout, the same run saved as JSON, the chart.
    @Test func commandLineSmokeRun() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chart = dir.appendingPathComponent("scaling.svg").path
        let saved = dir.appendingPathComponent("bench.json").path
        let out = try CLIRunner.run(["bench", "--day", TestFiles.fixture("worked-day.json"), "--methods", "greedy,mip",
                                     "--time-limit", "2", "--format", "md", "--save-json", saved, "--scaling",
                                     "--scaling-sizes", "4", "--chart", chart])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("| worked-day | mip | optimal | 7 | 6 |"))
        #expect(out.stdout.contains("### Scaling series"))
        let data = try #require(FileManager.default.contents(atPath: saved))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        let scaling = try #require(json["scaling"] as? [[String: Any]])
        #expect(rows.count == 2 && scaling.count == 2)
        for row in rows + scaling {
            #expect(((row["peakMemoryBytes"] as? Int) ?? 0) > 1 << 20)
            #expect(((row["seconds"] as? NSNumber)?.doubleValue ?? -1) >= 0)
        }
        #expect(rows[1]["status"] as? String == "optimal")
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(try RenderTests.parse(svg).filter { $0.name == "polyline" }.count == 3)

        let bad = try CLIRunner.run(["bench", "--profiles", "tiny"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown profile"))
    }
}
