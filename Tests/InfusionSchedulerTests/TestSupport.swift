import Foundation
@testable import InfusionScheduler
@testable import SchedulingModel
@testable import SchedulingRules
@testable import MIPKit
@testable import SchedulingSolvers
@testable import SchedulingReplan
@testable import SchedulingGenerator
@testable import SchedulingRender
@testable import SchedulingWhatIf
@testable import SchedulingBench

/// Locations of the files the tests read, found from this source file so that tests run from
/// any working directory.
enum TestFiles {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static func fixture(_ name: String) -> String { testsDirectory.appendingPathComponent("Fixtures/" + name).path }
    static func instance(_ name: String) -> String { packageRoot.appendingPathComponent("instances/" + name).path }

    /// The worked day of the contract, checked and resolved.
    static func workedDay() throws -> ResolvedDay { try ResolvedDay(Day.load(path: fixture("worked-day.json"))) }
}
