import Foundation

extension Day {
    /// The keys a day file may hold (SPEC §4), as a tree: which keys each object may have, and
    /// what the values under them hold.
    package indirect enum KeySchema: Sendable {
        /// An object with these keys (a key mapped to nil holds a value that is not checked further).
        case object([String: KeySchema?])
        /// An array whose elements follow the schema.
        case array(KeySchema)
        /// An object whose keys depend on the string under `field` (an unknown value is not
        /// checked further: decoding reports it).
        case tagged(field: String, cases: [String: KeySchema])

        /// The JSON paths under `path` of keys in `value` that the schema does not define, depth
        /// first, the keys of each object in sorted order.
        package func unknownKeys(in value: Any, path: String = "") -> [String] {
            switch self {
            case .object(let keys):
                guard let object = value as? [String: Any] else { return [] }
                return object.keys.sorted().flatMap { key -> [String] in
                    let here = path + Day.pathComponent(key, first: path.isEmpty)
                    guard let entry = keys[key] else { return [here] }
                    guard let child = entry, let v = object[key] else { return [] }
                    return child.unknownKeys(in: v, path: here)
                }
            case .array(let element):
                guard let items = value as? [Any] else { return [] }
                return items.enumerated().flatMap { element.unknownKeys(in: $0.element, path: path + "[\($0.offset)]") }
            case .tagged(let field, let cases):
                guard let object = value as? [String: Any], let tag = object[field] as? String, let schema = cases[tag] else { return [] }
                return schema.unknownKeys(in: object, path: path)
            }
        }
    }

    /// SPEC §4's treatment request (also the request of an `addOn` event).
    package static let requestSchema = KeySchema.object([
        "id": nil, "regimen": nil, "weight": nil, "preferredStart": nil, "labsAtChair": nil, "drugReadyAt": nil,
        "window": .object(["earliest": nil, "latest": nil]),
        "labs": .object(["validUntil": nil, "allowSameDayDraw": nil]),
        "authorization": .object(["status": nil, "validFrom": nil, "validTo": nil]),
        "fixed": .object(["start": nil, "chair": nil, "nurse": nil]),
    ])

    /// SPEC §4's day file (also each day of a horizon file).
    package static let keySchema: KeySchema = {
        let clock: KeySchema? = nil
        return .object([
            "format": nil, "date": nil, "slotMinutes": nil,
            "clinic": .object(["open": clock, "close": clock, "latestEnd": clock]),
            "chairs": .array(.object(["id": nil, "type": nil, "available": nil])),
            "nurses": .array(.object(["id": nil, "shiftStart": clock, "shiftEnd": clock, "capacity": nil,
                                      "break": .object(["start": clock, "minutes": nil])])),
            "pharmacy": .object(["open": clock, "compounders": nil]),
            "lab": .object(["open": clock, "stations": nil, "drawMinutes": nil, "turnaroundMinutes": nil]),
            "regimens": .array(.object(["id": nil, "chairMinutes": nil, "bufferMinutes": nil, "chairTypes": nil, "acuity": nil,
                                        "nurseStartMinutes": nil, "nurseEndMinutes": nil, "prepMinutes": nil,
                                        "holdForLabs": nil, "stabilityMinutes": nil])),
            "requests": .array(requestSchema),
            "objective": .object(["unscheduledPenalty": nil, "overtimePerMinute": nil, "waitPerMinute": nil,
                                  "preferencePerMinute": nil, "peakLoadPenalty": nil]),
        ])
    }()

    /// The JSON paths of keys in a day file that SPEC §4 does not define (e.g.
    /// `requests[3].preferedStart`), depth first, the keys of each object in sorted order.
    /// A key that is not a plain identifier is written `["…"]`, JSON-escaped and clipped.
    ///
    /// Decoding ignores such keys, so a misspelt optional field would silently change nothing;
    /// the command line prints these as warnings. Bytes that are not a JSON object give none
    /// (decoding reports those).
    public static func unknownKeys(in data: Data) -> [String] {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return [] }
        return keySchema.unknownKeys(in: root)
    }

    /// `key` as a step of a JSON path: `.key` (or `key` first) for a plain identifier, else
    /// `["…"]` with the key JSON-escaped and clipped to 40 characters, so that no key can put
    /// control characters or a long text into a message.
    static func pathComponent(_ key: String, first: Bool) -> String {
        let plain = !key.isEmpty && key.count <= 40 && key.unicodeScalars.allSatisfy { s in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_")
        } && !("0"..."9").contains(key.unicodeScalars.first!)
        if plain { return first ? key : "." + key }
        let clipped = key.count > 40 ? String(key.prefix(40)) + "…" : key
        let escaped = (try? JSONSerialization.data(withJSONObject: [clipped], options: [])).flatMap { String(data: $0, encoding: .utf8) }
        return escaped ?? "[\"?\"]"
    }
}
