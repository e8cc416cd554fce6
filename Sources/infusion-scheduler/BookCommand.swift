import ArgumentParser
import Foundation

import InfusionScheduler

struct BookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "book",
        abstract: "Book every course of a horizon at once (infusion-bookings/1); the bookings are checked by the validator before they are written.")

    @Argument(help: "The horizon file (infusion-horizon/1).")
    var horizon: String

    @Option(help: "firstfit | mip. mip solves a day-assignment program, checks it day by day and returns it or first-fit's bookings, whichever is better.")
    var method: BookingMethod = .mip

    @Option(name: .long, help: "Seconds: a cap on the whole run (the program's searches are limited by counted work, so the same horizon gives the same bookings).")
    var timeLimit: Double = 60

    @Option(name: .shortAndLong, help: "Write the bookings here instead of stdout.")
    var output: String?

    func validate() throws {
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--time-limit must be a number of seconds in (0, 86400]")
        }
    }

    func run() throws {
        let loaded = try Horizon.load(path: horizon)
        warnAboutUnknownKeys(in: horizon, Horizon.unknownKeys(in:))
        // SIGTERM or SIGINT stops the search: the bookings found by then are written, status `stopped`.
        let control = SolveControl()
        let signals = StopOnSignals(control)
        let bookings = try BatchBooking.book(loaded, method: method, timeLimit: timeLimit, control: control)
        signals.restore()
        if control.isStopped { note("stopped on a signal: the bookings found by then are written") }
        try emit(bookings.jsonString(), to: output)
        let visits = bookings.bookings.reduce(0) { $0 + $1.visits.count }
        note("booked \(bookings.bookings.count) of \(loaded.courses.count) courses (\(visits) visits on \(bookings.days.count) days), objective \(Summary.fmt(bookings.objective?.total ?? 0))")
        if let n = bookings.solver?.note { note("note: \(n)") }
    }
}

extension BookingMethod: ExpressibleByArgument {}
