import Foundation
import Testing

import TestSupport

/// `solve --robust` and `whatif --simulate`, run as a user runs them.
@Suite struct RobustCommandTests {
    /// A schedule file's text without its `seconds` line (the one figure that is timing).
    static func withoutSeconds(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("\"seconds\"") }.joined(separator: "\n")
    }

    @Test func solveRobustWritesAValidScheduleOfTheRealDayTheSameEveryTime() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let day = TestFiles.instance("small-1.json")
        let first = dir.appendingPathComponent("robust-1.json").path, second = dir.appendingPathComponent("robust-2.json").path
        let a = try CLIRunner.run(["solve", day, "--method", "greedy", "--robust", "--robust-runs", "30", "--quantile", "0.8",
                                   "--output", first])
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stderr.contains("robust plan: 30 simulated days per candidate (seed 1)"), "\(a.stderr)")
        #expect(a.stderr.contains("  nominal ") && a.stderr.contains("pad 30 %, close -60 min"), "\(a.stderr)")
        #expect(a.stderr.contains("note: robust: "), "\(a.stderr)")
        let valid = try CLIRunner.run(["validate", day, first])
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
        let b = try CLIRunner.run(["solve", day, "--method", "greedy", "--robust", "--robust-runs", "30", "--quantile", "0.8",
                                   "--output", second])
        #expect(b.status == 0, "\(b.stderr)")
        let x = try String(contentsOfFile: first, encoding: .utf8), y = try String(contentsOfFile: second, encoding: .utf8)
        #expect(Self.withoutSeconds(x) == Self.withoutSeconds(y))
        #expect(x.contains("\"note\": \"robust: "), "\(x)")
        // The plan simulates as any plan does.
        let simulated = try CLIRunner.run(["simulate", day, first, "--runs", "5"])
        #expect(simulated.status == 0, "\(simulated.stderr)")
    }

    @Test func aBadQuantileOrRobustOptionsWithoutRobustExitTwoNamingTheOption() throws {
        let day = TestFiles.instance("small-1.json")
        for bad in ["1.5", "0", "1", "nan"] {
            let out = try CLIRunner.run(["solve", day, "--method", "greedy", "--robust", "--quantile=" + bad])
            #expect(out.status == 2, "\(bad): \(out.stderr)")
            #expect(out.stderr.contains("--quantile"), "\(bad): \(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
        let alone = try CLIRunner.run(["solve", day, "--method", "greedy", "--quantile", "0.9"])
        #expect(alone.status == 2 && alone.stderr.contains("--quantile and --noise need --robust"), "\(alone.stderr)")
        let runs = try CLIRunner.run(["solve", day, "--robust", "--robust-runs", "0"])
        #expect(runs.status == 2 && runs.stderr.contains("--robust-runs"), "\(runs.stderr)")
        let noise = try CLIRunner.run(["solve", day, "--method", "greedy", "--robust", "--robust-runs", "5", "--noise", "/nonexistent/noise.json"])
        #expect(noise.status == 2 && noise.stderr.contains("/nonexistent/noise.json"), "\(noise.stderr)")
    }

    /// A small greedy sweep with --simulate: 3 scenarios on 2 small days.
    static let sweep = ["whatif", "--profile", "small", "--seeds", "2", "--grid", "chairs.recliner=-1,1", "--method", "greedy",
                        "--simulate", "20", "--simulate-seed", "4"]

    @Test func whatifSimulateAddsP90WaitAndOvertimeInEveryFormatAndShardsMergeByteForByte() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var whole: [String: String] = [:]
        for format in ["md", "csv", "json"] {
            let out = try CLIRunner.run(Self.sweep + ["--format", format])
            #expect(out.status == 0, "\(out.stderr)")
            whole[format] = out.stdout
        }
        #expect(whole["md"]!.contains("| Sim. p90 wait min | Sim. p90 overtime min |"), "\(whole["md"]!)")
        #expect(whole["md"]!.contains("simulated 20 times under the default noise from seed 4"))
        let header = whole["csv"]!.split(separator: "\n")[0]
        #expect(header.contains(",simulatedWaitP90,simulatedOvertimeP90,") && header.hasSuffix(",change.simulatedWaitP90,change.simulatedOvertimeP90"),
                "\(header)")
        #expect(whole["json"]!.contains("\"simulation\": {") && whole["json"]!.contains("\"simulatedOvertimeP90\": "))
        // Without --simulate nothing of it appears.
        let plain = try CLIRunner.run(Array(Self.sweep.prefix(9)) + ["--format", "csv"])
        #expect(plain.status == 0 && !plain.stdout.contains("simulated"), "\(plain.stdout)")

        let parts = (0..<2).map { dir.appendingPathComponent("part-\($0).json").path }
        for k in 0..<2 {
            let shard = try CLIRunner.run(Self.sweep + ["--jobs", "1", "--shard", "\(k)/2", "--output", parts[k]])
            #expect(shard.status == 0, "\(shard.stderr)")
            let text = try String(contentsOfFile: parts[k], encoding: .utf8)
            #expect(text.contains("\"simulate\":{\"runs\":20,\"seed\":4}") && text.contains("\"simulatedWaitP90\":"), "\(text)")
        }
        for format in ["md", "csv", "json"] {
            let merged = try CLIRunner.run(["whatif-merge", "--format", format, parts[1], parts[0]])
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(merged.stdout == whole[format], "\(format)")
        }
        // Another seed is another sweep: its parts are not merged with these.
        let other = dir.appendingPathComponent("other-1.json").path
        let shard = try CLIRunner.run(Self.sweep.map { $0 == "4" ? "5" : $0 } + ["--shard", "1/2", "--output", other])
        #expect(shard.status == 0, "\(shard.stderr)")
        let mixed = try CLIRunner.run(["whatif-merge", parts[0], other])
        #expect(mixed.status == 2 && mixed.stderr.contains(other + ": sweep: a part of another sweep"), "\(mixed.stderr)")
        let bad = try CLIRunner.run(["whatif", "--profile", "small", "--seeds", "1", "--simulate", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--simulate"), "\(bad.stderr)")
    }
}
