import ArgumentParser
import Foundation

import InfusionScheduler

struct GenerateHorizonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-horizon",
        abstract: "Write a synthetic horizon (days with patients already booked, and courses to book); the same arguments give the same file, byte for byte.")

    @Option(help: "small | medium: the size of every day.")
    var profile: DayProfile

    @Option(help: "How many weeks the horizon spans (1...26).")
    var weeks: Int

    @Option(help: "How many courses to book (0...500).")
    var courses: Int

    @Option(help: "How full the days already are, 0...1: the share of the profile's requests each day starts with.")
    var load: Double

    @Option(help: "Random seed (a non-negative integer).")
    var seed: UInt64

    @Option(name: .shortAndLong, help: "Write the horizon here instead of stdout.")
    var output: String?

    func validate() throws {
        guard profile == .small || profile == .medium else { throw ValidationError("--profile must be small or medium") }
        guard (1...26).contains(weeks) else { throw ValidationError("--weeks must be in 1...26") }
        guard (0...500).contains(courses) else { throw ValidationError("--courses must be in 0...500") }
        guard load.isFinite, (0...1).contains(load) else { throw ValidationError("--load must be a number in 0...1") }
    }

    func run() throws {
        let horizon = HorizonGenerator.generate(profile: profile, weeks: weeks, courses: courses, load: load, seed: seed)
        try emit(horizon.jsonString(), to: output)
    }
}
