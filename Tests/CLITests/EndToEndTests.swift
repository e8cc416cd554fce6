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

/// What nightly jobs written in other languages use: a stopped solve, JSON errors and reports,
/// the day on standard input, progress lines.
@Suite struct NightlyJobTests {
    @Test func sigtermWritesTheBestValidScheduleSoFar() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("stopped.json").path
        let run = try CLIRunner.run(["solve", TestFiles.instance("large-1.json"), "--time-limit", "60", "--output", out],
                                    terminateAfter: 3)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("stopped on a signal"))
        let schedule = try Schedule.load(path: out)
        #expect(schedule.solver?.status == .stopped)
        #expect(try Validator.validate(schedule, day: ResolvedDay(Day.load(path: TestFiles.instance("large-1.json")))).isValid)
    }

    @Test func errorsCanBeJSON() throws {
        let run = try CLIRunner.run(["--error-format", "json", "validate", "missing.json", "other.json"])
        #expect(run.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stderr.utf8)) as? [String: Any])
        #expect(object["file"] as? String == "missing.json")
        #expect(object["kind"] as? String == "unreadable")
        #expect(object["exitCode"] as? Int == 2)
        let bad = try CLIRunner.run(["solve", "-", "--error-format=json"], input: Data(#"{"format": "infusion-day/1", "date": "x"}"#.utf8))
        #expect(bad.status == 2)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bad.stderr.utf8)) as? [String: Any])
        #expect(parsed["file"] as? String == "<stdin>" && parsed["path"] as? String == "date")
        #expect(try CLIRunner.run(["--error-format", "xml", "validate", "a", "b"]).status == 2)
    }

    @Test func theDayCanComeOnStandardInputAndValidateCanAnswerInJSON() throws {
        let day = try Data(contentsOf: URL(fileURLWithPath: TestFiles.instance("small-1.json")))
        let dir = try CLIRunner.temporaryDirectory()
        let out = dir.appendingPathComponent("s.json").path
        let solved = try CLIRunner.run(["solve", "-", "--method", "greedy", "--output", out, "--progress", "json"], input: day)
        #expect(solved.status == 0, "\(solved.stderr)")
        let progress = solved.stderr.split(separator: "\n").filter { $0.hasPrefix("{\"event\":\"progress\"") }
        #expect(progress.count == 1, "the greedy schedule is the one progress event of a greedy solve")
        let valid = try CLIRunner.run(["validate", "-", out, "--format", "json"], input: day)
        #expect(valid.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(valid.stdout.utf8)) as? [String: Any])
        #expect(report["valid"] as? Bool == true)
        #expect((report["violations"] as? [Any])?.isEmpty == true)
        #expect((report["objective"] as? [String: Any])?["total"] is Double)
    }
}
