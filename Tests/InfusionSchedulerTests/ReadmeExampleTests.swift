import Foundation
import Testing
import InfusionScheduler

/// The README's API example is the body of `readmeExample()`, verbatim: one test runs it, the
/// other fails when the README and this file drift apart.
@Suite struct ReadmeExampleTests {
    static let path = TestFiles.instance("medium-1.json")
    static let output = FileManager.default.temporaryDirectory.appendingPathComponent("readme-medium.schedule.json").path

    func readmeExample(dayPath: String, outputPath: String) throws -> (valid: Bool, scheduled: Int) {
        // BEGIN README EXAMPLE
        let day = try Day.load(path: dayPath)                  // throws InputError with file and JSON path
        let result = try Scheduler.solve(day, options: SolveOptions(method: .auto, timeLimit: 10))
        let schedule = result.schedule                         // already checked by the library's validator
        print("\(schedule.appointments.count) scheduled, \(schedule.unscheduled.count) not")
        print("objective \(schedule.objective!.total), \(schedule.solver!.method) \(schedule.solver!.status)")
        for entry in schedule.unscheduled where entry.reason != .capacity {
            print("\(entry.request): \(entry.reason.rawValue)")  // authorization, drugNotReady, labs, noFeasibleStart
        }
        try schedule.jsonString().write(toFile: outputPath, atomically: true, encoding: .utf8)

        // Check any schedule, e.g. one edited by hand, against the day:
        let report = Validator.validate(schedule, day: try ResolvedDay(day))
        for violation in report.violations { print(violation) }
        // END README EXAMPLE
        return (report.isValid, schedule.appointments.count)
    }

    @Test func exampleRuns() throws {
        defer { try? FileManager.default.removeItem(atPath: Self.output) }
        let outcome = try readmeExample(dayPath: Self.path, outputPath: Self.output)
        #expect(outcome.valid)
        #expect(outcome.scheduled > 0)
        let written = try Schedule.load(path: Self.output)
        #expect(written.appointments.count == outcome.scheduled)
    }

    @Test func readmeShowsThisExample() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let readme = try String(contentsOf: TestFiles.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = "// BEGIN README EXAMPLE\n", end = "        // END README EXAMPLE"
        guard let from = source.range(of: begin), let to = source.range(of: end) else {
            Issue.record("markers missing"); return
        }
        let body = source[from.upperBound..<to.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }
            .joined(separator: "\n")
        #expect(readme.contains(body), "README.md's example differs from ReadmeExampleTests.readmeExample")
    }
}
