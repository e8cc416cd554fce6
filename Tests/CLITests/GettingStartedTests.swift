import Foundation
import Testing
import TestSupport

import InfusionScheduler

/// The DocC article "Getting started" shows the body of `gettingStarted(dayPath:schedulePath:)`
/// in its code blocks, verbatim: the test runs it, and fails when the article and this file drift apart.
@Suite struct GettingStartedTests {
    func gettingStarted(dayPath: String, schedulePath: String) throws -> (report: ValidationReport, replan: ReplanResult) {
        // BEGIN ARTICLE
        let day = try Day.load(path: dayPath)   // e.g. "instances/medium-1.json"; throws InputError with file and JSON path
        let result = try Scheduler.solve(day, options: SolveOptions(method: .auto, timeLimit: 10))
        print("\(result.schedule.appointments.count) scheduled, objective \(result.objective.total)")
        print("\(result.solver.method) \(result.solver.status)")  // e.g. mip feasible, with bound and gap
        try result.schedule.jsonString().write(toFile: schedulePath, atomically: true, encoding: .utf8)

        let report = try Validator.validate(Schedule.load(path: schedulePath), day: day)
        for violation in report.violations { print(violation) }   // one line each, tagged with its rule
        print(report.objective.total)                               // recomputed from the appointments

        let now = ClockTime(hour: 10, minute: 30)!
        let events = EventsFile(events: [.nurseOut(nurse: "N02", from: ClockTime(hour: 12, minute: 0)!)])
        let replan = try Replanner.replan(day: day, schedule: result.schedule, events: events,
                                          options: ReplanOptions(now: now, noticeMinutes: 30))
        for change in replan.schedule.changes ?? [] { print("\(change.request): \(change.change)") }
        // END ARTICLE
        return (report, replan)
    }

    @Test func theArticlesCodeRuns() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("getting-started.schedule.json").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let outcome = try gettingStarted(dayPath: TestFiles.instance("medium-1.json"), schedulePath: output)
        #expect(outcome.report.isValid)
        #expect(outcome.replan.solver.status != .fallback)
    }

    /// Every line of every Swift block of the article, but the import, is a line of the body
    /// above, in the same order.
    @Test func theArticleShowsThisCode() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let article = try String(contentsOf: TestFiles.packageRoot
            .appendingPathComponent("Sources/InfusionScheduler/InfusionScheduler.docc/GettingStarted.md"), encoding: .utf8)
        guard let from = source.range(of: "// BEGIN ARTICLE\n"), let to = source.range(of: "        // END ARTICLE\n") else {
            Issue.record("markers missing"); return
        }
        let body = source[from.upperBound..<to.lowerBound].split(separator: "\n")
            .map { String($0.dropFirst(8)) }
        var shown: [String] = []
        var inSwift = false
        for line in article.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```swift" { inSwift = true; continue }
            if line == "```" { inSwift = false; continue }
            if inSwift, !line.isEmpty, line != "import InfusionScheduler" { shown.append(String(line)) }
        }
        #expect(!shown.isEmpty)
        #expect(shown == body, "the article's code differs from GettingStartedTests")
    }
}
