import Foundation
import Testing

import TestSupport

/// Bad day files: each must give exit code 2 and a message naming the file and the JSON path,
/// both from the library (a thrown ``InputError``) and from the binary (no crash, no trace).
@Suite struct MalformedInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var path: String
        var text: String
        var testDescription: String { name }
    }

    static let worked: String = (try? String(contentsOfFile: TestFiles.fixture("worked-day.json"), encoding: .utf8)) ?? ""

    /// The worked day with one JSON edit applied.
    static func edited(_ edit: (inout [String: Any]) -> Void) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(worked.utf8))) as? [String: Any] else { return "" }
        edit(&object)
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func set(_ object: inout [String: Any], _ keys: [Any], _ value: Any?) {
        func assign(_ node: Any, _ keys: ArraySlice<Any>) -> Any? {
            guard let key = keys.first else { return value }
            if let name = key as? String, var dict = node as? [String: Any] {
                dict[name] = assign(dict[name] ?? [String: Any](), keys.dropFirst())
                return dict
            }
            if let index = key as? Int, var array = node as? [Any] {
                if let v = assign(array[index], keys.dropFirst()) { array[index] = v } else { array.remove(at: index) }
                return array
            }
            return node
        }
        object = assign(object, keys[...]) as? [String: Any] ?? object
    }

    static func change(_ keys: [Any], to value: Any?) -> String { edited { set(&$0, keys, value) } }

    static let cases: [Case] = [
        Case(name: "truncated JSON", path: "(document)", text: String(worked.prefix(300))),
        Case(name: "empty file", path: "(document)", text: ""),
        Case(name: "array instead of object", path: "(document)", text: "[1, 2, 3]"),
        Case(name: "unknown format", path: "format", text: change(["format"], to: "infusion-day/2")),
        Case(name: "slot does not divide 60", path: "slotMinutes", text: change(["slotMinutes"], to: 7)),
        Case(name: "slot as string", path: "slotMinutes", text: change(["slotMinutes"], to: "15")),
        Case(name: "slot absurdly large", path: "slotMinutes", text: change(["slotMinutes"], to: 1e30)),
        Case(name: "malformed clock time", path: "clinic.open", text: change(["clinic", "open"], to: "7:30")),
        Case(name: "hour 25", path: "clinic.latestEnd", text: change(["clinic", "latestEnd"], to: "25:00")),
        Case(name: "open after close", path: "clinic.close", text: change(["clinic", "open"], to: "18:00")),
        Case(name: "impossible date", path: "date", text: change(["date"], to: "2026-02-30")),
        Case(name: "duplicate chair id", path: "chairs[1].id", text: change(["chairs", 1, "id"], to: "C1")),
        Case(name: "window ends before it starts", path: "chairs[2].available[0]", text: change(["chairs", 2, "available"], to: [["13:00", "07:30"]])),
        Case(name: "window with one time", path: "chairs[1].available[0]", text: change(["chairs", 1, "available"], to: [["07:30"]])),
        Case(name: "shift ends before it starts", path: "nurses[0].shiftEnd", text: change(["nurses", 0, "shiftEnd"], to: "06:00")),
        Case(name: "zero nurse capacity", path: "nurses[1].capacity", text: change(["nurses", 1, "capacity"], to: 0)),
        Case(name: "no compounders", path: "pharmacy.compounders", text: change(["pharmacy", "compounders"], to: 0)),
        Case(name: "zero-minute draw", path: "lab.drawMinutes", text: change(["lab", "drawMinutes"], to: 0)),
        Case(name: "regimen without chair types", path: "regimens[0].chairTypes", text: change(["regimens", 0, "chairTypes"], to: [String]())),
        Case(name: "chair time longer than the day", path: "regimens[0].chairMinutes", text: change(["regimens", 0, "chairMinutes"], to: 2000)),
        Case(name: "negative chair time", path: "regimens[1].chairMinutes", text: change(["regimens", 1, "chairMinutes"], to: -5)),
        Case(name: "fractional chair time", path: "regimens[1].chairMinutes", text: change(["regimens", 1, "chairMinutes"], to: 60.5)),
        Case(name: "unknown regimen", path: "requests[2].regimen", text: change(["requests", 2, "regimen"], to: "XELOX")),
        Case(name: "unknown fixed chair", path: "requests[5].fixed.chair", text: change(["requests", 5, "fixed", "chair"], to: "C9")),
        Case(name: "unknown fixed nurse", path: "requests[5].fixed.nurse", text: change(["requests", 5, "fixed", "nurse"], to: "N9")),
        Case(name: "duplicate request id", path: "requests[1].id", text: change(["requests", 1, "id"], to: "R1")),
        Case(name: "missing request id", path: "requests[0].id", text: change(["requests", 0, "id"], to: nil)),
        Case(name: "request is a number", path: "requests[1]", text: change(["requests", 1], to: 5)),
        Case(name: "negative weight", path: "requests[0].weight", text: change(["requests", 0, "weight"], to: -1)),
        Case(name: "malformed date-time", path: "requests[0].labs.validUntil", text: change(["requests", 0, "labs", "validUntil"], to: "2026-12-01 08:00")),
        Case(name: "unknown authorization status", path: "requests[4].authorization.status", text: change(["requests", 4, "authorization", "status"], to: "maybe")),
        // Not here: a reversed patient window or authorization is one request's oddity, not a
        // bad file (OddRequestTests reads them as inadmissible requests).
        Case(name: "duplicate key", path: "slotMinutes", text: worked.replacingOccurrences(of: "\"slotMinutes\": 15,", with: "\"slotMinutes\": 15, \"slotMinutes\": 7,")),
        Case(name: "trailing comma in an array", path: "regimens[0].chairTypes",
             text: worked.replacingOccurrences(of: "\"recliner\",\n    \"bed\"\n", with: "\"recliner\",\n    \"bed\",\n")),
        Case(name: "negative objective weight", path: "objective.waitPerMinute", text: change(["objective", "waitPerMinute"], to: -1)),
        Case(name: "missing lab", path: "lab", text: change(["lab"], to: nil)),
    ]

    /// An application can switch on what went wrong (`InputError.kind`), not only print it.
    @Test func eachRefusalHasItsKind() throws {
        let expected: [String: InputError.Kind] = [
            "truncated JSON": .malformed, "empty file": .malformed, "array instead of object": .wrongType,
            "unknown format": .unsupportedFormat, "slot does not divide 60": .invalidValue, "slot as string": .wrongType,
            "fractional chair time": .wrongType, "malformed clock time": .invalidValue, "open after close": .invalidValue,
            "duplicate chair id": .duplicate, "duplicate request id": .duplicate, "unknown regimen": .unknownReference,
            "unknown fixed chair": .unknownReference, "unknown fixed nurse": .unknownReference,
            "missing request id": .missingField, "missing lab": .missingField, "request is a number": .wrongType,
            "duplicate key": .malformed, "trailing comma in an array": .malformed,
        ]
        #expect(Set(expected.keys).isSubset(of: Set(Self.cases.map(\.name))))
        for c in Self.cases {
            guard let kind = expected[c.name] else { continue }
            do {
                _ = try Day.decode(Data(c.text.utf8), file: "bad.json")
                Issue.record("\(c.name): accepted")
            } catch let error as InputError {
                #expect(error.kind == kind, "\(c.name): \(error.kind) (\(error))")
            }
        }
        #expect(throws: InputError(file: "/nonexistent/day.json", path: "", message: "no such file", kind: .unreadable)) {
            try Day.load(path: "/nonexistent/day.json")
        }
    }

    @Test(arguments: cases)
    func libraryRejectsWithPath(_ c: Case) {
        do {
            _ = try Day.decode(Data(c.text.utf8), file: "bad.json")
            Issue.record("accepted a malformed day")
        } catch let error as InputError {
            #expect(error.description.hasPrefix("bad.json: \(c.path): "), "\(error)")
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }

    @Test(arguments: cases)
    func binaryExitsTwoWithPath(_ c: Case) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.json")
        try Data(c.text.utf8).write(to: file)
        for command in [["solve", file.path, "--method", "greedy"], ["validate", file.path, TestFiles.fixture("worked-schedule.json")]] {
            let out = try CLIRunner.run(command)
            #expect(out.status == 2, "\(command[0]): \(out.stderr)")
            #expect(out.stderr.contains("\(file.path): \(c.path): "), "\(out.stderr)")
            #expect(!out.stderr.contains("Fatal error") && !out.stderr.contains("Stack dump"))
            #expect(out.stdout.isEmpty)
        }
    }

    @Test func missingFileAndUsageErrorsExitTwo() throws {
        let missing = try CLIRunner.run(["solve", "/nonexistent/day.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/day.json: (document): no such file"))
        let badMethod = try CLIRunner.run(["solve", TestFiles.fixture("worked-day.json"), "--method", "magic"])
        #expect(badMethod.status == 2)
        let badLimit = try CLIRunner.run(["solve", TestFiles.fixture("worked-day.json"), "--time-limit", "-3"])
        #expect(badLimit.status == 2)
        let badProfile = try CLIRunner.run(["generate", "--profile", "huge", "--seed", "1"])
        #expect(badProfile.status == 2)
        let noCommand = try CLIRunner.run(["frobnicate"])
        #expect(noCommand.status == 2)
    }

    @Test func malformedScheduleNamesItsPath() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("schedule.json")
        var text = try String(contentsOfFile: TestFiles.fixture("worked-schedule.json"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"start\": \"09:15\"", with: "\"start\": 915")
        try Data(text.utf8).write(to: file)
        let out = try CLIRunner.run(["validate", TestFiles.fixture("worked-day.json"), file.path])
        #expect(out.status == 2)
        #expect(out.stderr.contains("schedule.json: appointments[1].start: expected a string"), "\(out.stderr)")
    }
}
