import Foundation
import Testing

import TestSupport

/// For many generated days of every profile, the greedy schedule keeps every hard constraint,
/// its reported objective is the validator's, every request is accounted for, and it is
/// deterministic.
@Suite struct GreedyPropertyTests {
    static let seedsPerProfile: [DayProfile: ClosedRange<UInt64>] = [.small: 1...30, .medium: 1...12, .large: 1...5, .xl: 1...3]

    @Test(arguments: DayProfile.allCases)
    func greedySchedulesValidate(_ profile: DayProfile) throws {
        for seed in Self.seedsPerProfile[profile]! {
            let day = try ResolvedDay(DayGenerator.generate(profile: profile, seed: seed))
            let result = try Scheduler.solve(day, options: SolveOptions(method: .greedy))
            let report = Validator.validate(result.schedule, day: day)
            #expect(report.violations.isEmpty, "\(profile) seed \(seed): \(report.violations.prefix(3))")
            #expect(report.notes.isEmpty, "\(profile) seed \(seed): \(report.notes.prefix(3))")
            #expect(result.schedule.appointments.count + result.schedule.unscheduled.count == day.requests.count)
            // A good scheduler treats nearly everyone it could: at most 10% of the admissible requests
            // are left for capacity (4 on a small day, where one long bed regimen is already 5%).
            let admissible = day.requests.indices.filter { day.isAdmissible($0) }.count
            let capacity = result.schedule.unscheduled.filter { $0.reason == .capacity }.count
            #expect(capacity <= max(admissible / 10, profile == .small ? 4 : 0), "\(profile) seed \(seed): \(capacity) of \(admissible) left for capacity")
        }
    }

    @Test func greedyIsDeterministic() throws {
        for profile in DayProfile.allCases {
            let day = try ResolvedDay(DayGenerator.generate(profile: profile, seed: 7))
            let a = try GreedyScheduler(day: day).schedule()
            let b = try GreedyScheduler(day: day).schedule()
            #expect(a == b, "\(profile)")
        }
    }

    @Test func scheduleJSONIsByteStableApartFromSeconds() throws {
        let day = try ResolvedDay(DayGenerator.generate(profile: .medium, seed: 3))
        var a = try Scheduler.solve(day, options: SolveOptions(method: .greedy)).schedule
        var b = try Scheduler.solve(day, options: SolveOptions(method: .greedy)).schedule
        a.solver?.seconds = 0
        b.solver?.seconds = 0
        #expect(a.jsonString() == b.jsonString())
    }
}
