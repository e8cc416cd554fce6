import Foundation
import Synchronization
import Testing

import TestSupport

/// Batch booking stopped by its caller (issue 20, point 1): a cancelled task or a
/// `SolveControl.stop()` ends the search and returns the bookings found so far, checked by the
/// validator, with `solver.status` `stopped`.
@Suite struct BatchBookingStopTests {
    /// A horizon whose program search takes seconds: 4 weeks of medium days and 60 courses.
    static func horizon() -> Horizon {
        HorizonGenerator.generate(profile: .medium, weeks: 4, courses: 60, load: 0.6, seed: 7)
    }

    /// A stop asked before the search begins ends it at its first step: nothing is booked beyond
    /// what a check had already proven, and what is returned is valid and says it was stopped.
    @Test func aStopBeforeTheSearchReturnsValidBookingsMarkedStopped() throws {
        let horizon = Self.horizon()
        let control = SolveControl()
        control.stop()
        let stopped = try BatchBooking.book(horizon, method: .mip, timeLimit: 60, control: control)
        #expect(stopped.solver?.status == .stopped)
        #expect(stopped.solver?.note?.hasPrefix("stopped on request") == true)
        let report = BookingValidator.validate(stopped, horizon: horizon)
        #expect(report.isValid, "\(report.violations.map(\.description))")
        #expect(stopped.bookings.count + stopped.unbooked.count == horizon.courses.count)
        // Stopped before the days' own patients are placed: no day is placed, nothing is booked,
        // and no `capacity` is claimed as proven.
        #expect(stopped.bookings.isEmpty)
        let capacity = stopped.unbooked.filter { $0.reason == .capacity }
        #expect(!capacity.isEmpty)
        #expect(capacity.allSatisfy { $0.detail?.contains("stopped") == true })
        // Not stopped: the same call books courses and is not marked stopped.
        let whole = try BatchBooking.book(horizon, method: .firstfit, timeLimit: 60)
        #expect(whole.solver?.status != .stopped)
        #expect(whole.bookings.count > stopped.bookings.count)
    }

    /// Cancelling the task of the async call stops the search; the time from the cancel to the
    /// answer is printed (measured on a thread of its own: test runner threads may be starved).
    @Test func cancellingTheTaskStopsTheSearch() async throws {
        let horizon = Self.horizon()
        let task = Task { try await BatchBooking.book(horizon, method: .mip, timeLimit: 120) }
        let cancelled = Mutex<ContinuousClock.Instant?>(nil)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 1.0)
            cancelled.withLock { $0 = .now }
            task.cancel()
        }
        let bookings = try await task.value
        let answered = ContinuousClock.now
        // A search that ended before the cancel is not stopped; one cancelled while it ran is.
        if let at = cancelled.withLock({ $0 }), answered > at {
            print("batch booking: answered \(answered - at) after the cancel")
            #expect(bookings.solver?.status == .stopped)
        } else {
            print("batch booking: answered before the cancel")
        }
        let report = BookingValidator.validate(bookings, horizon: horizon)
        #expect(report.isValid, "\(report.violations.map(\.description))")
    }
}
