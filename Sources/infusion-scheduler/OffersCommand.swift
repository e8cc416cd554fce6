import ArgumentParser
import Foundation

import InfusionScheduler

struct OffersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "The best ways to book one course of a horizon, each alone against the horizon, best first (infusion-offers/1).")

    @Argument(help: "The horizon file (infusion-horizon/1).")
    var horizon: String

    @Option(help: "The id of the course to offer.")
    var course: String

    @Option(help: "How many offers (1...100).")
    var count: Int = 3

    @Option(name: .shortAndLong, help: "Write the offers here instead of stdout.")
    var output: String?

    func validate() throws {
        guard (1...100).contains(count) else { throw ValidationError("--count must be in 1...100") }
    }

    func run() throws {
        let loaded = try Horizon.load(path: horizon)
        warnAboutUnknownKeys(in: horizon, Horizon.unknownKeys(in:))
        guard loaded.courses.contains(where: { $0.id == course }) else {
            throw ValidationError("--course: the horizon has no course \"\(course.prefix(64))\"")
        }
        var session = BookingOffers(loaded)
        let result = try session.offers(for: course, count: count)
        try emit(result.jsonString(), to: output)
        if let best = result.offers.first {
            note("\(result.offers.count) offer(s) for \(result.course); best cost \(Summary.fmt(best.cost)); \(session.builtDays) day(s) built")
        } else {
            note("no offer for \(result.course): \(result.reason?.rawValue ?? "capacity")")
        }
    }
}
