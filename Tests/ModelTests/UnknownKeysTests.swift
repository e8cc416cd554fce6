import Foundation
import Testing

import TestSupport

/// Keys a day file holds that SPEC §4 does not define: found with their JSON paths, and
/// reported by the command line as warnings (the day is still solved).
@Suite struct UnknownKeysTests {
    @Test(arguments: ["small-1.json", "medium-1.json", "worked-day.json"])
    func contractFilesHaveNone(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: TestFiles.instance(name)))
        #expect(Day.unknownKeys(in: data) == [])
    }

    static func misspelt() throws -> Data {
        let data = try #require(FileManager.default.contents(atPath: TestFiles.instance("small-1.json")))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var requests = try #require(json["requests"] as? [[String: Any]])
        requests[3]["preferedStart"] = "09:00"
        var window = requests[5]["window"] as? [String: Any] ?? [:]
        window["earlist"] = "08:00"
        requests[5]["window"] = window
        json["requests"] = requests
        var chairs = try #require(json["chairs"] as? [[String: Any]])
        chairs[0]["bad key\n"] = 1
        json["chairs"] = chairs
        json["notes"] = "x"
        return try JSONSerialization.data(withJSONObject: json)
    }

    @Test func misspeltKeysAreFoundWithTheirPaths() throws {
        #expect(Day.unknownKeys(in: try Self.misspelt()) == [
            #"chairs[0]["bad key\n"]"#, "notes", "requests[3].preferedStart", "requests[5].window.earlist",
        ])
        // Not JSON, or not an object: decoding reports those, this finds nothing.
        #expect(Day.unknownKeys(in: Data("[1, 2]".utf8)) == [])
        #expect(Day.unknownKeys(in: Data("{".utf8)) == [])
    }

    @Test func theCommandWarnsAndStillSolves() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("typo.json").path
        try Self.misspelt().write(to: URL(fileURLWithPath: path))
        let run = try CLIRunner.run(["solve", path, "--method", "greedy"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: \(path): requests[3].preferedStart: unknown key, ignored"))
        #expect(run.stderr.contains("warning: \(path): requests[5].window.earlist: unknown key, ignored"))
        #expect(!run.stdout.isEmpty)
    }

    // MARK: Events files (SPEC §7)

    static let eventsWithTypos = Data("""
        { "format": "infusion-events/1", "note": 1,
          "events": [
            { "kind": "cancel", "request": "R024", "minutes": 5 },
            { "kind": "late", "request": "R022", "minutes": 40, "reason": "traffic" },
            { "kind": "chairDown", "chair": "C20", "from": "10:30", "to": "14:00" },
            { "kind": "nurseOut", "nurse": "N08", "from": "12:00", "until": "13:00" },
            { "kind": "addOn", "request": { "id": "R090", "regimen": "HYDRATION", "preferedStart": "11:00",
                                            "window": { "earliest": "10:30", "lastest": "17:30" } } } ],
          "objective": { "changePenalty": 10, "shiftPenalty": 2 } }
        """.utf8)

    @Test func eventKeysAreCheckedAgainstTheirKind() throws {
        #expect(EventsFile.unknownKeys(in: Self.eventsWithTypos) == [
            "events[0].minutes", "events[1].reason", "events[3].until", "events[4].request.preferedStart",
            "events[4].request.window.lastest", "note", "objective.shiftPenalty",
        ])
        // The examples of docs/REPLANNING.md have none; an unknown kind is left to decoding.
        for name in ["morning-events.json", "xl-events.json"] {
            let path = TestFiles.packageRoot.appendingPathComponent("docs/examples/" + name).path
            #expect(EventsFile.unknownKeys(in: try #require(FileManager.default.contents(atPath: path))) == [], "\(name)")
        }
        #expect(EventsFile.unknownKeys(in: Data(#"{"events": [{"kind": "strike", "when": 1}]}"#.utf8)) == [])
    }

    @Test func rescheduleWarnsAboutEventKeysAndStillReplans() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = dir.appendingPathComponent("events.json").path
        try Self.eventsWithTypos.write(to: URL(fileURLWithPath: events))
        let run = try CLIRunner.run(["reschedule", TestFiles.instance("medium-1.json"), schedule, events, "--now", "09:30",
                                     "--method", "greedy"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: \(events): events[1].reason: unknown key, ignored"))
        #expect(run.stderr.contains("warning: \(events): events[4].request.preferedStart: unknown key, ignored"))
        #expect(!run.stdout.isEmpty)
    }
}
