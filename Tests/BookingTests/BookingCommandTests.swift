import Foundation
import Testing

import TestSupport

/// `validate-bookings` and `generate-horizon` run as a user would: exit codes 0, 1 and 2, files, messages.
@Suite struct BookingCommandTests {
    typealias F = BookingFixtures

    /// The test horizon and its hand-made bookings (changed by `change`) written to a fresh directory.
    func files(horizon: String? = nil, _ change: (inout Bookings) -> Void = { _ in }) throws -> (dir: URL, horizon: String, bookings: String) {
        let dir = try CLIRunner.temporaryDirectory()
        let h = F.horizon()
        var b = try F.bookings(for: h)
        change(&b)
        let horizonPath = dir.appendingPathComponent("h.json").path, bookingsPath = dir.appendingPathComponent("b.json").path
        try Data((horizon ?? h.jsonString()).utf8).write(to: URL(fileURLWithPath: horizonPath))
        try Data(b.jsonString().utf8).write(to: URL(fileURLWithPath: bookingsPath))
        return (dir, horizonPath, bookingsPath)
    }

    @Test func validBookingsExitZero() throws {
        let (dir, horizon, bookings) = try files()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLIRunner.run(["validate-bookings", horizon, bookings])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains("objective 10132 = unbooked 10000 + delay 20 + offset 100 + overtime 0 + preference 12"), "\(out.stderr)")
        #expect(out.stderr.contains("valid: 1 courses booked (2 visits on 2 days), 2 unbooked"))
    }

    @Test func brokenBookingsExitOneWithALinePerViolation() throws {
        let (dir, horizon, bookings) = try files { b in
            b.unbooked[1].reason = .window
            b.objective = BookingObjective(unbooked: 0, delay: 20, offset: 100, overtime: 0, preference: 12)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLIRunner.run(["validate-bookings", horizon, bookings])
        #expect(out.status == 1)
        #expect(out.stdout.split(separator: "\n") == [
            "[objective] objective.unbooked reported 0, recomputed 10000",
            "[objective] objective.total reported 132, recomputed 10132",
            "[reason] K3: reported reason window, computed capacity (it fits an otherwise empty horizon)",
        ], "\(out.stdout)")
        #expect(out.stderr.contains("invalid: 3 violation(s)"))
    }

    @Test func badInputExitsTwoNamingFileAndPath() throws {
        var text = F.horizon().jsonString()
        text = text.replacingOccurrences(of: "\"offsetDays\": 7", with: "\"offsetDays\": -7")
        let (dir, horizon, bookings) = try files(horizon: text)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLIRunner.run(["validate-bookings", horizon, bookings])
        #expect(out.status == 2)
        #expect(out.stderr == "error: \(horizon): courses[0].visits[1].offsetDays: offset -7 is not after the previous visit's (0)\n", "\(out.stderr)")
        let missing = try CLIRunner.run(["validate-bookings", TestFiles.instance("horizon-small-2w.json"), dir.appendingPathComponent("none.json").path])
        #expect(missing.status == 2 && missing.stderr.contains("none.json: (document): no such file"), "\(missing.stderr)")
    }

    @Test func badBookingsExitTwoAndUnknownHorizonKeysWarn() throws {
        let text = F.horizon().jsonString().replacingOccurrences(of: "\"preferredStart\": \"09:30\"", with: "\"preferredStart\": \"09:30\", \"preferedStart\": \"10:00\"")
        let (dir, horizon, bookings) = try files(horizon: text)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try CLIRunner.run(["validate-bookings", horizon, bookings])
        #expect(good.status == 0)
        #expect(good.stderr.contains("warning: \(horizon): courses[0].preferedStart: unknown key, ignored"), "\(good.stderr)")
        let broken = try String(contentsOfFile: bookings, encoding: .utf8).replacingOccurrences(of: "\"reason\": \"capacity\"", with: "\"reason\": \"full\"")
        try Data(broken.utf8).write(to: URL(fileURLWithPath: bookings))
        let out = try CLIRunner.run(["validate-bookings", horizon, bookings])
        #expect(out.status == 2)
        #expect(out.stderr.hasSuffix("error: \(bookings): unbooked[1].reason: unknown reason \"full\": expected one of authorization, drugLead, window, capacity\n"), "\(out.stderr)")
    }

    @Test func generateHorizonIsByteStableAndRefusesBadArguments() throws {
        let args = ["generate-horizon", "--profile", "small", "--weeks", "1", "--courses", "3", "--load", "0.4", "--seed", "9"]
        let a = try CLIRunner.run(args), b = try CLIRunner.run(args)
        #expect(a.status == 0 && a.stdout == b.stdout && !a.stdout.isEmpty)
        #expect(a.stdout == HorizonGenerator.generate(profile: .small, weeks: 1, courses: 3, load: 0.4, seed: 9).jsonString())
        for bad in [["--load", "1.5"], ["--weeks", "0"], ["--profile", "large"], ["--courses", "-1"]] {
            var changed = args
            let i = changed.firstIndex(of: bad[0])!
            changed[i + 1] = bad[1]
            let out = try CLIRunner.run(changed)
            #expect(out.status == 2, "\(bad): \(out.stderr)")
        }
    }

    /// The committed horizons are what `generate-horizon` writes for the arguments instances/README.md gives.
    @Test(arguments: [
        ("horizon-small-2w.json", ["--profile", "small", "--weeks", "2", "--courses", "8", "--load", "0.5", "--seed", "1"]),
        ("horizon-medium-8w.json", ["--profile", "medium", "--weeks", "8", "--courses", "30", "--load", "0.4", "--seed", "1"]),
    ])
    func committedHorizonsAreRegenerated(_ file: String, _ args: [String]) throws {
        let out = try CLIRunner.run(["generate-horizon"] + args)
        #expect(out.status == 0)
        let committed = try String(contentsOfFile: TestFiles.instance(file), encoding: .utf8)
        #expect(out.stdout == committed)
    }
}
