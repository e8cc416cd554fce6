import Foundation
import Testing

import TestSupport

/// Tests that run the built binary as a user would.
@Suite struct EndToEndTests {
    @Test(arguments: ["small-1.json", "medium-1.json", "worked-day.json"])
    func solveThenValidateRoundTrip(_ instance: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let schedule = dir.appendingPathComponent("schedule.json").path
        let day = TestFiles.instance(instance)
        let solved = try CLIRunner.run(["solve", day, "--method", "greedy", "--output", schedule])
        #expect(solved.status == 0, "\(solved.stderr)")
        #expect(solved.stdout.isEmpty)
        #expect(solved.stderr.contains("requests scheduled"))
        let checked = try CLIRunner.run(["validate", day, schedule])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.isEmpty)
        #expect(!checked.stderr.contains("note:"), "reported objective differs from the validator's: \(checked.stderr)")
    }

    @Test func solveWritesToStdoutAndIsDeterministic() throws {
        let day = TestFiles.instance("small-1.json")
        let first = try CLIRunner.run(["solve", day, "--method", "greedy"])
        let second = try CLIRunner.run(["solve", day, "--method", "greedy"])
        #expect(first.status == 0)
        let strip = { (s: String) in s.split(separator: "\n").filter { !$0.contains("\"seconds\"") }.joined(separator: "\n") }
        #expect(strip(first.stdout) == strip(second.stdout))
        let schedule = try Schedule.decode(Data(first.stdout.utf8))
        #expect(schedule.solver?.method == .greedy && schedule.solver?.status == .feasible)
        #expect(schedule.solver?.bound == nil)
    }

    @Test func validateRejectsABrokenScheduleWithExitOne() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = try String(contentsOfFile: TestFiles.fixture("worked-schedule.json"), encoding: .utf8)
        // Put R2 (a bed-or-recliner regimen) on C1 at the time R1 sits there.
        text = text.replacingOccurrences(of: "\"chair\": \"C3\"", with: "\"chair\": \"C1\"")
        let file = dir.appendingPathComponent("broken.json")
        try Data(text.utf8).write(to: file)
        let out = try CLIRunner.run(["validate", TestFiles.fixture("worked-day.json"), file.path])
        #expect(out.status == 1)
        #expect(out.stdout.contains("R2"), "\(out.stdout)")
        let accepted = try CLIRunner.run(["validate", TestFiles.fixture("worked-day.json"), TestFiles.fixture("worked-schedule.json")])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
    }

    @Test(arguments: DayProfile.allCases)
    func generateIsByteStableAndMatchesTheCommittedDay(_ profile: DayProfile) throws {
        let a = try CLIRunner.run(["generate", "--profile", profile.rawValue, "--seed", "1"])
        let b = try CLIRunner.run(["generate", "--profile", profile.rawValue, "--seed", "1"])
        #expect(a.status == 0 && b.status == 0)
        #expect(a.stdout == b.stdout)
        let committed = try String(contentsOfFile: TestFiles.instance("\(profile.rawValue)-1.json"), encoding: .utf8)
        #expect(a.stdout == committed)
        let other = try CLIRunner.run(["generate", "--profile", profile.rawValue, "--seed", "2"])
        #expect(other.stdout != a.stdout)
    }
}
