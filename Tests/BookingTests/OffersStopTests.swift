import Foundation
import Testing

import TestSupport

/// Offers stopped by their caller (issue 20, point 1): a stopped or cancelled search throws
/// `CancellationError` instead of returning offers it has not proven to be the best, and the
/// session answers the next question as a fresh one would.
@Suite struct OffersStopTests {
    static func horizon() throws -> Horizon { try Horizon.load(path: TestFiles.instance("horizon-small-2w.json")) }

    @Test func aStoppedSearchThrowsAndTheSessionStillAnswers() throws {
        let horizon = try Self.horizon()
        let course = try #require(horizon.courses.first).id
        var session = BookingOffers(horizon)
        let control = SolveControl()
        control.stop()
        #expect(throws: CancellationError.self) { try session.offers(for: course, count: 3, control: control) }
        var fresh = BookingOffers(horizon)
        #expect(try session.offers(for: course, count: 3) == fresh.offers(for: course, count: 3))
    }

    @Test func aCancelledTaskThrowsCancellationError() async throws {
        let horizon = try Self.horizon()
        let course = try #require(horizon.courses.first).id
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            var session = BookingOffers(horizon)
            return try await session.offers(for: course, count: 3)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        // Not cancelled, the async call gives what the synchronous one gives.
        var session = BookingOffers(horizon), sync = BookingOffers(horizon)
        let answer = try await session.offers(for: course, count: 3)
        #expect(answer == (try sync.offers(for: course, count: 3, control: nil)))
        #expect(session.builtDays > 0)
    }
}
