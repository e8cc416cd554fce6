import Foundation
import Testing

import TestSupport

/// The `reschedule` command as a user runs it: the worked morning of docs/REPLANNING.md, and
/// bad events files that must exit 2 naming the file and the JSON path.
@Suite struct RescheduleCommandTests {
    @Test func workedMorningValidatesAgainstTheAppliedDay() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = TestFiles.packageRoot.appendingPathComponent("docs/examples/morning-events.json").path
        let out = dir.appendingPathComponent("replan.json").path
        let applied = dir.appendingPathComponent("day-after.json").path
        let run = try CLIRunner.run(["reschedule", TestFiles.instance("medium-1.json"), schedule, events, "--now", "09:30",
                                     "--method", "greedy", "--output", out, "--day-output", applied])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("change(s)"))
        let checked = try CLIRunner.run(["validate", applied, out])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        let replan = try Schedule.load(path: out)
        #expect(replan.changes?.contains { $0.request == "R024" && $0.change == "cancelled" } == true)
        #expect(replan.alerts.contains { $0.kind == .chairConflict })
        // docs/REPLANNING.md shows this change list (as `jq -c '.changes[]'` prints it): it must stay true.
        let doc = try Self.replanningDoc()
        for line in Self.changeLines(replan) { #expect(doc.contains(line), "docs/REPLANNING.md lacks \(line)") }
        // Same inputs, same file (but for the timing).
        let again = try CLIRunner.run(["reschedule", TestFiles.instance("medium-1.json"), schedule, events, "--now", "09:30",
                                       "--method", "greedy"])
        let strip = { (s: String) in s.split(separator: "\n").filter { !$0.contains("\"seconds\"") }.joined(separator: "\n") }
        #expect(strip(again.stdout) == strip(try String(contentsOfFile: out, encoding: .utf8)))
    }

    /// `validate-replan` accepts the re-plan the library wrote (exit 0), lists what a tampered
    /// one breaks (exit 1), and names the file and JSON path of a bad events file (exit 2).
    @Test func validateReplanChecksTheReplanAgainstTheOldPlanAndEvents() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let day = TestFiles.instance("medium-1.json")
        let events = TestFiles.packageRoot.appendingPathComponent("docs/examples/morning-events.json").path
        let out = dir.appendingPathComponent("replan.json").path
        let run = try CLIRunner.run(["reschedule", day, schedule, events, "--now", "09:30", "--method", "greedy", "--output", out])
        #expect(run.status == 0, "\(run.stderr)")
        let valid = try CLIRunner.run(["validate-replan", day, schedule, events, out, "--now", "09:30"])
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")

        // A moved arrival with too little notice: move the first changed appointment to arrive at 09:35.
        var replan = try Schedule.load(path: out)
        let moved = try #require(replan.changes?.first { $0.change == "moved" })
        let i = try #require(replan.appointments.firstIndex { $0.request == moved.request })
        let shift = replan.appointments[i].arrival.minutes - (9 * 60 + 35)
        replan.appointments[i].arrival = ClockTime(minutes: replan.appointments[i].arrival.minutes - shift)
        if let draw = replan.appointments[i].labDraw { replan.appointments[i].labDraw?.start = ClockTime(minutes: draw.start.minutes - shift) }
        let tampered = dir.appendingPathComponent("tampered.json").path
        try replan.jsonString().write(toFile: tampered, atomically: true, encoding: .utf8)
        let invalid = try CLIRunner.run(["validate-replan", day, schedule, events, tampered, "--now", "09:30"])
        #expect(invalid.status == 1, "\(invalid.stdout)\(invalid.stderr)")
        #expect(invalid.stdout.contains(moved.request))

        let bad = dir.appendingPathComponent("bad-events.json").path
        try #"{"format": "infusion-events/1", "events": [{"kind": "cancel", "request": "NOPE"}]}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try CLIRunner.run(["validate-replan", day, schedule, bad, out, "--now", "09:30"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("bad-events.json") && refused.stderr.contains("events[0]"), "\(refused.stderr)")
    }

    /// docs/REPLANNING.md.
    static func replanningDoc() throws -> String {
        try String(contentsOf: TestFiles.packageRoot.appendingPathComponent("docs/REPLANNING.md"), encoding: .utf8)
    }

    /// The change list as `jq -c '.changes[]'` prints it, one line per change.
    static func changeLines(_ schedule: Schedule) -> [String] {
        func compact(_ p: PlanPoint?) -> String? {
            p.map { #"{"arrival":"\#($0.arrival!)","start":"\#($0.start!)","chair":"\#($0.chair!)","nurse":"\#($0.nurse!)"}"# }
        }
        return (schedule.changes ?? []).map { c in
            var line = #"{"request":"\#(c.request)","change":"\#(c.change)""#
            if let from = compact(c.from) { line += #","from":"# + from }
            if let to = compact(c.to) { line += #","to":"# + to }
            return line + #","notify":["# + c.notify.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
        }
    }

    @Test func workedMorningWithTheIntegerProgramCostsLessAndIsDocumented() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = TestFiles.packageRoot.appendingPathComponent("docs/examples/morning-events.json").path
        func run(_ method: String) throws -> (schedule: Schedule, applied: String, out: String) {
            let out = dir.appendingPathComponent("replan-\(method).json").path
            let applied = dir.appendingPathComponent("day-after-\(method).json").path
            let run = try CLIRunner.run(["reschedule", TestFiles.instance("medium-1.json"), schedule, events, "--now", "09:30",
                                         "--method", method, "--output", out, "--day-output", applied])
            #expect(run.status == 0, "\(run.stderr)")
            return (try Schedule.load(path: out), applied, out)
        }
        let repair = try run("greedy"), mip = try run("auto")
        let checked = try CLIRunner.run(["validate", mip.applied, mip.out])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(mip.schedule.solver?.method == .mip)
        #expect(repair.schedule.solver?.method == .greedy)
        let mipTotal = try #require(mip.schedule.objective?.total), repairTotal = try #require(repair.schedule.objective?.total)
        #expect(mipTotal <= repairTotal)
        // The documented improvement (R033 earlier on C05, R054 to C20) is what the command does.
        let doc = try Self.replanningDoc()
        for line in Self.changeLines(mip.schedule) where line.contains(#""R033""#) || line.contains(#""R054""#) {
            #expect(doc.contains(line), "docs/REPLANNING.md lacks \(line)")
        }
        #expect(doc.contains("objective \(Int(mipTotal)) = "), "docs/REPLANNING.md lacks the total \(mipTotal)")
    }

    @Test func badEventsFilesExitTwoWithTheJSONPath() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try Schedule.load(path: schedule)
        let frozen = plan.appointments.first { $0.arrival < ClockTime(minutes: 570) }!.request
        let cases: [(name: String, events: String, expected: String)] = [
            ("unknown request", #"[{"kind": "cancel", "request": "R999"}]"#, #"events[0].request: unknown request "R999""#),
            ("unknown kind", #"[{"kind": "cancel", "request": "R024"}, {"kind": "strike"}]"#, "events[1].kind: unknown kind \"strike\""),
            ("cancel a frozen appointment", #"[{"kind": "cancel", "request": "\#(frozen)"}]"#, "events[0].request: request \(frozen) is already here"),
            ("malformed time", #"[{"kind": "nurseOut", "nurse": "N01", "from": "12.00"}]"#, "events[0].from: malformed time"),
            ("from in the past", #"[{"kind": "chairDown", "chair": "C01", "from": "08:00"}]"#, "events[0].from: from 08:00 is before now"),
            ("not JSON", "[", "(document)"),
        ]
        for c in cases {
            let file = dir.appendingPathComponent("events.json")
            try Data(#"{"format": "infusion-events/1", "events": \#(c.events)}"#.utf8).write(to: file)
            let run = try CLIRunner.run(["reschedule", TestFiles.instance("medium-1.json"), schedule, file.path, "--now", "09:30"])
            #expect(run.status == 2, "\(c.name): \(run.stderr)")
            #expect(run.stderr.contains(file.path + ": " + c.expected), "\(c.name): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        let ok = dir.appendingPathComponent("ok.json")
        try Data(#"{"format": "infusion-events/1", "events": []}"#.utf8).write(to: ok)
        for now in ["9:30", "25:00", "noon"] {
            let run = try CLIRunner.run(["reschedule", TestFiles.instance("medium-1.json"), schedule, ok.path, "--now", now])
            #expect(run.status == 2, "--now \(now): \(run.stderr)")
            #expect(run.stderr.contains("--now"))
        }
    }
}
