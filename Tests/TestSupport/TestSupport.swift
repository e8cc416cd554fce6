import Foundation

import SchedulingModel

/// Locations of the files the tests read, found from this source file so that tests run from
/// any working directory.
package enum TestFiles {
    static package let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static package let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static package func fixture(_ name: String) -> String { packageRoot.appendingPathComponent("Tests/Fixtures/" + name).path }
    static package func instance(_ name: String) -> String { packageRoot.appendingPathComponent("instances/" + name).path }

    /// The worked day of the contract, checked and resolved.
    static package func workedDay() throws -> ResolvedDay { try ResolvedDay(Day.load(path: fixture("worked-day.json"))) }
}
