import Foundation
import Testing

import TestSupport

/// A GLPK error during a solve (provoked through the command line's test seam,
/// `INFUSION_SCHEDULER_TEST_GLPK_FAULT=callback`, docs/ARCHITECTURE.md "GLPK errors") ends the
/// command with exit 70 and a clear message (SPEC §6), never with GLPK's abort.
@Suite struct GLPKErrorCommandTests {
    static let fault = ["INFUSION_SCHEDULER_TEST_GLPK_FAULT": "callback"]
    static let solve = ["solve", TestFiles.instance("small-1.json"), "--method", "mip", "--deterministic", "--work", "2",
                        "--time-limit", "20"]

    @Test func aGLPKErrorExitsSeventyWithItsMessage() throws {
        let out = try CLIRunner.run(Self.solve, environment: Self.fault)
        #expect(out.status == 70, "\(out.stderr)")
        // GLPK prints its error on stdout by itself: the guard keeps it for the message instead.
        #expect(out.stdout.isEmpty, "\(out.stdout)")
        #expect(out.stderr.hasPrefix("error: internal error: the solve was abandoned: GLPK failed: glp_ios_node_bound"), "\(out.stderr)")
        #expect(out.stderr.contains("invalid subproblem reference number"))
    }

    @Test func theJSONErrorFormatCarriesItToo() throws {
        let out = try CLIRunner.run(Self.solve + ["--error-format", "json"], environment: Self.fault)
        #expect(out.status == 70, "\(out.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(out.stderr.utf8)) as? [String: Any], "\(out.stderr)")
        #expect(object["exitCode"] as? Int == 70)
        #expect((object["message"] as? String)?.contains("GLPK failed: glp_ios_node_bound") == true, "\(object)")
    }

    /// A re-plan whose program meets a GLPK error keeps the repaired plan (valid, status
    /// `fallback`) and says once what GLPK said.
    @Test func aReplanKeepsTheRepairAndNamesTheFailureOnce() throws {
        let (dir, schedule) = try CLIRunner.solvedMedium()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = TestFiles.packageRoot.appendingPathComponent("docs/examples/morning-events.json").path
        let out = try CLIRunner.run(["reschedule", TestFiles.instance("medium-1.json"), schedule, events, "--now", "09:30",
                                     "--method", "mip", "--time-limit", "5"], environment: Self.fault)
        #expect(out.status == 0, "\(out.stderr)")
        let note = try #require(out.stderr.split(separator: "\n").first { $0.contains("integer program:") }, "\(out.stderr)")
        #expect(note.contains("GLPK failed: glp_ios_node_bound"), "\(note)")
        #expect(note.components(separatedBy: "GLPK failed").count == 2, "\(note)")
        #expect(out.stdout.contains("\"fallback\""))
    }

    @Test func withoutTheFaultTheSameSolveSucceeds() throws {
        let out = try CLIRunner.run(Self.solve)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\"method\""))
    }
}
