import Foundation

extension Day {
    /// The keys a day file may hold (SPEC §4), as a tree: which keys each object may have, and
    /// what the values under them hold.
    indirect enum KeySchema: Sendable {
        /// An object with these keys (a key mapped to nil holds a value that is not checked further).
        case object([String: KeySchema?])
        /// An array whose elements follow the schema.
        case array(KeySchema)
    }

    /// SPEC §4's day file.
    static let keySchema: KeySchema = {
        let clock: KeySchema? = nil
        let request = KeySchema.object([
            "id": nil, "regimen": nil, "weight": nil, "preferredStart": clock, "labsAtChair": nil, "drugReadyAt": nil,
            "window": .object(["earliest": clock, "latest": clock]),
            "labs": .object(["validUntil": nil, "allowSameDayDraw": nil]),
            "authorization": .object(["status": nil, "validFrom": nil, "validTo": nil]),
            "fixed": .object(["start": clock, "chair": nil, "nurse": nil]),
        ])
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
            "requests": .array(request),
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
        var found: [String] = []
        func walk(_ value: Any, _ schema: KeySchema, _ path: String) {
            switch schema {
            case .object(let keys):
                guard let object = value as? [String: Any] else { return }
                for key in object.keys.sorted() {
                    let here = path + Self.pathComponent(key, first: path.isEmpty)
                    guard let entry = keys[key] else { found.append(here); continue }
                    if let child = entry, let v = object[key] { walk(v, child, here) }
                }
            case .array(let element):
                guard let items = value as? [Any] else { return }
                for (i, item) in items.enumerated() { walk(item, element, path + "[\(i)]") }
            }
        }
        walk(root, keySchema, "")
        return found
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
