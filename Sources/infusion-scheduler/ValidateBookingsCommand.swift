import ArgumentParser
import Foundation

import InfusionScheduler

struct ValidateBookingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-bookings",
        abstract: "Check bookings against a horizon: exit 0 when valid, 1 with one line per violation.")

    @Argument(help: "The horizon file (infusion-horizon/1).")
    var horizon: String

    @Argument(help: "The bookings file (infusion-bookings/1).")
    var bookings: String

    func run() throws {
        let loaded = try Horizon.load(path: horizon)
        warnAboutUnknownKeys(in: horizon, Horizon.unknownKeys(in:))
        let given = try Bookings.load(path: bookings)
        let report = BookingValidator.validate(given, horizon: loaded)
        for v in report.violations { print(v.description) }
        for n in report.notes { note("note: \(n)") }
        let o = report.objective
        note("objective \(Summary.fmt(o.total)) = unbooked \(Summary.fmt(o.unbooked)) + delay \(Summary.fmt(o.delay)) + offset \(Summary.fmt(o.offset)) + overtime \(Summary.fmt(o.overtime)) + preference \(Summary.fmt(o.preference))")
        if report.isValid {
            let visits = given.bookings.reduce(0) { $0 + $1.visits.count }
            note("valid: \(given.bookings.count) courses booked (\(visits) visits on \(given.days.count) days), \(given.unbooked.count) unbooked")
        } else {
            note("invalid: \(report.violations.count) violation(s)")
            throw ExitCode(1)
        }
    }
}
