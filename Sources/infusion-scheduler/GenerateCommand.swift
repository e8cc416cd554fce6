import ArgumentParser
import Foundation

import InfusionScheduler

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic day; the same profile and seed give the same file, byte for byte.")

    @Option(help: "small | medium | large | xl")
    var profile: DayProfile

    @Option(help: "Random seed (a non-negative integer).")
    var seed: UInt64

    @Option(help: "The date of the day (YYYY-MM-DD).")
    var date: String = "2026-12-01"

    @Option(name: .shortAndLong, help: "Write the day here instead of stdout.")
    var output: String?

    func validate() throws {
        guard CivilDate(parsing: date) != nil else { throw ValidationError("--date must be a date YYYY-MM-DD") }
    }

    func run() throws {
        let day = DayGenerator.generate(profile: profile, seed: seed, date: CivilDate(parsing: date)!)
        try emit(day.jsonString(), to: output)
    }
}
