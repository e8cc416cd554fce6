import Foundation
import SchedulingModel
import SchedulingRules

import SchedulingSolvers

extension EventsFile {
    /// SPEC §7's events file: each event's keys depend on its `kind`.
    static let keySchema: Day.KeySchema = {
        func event(_ keys: String...) -> Day.KeySchema {
            .object(Dictionary(uniqueKeysWithValues: (["kind"] + keys).map { ($0, Day.KeySchema?.none) }))
        }
        return .object([
            "format": nil,
            "events": .array(.tagged(field: "kind", cases: [
                "cancel": event("request"),
                "labsOutOfRange": event("request"),
                "late": event("request", "minutes"),
                "drugDelayed": event("request", "readyAt"),
                "chairDown": event("chair", "from", "to"),
                "nurseOut": event("nurse", "from"),
                "addOn": .object(["kind": nil, "request": Day.requestSchema]),
            ])),
            "objective": .object(["changePenalty": nil, "shiftPerMinute": nil]),
        ])
    }()

    /// The JSON paths of keys in an events file that SPEC §7 does not define for where they
    /// stand (e.g. `events[0].minutes` on a `cancel` event, or `events[4].request.preferedStart`
    /// in an add-on), written as ``SchedulingModel/Day/unknownKeys(in:)`` writes them.
    ///
    /// Decoding ignores such keys; the command line prints these as warnings. Bytes that are
    /// not a JSON object, and events of an unknown kind, give none (decoding reports those).
    public static func unknownKeys(in data: Data) -> [String] {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return [] }
        return keySchema.unknownKeys(in: root)
    }
}
