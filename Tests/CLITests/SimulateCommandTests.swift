import Foundation
import Testing

import TestSupport

/// `simulate` run as a user runs it.
@Suite struct SimulateCommandTests {
    @Test func theReportIsTheSameBytesForOneJobOrTwoAndTheSummaryGoesToStdout() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let day = TestFiles.instance("medium-1.json")
        let one = dir.appendingPathComponent("one.json").path, two = dir.appendingPathComponent("two.json").path
        let chart = dir.appendingPathComponent("chart.svg").path
        let a = try CLIRunner.run(["simulate", day, schedule, "--runs", "40", "--seed", "5", "--jobs", "1", "--output", one])
        let b = try CLIRunner.run(["simulate", day, schedule, "--runs", "40", "--seed", "5", "--jobs", "2", "--output", two,
                                   "--chart", chart])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        #expect(a.stdout.isEmpty && a.stderr.contains("patient wait"))
        let first = try Data(contentsOf: URL(fileURLWithPath: one)), second = try Data(contentsOf: URL(fileURLWithPath: two))
        #expect(first == second)
        #expect(String(decoding: first, as: UTF8.self).contains("\"format\": \"infusion-simulation/1\""))
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains("class=\"wait-bar\"") && svg.contains("class=\"occupancy-band\""))

        let summary = try CLIRunner.run(["simulate", day, schedule, "--runs", "10"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.contains("simulated 10 runs") && summary.stdout.contains("overtime"))
        let stdout = try CLIRunner.run(["simulate", day, schedule, "--runs", "40", "--seed", "5", "--output", "-"])
        #expect(stdout.stdout.utf8.elementsEqual(first))
    }

    @Test func aBadNoiseFileExitsTwoNamingFileAndPath() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let noise = dir.appendingPathComponent("noise.json")
        try Data(#"{"format": "infusion-noise/1", "lateArrival": {"probability": 2}}"#.utf8).write(to: noise)
        let run = try CLIRunner.run(["simulate", TestFiles.instance("medium-1.json"), schedule, "--noise", noise.path, "--runs", "5"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("noise.json: lateArrival.probability:"), "\(run.stderr)")
        // A good one is used: no noise at all, so nobody waits.
        try Data(NoiseModel.none.fileText().utf8).write(to: noise)
        let calm = try CLIRunner.run(["simulate", TestFiles.instance("medium-1.json"), schedule, "--noise", noise.path, "--runs", "5"])
        #expect(calm.status == 0, "\(calm.stderr)")
        #expect(calm.stdout.contains("patient wait: mean 0.0 min, p50 0, p90 0, max 0"), "\(calm.stdout)")
    }

    @Test func aScheduleOfAnotherDayOrBadOptionsExitTwo() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = try CLIRunner.run(["simulate", TestFiles.instance("small-1.json"), schedule, "--runs", "5"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("schedule.json: appointments: not a valid schedule of this day"), "\(other.stderr)")
        let runs = try CLIRunner.run(["simulate", TestFiles.instance("medium-1.json"), schedule, "--runs", "0"])
        #expect(runs.status == 2 && runs.stderr.contains("--runs"))
    }
}
