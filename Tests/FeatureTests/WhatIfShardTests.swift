import Foundation
import Testing
import TestSupport
@testable import SchedulingWhatIf

/// Sharded what-if sweeps: the slices, the part files and the merge.
@Suite struct WhatIfShardTests {
    static let greedy = SolveOptions(method: .greedy, timeLimit: 600)  // a limit no loaded run reaches: a cut greedy would differ

    /// The sweep of `WhatIfTests.sampleReport`: a listed scenario and a 2 × 2 grid on small days.
    static func sampleRunner(days: ClosedRange<UInt64> = 1...2, jobs: Int = 2) throws -> WhatIfRunner {
        let plan = WhatIfPlan(listed: [WhatIfScenario(name: "close 18:30", close: ClockTime(parsing: "18:30"), source: "scenarios[0]")],
                              grid: [WhatIfAxis(dimension: .chairs(type: "recliner"), values: [.number(-2), .number(1)]),
                                     WhatIfAxis(dimension: .demand, values: [.number(1), .number(1.3)])])
        return try WhatIfRunner(days: WhatIfTests.smallDays(days), scenarios: plan.scenarios(), options: greedy, jobs: jobs,
                                baseSummary: "2 small days", grid: plan.grid)
    }

    /// Every shard's part, written and read back as a file would be.
    static func parts(of runner: WhatIfRunner, count: Int, version: String = "test") throws -> [WhatIfPart] {
        try (0..<count).map { k in
            let part = try runner.run(shard: WhatIfShard(index: k, count: count)!, version: version)
            var read = try WhatIfPart.decode(Data(part.rendered().utf8), file: "part-\(k).json")
            read.file = "part-\(k).json"
            return read
        }
    }

    // MARK: SHA-256

    /// The examples of FIPS 180-4 (one block, two blocks) and the empty message; the padding's
    /// edges (55 to 65 bytes) and a longer message against Python's hashlib.
    @Test func sha256GivesTheStandardsDigests() {
        func digest(_ bytes: [UInt8]) -> String {
            var h = SHA256()
            h.update(bytes)
            return h.hexDigest()
        }
        #expect(digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let edges = [55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
                     56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
                     63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
                     64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
                     65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"]
        for (n, expected) in edges { #expect(digest([UInt8](repeating: UInt8(ascii: "a"), count: n)) == expected, "\(n) bytes") }
        // python3 -c 'import hashlib; print(hashlib.sha256(bytes((i*7+3)%256 for i in range(10007))).hexdigest())'
        #expect(digest((0..<10007).map { UInt8(($0 * 7 + 3) % 256) })
                == "a9183d620a0eed0f01e505e2632d536cf1759163c6938203abc38afe286c37a2")
        // Fed in pieces, the same digest.
        var pieces = SHA256()
        for chunk in ["ab", "c"] { pieces.update(chunk.utf8) }
        #expect(pieces.hexDigest() == digest(Array("abc".utf8)))
    }

    // MARK: Slices

    @Test func shardsPartitionTheRunsAndBalanceThem() {
        for total in [0, 1, 2, 7, 12, 13, 100] {
            for count in 1...9 {
                let shards = (0..<count).map { WhatIfShard(index: $0, count: count)! }
                let slices = shards.map { $0.runs(of: total) }
                #expect(slices.flatMap { $0 }.sorted() == Array(0..<total), "\(total) runs in \(count) shards")
                let sizes = slices.map(\.count)
                #expect(sizes.max()! - sizes.min()! <= 1, "\(total) runs in \(count) shards: \(sizes)")
                for (shard, slice) in zip(shards, slices) {
                    #expect(slice == slice.sorted())
                    #expect(slice.allSatisfy { shard.contains(run: $0) })
                    #expect((0..<total).filter { shard.contains(run: $0) } == slice)
                }
            }
        }
        #expect(WhatIfShard(parsing: "3/4") == WhatIfShard(index: 3, count: 4))
        #expect(WhatIfShard(parsing: "0/1") == .whole)
        for bad in ["4/4", "-1/4", "1/0", "a/b", "1/4/5", " 1/4", "+1/4", "1/", "/4", "", "1/100001", "١/4"] {
            #expect(WhatIfShard(parsing: bad) == nil, "\(bad)")
        }
    }

    // MARK: Merge

    /// However the sweep is cut, the merged parts give the unsharded report, byte for byte, in
    /// every format and the chart, whatever order the parts come in.
    @Test func mergedPartsGiveTheUnshardedReport() throws {
        let runner = try Self.sampleRunner()
        #expect(runner.runCount == 6 * 2)
        let whole = try runner.run()
        for count in [1, 4, 5, 13] {
            let parts = try Self.parts(of: runner, count: count)
            #expect(parts.map(\.results.count).reduce(0, +) == runner.runCount)
            for order in [parts, parts.reversed()] {
                let merged = try WhatIfPart.merge(Array(order))
                for format in WhatIfReport.Format.allCases {
                    #expect(merged.rendered(format) == whole.rendered(format), "\(count) shards, \(format)")
                }
                #expect(merged.svgChart() == whole.svgChart(), "\(count) shards, chart")
                #expect(merged.outcomes == whole.outcomes)
            }
        }
    }

    /// Figures go through the file unchanged, to the last bit, awkward numbers included.
    @Test func partFilesKeepEveryFigureExactly() throws {
        let runner = try Self.sampleRunner(days: 1...1, jobs: 1)
        var part = try runner.run(shard: WhatIfShard(index: 1, count: 3)!, version: "test")
        let awkward: [Double] = [1.0 / 3, 0.1 + 0.2, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 2.0 / 7 * 100, -0.0, 0.75, 123456.789e-7]
        for (i, x) in awkward.enumerated() {
            let m = WhatIfMetrics(requests: 10, scheduled: 9, unscheduled: [.capacity: 1], unscheduledWeight: x,
                                  overtimeMinutes: 3, excessWaitMinutes: 4, chairUtilisation: x / 3, nursePeakLoad: x * 7,
                                  pharmacyPeakHour: x, pharmacyQueue: 2, releasedFixedBookings: 1, solver: "mip/feasible")
            part.results[i % part.results.count].outcome = .solved(m)
            let read = try WhatIfPart.decode(Data(part.rendered().utf8), file: "p.json")
            #expect(read.results == part.results, "\(x)")
            #expect(read.plan == part.plan && read.fingerprint == part.fingerprint && read.shard == part.shard)
        }
        part.results[0].outcome = .failed("fixed bookings \"R1\", \"R2\" cannot all hold\nat 09:00")
        part.results[1].outcome = .solved(WhatIfMetrics(requests: 1, scheduled: 1, unscheduled: [:], unscheduledWeight: 0,
                                                        overtimeMinutes: 0, excessWaitMinutes: 0, chairUtilisation: .infinity,
                                                        nursePeakLoad: .nan, pharmacyPeakHour: 0, pharmacyQueue: 0,
                                                        releasedFixedBookings: 0, solver: "greedy/feasible"))
        let read = try WhatIfPart.decode(Data(part.rendered().utf8), file: "p.json")
        #expect(read.results[0] == part.results[0])
        guard case .solved(let m) = read.results[1].outcome else { Issue.record("not solved"); return }
        #expect(m.chairUtilisation == .infinity && m.nursePeakLoad.isNaN)
        // One line of header, then one line per run.
        let lines = try part.rendered().split(separator: "\n")
        #expect(lines.count == 1 + part.results.count + 1)
        #expect(lines[0].hasPrefix("{\"format\":\"infusion-whatif-part/1\","))
    }

    /// The fingerprint follows the inputs (days, scenarios, options, version), not the jobs.
    @Test func theFingerprintIdentifiesTheSweep() throws {
        let a = try Self.sampleRunner(jobs: 1), b = try Self.sampleRunner(jobs: 2)
        let reference = try a.fingerprint(version: "1")
        #expect(reference.count == 64 && reference.allSatisfy(\.isHexDigit))
        #expect(try b.fingerprint(version: "1") == reference)
        #expect(try a.fingerprint(version: "2") != reference)
        #expect(try Self.sampleRunner(days: 1...3).fingerprint(version: "1") != reference)
        var timed = a
        timed.options.timeLimit = 601
        #expect(try timed.fingerprint(version: "1") != reference)
        var paced = a
        paced.options.pace = .deterministic
        #expect(try paced.fingerprint(version: "1") != reference)
        var renamed = a
        renamed.scenarios[1].name = "close at 18:30"
        #expect(try renamed.fingerprint(version: "1") != reference)
        // The same names but another day's contents.
        var edited = a
        edited.days[0].day.requests.removeLast()
        #expect(try edited.fingerprint(version: "1") != reference)
    }

    @Test func mismatchedMissingAndRepeatedPartsAreRefusedNamingTheFile() throws {
        let runner = try Self.sampleRunner()
        let parts = try Self.parts(of: runner, count: 4)
        func refusal(_ given: [WhatIfPart]) -> InputError? {
            do {
                _ = try WhatIfPart.merge(given)
                return nil
            } catch let error as InputError {
                return error
            } catch {
                return nil
            }
        }
        // A shard missing: which one.
        let missing = try #require(refusal([parts[0], parts[1], parts[3]]))
        #expect(missing.path == "shard.index" && missing.message.contains("1 of the 4 shards") && missing.message.contains("2/4"), "\(missing)")
        // A shard twice: the file and the other file.
        let twice = try #require(refusal([parts[0], parts[1], parts[2], parts[3], parts[1]]))
        #expect(twice.kind == .duplicate && twice.path == "shard.index" && twice.message.contains("part-1.json"), "\(twice)")
        // Another number of shards.
        var halves = try Self.parts(of: runner, count: 2)
        halves[1].file = "half-1.json"
        let count = try #require(refusal([parts[0], parts[1], parts[2], halves[1]]))
        #expect(count.file == "half-1.json" && count.path == "shard.count" && count.message.contains("part-0.json"), "\(count)")
        // Another sweep: one more day.
        var other = try Self.parts(of: Self.sampleRunner(days: 1...3), count: 4)[2]
        other.file = "other-2.json"
        let sweep = try #require(refusal([parts[0], parts[1], other, parts[3]]))
        #expect(sweep.file == "other-2.json" && sweep.path == "sweep", "\(sweep)")
        // Another version.
        var newer = try Self.parts(of: runner, count: 4, version: "newer")[3]
        newer.file = "newer-3.json"
        let version = try #require(refusal([parts[0], parts[1], parts[2], newer]))
        #expect(version.file == "newer-3.json" && version.path == "version", "\(version)")
        #expect(refusal([]) != nil)
    }

    @Test func damagedPartFilesAreRefusedAtTheirPath() throws {
        let runner = try Self.sampleRunner()
        let part = try runner.run(shard: WhatIfShard(index: 1, count: 3)!, version: "test")
        let text = try part.rendered()
        var lines = text.components(separatedBy: "\n")
        func refusal(_ text: String) -> InputError? {
            do {
                _ = try WhatIfPart.decode(Data(text.utf8), file: "p.json")
                return nil
            } catch let error as InputError {
                return error
            } catch {
                return nil
            }
        }
        // A run dropped (a middle line, so that the JSON stays valid).
        var dropped = lines
        dropped.remove(at: dropped.count - 4)
        let short = try #require(refusal(dropped.joined(separator: "\n")))
        #expect(short.file == "p.json" && short.path == "results", "\(short)")
        // A run of another shard.
        lines[1] = lines[1].replacingOccurrences(of: "\"run\":1,", with: "\"run\":2,")
        let wrong = try #require(refusal(lines.joined(separator: "\n")))
        #expect(wrong.path == "results[0].run" && wrong.message.contains("expected run 1"), "\(wrong)")
        // A member no part has.
        let extra = try #require(refusal(text.replacingOccurrences(of: "{\"format\":", with: "{\"comment\":1,\"format\":")))
        #expect(extra.path == "comment" && extra.kind == .unknownReference, "\(extra)")
        // Not a part at all.
        let report = try #require(refusal(runner.run().rendered(.json)))
        #expect(report.path == "format" && report.kind == .unsupportedFormat, "\(report)")
        let broken = try #require(refusal(String(text.prefix(200))))
        #expect(broken.file == "p.json" && broken.kind == .malformed, "\(broken)")
    }
}
