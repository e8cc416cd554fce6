import Foundation
import SchedulingModel

extension Horizon: ContractFile {
    /// Decodes and checks a horizon from JSON bytes, read strictly as a day file is (no
    /// duplicate keys, no trailing commas).
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming `file` and the JSON path of the first
    ///   problem, e.g. `courses[2].visits[1].offsetDays` or, inside a day, `days[3].requests[0].regimen`.
    public static func decode(_ data: Data, file: String? = nil) throws -> Horizon { try decodeStrictly(data, file: file) }

    /// Reads, decodes and checks a horizon file.
    public static func load(path: String) throws -> Horizon { try loadStrictly(path: path) }

    /// Longest offset and tolerance a visit may have: anything above is a typo.
    static let longestOffsetDays = 3650

    /// The format tag, every day as a day file, the dates, the courses and the weights.
    package func checked(file: String?) throws -> Horizon {
        func fail(_ path: String, _ message: String, _ kind: InputError.Kind = .invalidValue) -> InputError {
            InputError(file: file, path: path, message: message, kind: kind)
        }
        try Self.checkFormat(format, expected: Self.formatTag, file: file)

        // Days: each a valid day file (its errors under `days[i].`), dates distinct.
        var dayAt: [CivilDate: Int] = [:]
        var regimensDefined = Set<String>()
        var requestIds: [String: String] = [:]  // request id → its path, for collisions with visit ids
        for (i, day) in days.enumerated() {
            do {
                _ = try ResolvedDay(day)
            } catch let error as InputError {
                throw fail("days[\(i)]" + (error.path.isEmpty ? "" : "." + error.path), error.message, error.kind)
            }
            if let other = dayAt[day.date] {
                throw fail("days[\(i)].date", "duplicate date \(day.date) (also days[\(other)])", .duplicate)
            }
            dayAt[day.date] = i
            regimensDefined.formUnion(day.regimens.map(\.id))
            for (r, q) in day.requests.enumerated() where requestIds[q.id] == nil { requestIds[q.id] = "days[\(i)].requests[\(r)].id" }
        }

        // Courses.
        var courseAt: [String: Int] = [:]
        for (c, course) in courses.enumerated() {
            let path = "courses[\(c)]"
            do { try ResolvedDay.checkId(course.id, path: path + ".id") } catch let error as InputError { throw error.inFile(file) }
            if let other = courseAt[course.id] {
                throw fail(path + ".id", "duplicate course id \"\(clip(course.id))\" (also courses[\(other)])", .duplicate)
            }
            courseAt[course.id] = c
            // A regimen must be defined on every day a visit is booked into; one defined on no day names nothing.
            guard regimensDefined.contains(course.regimen) else {
                throw fail(path + ".regimen", "unknown regimen \"\(clip(course.regimen))\": no day defines it", .unknownReference)
            }
            if let weight = course.weight, !(weight.isFinite && weight > 0 && weight <= 1_000_000) {
                throw fail(path + ".weight", "weight must be a positive number up to 1000000")
            }
            if let earliest = course.earliest, let latest = course.latest, latest < earliest {
                throw fail(path + ".latest", "latest \(latest) is before earliest \(earliest)")
            }
            if let lead = course.drugLeadHours, !(0...(24 * 365)).contains(lead) {
                throw fail(path + ".drugLeadHours", "\(lead) is not in 0...\(24 * 365)")
            }
            guard !course.visits.isEmpty else { throw fail(path + ".visits", "a course has at least one visit") }
            var previous = 0
            for (k, visit) in course.visits.enumerated() {
                let vpath = "\(path).visits[\(k)]"
                if let regimen = visit.regimen, !regimensDefined.contains(regimen) {
                    throw fail(vpath + ".regimen", "unknown regimen \"\(clip(regimen))\": no day defines it", .unknownReference)
                }
                if k == 0 {
                    if let offset = visit.offsetDays, offset != 0 {
                        throw fail(vpath + ".offsetDays", "the first visit's offset is 0, found \(offset)")
                    }
                } else {
                    guard let offset = visit.offsetDays else {
                        throw fail(vpath + ".offsetDays", "required field is missing (every visit after the first has an offset)", .missingField)
                    }
                    guard offset > previous else {
                        throw fail(vpath + ".offsetDays", "offset \(offset) is not after the previous visit's (\(previous))")
                    }
                    guard offset <= Self.longestOffsetDays else {
                        throw fail(vpath + ".offsetDays", "offset \(offset) is not in 1...\(Self.longestOffsetDays)")
                    }
                    previous = offset
                }
                if let tolerance = visit.toleranceDays, !(0...Self.longestOffsetDays).contains(tolerance) {
                    throw fail(vpath + ".toleranceDays", "tolerance \(tolerance) is not in 0...\(Self.longestOffsetDays)")
                }
                // The visit's request id must be a valid id and must not be a patient's already booked.
                let visitId = course.visitId(k + 1)
                guard visitId.utf8.count <= 64 else {
                    throw fail(path + ".id", "too long: the visit id \"\(clip(visitId))\" is longer than 64 bytes")
                }
                if let taken = requestIds[visitId] {
                    throw fail(taken, "request id \"\(clip(visitId))\" is also the id of visit \(k + 1) of course \"\(clip(course.id))\"", .duplicate)
                }
            }
            try checkRegimensOnReachableDays(course, path: path, file: file)
        }

        if let o = objective {
            for (name, value) in [("unbookedPenalty", o.unbookedPenalty), ("delayPerDay", o.delayPerDay), ("offsetPerDay", o.offsetPerDay)] {
                if let value, !(value.isFinite && value >= 0 && value <= 1e9) {
                    throw fail("objective." + name, "must be a number in 0...1e9")
                }
            }
        }
        return self
    }

    /// Every regimen a course names is defined on every open day its visit could be booked into
    /// (the first visit from its earliest to its latest date, a later one within its tolerance of
    /// its offset from any of those): a day without it is an input error, not a day to skip.
    private func checkRegimensOnReachableDays(_ course: Course, path: String, file: String?) throws {
        let first = earliest(of: course).dayNumber
        let last = course.latest?.dayNumber ?? Int.max
        for (k, visit) in course.visits.enumerated() {
            let offset = visit.offsetDays ?? 0, tolerance = k == 0 ? 0 : visit.toleranceDays ?? 0
            let regimen = course.regimen(ofVisit: k + 1)
            let lo = first + offset - tolerance
            let hi = last == Int.max ? Int.max : last + offset + tolerance
            for (i, day) in days.enumerated() where (lo...hi).contains(day.date.dayNumber) && !day.regimens.contains(where: { $0.id == regimen }) {
                throw InputError(file: file, path: visit.regimen == nil ? path + ".regimen" : "\(path).visits[\(k)].regimen",
                                 message: "regimen \"\(clip(regimen))\" is not defined on \(day.date) (days[\(i)]), a day visit \(k + 1) "
                                     + "could be booked into", kind: .unknownReference)
            }
        }
    }

    /// A horizon file's keys: its own, each day's as in a day file, each course's and visit's.
    static let keySchema: Day.KeySchema = .object([
        "format": nil, "now": nil,
        "days": .array(Day.keySchema),
        "courses": .array(.object([
            "id": nil, "regimen": nil, "weight": nil, "earliest": nil, "latest": nil,
            "visits": .array(.object(["offsetDays": nil, "toleranceDays": nil, "regimen": nil])),
            "window": .object(["earliest": nil, "latest": nil]), "preferredStart": nil,
            "labs": .object(["validUntil": nil, "allowSameDayDraw": nil]), "labsAtChair": nil,
            "drugLeadHours": nil,
            "authorization": .object(["status": nil, "validFrom": nil, "validTo": nil]),
        ])),
        "objective": .object(["unbookedPenalty": nil, "delayPerDay": nil, "offsetPerDay": nil]),
    ])

    /// The JSON paths of keys in a horizon file that its format does not define (e.g.
    /// `courses[1].toleranceDay` or `days[0].requests[3].preferedStart`), written as
    /// ``SchedulingModel/Day/unknownKeys(in:)`` writes them.
    ///
    /// Decoding ignores such keys; the command line prints them as warnings.
    public static func unknownKeys(in data: Data) -> [String] {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return [] }
        return keySchema.unknownKeys(in: root)
    }
}

extension Horizon {
    /// The booking objective's weights with their defaults applied.
    package var weights: (unbookedPenalty: Double, delayPerDay: Double, offsetPerDay: Double) {
        (objective?.unbookedPenalty ?? 10_000, objective?.delayPerDay ?? 10, objective?.offsetPerDay ?? 50)
    }

    /// The first date course `c`'s first visit may take: its `earliest`, else the date of `now`.
    package func earliest(of course: Course) -> CivilDate { course.earliest ?? now.date }

    /// The day open on `date`, if any.
    package func day(on date: CivilDate) -> Day? { days.first { $0.date == date } }
}

extension Horizon {
    /// The horizon as deterministic, pretty-printed JSON in the format's key order.
    public func jsonString() -> String {
        (try? OrderedJSONEncoder.string(self)) ?? "{}\n"
    }
}
