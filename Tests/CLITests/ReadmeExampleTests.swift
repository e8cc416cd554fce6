import Foundation
import Testing
import TestSupport

import InfusionScheduler

/// The README's API examples are the bodies of `readmeExample()` and `readmeReplanAndWhatIf()`,
/// verbatim: tests run them, and fail when the README and this file drift apart.
@Suite struct ReadmeExampleTests {
    static let path = TestFiles.instance("medium-1.json")
    static let output = FileManager.default.temporaryDirectory.appendingPathComponent("readme-medium.schedule.json").path

    func readmeExample(dayPath: String, outputPath: String) throws -> (valid: Bool, scheduled: Int) {
        // BEGIN README EXAMPLE
        let day = try Day.load(path: dayPath)                  // throws InputError with file and JSON path
        let result = try Scheduler.solve(day, options: SolveOptions(method: .auto, timeLimit: 10))
        let schedule = result.schedule                         // already checked by the library's validator
        print("\(schedule.appointments.count) scheduled, \(schedule.unscheduled.count) not")
        print("objective \(result.objective.total), \(result.solver.method) \(result.solver.status)")
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

    func readmeReplanAndWhatIf(day: Day, plan: Schedule) throws -> (replan: ReplanResult, valid: Bool, whatIf: WhatIfReport) {
        // BEGIN README REPLAN EXAMPLE
        // 10:30: a patient due at 11:00 or later cancels, and nurse N02 goes out at noon.
        let now = ClockTime(hour: 10, minute: 30)!
        let cancelled = plan.appointments.first { $0.arrival >= ClockTime(hour: 11, minute: 0)! }!.request
        let events = EventsFile(events: [.cancel(request: cancelled),
                                         .nurseOut(nurse: "N02", from: ClockTime(hour: 12, minute: 0)!)])
        let replan = try Replanner.replan(day: day, schedule: plan, events: events,
                                          options: ReplanOptions(now: now, noticeMinutes: 30))
        for change in replan.schedule.changes ?? [] { print("\(change.request): \(change.change)") }  // whom to call
        let check = try Validator.validateReplan(day: day, old: plan, events: events, new: replan.schedule, now: now)
        print(check.violations.isEmpty ? "re-plan keeps every rule" : check.violations.joined(separator: "\n"))

        // What if the day had two more recliners and 15 % more patients? (An unchanged base
        // is added first; every scenario is measured against it.)
        let scenario = WhatIfScenario(name: "+2 recliners, demand +15 %", chairs: ["recliner": 2], demand: 1.15)
        let whatIf = try WhatIfRunner(days: [WhatIfDay(name: "medium-1", day: day, seed: 1)], scenarios: [scenario],
                                      options: SolveOptions(method: .greedy)).run()
        print(whatIf.markdown())
        // END README REPLAN EXAMPLE
        return (replan, check.violations.isEmpty, whatIf)
    }

    @Test func replanAndWhatIfExampleRuns() throws {
        let day = try Day.load(path: Self.path)
        let plan = try Scheduler.solve(day, options: SolveOptions(method: .greedy)).schedule
        let outcome = try readmeReplanAndWhatIf(day: day, plan: plan)
        #expect(outcome.valid)
        #expect(outcome.replan.schedule.unscheduled.contains { $0.reason == .cancelled })
        #expect(outcome.whatIf.scenarios.map(\.name) == ["base", "+2 recliners, demand +15 %"])
    }

    @Test func exampleRuns() throws {
        defer { try? FileManager.default.removeItem(atPath: Self.output) }
        let outcome = try readmeExample(dayPath: Self.path, outputPath: Self.output)
        #expect(outcome.valid)
        #expect(outcome.scheduled > 0)
        let written = try Schedule.load(path: Self.output)
        #expect(written.appointments.count == outcome.scheduled)
    }

    @Test(arguments: ["README EXAMPLE", "README REPLAN EXAMPLE"])
    func readmeShowsThisExample(_ marker: String) throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let readme = try String(contentsOf: TestFiles.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = "// BEGIN \(marker)\n", end = "        // END \(marker)\n"
        guard let from = source.range(of: begin), let to = source.range(of: end) else {
            Issue.record("markers missing"); return
        }
        let body = source[from.upperBound..<to.lowerBound]
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }
            .joined(separator: "\n")
        #expect(readme.contains(body), "README.md's example (\(marker)) differs from ReadmeExampleTests")
    }
}
