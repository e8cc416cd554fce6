import Testing
import TestSupport

@testable import SchedulingSolvers

/// The minute bits against a plain array of busy minutes, and the placement search that reads
/// them against the same search reading only the booking lists.
@Suite struct MinuteBitsTests {
    /// Random intervals set on a few rows; every query agrees with the minutes counted one by one.
    @Test func queriesAgreeWithMinuteByMinute() {
        var random = SeededRandom(seed: 11)
        let minutes = 300, rows = 3
        var bits = MinuteBits(rows: rows, minutes: minutes)
        var busy = [[Bool]](repeating: [Bool](repeating: false, count: minutes), count: rows)
        for _ in 0..<40 {
            let row = random.int(in: 0...(rows - 1))
            let lo = random.int(in: 0...(minutes - 1))
            let range = lo..<min(minutes, lo + random.int(in: 1...70))
            bits.set(row, range)
            for t in range { busy[row][t] = true }
        }
        bits.clear(2)
        busy[2] = [Bool](repeating: false, count: minutes)
        bits.set(2, 64..<128)
        for t in 64..<128 { busy[2][t] = true }
        for row in 0..<rows {
            for _ in 0..<400 {
                let a = random.int(in: 0...minutes), b = random.int(in: 0...minutes)
                let lo = min(a, b), hi = max(a, b)
                #expect(bits.anySet(row, lo..<hi) == busy[row][lo..<hi].contains(true))
                let end = (lo..<hi).last { busy[row][$0] }.map { $0 + 1 } ?? lo
                #expect(bits.endOfBusy(row, before: hi, floor: lo) == end, "row \(row) \(lo)..<\(hi)")
                let start = (lo..<hi).first { busy[row][$0] } ?? hi
                #expect(bits.startOfBusy(row, from: lo, ceiling: hi) == start, "row \(row) \(lo)..<\(hi)")
                let length = random.int(in: 1...40)
                guard hi + length <= minutes else { continue }
                let latest = (lo...hi).reversed().first { t in !busy[row][t..<(t + length)].contains(true) }
                #expect(bits.latestFree(row, length: length, from: lo, through: hi) == latest, "row \(row) \(lo)...\(hi) length \(length)")
            }
        }
    }

    /// Resources busy per minute, set and reset at random: the free ones over random intervals
    /// are those free at every minute, in increasing order, and the walk stops when asked.
    @Test func freeResourcesAgreeWithMinuteByMinute() {
        var random = SeededRandom(seed: 5)
        let minutes = 200, resources = 70
        var rows = MinuteBits(rows: resources, minutes: minutes)
        var byMinute = BusyByMinute(resources: resources, minutes: minutes)
        var held: [(Int, Range<Int>)] = []
        for step in 0..<300 {
            if step % 3 == 2, let i = random.pick(Array(held.indices)) {
                // Take one interval away: rebuild its row from the others, then reset the minutes.
                let (r, range) = held.remove(at: i)
                rows.clear(r)
                for (other, kept) in held where other == r { rows.set(r, kept) }
                byMinute.reset(r, range, from: rows)
            } else {
                let r = random.int(in: 0...(resources - 1))
                let lo = random.int(in: 0...(minutes - 1))
                let range = lo..<min(minutes, lo + random.int(in: 1...50))
                rows.set(r, range); byMinute.set(r, range)
                held.append((r, range))
            }
        }
        // Every resource as candidates (and no bit past the last one, as for DayState's chairs).
        var all = [UInt64](repeating: 0, count: byMinute.words)
        for r in 0..<resources { all[r >> 6] |= 1 << UInt64(r & 63) }
        for _ in 0..<300 {
            let a = random.int(in: 0...minutes), b = random.int(in: 0...minutes)
            let range = min(a, b)..<max(a, b)
            guard !range.isEmpty else { continue }
            var seen: [Int] = []
            byMinute.forEachFree(in: all, offset: 0, over: range) { seen.append($0); return true }
            let expected = (0..<resources).filter { !rows.anySet($0, range) }
            #expect(seen == expected, "\(range)")
            var firstTwo: [Int] = []
            byMinute.forEachFree(in: all, offset: 0, over: range) { firstTwo.append($0); return firstTwo.count < 2 }
            #expect(firstTwo == Array(expected.prefix(2)))
        }
    }

    /// On generated days, with a greedy schedule partly taken apart, the best placement of every
    /// request at every start is the same whether the search reads the bits or the lists.
    @Test(arguments: [(DayProfile.medium, UInt64(2)), (.large, 3), (.small, 5)])
    func placementsAgreeWithTheBookingLists(_ profile: DayProfile, _ seed: UInt64) throws {
        let day = try ResolvedDay(DayGenerator.generate(profile: profile, seed: seed))
        let schedule = try GreedyScheduler(day: day).schedule()
        var withBits = DayState(day: day, minuteBits: true)
        var withLists = DayState(day: day, minuteBits: false)
        var random = SeededRandom(seed: seed)
        for p in schedule {
            withBits.place(p); withLists.place(p)
        }
        for p in schedule where random.chance(0.4) {
            withBits.remove(request: p.request); withLists.remove(request: p.request)
        }
        var compared = 0, found = 0
        for r in day.requests.indices where withBits.placements[r] == nil {
            for s in day.clinicStarts(chairMinutes: day.regimen(of: r).chairMinutes) {
                let a = withBits.bestPlacement(of: r, start: s), b = withLists.bestPlacement(of: r, start: s)
                #expect(a == b, "request \(r) at \(s)")
                compared += 1
                if a != nil { found += 1 }
            }
        }
        // The comparison means something only if both outcomes occur.
        #expect(compared > found && found > 0, "\(found) of \(compared) starts placeable")
    }
}
