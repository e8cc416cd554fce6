import Foundation
import Testing

import TestSupport

@Suite struct GeneratorTests {
    static let date = DayGenerator.defaultDate

    @Test func seededRandomIsAFixedStream() {
        // SplitMix64 reference values for seed 0 (Vigna's splitmix64.c): the stream must never
        // depend on the standard library.
        var rng = SeededRandom(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42)
        for _ in 0..<1000 {
            let x = a.int(in: -3...7)
            #expect((-3...7).contains(x))
            #expect(x == b.int(in: -3...7))
        }
        #expect(a.shuffled(Array(0..<10)).sorted() == Array(0..<10))
        #expect(a.weightedIndex([0, 0, 5, 0]) == 2)
        #expect(a.weightedIndex([0, -1]) == nil)
        #expect(a.pick([Int]()) == nil)
    }

    @Test(arguments: DayProfile.allCases)
    func sameSeedGivesTheSameBytes(profile: DayProfile) {
        let a = DayGenerator.generate(profile: profile, seed: 7, date: Self.date).jsonString()
        let b = DayGenerator.generate(profile: profile, seed: 7, date: Self.date).jsonString()
        #expect(a == b)
        let c = DayGenerator.generate(profile: profile, seed: 8, date: Self.date).jsonString()
        #expect(a != c)
    }

    @Test func dateIsTakenFromTheCaller() throws {
        let date = try #require(CivilDate(parsing: "2027-03-15"))
        let day = DayGenerator.generate(profile: .small, seed: 3, date: date)
        #expect(day.date == date)
        _ = try ResolvedDay(day)
    }

    @Test(arguments: DayProfile.allCases)
    func everyDayResolvesWithTheIntendedMix(profile: DayProfile) throws {
        let p = GeneratorParameters.preset(profile)
        for seed in UInt64(1)...20 {
            let day = DayGenerator.generate(profile: profile, seed: seed, date: Self.date)
            let resolved = try ResolvedDay(day)
            let s = InstanceFacts(day)
            #expect(day.chairs.count == p.chairs)
            #expect(s.beds == p.beds)
            #expect(s.restrictedChairs == p.restrictedChairs)
            #expect(day.nurses.count == p.nurses)
            #expect(day.requests.count == p.requests)
            #expect(day.pharmacy.compounders == p.compounders)
            #expect(day.lab.stations == p.labStations)
            #expect(s.fixed == p.fixedBookings)
            let n = Double(p.requests)
            #expect(Double(s.authorizationProblems) >= 0.03 * n && Double(s.authorizationProblems) <= 0.07 * n + 1)
            #expect(s.expiringAuthorizations >= 1)
            #expect(Double(s.windows) >= 0.2 * n && Double(s.windows) <= 0.35 * n)
            #expect(Double(s.preferredStarts) >= 0.3 * n && Double(s.preferredStarts) <= 0.45 * n)
            #expect(s.sameDayLabs >= 1 && s.portDraws >= 1)
            #expect(s.lateDrugs >= 1)
            #expect(s.demandRatio >= 0.9 && s.demandRatio <= 1.1, "demand \(s.demandRatio) for \(profile) seed \(seed)")
            // Nurses: three shifts, capacity 4...6, a 30-minute break inside the shift.
            #expect(Set(day.nurses.map(\.shiftStart)).count == min(3, p.nurses))
            for nurse in resolved.nurses {
                #expect((4...6).contains(nurse.capacity))
                #expect(nurse.breakTime.count == 30 && nurse.shift.contains(nurse.breakTime.lowerBound))
            }
            // Only authorizations rule requests out.
            for r in resolved.requests.indices {
                let reason = resolved.inadmissibility(of: r)?.reason
                #expect(reason == nil || reason == .authorization, "\(resolved.requests[r].id): \(String(describing: reason))")
            }
        }
    }

    @Test(arguments: DayProfile.allCases)
    func fixedBookingsHoldAloneAndTogether(profile: DayProfile) throws {
        for seed in UInt64(1)...20 {
            let day = DayGenerator.generate(profile: profile, seed: seed, date: Self.date)
            let resolved = try ResolvedDay(day)
            let fixed = resolved.requests.indices.filter { resolved.requests[$0].fixedStart != nil }
            #expect(!fixed.isEmpty)
            var chairs = Set<Int>(), nurses = Set<Int>()
            for r in fixed {
                let q = resolved.requests[r]
                #expect(resolved.isAdmissible(r), "\(q.id) seed \(seed)")
                #expect(q.fixedStart! % resolved.slotMinutes == 0)
                let chair = try #require(q.fixedChair)
                #expect(chairs.insert(chair).inserted, "two fixed bookings share chair \(resolved.chairs[chair].id)")
                if let nurse = q.fixedNurse { #expect(nurses.insert(nurse).inserted) }
            }
        }
    }

    @Test func scaledDaysHaveTheRequestedSize() throws {
        let medium = GeneratorParameters.preset(.medium)
        #expect(GeneratorParameters.scaled(requests: medium.requests) == medium)
        for requests in stride(from: 25, through: 400, by: 25) {
            let p = GeneratorParameters.scaled(requests: requests)
            let day = DayGenerator.generate(p, seed: 1, date: Self.date)
            #expect(day.requests.count == requests)
            #expect(day.chairs.count == p.chairs)
            #expect(abs(Double(p.chairs) / Double(requests) - 24.0 / 70.0) < 0.03)
            _ = try ResolvedDay(day)
        }
    }

    /// The committed instances are exactly what the generator writes; with
    /// `REGENERATE_INSTANCES=1` the test rewrites them instead.
    @Test(arguments: DayProfile.allCases)
    func committedInstancesMatchTheGenerator(profile: DayProfile) throws {
        let path = TestFiles.instance("\(profile.rawValue)-1.json")
        let text = DayGenerator.generate(profile: profile, seed: 1, date: Self.date).jsonString()
        if ProcessInfo.processInfo.environment["REGENERATE_INSTANCES"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(committed == text, "instances/\(profile.rawValue)-1.json differs from the generator's output; see instances/README.md")
        _ = try Day.load(path: path)
    }

    @Test func committedWorkedDayIsTheFixture() throws {
        let committed = try Data(contentsOf: URL(fileURLWithPath: TestFiles.instance("worked-day.json")))
        let fixture = try Data(contentsOf: URL(fileURLWithPath: TestFiles.fixture("worked-day.json")))
        #expect(committed == fixture)
    }
}

/// Counts that describe a generated day, as instances/README.md reports them.
struct InstanceFacts {
    var beds = 0, restrictedChairs = 0, fixed = 0, authorizationProblems = 0, expiringAuthorizations = 0
    var windows = 0, preferredStarts = 0, sameDayLabs = 0, portDraws = 0, lateDrugs = 0
    var demandRatio = 0.0

    init(_ day: Day) {
        beds = day.chairs.filter { $0.type == "bed" }.count
        restrictedChairs = day.chairs.filter { $0.available != nil }.count
        fixed = day.requests.filter { $0.fixed != nil }.count
        authorizationProblems = day.requests.filter { $0.authorization.map { $0.status != .approved } ?? false }.count
        expiringAuthorizations = day.requests.filter {
            guard let a = $0.authorization, a.status == .approved, let to = a.validTo else { return false }
            return to.dayNumber - day.date.dayNumber <= 21
        }.count
        windows = day.requests.filter { $0.window != nil }.count
        preferredStarts = day.requests.filter { $0.preferredStart != nil }.count
        sameDayLabs = day.requests.filter {
            guard let labs = $0.labs else { return false }
            return labs.validUntil.map { $0.minutes(relativeTo: day.date) < day.clinic.open.minutes } ?? true
        }.count
        portDraws = day.requests.filter { $0.labsAtChair == true }.count
        lateDrugs = day.requests.filter { $0.drugReadyAt != nil }.count
        let open = day.clinic.open.minutes, close = day.clinic.close.minutes
        let capacity = day.chairs.reduce(0) { total, chair in
            let windows = chair.available ?? [TimeWindow(start: day.clinic.open, end: day.clinic.latestEnd)]
            return total + windows.reduce(0) { $0 + max(0, min($1.end.minutes, close) - max($1.start.minutes, open)) }
        }
        let regimens = Dictionary(uniqueKeysWithValues: day.regimens.map { ($0.id, $0) })
        let demand = day.requests.reduce(0) { total, q in
            let r = regimens[q.regimen]!
            return total + r.chairMinutes + (r.bufferMinutes ?? 0)
        }
        demandRatio = Double(demand) / Double(max(1, capacity))
    }
}

@Suite struct GeneratorEdgeTests {
    @Test func degenerateParametersAreClampedAndStillResolve() throws {
        let tiny = GeneratorParameters(chairs: 0, beds: 5, restrictedChairs: 9, nurses: 0, compounders: 0, labStations: -1,
                                       requests: 0, fixedBookings: 3)
        let empty = DayGenerator.generate(tiny, seed: 1)
        #expect(empty.chairs.count == 1 && empty.nurses.count == 1 && empty.requests.isEmpty)
        _ = try ResolvedDay(empty)
        var one = tiny
        one.requests = 5
        one.chairs = 1
        one.beds = 0
        let day = DayGenerator.generate(one, seed: 2)
        #expect(day.requests.count == 5)
        let resolved = try ResolvedDay(day)
        #expect(day.requests.filter { $0.fixed != nil }.count <= 1)
        for r in resolved.requests.indices where resolved.requests[r].fixedStart != nil {
            #expect(resolved.isAdmissible(r))
        }
    }

    @Test func aDayOfBedsOnlyBooksOnlyWhatBedsCanTake() throws {
        let beds = GeneratorParameters(chairs: 4, beds: 4, restrictedChairs: 0, nurses: 3, compounders: 1, labStations: 1,
                                       requests: 12, fixedBookings: 1)
        for seed in UInt64(1)...5 {
            let resolved = try ResolvedDay(DayGenerator.generate(beds, seed: seed))
            for r in resolved.requests.indices {
                let reason = resolved.inadmissibility(of: r)?.reason
                #expect(reason == nil || reason == .authorization)
            }
        }
    }
}
