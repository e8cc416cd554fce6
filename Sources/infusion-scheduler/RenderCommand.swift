import ArgumentParser
import Foundation

import InfusionScheduler

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw a day's schedule as one self-contained HTML or SVG file.")

    @Argument(help: "The day file (infusion-day/1).")
    var day: String

    @Argument(help: "The schedule file (infusion-schedule/1).")
    var schedule: String

    @Option(name: .shortAndLong, help: "Where to write the picture.")
    var output: String

    @Option(help: "html or svg (default: svg for a .svg output, else html).")
    var format: RenderFormat?

    func run() throws {
        try DayRenderer.write(day: ResolvedDay(loadDay(day)), schedule: Schedule.load(path: schedule), to: output, format: format)
    }
}

extension RenderFormat: ExpressibleByArgument {}
