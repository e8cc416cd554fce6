import Foundation
import Testing

import TestSupport

/// The worked example of docs/BOOKING.md: `Tests/Fixtures/worked-horizon.json` is the test horizon
/// and `worked-bookings.json` its hand-made bookings (written once by this test with
/// `BOOKING_FIXTURES=write`; the schedules' solver seconds differ from run to run).
@Suite struct WorkedExampleTests {
    typealias F = BookingFixtures

    @Test func theCommittedExampleIsTheTestHorizonAndItsBookingsValidate() throws {
        let horizonPath = TestFiles.fixture("worked-horizon.json"), bookingsPath = TestFiles.fixture("worked-bookings.json")
        if ProcessInfo.processInfo.environment["BOOKING_FIXTURES"] == "write" {
            let horizon = F.horizon()
            try Data(horizon.jsonString().utf8).write(to: URL(fileURLWithPath: horizonPath))
            try Data(F.bookings(for: horizon).jsonString().utf8).write(to: URL(fileURLWithPath: bookingsPath))
        }
        #expect(try String(contentsOfFile: horizonPath, encoding: .utf8) == F.horizon().jsonString())
        let bookings = try Bookings.load(path: bookingsPath)
        let report = BookingValidator.validate(bookings, horizon: try Horizon.load(path: horizonPath))
        #expect(report.isValid, "\(report.violations)")
        #expect(report.notes.isEmpty, "\(report.notes)")
        let out = try CLIRunner.run(["validate-bookings", horizonPath, bookingsPath])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
    }
}
