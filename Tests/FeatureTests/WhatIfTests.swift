import Foundation
import Testing
import TestSupport
@testable import SchedulingWhatIf

@testable import SchedulingRules

/// What-if planning: applying scenarios, the parallel runner and the report writers.
@Suite struct WhatIfTests {
    static let greedy = SolveOptions(method: .greedy, timeLimit: 10)

    static func smallDays(_ seeds: ClosedRange<UInt64>) -> [WhatIfDay] {
        seeds.map { WhatIfDay(name: "small seed \($0)", day: DayGenerator.generate(profile: .small, seed: $0), seed: $0) }
    }

    // MARK: Applying scenarios

    /// Removing every chair of a type is a question, not an error: requests that need that type
    /// end `noFeasibleStart`, a fixed booking on such a chair is released, the rest is scheduled.
    @Test func removingAllChairsOfATypeIsSolvedNotRejected() throws {
        var day = DayGenerator.generate(profile: .small, seed: 1)
        // Pin a recliner-only request to a recliner, so that the removal must release a booking.
        var resolved = try ResolvedDay(day)
        let reclinerType = try #require(resolved.chairTypeNames.firstIndex(of: "recliner"))
        let pinned = try #require(resolved.requests.indices.first { r in
            resolved.regimen(of: r).chairTypes == [reclinerType] && resolved.requests[r].authorizationProblem == nil
                && resolved.requests[r].fixedStart == nil
        })
        let start = try #require(resolved.candidateStarts(pinned).first { resolved.feasibleAlone(pinned, start: $0, rules: .all) })
        let chair = try #require(day.chairs.first { $0.type == "recliner" && $0.available == nil })
        // Keep the other fixed bookings off that chair.
        let taken = Set(day.requests.compactMap { $0.fixed?.chair })
        #expect(!taken.contains(chair.id))
        day.requests[pinned].fixed = FixedBooking(start: ClockTime(minutes: start), chair: chair.id)
        day.requests[pinned].window = nil
        resolved = try ResolvedDay(day)
        _ = try Scheduler.solve(resolved, options: Self.greedy)  // the base day still solves

        let scenario = WhatIfScenario(name: "no recliners", chairs: ["recliner": -99], source: "scenarios[0]")
        let applied = try scenario.apply(to: day, seed: 1)
        #expect(!applied.day.chairs.contains { $0.type == "recliner" })
        #expect(applied.day.chairs.count == day.chairs.filter { $0.type != "recliner" }.count)
        #expect(applied.releasedFixedBookings.contains(day.requests[pinned].id))
        let changed = try ResolvedDay(applied.day)
        let result = try Scheduler.solve(changed, options: Self.greedy)
        let reasons = Dictionary(uniqueKeysWithValues: result.schedule.unscheduled.map { ($0.request, $0.reason) })
        let placed = Set(result.schedule.appointments.map(\.request))
        var reclinerOnly = 0, others = 0
        for (r, q) in day.requests.enumerated() where resolved.requests[r].authorizationProblem == nil {
            let types = Set(day.regimens.first { $0.id == q.regimen }!.chairTypes)
            if types == ["recliner"] {
                reclinerOnly += 1
                #expect(reasons[q.id] == .noFeasibleStart, "\(q.id): \(String(describing: reasons[q.id]))")
            } else {
                others += 1
                #expect(placed.contains(q.id) || reasons[q.id] == .capacity, "\(q.id): \(String(describing: reasons[q.id]))")
            }
        }
        #expect(reclinerOnly > 0 && others > 0)
        #expect(!placed.isEmpty)

        // Through the runner too: the job is solved and counts the same requests.
        let report = try WhatIfRunner(days: [WhatIfDay(name: "d", day: day, seed: 1)],
                                      scenarios: [WhatIfScenario(name: "base"), scenario], options: Self.greedy, jobs: 2).run()
        guard case .solved(let m) = report.outcomes[1][0] else { Issue.record("not solved: \(report.outcomes[1][0])"); return }
        #expect(m.unscheduled[.noFeasibleStart] == reclinerOnly)
        #expect(m.scheduled == placed.count)
        #expect(m.releasedFixedBookings == applied.releasedFixedBookings.count)
    }

    @Test func addedChairsAndNursesCopyTheirTypeAndShift() throws {
        let day = DayGenerator.generate(profile: .small, seed: 2)
        let s = WhatIfScenario(name: "more", chairs: ["bed": 2], nurses: ["07:00": 1, "12:00-20:00": 1, "09:00-19:30": -1],
                               compounders: 1, labStations: 1, turnaroundMinutes: 20, source: "scenarios[0]")
        let applied = try s.apply(to: day, seed: 0).day
        let newBeds = applied.chairs.suffix(2)
        #expect(newBeds.allSatisfy { $0.type == "bed" && $0.id.contains("-x") })
        #expect(Set(applied.chairs.map(\.id)).count == applied.chairs.count)
        let early = try #require(day.nurses.first { $0.shiftStart == ClockTime(parsing: "07:00") })
        let copy = try #require(applied.nurses.first { $0.id == early.id + "-x1" })
        #expect(copy.shiftEnd == early.shiftEnd && copy.capacity == early.capacity && copy.break == early.break)
        let fresh = try #require(applied.nurses.first { $0.shiftStart == ClockTime(parsing: "12:00") })
        #expect(fresh.shiftEnd == ClockTime(parsing: "20:00") && fresh.capacity == 4)
        let late = day.nurses.filter { $0.shiftStart == ClockTime(parsing: "09:00") }.count
        #expect(applied.nurses.filter { $0.shiftStart == ClockTime(parsing: "09:00") }.count == max(0, late - 1))
        #expect(applied.pharmacy.compounders == day.pharmacy.compounders + 1)
        #expect(applied.lab.stations == day.lab.stations + 1 && applied.lab.turnaroundMinutes == 20)
        _ = try ResolvedDay(applied)
    }

    @Test func demandScalingGivesTheExpectedCounts() throws {
        let day = DayGenerator.generate(profile: .small, seed: 3)
        let n = day.requests.count
        func scaled(_ f: Double, seed: UInt64 = 7) throws -> [TreatmentRequest] {
            try WhatIfScenario(name: "d", demand: f, source: "scenarios[0]").apply(to: day, seed: seed).day.requests
        }
        for f in [0.5, 0.9, 1.15, 1.5, 2.5] {
            let requests = try scaled(f)
            #expect(requests.count == Int((f * Double(n)).rounded()), "factor \(f)")
            #expect(Set(requests.map(\.id)).count == requests.count, "ids collide at factor \(f)")
        }
        // Growth copies base requests without their bookings; a larger factor adds to a smaller one's draw.
        let grown = try scaled(1.5), more = try scaled(2.5)
        #expect(Array(grown.prefix(n)) == day.requests)
        #expect(Array(more.prefix(grown.count)) == grown)
        for extra in grown.dropFirst(n) {
            let stem = String(extra.id[..<extra.id.range(of: "-x")!.lowerBound])
            let original = try #require(day.requests.first { $0.id == stem })
            var expected = original
            expected.id = extra.id
            expected.fixed = nil
            #expect(extra == expected)
        }
        // Shrinking keeps the fixed bookings and the survivors' order; same seed, same draw.
        let shrunk = try scaled(0.5)
        #expect(day.requests.filter { $0.fixed != nil }.allSatisfy { f in shrunk.contains { $0.id == f.id } })
        #expect(shrunk.map(\.id) == day.requests.map(\.id).filter { id in shrunk.contains { $0.id == id } })
        #expect(try scaled(0.5) == shrunk)
        #expect(try scaled(0.5, seed: 8) != shrunk)
    }

    @Test func gridExpandsToTheProduct() throws {
        let plan = WhatIfPlan(listed: [WhatIfScenario(name: "late nurse", nurses: ["09:00": 1], source: "scenarios[0]")],
                              grid: [WhatIfAxis(dimension: .chairs(type: "recliner"), values: [.number(0), .number(2), .number(4)]),
                                     WhatIfAxis(dimension: .demand, values: [.number(1), .number(1.15)])])
        let scenarios = try plan.scenarios()
        #expect(scenarios.count == 1 + 1 + 3 * 2)
        #expect(scenarios[0].name == "base" && scenarios[0].isUnchanged)
        #expect(scenarios[1].name == "late nurse")
        #expect(scenarios[2...].map(\.name) == [
            "chairs.recliner=+0 demand=1", "chairs.recliner=+0 demand=1.15",
            "chairs.recliner=+2 demand=1", "chairs.recliner=+2 demand=1.15",
            "chairs.recliner=+4 demand=1", "chairs.recliner=+4 demand=1.15",
        ])
        #expect(scenarios[5].chairs == ["recliner": 2] && scenarios[5].demand == 1.15 && scenarios[5].gridPoint == [1, 1])
        let twoTypes = WhatIfPlan(grid: [WhatIfAxis(dimension: .chairs(type: "recliner"), values: [.number(2)]),
                                         WhatIfAxis(dimension: .chairs(type: "bed"), values: [.number(-1)])])
        #expect(try twoTypes.scenarios()[1].chairs == ["recliner": 2, "bed": -1])
        let three = WhatIfPlan(grid: Array(repeating: WhatIfAxis(dimension: .demand, values: [.number(1)]), count: 3))
        #expect(throws: InputError.self) { try three.scenarios() }
    }

    // MARK: Report

    static func sampleReport(jobs: Int, days: ClosedRange<UInt64> = 1...2) throws -> WhatIfReport {
        let plan = WhatIfPlan(listed: [WhatIfScenario(name: "close 18:30", close: ClockTime(parsing: "18:30"), source: "scenarios[0]")],
                              grid: [WhatIfAxis(dimension: .chairs(type: "recliner"), values: [.number(-2), .number(1)]),
                                     WhatIfAxis(dimension: .demand, values: [.number(1), .number(1.3)])])
        return try WhatIfRunner(days: smallDays(days), scenarios: plan.scenarios(), options: greedy, jobs: jobs,
                                baseSummary: "2 small days", grid: plan.grid).run()
    }

    /// An embedder who passes only the scenarios to try gets them measured against the days as
    /// they are: the runner puts an unchanged `base` first (it took the first scenario as the base).
    @Test func theRunnerAddsTheBaseWhenTheScenariosLackIt() throws {
        let more = WhatIfScenario(name: "more recliners", chairs: ["recliner": 2])
        let runner = WhatIfRunner(days: Self.smallDays(1...1), scenarios: [more], options: Self.greedy, jobs: 1)
        #expect(runner.scenarios.map(\.name) == ["base", "more recliners"])
        let report = try runner.run()
        #expect(report.scenarios.map(\.name) == ["base", "more recliners"])
        #expect(report.outcomes.count == 2)
        // A list that starts with an unchanged scenario keeps it as the base.
        let given = WhatIfRunner(days: Self.smallDays(1...1), scenarios: [WhatIfScenario(name: "today"), more], options: Self.greedy)
        #expect(given.scenarios.map(\.name) == ["today", "more recliners"])
    }

    @Test func tableAndJSONAgree() throws {
        let report = try Self.sampleReport(jobs: 2)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().rendered().utf8)) as? [String: Any])
        let scenarios = try #require(json["scenarios"] as? [[String: Any]])
        let rows = report.markdown().split(separator: "\n").filter { $0.hasPrefix("| ") }.dropFirst()  // header
        #expect(rows.count == scenarios.count && scenarios.count == report.scenarios.count)
        for (row, scenario) in zip(rows, scenarios) {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(cells[0] == scenario["name"] as? String)
            let mean = try #require(scenario["mean"] as? [String: Any]).compactMapValues { $0 as? Double }
            let change = scenario["change"] as? [String: Double]
            for (k, column) in WhatIfSummary.compared.enumerated() {
                let cell = cells[k + 1]
                let scale = column.percent ? 100.0 : 1.0
                let shown = try #require(Double(cell.split(separator: " ")[0]), "\(cell)")
                let value = try #require(mean[column.key]) * scale
                #expect(abs(shown - value) <= 0.5 * pow(10, -Double(column.digits)) + 1e-9, "\(column.key): \(cell) vs \(value)")
                if let change {
                    let delta = try #require(Double(cell.split(separator: "(")[1].dropLast()))
                    #expect(abs(delta - change[column.key]! * scale) <= 0.5 * pow(10, -Double(column.digits)) + 1e-9)
                } else {
                    #expect(!cell.contains("("))
                }
            }
            // The JSON means are the means of its own per-day figures.
            let perDay = try #require(scenario["perDay"] as? [[String: Any]])
            let scheduled = perDay.compactMap { $0["scheduled"] as? Int }
            #expect(abs(Double(scheduled.reduce(0, +)) / Double(scheduled.count) - mean["scheduled"]!) < 1e-6)
        }
        // CSV: one line per scenario plus the header, same names in the same order.
        let csv = report.csv().split(separator: "\n")
        #expect(csv.count == scenarios.count + 1)
        #expect(csv.dropFirst().map { String($0.split(separator: ",")[0]) } == scenarios.map { $0["name"] as! String })
    }

    @Test func sameInputsGiveTheSameOutputWhateverTheThreads() throws {
        let a = try Self.sampleReport(jobs: 2, days: 4...4), b = try Self.sampleReport(jobs: 2, days: 4...4)
        let serial = try Self.sampleReport(jobs: 1, days: 4...4)
        for format in WhatIfReport.Format.allCases {
            #expect(a.rendered(format) == b.rendered(format))
            #expect(a.rendered(format) == serial.rendered(format))
        }
        #expect(a.svgChart() == serial.svgChart())
        let svg = a.svgChart()
        #expect(svg.hasPrefix("<?xml") && svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("demand = 1.3") && svg.contains("<polyline"))
    }

    // MARK: Scenario files

    @Test func scenarioFilesDecodeAndBadOnesNameThePath() throws {
        let good = """
        {"format": "infusion-whatif/1", "base": {"profile": "small", "seeds": 3}, "method": "greedy", "timeLimit": 5,
         "scenarios": [{"name": "base"}, {"name": "more", "chairs": {"recliner": 2}, "close": "18:30"}],
         "grid": [{"vary": "close", "values": ["17:30", "18:00"]}]}
        """
        let plan = try WhatIfPlan.decode(Data(good.utf8), file: "w.json")
        #expect(plan.base == .profile(.small, seeds: 3) && plan.method == .greedy && plan.timeLimit == 5)
        #expect(try plan.scenarios().map(\.name) == ["base", "more", "close=17:30", "close=18:00"])
        #expect(try plan.scenarios()[0].source == "scenarios[0]")

        let bad: [(String, String)] = [
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x", "chair": {"bed": 1}}]}"#, "scenarios[0].chair"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x", "chairs": {"bed": 1.5}}]}"#, "scenarios[0].chairs.bed"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "base", "demand": 2}]}"#, "scenarios[0].name"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x", "demand": -1}]}"#, "scenarios[0].demand"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x", "nurses": {"9am": 1}}]}"#, "scenarios[0].nurses.9am"),
            (#"{"format": "infusion-whatif/1", "grid": [{"vary": "sofas", "values": [1]}]}"#, "grid[0].vary"),
            (#"{"format": "infusion-whatif/1", "grid": [{"vary": "close", "values": [17]}]}"#, "grid[0].values[0]"),
            (#"{"format": "infusion-whatif/1", "base": {"profile": "huge"}}"#, "base.profile"),
            (#"{"format": "infusion-whatif/2"}"#, "format"),
        ]
        for (text, path) in bad {
            #expect(throws: InputError.self) { try WhatIfPlan.decode(Data(text.utf8), file: "w.json") }
            do {
                _ = try WhatIfPlan.decode(Data(text.utf8), file: "w.json")
            } catch let error as InputError {
                #expect(error.file == "w.json" && error.path == path, "\(error)")
            }
        }
    }

    @Test func theDocumentedScenarioFilesDecode() throws {
        let doc = try String(contentsOf: TestFiles.packageRoot.appendingPathComponent("docs/WHATIF.md"), encoding: .utf8)
        let block = try #require(doc.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
        let plan = try WhatIfPlan.decode(Data(block.utf8), file: "docs/WHATIF.md")
        #expect(try plan.scenarios().count == 7 + 6)
        let sweep = try WhatIfPlan.load(path: TestFiles.packageRoot.appendingPathComponent("docs/whatif-sweep.json").path)
        #expect(try sweep.scenarios().count == 20)
        #expect(sweep.base == .profile(.medium, seeds: 10))
    }

    @Test func badScenarioFilesExitTwoNamingFileAndPath() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x", "chairs": {"sofa": 2}}]}"#, "scenarios[0].chairs.sofa"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x", "nurses": {"13:00": 1}}]}"#, "scenarios[0].nurses.13:00"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x", "compounders": -50}]}"#, "scenarios[0].compounders"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x", "close": "7pm"}]}"#, "scenarios[0].close"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x"}, {"name": "x"}]}"#, "scenarios[1].name"),
            (#"{"format": "infusion-whatif/1", "scenarios": [{"name": "x"}"#, "not valid JSON"),
        ]
        for (k, (text, expected)) in cases.enumerated() {
            let file = dir.appendingPathComponent("bad-\(k).json")
            try Data(text.utf8).write(to: file)
            let out = try CLIRunner.run(["whatif", "--day", TestFiles.instance("small-1.json"), "--scenarios", file.path])
            #expect(out.status == 2, "\(text): \(out.stderr)")
            #expect(out.stderr.contains(file.path) && out.stderr.contains(expected), "\(out.stderr)")
            #expect(out.stdout.isEmpty)
        }
        let grid = try CLIRunner.run(["whatif", "--day", TestFiles.instance("small-1.json"), "--grid", "sofas=1,2"])
        #expect(grid.status == 2 && grid.stderr.contains("--grid"))
    }

    @Test func commandLineRunIsDeterministicAndWritesTheChart() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chart = dir.appendingPathComponent("chart.svg").path
        let arguments = ["whatif", "--profile", "small", "--seeds", "2", "--chairs", "recliner:-1", "--nurses", "09:00:+1",
                         "--grid", "chairs.bed=0,1;close=17:30,18:30", "--method", "greedy"]
        let one = try CLIRunner.run(arguments + ["--jobs", "1", "--format", "json", "--chart", chart])
        let two = try CLIRunner.run(arguments + ["--jobs", "2", "--format", "json"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == two.stdout)
        #expect(one.stdout.contains("\"name\": \"chairs.recliner=-1 nurses.09:00=+1\""))
        #expect(!one.stderr.contains("["), "no progress bar when stderr is not a terminal")
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(svg.contains("close = 18:30"))
        let md = try CLIRunner.run(["whatif", "--profile", "small", "--seeds", "2", "--method", "greedy"])
        #expect(md.status == 0 && md.stdout.contains("| base |") && md.stdout.contains("means over 2 days"))
    }
}
