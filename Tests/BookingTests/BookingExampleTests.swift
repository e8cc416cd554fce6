import Foundation
import Testing
import TestSupport

import InfusionScheduler

/// docs/BOOKING.md, "From a practice system", shows the body of `bookingFromAPracticeSystem`
/// verbatim: the test runs it, and fails when the page and this file drift apart.
@Suite struct BookingExampleTests {
    func bookingFromAPracticeSystem(horizonPath: String, picturePath: String) throws -> (offers: Offers, report: BookingReport) {
        // BEGIN BOOKING EXAMPLE
        let horizon = try Horizon.load(path: horizonPath)      // throws InputError with file and JSON path
        var session = BookingOffers(horizon)                    // keep it while the booking screen is open
        let course = horizon.courses[0].id
        let offers = try session.offers(for: course, count: 3)  // cheapest first, each proven day by day
        for offer in offers.offers {
            let when = offer.visits.map { "\($0.date) \($0.start)" }.joined(separator: ", ")
            print("\(offer.rank). cost \(offer.cost): \(when)")
        }
        if offers.offers.isEmpty, let reason = offers.reason { print("\(course) cannot be booked: \(reason)") }

        // The whole waiting list at once, then the check and the picture:
        let bookings = try BatchBooking.book(horizon, method: .mip, timeLimit: 20)
        let report = BookingValidator.validate(bookings, horizon: horizon)
        print(report.isValid ? "\(bookings.bookings.count) courses booked" : "\(report.violations)")
        try HorizonRenderer.write(horizon: horizon, bookings: bookings, to: picturePath)
        // END BOOKING EXAMPLE
        return (offers, report)
    }

    @Test func thePagesCodeRuns() throws {
        let dir = try CLIRunner.temporaryDirectory()
        let outcome = try bookingFromAPracticeSystem(horizonPath: TestFiles.instance("horizon-small-2w.json"),
                                                     picturePath: dir.appendingPathComponent("horizon.html").path)
        #expect(!outcome.offers.offers.isEmpty || outcome.offers.reason != nil)
        #expect(outcome.report.isValid, "\(outcome.report.violations)")
    }

    /// Every line of the page's Swift block in that section, but the import, is a line of the body above, in order.
    @Test func thePageShowsThisCode() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let page = try String(contentsOf: TestFiles.packageRoot.appendingPathComponent("docs/BOOKING.md"), encoding: .utf8)
        guard let from = source.range(of: "// BEGIN BOOKING EXAMPLE\n"), let to = source.range(of: "        // END BOOKING EXAMPLE\n"),
              let section = page.range(of: "## From a practice system") else {
            Issue.record("markers or section missing"); return
        }
        let body = source[from.upperBound..<to.lowerBound].split(separator: "\n").map { String($0.dropFirst(8)) }
        var shown: [String] = []
        var inSwift = false
        for line in page[section.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { break }
            if line == "```swift" { inSwift = true; continue }
            if line == "```" { inSwift = false; continue }
            if inSwift, !line.isEmpty, line != "import InfusionScheduler" { shown.append(String(line)) }
        }
        #expect(!shown.isEmpty)
        #expect(shown == body, "docs/BOOKING.md's example differs from BookingExampleTests")
    }
}
