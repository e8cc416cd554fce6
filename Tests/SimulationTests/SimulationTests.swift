import Foundation
import Testing

@testable import SchedulingSimulation
import TestSupport

/// A day and its greedy schedule, resolved once per test.
private func greedyDay(_ instance: String) throws -> (day: ResolvedDay, schedule: Schedule) {
    let day = try ResolvedDay(Day.load(path: TestFiles.instance(instance)))
    let result = try Scheduler.solve(day, options: SolveOptions(method: .greedy))
    return (day, result.schedule)
}

/// Noise far heavier than the defaults, so that every rule of the replay is put to work.
private let heavyNoise = NoiseModel(
    chairTime: .init(medianRatio: 1.1, spreadShort: 0.4, spreadLong: 0.5, shortMinutes: 30, longMinutes: 300),
    reaction: .init(probability: 0.3, minMinutes: 10, maxMinutes: 90),
    noShow: 0.1,
    lateArrival: .init(probability: 0.5, meanMinutes: 30, maxMinutes: 180),
    labResults: .init(probability: 0.4, meanMinutes: 40, maxMinutes: 180),
    drug: .init(probability: 0.4, meanMinutes: 40, maxMinutes: 180))

@Suite struct ReplayTests {
    /// Under no noise the replay is the plan: every draw, prep, start and end at the schedule
    /// file's minute, nobody waits, and the report's figures are the plan's.
    @Test(arguments: ["small-1.json", "medium-1.json", "worked-day.json"])
    func zeroNoiseReplayIsThePlan(_ instance: String) throws {
        let (day, schedule) = try greedyDay(instance)
        let replay = try DayReplay(day: day, schedule: schedule, file: nil)
        let draws = replay.plannedChairMinutes.map { VisitDraw.asPlanned(chairMinutes: $0) }
        let run = try #require(replay.run(draws, record: true))
        #expect(replay.visits.count == schedule.appointments.count)
        let byId = Dictionary(uniqueKeysWithValues: schedule.appointments.map { ($0.request, $0) })
        for (k, v) in replay.visits.enumerated() {
            let a = try #require(byId[day.requests[v.request].id])
            #expect(run.start[k] == a.start.minutes && run.end[k] == a.end.minutes, "\(a.request)")
            #expect(run.drawStart[k] == a.labDraw?.start.minutes, "\(a.request)")
            #expect(run.prepStart[k] == a.prep?.start.minutes, "\(a.request)")
            #expect(run.wait(of: k) == 0, "\(a.request) waited")
            // The intensive minutes are the contract's (SPEC §2.3).
            let reg = day.regimen(of: v.request)
            #expect(run.intensive?[k] == ResolvedDay.intensiveIntervals(start: a.start.minutes, end: a.end.minutes, regimen: reg))
        }
        #expect(replay.outcome(of: run) == replay.outcome(of: replay.planned()))

        let report = try Simulator.simulate(schedule, day: day, options: SimulationOptions(runs: 20, seed: 7, noise: .none, jobs: 2))
        #expect(report.wait.max == 0)
        #expect(report.overtime.max == report.planOvertime && report.overtime.p10 == report.planOvertime)
        #expect(report.lastEnd.max == report.planLastEnd)
        #expect(report.chairIdle.max == report.planChairIdle)
        #expect(report.overtimeProbability == (report.planOvertime > 0 ? 1 : 0))
        #expect(report.occupancy.allSatisfy { $0.p10 == $0.plan && $0.p90 == $0.plan })
    }

    /// A treatment that runs long keeps the next patient of its chair waiting, for the chair.
    @Test func aLongerInfusionMakesTheNextPatientOfTheChairWait() throws {
        let day = try ResolvedDay(Day.decode(Data(oneChairDay.utf8)))
        let schedule = try Scheduler.solve(day, options: SolveOptions(method: .greedy)).schedule
        #expect(schedule.appointments.map(\.start.description) == ["08:00", "10:00"])
        let replay = try DayReplay(day: day, schedule: schedule, file: nil)
        var draws = replay.plannedChairMinutes.map { VisitDraw.asPlanned(chairMinutes: $0) }
        draws[0].chairMinutes = 150
        let run = try #require(replay.run(draws, record: true))
        #expect(run.end[0] == 10 * 60 + 30)
        #expect(run.start[1] == 10 * 60 + 30)
        #expect(run.wait(of: 1) == 30)
        #expect(run.waits[1 * WaitCause.allCases.count + WaitCause.chair.rawValue] == 30)
        // The first patient's disconnect moved with the longer infusion: 10 minutes before its end.
        #expect(run.intensive?[0] == [480..<495, 620..<630])

        // A shorter one leaves the chair early; the next patient still starts at the booked time.
        draws[0].chairMinutes = 90
        let early = try #require(replay.run(draws))
        #expect(early.start[1] == 600 && early.wait(of: 1) == 0)
    }

    /// A late patient keeps the chair: the next patient of the chair waits, not the late one.
    @Test func aLatePatientKeepsTheChair() throws {
        let day = try ResolvedDay(Day.decode(Data(oneChairDay.utf8)))
        let schedule = try Scheduler.solve(day, options: SolveOptions(method: .greedy)).schedule
        let replay = try DayReplay(day: day, schedule: schedule, file: nil)
        var draws = replay.plannedChairMinutes.map { VisitDraw.asPlanned(chairMinutes: $0) }
        draws[0].lateMinutes = 150
        let run = try #require(replay.run(draws))
        #expect(run.arrival[0] == 630 && run.start[0] == 630 && run.wait(of: 0) == 0)
        #expect(run.start[1] == 750 && run.waits[1 * WaitCause.allCases.count + WaitCause.chair.rawValue] == 150)
        // A no-show is passed over: the next patient starts on time.
        draws[0].noShow = true
        let absent = try #require(replay.run(draws))
        #expect(absent.start[1] == 600 && absent.wait(of: 1) == 0)
    }

    /// A nurse with no patient on the day is no nurse past the shift (this once overflowed on xl-1).
    @Test func aNurseWithoutPatientsIsFine() throws {
        let text = oneChairDay.replacingOccurrences(of: "\"capacity\": 4 } ]",
                                                    with: "\"capacity\": 4 }, { \"id\": \"N2\", \"shiftStart\": \"08:00\", \"shiftEnd\": \"12:00\" } ]")
        let day = try ResolvedDay(Day.decode(Data(text.utf8)))
        #expect(day.nurses.count == 2)
        var schedule = try Scheduler.solve(day, options: SolveOptions(method: .greedy)).schedule
        for i in schedule.appointments.indices { schedule.appointments[i].nurse = "N1" }
        let report = try Simulator.simulate(schedule, day: day, options: SimulationOptions(runs: 50, seed: 3, noise: heavyNoise))
        #expect(report.nurseOvertime.max >= 0 && report.runs == 50)
    }

    /// A patient waits for the nurse's intensive minutes: another's disconnect, delayed onto the booked start.
    @Test func theNurseAtCapacityOrBusyMakesAPatientWait() throws {
        let day = try ResolvedDay(Day.decode(Data(oneChairDay.replacingOccurrences(of: "\"C1\", \"type\": \"recliner\" }",
            with: "\"C1\", \"type\": \"recliner\" }, { \"id\": \"C2\", \"type\": \"recliner\" }")
            .replacingOccurrences(of: "\"capacity\": 4", with: "\"capacity\": 1").utf8)))
        var schedule = try Scheduler.solve(day, options: SolveOptions(method: .greedy)).schedule
        // Each on a chair of its own: only the nurse can hold the second back.
        schedule.appointments[0].chair = "C1"
        schedule.appointments[1].chair = "C2"
        let replay = try DayReplay(day: day, schedule: schedule, file: nil)
        #expect(replay.visits.map(\.start) == [480, 600])
        var draws = replay.plannedChairMinutes.map { VisitDraw.asPlanned(chairMinutes: $0) }
        draws[replay.visits[0].request].chairMinutes = 135
        let run = try #require(replay.run(draws))
        // Capacity 1: the second patient starts only when the first has been disconnected.
        #expect(run.start[1] == run.end[0])
        #expect(run.waits[1 * WaitCause.allCases.count + WaitCause.nurseCapacity.rawValue] == 15)
    }

    /// The rules of SPEC §2.2–§2.5 hold at every minute of replays under heavy noise, checked by a
    /// sweep over minutes that shares nothing with the replay.
    @Test(arguments: ["medium-1.json", "worked-day.json"])
    func hardRulesHoldAtEveryMinute(_ instance: String) throws {
        let (day, schedule) = try greedyDay(instance)
        let replay = try DayReplay(day: day, schedule: schedule, file: nil)
        for run in 0..<12 {
            var random = SeededRandom(seed: runSeed(99, run: run))
            let draws = heavyNoise.draws(chairMinutes: replay.plannedChairMinutes, random: &random)
            let r = try #require(replay.run(draws, record: true))
            try checkRules(replay: replay, run: r, draws: draws)
        }
    }

    private func checkRules(replay: DayReplay, run r: ReplayResult, draws: [VisitDraw]) throws {
        let day = replay.day
        let came = replay.visits.indices.filter { r.attended[$0] }
        let last = came.map { r.end[$0] + replay.visits[$0].bufferMinutes }.max() ?? 0
        let first = replay.visits.map { min($0.arrival, $0.prepStart ?? Int.max) }.min() ?? 0
        var intensiveSeen = 0
        for minute in first..<max(first, last) {
            var load = [Int](repeating: 0, count: day.nurses.count)
            var attention = [Int](repeating: 0, count: day.nurses.count)
            var chairUse = [Int](repeating: 0, count: day.chairs.count)
            var stationUse = [Int](repeating: 0, count: day.stations)
            var compounderUse = [Int](repeating: 0, count: day.compounders)
            for k in replay.visits.indices {
                let v = replay.visits[k]
                if let p = r.prepStart[k], (p..<(p + v.prepMinutes)).contains(minute) { compounderUse[v.compounder!] += 1 }
                guard r.attended[k] else { continue }
                if (r.start[k]..<r.end[k]).contains(minute) { load[v.nurse] += v.acuity }
                if (r.occupiedFrom[k]..<(r.end[k] + v.bufferMinutes)).contains(minute) { chairUse[v.chair] += 1 }
                if let d = r.drawStart[k], let s = v.station, (d..<(d + day.drawMinutes)).contains(minute) { stationUse[s] += 1 }
                for piece in r.intensive![k] where piece.contains(minute) {
                    attention[v.nurse] += 1
                    intensiveSeen += 1
                    #expect(!day.nurses[v.nurse].breakTime.contains(minute), "intensive minute \(minute) in \(day.nurses[v.nurse].id)'s break")
                }
            }
            for n in day.nurses.indices {
                #expect(load[n] <= day.nurses[n].capacity, "\(day.nurses[n].id) carries \(load[n]) at minute \(minute)")
                #expect(attention[n] <= 1, "\(day.nurses[n].id) gives \(attention[n]) patients intensive minutes at \(minute)")
            }
            #expect(chairUse.allSatisfy { $0 <= 1 }, "a chair holds two patients at \(minute)")
            #expect(stationUse.allSatisfy { $0 <= 1 }, "a station draws twice at \(minute)")
            #expect(compounderUse.allSatisfy { $0 <= 1 }, "a compounder makes two preps at \(minute)")
        }
        #expect(intensiveSeen > 0 || came.isEmpty)
        // Nothing before the plan; labs and drug ready at the start; the treatment at least as drawn.
        for k in came {
            let v = replay.visits[k]
            let d = draws[v.request]
            #expect(r.start[k] >= v.start && r.start[k] >= r.arrival[k])
            if let planned = v.drawStart { #expect(r.drawStart[k]! >= max(planned, r.arrival[k])) }
            if let results = r.resultsAt[k] { #expect(results <= r.start[k]) }
            if let p = r.prepStart[k] {
                #expect(p >= v.prepStart! + d.drugDelay && p + v.prepMinutes <= r.start[k])
                if v.holdForLabs, let results = r.resultsAt[k] { #expect(p >= results) }
            }
            let least = v.intensiveThroughout ? d.chairMinutes : max(d.chairMinutes, v.nurseStartMinutes + v.nurseEndMinutes)
            #expect(r.end[k] - r.start[k] >= least + r.reactionMinutes[k])
        }
    }
}

@Suite struct SimulatorTests {
    @Test func theSameSeedGivesTheSameBytesForAnyJobs() throws {
        let (day, schedule) = try greedyDay("medium-1.json")
        let one = try Simulator.simulate(schedule, day: day, options: SimulationOptions(runs: 60, seed: 42, jobs: 1)).json()
        let two = try Simulator.simulate(schedule, day: day, options: SimulationOptions(runs: 60, seed: 42, jobs: 2)).json()
        let again = try Simulator.simulate(schedule, day: day, options: SimulationOptions(runs: 60, seed: 42, jobs: 3)).json()
        #expect(one == two && two == again)
        let other = try Simulator.simulate(schedule, day: day, options: SimulationOptions(runs: 60, seed: 43, jobs: 2)).json()
        #expect(other != one)
        // Run i does not depend on how many runs there are.
        let fewer = try DayReplay(day: day, schedule: schedule, file: nil)
        let a = try Simulator.run(fewer, options: SimulationOptions(runs: 5, seed: 42))
        let b = try Simulator.run(fewer, options: SimulationOptions(runs: 60, seed: 42, jobs: 2))
        #expect(Array(b.prefix(5)) == a)
    }

    @Test func defaultNoiseMakesPatientsWaitAndReportsEveryFigure() throws {
        let (day, schedule) = try greedyDay("medium-1.json")
        let report = try Simulator.simulate(schedule, day: day, options: SimulationOptions(runs: 200, seed: 1, jobs: 2))
        #expect(report.wait.count > 0 && report.wait.max > 0)
        #expect(report.meanNoShows > 0)
        #expect(report.patients.count == schedule.appointments.count)
        #expect(report.patients.allSatisfy { $0.p90 <= $0.max && Double($0.max) >= $0.mean })
        #expect(report.waitHistogram.counts.reduce(0, +) == report.wait.count)
        #expect(report.overtimeHistogram.counts.reduce(0, +) == 200)
        let json = report.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "infusion-simulation/1")
        for key in ["waitMinutes", "waitCauses", "overtimeMinutes", "overtimeProbability", "lastEnd", "chairIdleMinutes",
                    "nurseOvertimeMinutes", "occupancy", "patients", "histograms", "noise", "plan"] {
            #expect(object[key] != nil, "\(key) missing")
        }
        let svg = SimulationChart.svg(of: report)
        #expect(svg.components(separatedBy: "class=\"wait-bar\"").count - 1 == report.waitHistogram.counts.count)
        #expect(svg.components(separatedBy: "class=\"overtime-bar\"").count - 1 == report.overtimeHistogram.counts.count)
        #expect(svg.contains("class=\"occupancy-band\"") && svg.contains("class=\"plan-occupancy\""))
    }

    @Test func anInvalidScheduleIsRefusedNamingTheFile() throws {
        let (day, schedule) = try greedyDay("medium-1.json")
        var broken = schedule
        broken.appointments[1].chair = broken.appointments[0].chair
        broken.appointments[1].start = broken.appointments[0].start
        broken.appointments[1].end = ClockTime(minutes: broken.appointments[0].start.minutes + day.regimen(of: day.requestIndex[broken.appointments[1].request]!).chairMinutes)
        #expect {
            try Simulator.simulate(broken, day: day, options: SimulationOptions(runs: 1), scheduleFile: "plan.json")
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.file == "plan.json" && e.path == "appointments" && e.message.contains("not a valid schedule")
        }
        #expect(throws: InputError.self) { try Simulator.simulate(schedule, day: day, options: SimulationOptions(runs: 0)) }
    }
}

@Suite struct NoiseFileTests {
    @Test func theDefaultsRoundTripThroughTheirFile() throws {
        #expect(try NoiseModel.decode(Data(NoiseModel.defaults.fileText().utf8)) == .defaults)
        #expect(try NoiseModel.decode(Data(#"{"format": "infusion-noise/1"}"#.utf8)) == .defaults)
        let partial = try NoiseModel.decode(Data(#"{"format": "infusion-noise/1", "noShow": {"probability": 0.12}}"#.utf8))
        #expect(partial.noShow == 0.12 && partial.lateArrival == NoiseModel.defaults.lateArrival)
    }

    @Test(arguments: [
        (#"{"format": "infusion-noise/2"}"#, "format"),
        (#"{"noShow": {"probability": 0.1}}"#, "format"),
        (#"{"format": "infusion-noise/1", "lateArrival": {"probability": "often"}}"#, "lateArrival.probability"),
        (#"{"format": "infusion-noise/1", "labResults": {"probability": 1.5}}"#, "labResults.probability"),
        (#"{"format": "infusion-noise/1", "drug": {"maxMinutes": -5}}"#, "drug.maxMinutes"),
        (#"{"format": "infusion-noise/1", "drug": {"maxMinutes": 2.5}}"#, "drug.maxMinutes"),
        (#"{"format": "infusion-noise/1", "chairTime": {"spreadLong": 9}}"#, "chairTime.spreadLong"),
        (#"{"format": "infusion-noise/1", "chairTime": {"shortMinutes": 400}}"#, "chairTime.shortMinutes"),
        (#"{"format": "infusion-noise/1", "reaction": {"minMinutes": 50, "maxMinutes": 20}}"#, "reaction.maxMinutes"),
        (#"{"format": "infusion-noise/1", "noShow": {"probabilty": 0.1}}"#, "noShow.probabilty"),
        (#"{"format": "infusion-noise/1", "noShow": {"probability": 0.1, "probability": 0.2}}"#, "noShow.probability"),
        (#"{"format": "infusion-noise/1", "noShow": 0.05}"#, "noShow"),
    ])
    func decodingErrorsNameTheFileAndPath(_ text: String, _ path: String) throws {
        #expect {
            try NoiseModel.decode(Data(text.utf8), file: "noise.json")
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.file == "noise.json" && e.path == path
        }
    }

    @Test func aMissingFileIsUnreadable() throws {
        #expect {
            try NoiseModel.load(path: "/nonexistent/noise.json")
        } throws: { error in
            (error as? InputError)?.kind == .unreadable && (error as? InputError)?.file == "/nonexistent/noise.json"
        }
    }
}

/// One recliner, one nurse, two 2-hour infusions with 15 minutes of access and 10 of disconnection,
/// the second requested at 10:00: the greedy plan puts them back to back on the chair.
private let oneChairDay = """
{ "format": "infusion-day/1", "date": "2026-12-01", "slotMinutes": 15,
  "clinic": { "open": "08:00", "close": "17:00", "latestEnd": "18:00" },
  "chairs": [ { "id": "C1", "type": "recliner" } ],
  "nurses": [ { "id": "N1", "shiftStart": "07:30", "shiftEnd": "17:30", "capacity": 4 } ],
  "pharmacy": { "open": "07:00", "compounders": 1 },
  "lab": { "open": "07:00", "stations": 1, "drawMinutes": 10, "turnaroundMinutes": 30 },
  "regimens": [ { "id": "TWO", "chairMinutes": 120, "chairTypes": ["recliner"], "nurseStartMinutes": 15, "nurseEndMinutes": 10 } ],
  "requests": [ { "id": "R1", "regimen": "TWO", "window": { "earliest": "08:00" }, "preferredStart": "08:00" },
                { "id": "R2", "regimen": "TWO", "window": { "earliest": "10:00" }, "preferredStart": "10:00" } ] }
"""
