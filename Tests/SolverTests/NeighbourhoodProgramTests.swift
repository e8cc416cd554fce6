import Foundation
import Testing
import TestSupport
@testable import MIPKit

@testable import SchedulingSolvers

/// The two programs the improvement search adds: the bound relaxation and the neighbourhood programs.
@Suite struct NeighbourhoodProgramTests {
    /// A minute from when it is read: a stored instant would be long past for a test that starts late in a loaded run.
    static var later: ContinuousClock.Instant { .now + .seconds(60) }

    /// The relaxation's optimum never exceeds the true optimum, scarce compounders and stations or not.
    @Test func theRelaxationBoundsTheExhaustiveOptimum() throws {
        for seed in UInt64(300)...315 {
            let day = try RandomDays.tiny(seed: seed, scarce: seed % 2 == 0)
            let r = ScheduleFormulation.boundRelaxation(day)
            #expect(r.program.validate() == nil)
            #expect(!r.columns.contains { if case .prep = $0 { return true } else { return false } }, "seed \(seed)")
            #expect(!r.program.rows.contains { $0.name.hasPrefix("stations(") || $0.name.hasPrefix("compounders(") })
            let result = try GLPKSolver.solve(r.program, start: nil, deadline: Self.later, relativeGap: nil)
            let reference = ExhaustiveReference.optimum(day)
            if result.status == .noSolution { continue }   // a fixed booking that cannot hold
            let bound = try #require(result.bound, "seed \(seed)")
            #expect(bound <= reference + 1e-6, "seed \(seed)")
            #expect(r.separableBound() <= bound + 1e-6, "seed \(seed)")
            // Any valid schedule of the day can be written in the relaxation at no higher cost.
            let exact = MIPScheduler(day: day, options: MIPOptions(timeLimit: 20)).solve(incumbent: nil)
            if let placements = exact.placements {
                let hinted = ScheduleFormulation.boundRelaxation(day, hints: placements)
                let values = try #require(hinted.encode(placements), "seed \(seed)")
                #expect(hinted.program.objectiveValue(of: values) <= day.objective(of: placements).total + 1e-6, "seed \(seed)")
            }
        }
    }

    /// With nothing freed the program holds exactly the hinted schedule; freeing requests keeps it
    /// as a solution and never prices it differently.
    @Test func frozenRequestsKeepTheirChoices() throws {
        for seed in UInt64(1)...3 {
            let day = try RandomDays.small(seed: seed, requestCount: 20, chairCount: 5, nurseCount: 3)
            let schedule = try firstFitSchedule(day)
            let cost = day.objective(of: schedule).total
            let frozen = ScheduleFormulation.neighbourhood(day, Neighbourhood(freed: []), hints: schedule)
            let starts = frozen.columns.filter { if case .start = $0 { return true } else { return false } }
            #expect(starts.count == schedule.count, "seed \(seed)")
            let only = try GLPKSolver.solve(frozen.program, start: nil, deadline: Self.later, relativeGap: nil)
            #expect(only.status == .optimal)
            #expect(abs((only.objective ?? .infinity) - cost) < 1e-6, "seed \(seed)")
            let freed = Set(schedule.prefix(5).map(\.request))
            let f = ScheduleFormulation.neighbourhood(day, Neighbourhood(freed: freed), hints: schedule)
            #expect(f.program.validate() == nil)
            let values = try #require(f.encode(schedule), "seed \(seed)")
            #expect(abs(f.program.objectiveValue(of: values) - cost) < 1e-6)
            let better = try GLPKSolver.solve(f.program, start: values, deadline: Self.later, relativeGap: nil)
            let placements = try ResourceAssignment.assign(f.decode(try #require(better.values)), formulation: f).get()
            #expect(Validator.violations(of: placements, day: day).first?.description == nil, "seed \(seed)")
            #expect(day.objective(of: placements).total <= cost + 1e-6, "seed \(seed)")
            // Requests outside the neighbourhood keep their start.
            for p in schedule where !freed.contains(p.request) {
                #expect(placements.first { $0.request == p.request }?.start == p.start, "seed \(seed)")
            }
        }
    }

    /// The reported bound of a non-lossless day is the relaxation's: never above the objective.
    @Test func theSearchReportsAValidBoundAndImproves() throws {
        let day = try RandomDays.small(seed: 7, requestCount: 30, chairCount: 6, nurseCount: 3)
        let incumbent = try firstFitSchedule(day)
        let outcome = MIPScheduler(day: day, options: MIPOptions(timeLimit: 3)).solve(incumbent: incumbent)
        let objective = try #require(outcome.objective)
        #expect(objective <= day.objective(of: incumbent).total + 1e-9)
        let bound = try #require(outcome.bound)
        #expect(bound <= objective + 1e-9)
        #expect(Validator.violations(of: try #require(outcome.placements), day: day).first?.description == nil)
    }

    /// On medium-1 the relaxation's LP is tight (129, the day's optimum) and the exact program
    /// limited to the starts its solution uses holds a schedule at that bound, which the searches
    /// without it miss (docs/MODEL.md §6, 5).
    @Test func theGuidedProgramOfMedium1HoldsItsOptimum() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("medium-1.json")))
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let r = ScheduleFormulation.boundRelaxation(day, admissible: admissible)
        let lp = try #require(try GLPKSolver.linearRelaxation(r.program, deadline: .now + .seconds(120)))
        #expect(abs(lp.objective - 129) < 1e-6)
        var sets = r.startsUsed(by: lp.values)
        for q in day.requests.indices where sets[q] == nil { sets[q] = [] }
        let f = ScheduleFormulation.limitedStarts(day, starts: sets, admissible: admissible)
        let result = try GLPKSolver.solve(f.program, start: nil, deadline: .now + .seconds(120), relativeGap: nil)
        #expect(result.status == .optimal)
        let values = try #require(result.values)
        guard case .success(let placements) = ResourceAssignment.assign(f.decode(values), formulation: f) else {
            Issue.record("resource assignment failed"); return
        }
        #expect(Validator.violations(of: placements, day: day).isEmpty)
        #expect(abs(day.objective(of: placements, admissible: admissible).total - 129) < 1e-6)
    }

    /// The guided search's thread reports the LP bound and a valid schedule of its program, and
    /// `finish` waits for it; without time it reports nothing and finishes at once.
    @Test func theGuidedSearchReportsTheBoundAndAValidSchedule() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("medium-1.json")))
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let greedy = try GreedyScheduler(day: day).schedule()
        let r = ScheduleFormulation.boundRelaxation(day, hints: greedy, admissible: admissible)
        let search = GuidedSearch(day: day, admissible: admissible, relaxation: r, start: greedy,
                                  lpDeadline: .now + .seconds(120), deadline: .now + .seconds(240))
        var findings = search.poll()
        while !findings.finished && findings.placements == nil { Thread.sleep(forTimeInterval: 0.05); findings = search.poll() }
        findings = search.finish()
        #expect(findings.finished)
        #expect(abs((findings.bound ?? 0) - 129) < 1e-6)
        let placements = try #require(findings.placements)
        #expect(Validator.violations(of: placements, day: day).isEmpty)
        #expect(abs(day.objective(of: placements, admissible: admissible).total - 129) < 1e-6)
        #expect(findings.note?.hasPrefix("guided program: ") == true)

        let late = GuidedSearch(day: day, admissible: admissible, relaxation: r, start: greedy,
                                lpDeadline: .now - .seconds(1), deadline: .now - .seconds(1)).finish()
        #expect(late.finished && late.bound == nil && late.placements == nil)
        #expect(late.note == "the relaxation's LP was not solved in time")
    }

    /// On small-1 the guided program stops at 57; the thread then solves the day's whole exact
    /// program from it and reports the optimum, 54, as a second schedule.
    @Test func theGuidedSearchSolvesASmallDayWhole() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("small-1.json")))
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let greedy = try GreedyScheduler(day: day).schedule()
        let r = ScheduleFormulation.boundRelaxation(day, hints: greedy, admissible: admissible)
        #expect(r.program.variables.count <= GuidedSearch.wholeProgramColumns)
        let search = GuidedSearch(day: day, admissible: admissible, relaxation: r, start: greedy,
                                  lpDeadline: .now + .seconds(120), deadline: .now + .seconds(240))
        var findings = search.poll()
        while !findings.finished { Thread.sleep(forTimeInterval: 0.05); findings = search.poll() }
        findings = search.finish()
        #expect(findings.generation == 2, "\(findings.note ?? "")")
        let placements = try #require(findings.placements)
        #expect(Validator.violations(of: placements, day: day).isEmpty)
        #expect(abs(day.objective(of: placements, admissible: admissible).total - 54) < 1e-6)
        #expect(findings.note?.contains("whole program: ") == true)
    }

    /// On a relaxation above `lagrangianFirst` columns the thread skips the LP: it reports the
    /// Lagrangian bound and a valid schedule of the priced search, and stops when asked.
    @Test func aLargeRelaxationGetsTheLagrangianBoundAndThePricedSearch() throws {
        let day = try LagrangianBoundTests.crowded(902)
        let admissible = day.requests.indices.map { day.isAdmissible($0) }
        let greedy = try GreedyScheduler(day: day).schedule()
        let greedyCost = day.objective(of: greedy, admissible: admissible).total
        let r = ScheduleFormulation.boundRelaxation(day, hints: greedy, admissible: admissible)
        let lag = try #require(r.lagrangianBound(target: greedyCost, iterations: GuidedSearch.lagrangianSteps))
        #expect(lag.bound > r.separableBound() + 1)
        let search = GuidedSearch(day: day, admissible: admissible, relaxation: r, start: greedy,
                                  lpDeadline: .now + .seconds(120), deadline: .now + .seconds(240), lagrangianFirst: 0)
        var findings = search.poll()
        while !findings.finished && findings.placements == nil { Thread.sleep(forTimeInterval: 0.05); findings = search.poll() }
        findings = search.finish()
        #expect(findings.finished)
        #expect(findings.bound == lag.bound)   // the same steps: deterministic
        let placements = try #require(findings.placements)
        #expect(Validator.violations(of: placements, day: day).isEmpty)
        let cost = day.objective(of: placements, admissible: admissible).total
        #expect(cost >= lag.bound - 1e-6)
        #expect(findings.note?.hasPrefix("priced construction and ") == true, "\(findings.note ?? "")")
    }

    /// The priced construction gives a valid schedule that keeps what it is told to keep.
    @Test func thePricedConstructionIsValid() throws {
        for seed in UInt64(900)...903 {
            let day = try LagrangianBoundTests.crowded(seed)
            let admissible = day.requests.indices.map { day.isAdmissible($0) }
            let greedy = try GreedyScheduler(day: day).schedule()
            let r = ScheduleFormulation.boundRelaxation(day, hints: greedy, admissible: admissible)
            let lag = try #require(r.lagrangianBound(target: day.objective(of: greedy, admissible: admissible).total, iterations: 500))
            let search = RuinAndRecreate(day: day, admissible: admissible)
            let kept = Array(greedy.prefix(3))
            let built = search.pricedConstruction(slack: lag.startSlack, keeping: kept)
            #expect(Validator.violations(of: built, day: day).isEmpty, "seed \(seed)")
            for p in kept { #expect(built.contains(p), "seed \(seed)") }
            #expect(built.count > kept.count, "seed \(seed)")
        }
    }

    /// The whole solve reaches medium-1's optimum through the guided search and proves it.
    @Test func medium1IsSolvedToItsOptimum() throws {
        let day = try ResolvedDay(Day.load(path: TestFiles.instance("medium-1.json")))
        let outcome = MIPScheduler(day: day, options: MIPOptions(timeLimit: 120)).solve(incumbent: try GreedyScheduler(day: day).schedule())
        #expect(outcome.status == .optimal)
        #expect(outcome.objective == 129 && outcome.bound == 129)
        #expect(Validator.violations(of: try #require(outcome.placements), day: day).isEmpty)
    }
}
