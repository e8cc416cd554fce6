import Foundation
import SchedulingModel

/// What can go differently from the plan on the day, and how often: the random part of a
/// simulation (docs/ROBUSTNESS.md), read from an `infusion-noise/1` file or taken as
/// ``NoiseModel/defaults``.
///
/// Every figure is per appointment and independent of the others. ``NoiseModel/none`` draws
/// nothing: a replay under it is the plan itself.
public struct NoiseModel: Sendable, Hashable {
    /// The format tag of a noise file.
    public static let formatTag = "infusion-noise/1"

    /// Actual minutes in the chair: lognormal around the regimen's `chairMinutes`.
    public struct ChairTime: Sendable, Hashable {
        /// The median of actual over planned minutes (1: the plan is right on the median).
        public var medianRatio: Double
        /// The lognormal's sigma for a regimen of `shortMinutes` or less.
        public var spreadShort: Double
        /// The lognormal's sigma for a regimen of `longMinutes` or more (linear in between).
        public var spreadLong: Double
        /// Regimen length up to which `spreadShort` applies.
        public var shortMinutes: Int
        /// Regimen length from which `spreadLong` applies.
        public var longMinutes: Int

        /// Creates the chair-time part.
        public init(medianRatio: Double, spreadShort: Double, spreadLong: Double, shortMinutes: Int, longMinutes: Int) {
            self.medianRatio = medianRatio; self.spreadShort = spreadShort; self.spreadLong = spreadLong
            self.shortMinutes = shortMinutes; self.longMinutes = longMinutes
        }

        /// The sigma for a regimen of `minutes` in the chair.
        public func spread(forChairMinutes minutes: Int) -> Double {
            if minutes <= shortMinutes { return spreadShort }
            if minutes >= longMinutes { return spreadLong }
            let f = Double(minutes - shortMinutes) / Double(longMinutes - shortMinutes)
            return spreadShort + f * (spreadLong - spreadShort)
        }
    }

    /// An event that happens to an appointment with some probability and then lasts a number of minutes.
    public struct Delay: Sendable, Hashable {
        /// The chance it happens to one appointment, `0...1`.
        public var probability: Double
        /// When it happens: the mean of the (exponential) minutes, before `maxMinutes` clips them.
        public var meanMinutes: Double
        /// The longest it lasts.
        public var maxMinutes: Int

        /// Creates a delay.
        public init(probability: Double, meanMinutes: Double, maxMinutes: Int) {
            self.probability = probability; self.meanMinutes = meanMinutes; self.maxMinutes = maxMinutes
        }
    }

    /// An infusion reaction: the infusion pauses (the patient stays in the chair, held by the nurse).
    public struct Reaction: Sendable, Hashable {
        /// The chance of a reaction in one appointment, `0...1`.
        public var probability: Double
        /// Shortest pause.
        public var minMinutes: Int
        /// Longest pause (uniform in between).
        public var maxMinutes: Int

        /// Creates the reaction part.
        public init(probability: Double, minMinutes: Int, maxMinutes: Int) {
            self.probability = probability; self.minMinutes = minMinutes; self.maxMinutes = maxMinutes
        }
    }

    /// Actual chair minutes.
    public var chairTime: ChairTime
    /// Infusion reactions.
    public var reaction: Reaction
    /// The chance a patient does not come, `0...1`.
    public var noShow: Double
    /// Patients arriving after their arrival time.
    public var lateArrival: Delay
    /// Same-day lab results later than the lab's turnaround.
    public var labResults: Delay
    /// The drug reaching the pharmacy (or, without compounding, the chair) after the plan needs it.
    public var drug: Delay

    /// Creates a noise model.
    public init(chairTime: ChairTime, reaction: Reaction, noShow: Double, lateArrival: Delay, labResults: Delay, drug: Delay) {
        self.chairTime = chairTime; self.reaction = reaction; self.noShow = noShow
        self.lateArrival = lateArrival; self.labResults = labResults; self.drug = drug
    }

    /// The defaults of docs/ROBUSTNESS.md ("The noise model"): the no-show rate from a published
    /// survey of infusion centres, the rest assumptions stated there with their reasons.
    public static let defaults = NoiseModel(
        chairTime: ChairTime(medianRatio: 1.0, spreadShort: 0.10, spreadLong: 0.20, shortMinutes: 60, longMinutes: 360),
        reaction: Reaction(probability: 0.01, minMinutes: 15, maxMinutes: 60),
        noShow: 0.05,
        lateArrival: Delay(probability: 0.25, meanMinutes: 10, maxMinutes: 90),
        labResults: Delay(probability: 0.10, meanMinutes: 20, maxMinutes: 120),
        drug: Delay(probability: 0.10, meanMinutes: 20, maxMinutes: 120))

    /// Nothing goes differently: every appointment as planned.
    public static let none = NoiseModel(
        chairTime: ChairTime(medianRatio: 1.0, spreadShort: 0, spreadLong: 0, shortMinutes: 60, longMinutes: 360),
        reaction: Reaction(probability: 0, minMinutes: 0, maxMinutes: 0),
        noShow: 0,
        lateArrival: Delay(probability: 0, meanMinutes: 0, maxMinutes: 0),
        labResults: Delay(probability: 0, meanMinutes: 0, maxMinutes: 0),
        drug: Delay(probability: 0, meanMinutes: 0, maxMinutes: 0))
}

// MARK: - The file

extension NoiseModel {
    /// Reads an `infusion-noise/1` file strictly (as a day file: duplicate keys and trailing
    /// commas refused), and refuses unknown keys too: a misspelt figure would otherwise keep its
    /// default without a word.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming the file and the JSON path of the first problem.
    public static func load(path: String) throws -> NoiseModel {
        try decode(readInput(path), file: path)
    }

    /// Decodes the bytes of an `infusion-noise/1` file; `file` names it in errors.
    public static func decode(_ data: Data, file: String? = nil) throws -> NoiseModel {
        let document = try NoiseFile.decodeStrictly(data, file: file)
        if let root = try? JSONSerialization.jsonObject(with: data), let key = keySchema.unknownKeys(in: root).first {
            throw InputError(file: file, path: key, message: "unknown key (the noise file has no such field)", kind: .unknownReference)
        }
        return document.model
    }

    /// The keys a noise file may hold.
    static let keySchema: Day.KeySchema = {
        let delay: Day.KeySchema = .object(["probability": nil, "meanMinutes": nil, "maxMinutes": nil])
        return .object([
            "format": nil, "note": nil,
            "chairTime": .object(["medianRatio": nil, "spreadShort": nil, "spreadLong": nil, "shortMinutes": nil, "longMinutes": nil]),
            "reaction": .object(["probability": nil, "minMinutes": nil, "maxMinutes": nil]),
            "noShow": .object(["probability": nil]),
            "lateArrival": delay, "labResults": delay, "drug": delay,
        ])
    }()

    /// The model as an `infusion-noise/1` document (every field written, defaults included).
    package var json: JSONValue {
        func delay(_ d: Delay) -> JSONValue {
            .object([("probability", .double(d.probability)), ("meanMinutes", .double(d.meanMinutes)), ("maxMinutes", .int(d.maxMinutes))])
        }
        return .object([
            ("format", .string(Self.formatTag)),
            ("chairTime", .object([("medianRatio", .double(chairTime.medianRatio)), ("spreadShort", .double(chairTime.spreadShort)),
                                   ("spreadLong", .double(chairTime.spreadLong)), ("shortMinutes", .int(chairTime.shortMinutes)),
                                   ("longMinutes", .int(chairTime.longMinutes))])),
            ("reaction", .object([("probability", .double(reaction.probability)), ("minMinutes", .int(reaction.minMinutes)),
                                  ("maxMinutes", .int(reaction.maxMinutes))])),
            ("noShow", .object([("probability", .double(noShow))])),
            ("lateArrival", delay(lateArrival)), ("labResults", delay(labResults)), ("drug", delay(drug)),
        ])
    }

    /// The model as the bytes of an `infusion-noise/1` file.
    public func fileText() -> String { json.rendered() }
}

/// The noise file as decoded: every section and field optional, absent ones taken from the defaults.
private struct NoiseFile: Decodable, ContractFile {
    struct ChairTimeFields: Decodable {
        var medianRatio: Double?, spreadShort: Double?, spreadLong: Double?, shortMinutes: Double?, longMinutes: Double?
    }
    // Whole minutes are read as numbers and checked here, so that `2.5` is reported at its path
    // (Foundation reports a fraction in an integer field without one).
    struct ReactionFields: Decodable { var probability: Double?, minMinutes: Double?, maxMinutes: Double? }
    struct NoShowFields: Decodable { var probability: Double? }
    struct DelayFields: Decodable { var probability: Double?, meanMinutes: Double?, maxMinutes: Double? }

    var format: String
    var note: String?
    var chairTime: ChairTimeFields?
    var reaction: ReactionFields?
    var noShow: NoShowFields?
    var lateArrival: DelayFields?
    var labResults: DelayFields?
    var drug: DelayFields?

    /// The model, filled in by ``checked(file:)``.
    var model = NoiseModel.defaults

    enum CodingKeys: String, CodingKey {
        case format, note, chairTime, reaction, noShow, lateArrival, labResults, drug
    }

    func checked(file: String?) throws -> NoiseFile {
        func fail(_ path: String, _ message: String) -> InputError { InputError(file: file, path: path, message: message) }
        try Self.checkFormat(format, expected: NoiseModel.formatTag, file: file)
        func probability(_ value: Double?, _ path: String, _ fallback: Double) throws -> Double {
            guard let value else { return fallback }
            guard value.isFinite, (0...1).contains(value) else { throw fail(path, "a probability must be in 0...1") }
            return value
        }
        func minutes(_ value: Double?, _ path: String, _ fallback: Int, _ range: ClosedRange<Int> = 0...1440) throws -> Int {
            guard let value else { return fallback }
            guard value.isFinite, value == value.rounded() else { throw fail(path, "expected a whole number of minutes") }
            guard value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
                throw fail(path, "\(Markup.num(value)) minutes is not in \(range.lowerBound)...\(range.upperBound)")
            }
            return Int(value)
        }
        func number(_ value: Double?, _ path: String, _ fallback: Double, _ range: ClosedRange<Double>) throws -> Double {
            guard let value else { return fallback }
            guard value.isFinite, range.contains(value) else {
                throw fail(path, "\(value) is not in \(Markup.num(range.lowerBound))...\(Markup.num(range.upperBound))")
            }
            return value
        }
        var m = NoiseModel.defaults
        let c = chairTime
        m.chairTime.medianRatio = try number(c?.medianRatio, "chairTime.medianRatio", m.chairTime.medianRatio, 0.1...10)
        m.chairTime.spreadShort = try number(c?.spreadShort, "chairTime.spreadShort", m.chairTime.spreadShort, 0...3)
        m.chairTime.spreadLong = try number(c?.spreadLong, "chairTime.spreadLong", m.chairTime.spreadLong, 0...3)
        m.chairTime.shortMinutes = try minutes(c?.shortMinutes, "chairTime.shortMinutes", m.chairTime.shortMinutes)
        m.chairTime.longMinutes = try minutes(c?.longMinutes, "chairTime.longMinutes", m.chairTime.longMinutes)
        guard m.chairTime.shortMinutes < m.chairTime.longMinutes else {
            throw fail(c?.longMinutes != nil ? "chairTime.longMinutes" : "chairTime.shortMinutes",
                       "longMinutes (\(m.chairTime.longMinutes)) must be greater than shortMinutes (\(m.chairTime.shortMinutes))")
        }
        m.reaction.probability = try probability(reaction?.probability, "reaction.probability", m.reaction.probability)
        m.reaction.minMinutes = try minutes(reaction?.minMinutes, "reaction.minMinutes", m.reaction.minMinutes, 0...480)
        m.reaction.maxMinutes = try minutes(reaction?.maxMinutes, "reaction.maxMinutes", m.reaction.maxMinutes, 0...480)
        guard m.reaction.minMinutes <= m.reaction.maxMinutes else {
            throw fail(reaction?.maxMinutes != nil ? "reaction.maxMinutes" : "reaction.minMinutes",
                       "maxMinutes (\(m.reaction.maxMinutes)) is less than minMinutes (\(m.reaction.minMinutes))")
        }
        m.noShow = try probability(noShow?.probability, "noShow.probability", m.noShow)
        func delay(_ d: DelayFields?, _ name: String, _ fallback: NoiseModel.Delay) throws -> NoiseModel.Delay {
            NoiseModel.Delay(
                probability: try probability(d?.probability, name + ".probability", fallback.probability),
                meanMinutes: try number(d?.meanMinutes, name + ".meanMinutes", fallback.meanMinutes, 0...1440),
                maxMinutes: try minutes(d?.maxMinutes, name + ".maxMinutes", fallback.maxMinutes))
        }
        m.lateArrival = try delay(lateArrival, "lateArrival", m.lateArrival)
        m.labResults = try delay(labResults, "labResults", m.labResults)
        m.drug = try delay(drug, "drug", m.drug)
        var copy = self
        copy.model = m
        return copy
    }
}
