import ArgumentParser
import Foundation

import InfusionScheduler

struct RenderHorizonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-horizon",
        abstract: "Draw bookings on their horizon: a calendar of each day's load and new visits (HTML: click a day for its Gantt).")

    @Argument(help: "The horizon file (infusion-horizon/1).")
    var horizon: String

    @Argument(help: "The bookings file (infusion-bookings/1).")
    var bookings: String

    @Option(name: .shortAndLong, help: "Where to write the picture (.html or .svg).")
    var output: String

    @Option(help: "html or svg (default: svg for a .svg output, else html).")
    var format: RenderFormat?

    func run() throws {
        let loaded = try Horizon.load(path: horizon)
        warnAboutUnknownKeys(in: horizon, Horizon.unknownKeys(in:))
        try HorizonRenderer.write(horizon: loaded, bookings: Bookings.load(path: bookings), to: output, format: format)
    }
}
