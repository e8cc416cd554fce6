import Foundation
import Testing

import TestSupport

/// The horizon and bookings formats: strict reading, every check with its JSON path, byte-stable writing.
@Suite struct HorizonDecodingTests {
    typealias F = BookingFixtures

    @Test func generatedHorizonRoundTrips() throws {
        let horizon = HorizonGenerator.generate(profile: .small, weeks: 1, courses: 4, load: 0.3, seed: 3)
        let text = horizon.jsonString()
        let read = try Horizon.decode(Data(text.utf8), file: "h.json")
        #expect(read == horizon)
        #expect(read.jsonString() == text)
    }

    @Test func bookingsRoundTripByteForByte() throws {
        let bookings = try F.bookings(for: F.horizon())
        let text = bookings.jsonString()
        let read = try Bookings.decode(Data(text.utf8), file: "b.json")
        #expect(read.jsonString() == text)
        #expect(read.bookings == bookings.bookings && read.unbooked == bookings.unbooked && read.objective == bookings.objective)
        // The contract's key order, and each day's schedule as a schedule file writes it.
        let keys = ["\"format\"", "\"bookings\"", "\"unbooked\"", "\"days\"", "\"objective\"", "\"alerts\"", "\"solver\""]
        let positions = keys.map { text.range(of: "\n \($0)")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted())
        #expect(text.contains(bookings.days[0].schedule.jsonString().replacingOccurrences(of: "\n", with: "\n   ").dropLast(4)))
    }

    /// The error decoding the test horizon with the value at `path` replaced (removed when nil).
    func error(_ path: [Any], _ value: Any?) throws -> InputError? {
        do {
            _ = try Horizon.decode(F.changing(F.horizon().jsonString(), path, to: value), file: "h.json")
            return nil
        } catch let error as InputError {
            #expect(error.file == "h.json")
            return error
        }
    }

    @Test func eachCheckNamesItsPath() throws {
        let cases: [(String, InputError.Kind, [Any], Any?)] = [
            ("format", .unsupportedFormat, ["format"], "infusion-horizon/2"),
            ("now", .invalidValue, ["now"], "2026-12-07 16:00"),
            ("days[2].date", .duplicate, ["days", 2, "date"], "2026-12-08"),
            ("days[1].slotMinutes", .invalidValue, ["days", 1, "slotMinutes"], 7),
            ("days[1].chairs", .missingField, ["days", 1, "chairs"], nil),
            ("days[0].format", .unsupportedFormat, ["days", 0, "format"], "infusion-day/2"),
            ("days[2].nurses[0].capacity", .wrongType, ["days", 2, "nurses", 0, "capacity"], 2.5),
            ("days[1].requests[2].regimen", .unknownReference, ["days", 1, "requests", 2, "regimen"], "XELOX"),
            ("days[0].requests[0].id", .duplicate, ["days", 0, "requests", 0, "id"], "K1.2"),
            ("courses[1].id", .duplicate, ["courses", 1, "id"], "K1"),
            ("courses[0].id", .invalidValue, ["courses", 0, "id"], ""),
            ("courses[0].regimen", .unknownReference, ["courses", 0, "regimen"], "XELOX"),
            ("courses[0].visits[1].regimen", .unknownReference, ["courses", 0, "visits", 1, "regimen"], "XELOX"),
            ("courses[0].visits", .invalidValue, ["courses", 0, "visits"], [Any]()),
            ("courses[0].visits[0].offsetDays", .invalidValue, ["courses", 0, "visits", 0, "offsetDays"], 1),
            ("courses[0].visits[1].offsetDays", .missingField, ["courses", 0, "visits", 1, "offsetDays"], nil),
            ("courses[0].visits[1].offsetDays", .invalidValue, ["courses", 0, "visits", 1, "offsetDays"], 0),
            ("courses[0].visits[1].offsetDays", .wrongType, ["courses", 0, "visits", 1, "offsetDays"], 7.5),
            ("courses[0].visits[1].toleranceDays", .invalidValue, ["courses", 0, "visits", 1, "toleranceDays"], -1),
            ("courses[2].latest", .invalidValue, ["courses", 2, "latest"], "2026-12-14"),
            ("courses[0].earliest", .invalidValue, ["courses", 0, "earliest"], "2026-02-30"),
            ("courses[0].weight", .invalidValue, ["courses", 0, "weight"], 0),
            ("courses[0].drugLeadHours", .invalidValue, ["courses", 0, "drugLeadHours"], -24),
            ("courses[0].authorization.status", .invalidValue, ["courses", 0, "authorization", "status"], "maybe"),
            ("courses[2].visits", .missingField, ["courses", 2, "visits"], nil),
            ("objective.delayPerDay", .invalidValue, ["objective"], ["delayPerDay": -1]),
        ]
        for (path, kind, at, value) in cases {
            let found = try error(at, value)
            #expect(found?.path == path, "expected \(path), got \(String(describing: found))")
            #expect(found?.kind == kind, "\(path): \(String(describing: found))")
        }
        #expect(try error(["courses", 0, "weight"], 3) == nil)
    }

    /// A regimen missing on a day a visit could be booked into is bad input; missing on a day no
    /// visit can reach (K3 starts on 15 December) is not.
    @Test func aRegimenMustBeDefinedOnEveryDayAVisitCouldUse() throws {
        /// The horizon with K3 on a new regimen that only the days `defining` know.
        func horizon(defining: [Int]) -> Horizon {
            var h = F.horizon()
            let new = Regimen(id: "NEWREG", chairMinutes: 60, chairTypes: h.days[0].regimens[0].chairTypes)
            for i in defining { h.days[i].regimens.append(new) }
            h.courses[2].regimen = "NEWREG"
            return h
        }
        var found: InputError?
        do { _ = try Horizon.decode(Data(horizon(defining: [0, 2]).jsonString().utf8), file: "h.json") } catch let e as InputError { found = e }
        #expect(found?.path == "courses[2].regimen" && found?.kind == .unknownReference, "\(String(describing: found))")
        #expect(found?.message.contains("2026-12-15 (days[1])") == true)
        #expect(throws: Never.self) { try Horizon.decode(Data(horizon(defining: [1, 2]).jsonString().utf8), file: "h.json") }
    }

    @Test func duplicateKeysAndTrailingCommasAreRefused() throws {
        let text = F.horizon().jsonString()
        let repeated = text.replacingOccurrences(of: "\"id\": \"K1\",", with: "\"id\": \"K1\", \"id\": \"K9\",")
        #expect(throws: InputError(file: "h.json", path: "courses[0].id", message: "duplicate key: an object names each key once", kind: .malformed)) {
            try Horizon.decode(Data(repeated.utf8), file: "h.json")
        }
    }

    @Test func unknownKeysAreListedWithTheirPaths() throws {
        var data = try F.changing(F.horizon().jsonString(), ["courses", 0, "toleranceDay"], to: 1)
        data = try F.changing(String(decoding: data, as: UTF8.self), ["courses", 0, "visits", 1, "offset"], to: 7)
        data = try F.changing(String(decoding: data, as: UTF8.self), ["days", 0, "requests", 0, "preferedStart"], to: "09:00")
        #expect(Horizon.unknownKeys(in: data) == [
            "courses[0].toleranceDay", "courses[0].visits[1].offset", "days[0].requests[0].preferedStart",
        ])
    }

    @Test func bookingsChecksNameTheirPaths() throws {
        let text = try F.bookings(for: F.horizon()).jsonString()
        let cases: [(String, [Any], Any)] = [
            ("format", ["format"], "infusion-bookings/9"),
            ("unbooked[0].reason", ["unbooked", 0, "reason"], "full"),
            ("days[1].schedule.format", ["days", 1, "schedule", "format"], "x"),
            ("bookings[0].visits[1].start", ["bookings", 0, "visits", 1, "start"], "9:00"),
        ]
        for (path, at, value) in cases {
            do {
                _ = try Bookings.decode(F.changing(text, at, to: value), file: "b.json")
                Issue.record("\(path): accepted")
            } catch let error as InputError {
                #expect(error.path == path && error.file == "b.json", "\(error)")
            }
        }
    }
}
