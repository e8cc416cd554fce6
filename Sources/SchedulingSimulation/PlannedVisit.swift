import SchedulingModel

/// One appointment of the plan, with the regimen figures the replay needs.
package struct PlannedVisit: Sendable, Hashable {
    package var request: Int
    package var chair: Int
    package var nurse: Int
    package var start: Int
    package var end: Int
    package var arrival: Int
    package var drawStart: Int?
    package var station: Int?
    package var prepStart: Int?
    package var compounder: Int?
    package var chairMinutes: Int
    package var bufferMinutes: Int
    package var acuity: Int
    package var nurseStartMinutes: Int
    package var nurseEndMinutes: Int
    package var prepMinutes: Int
    package var holdForLabs: Bool

    /// Whether the labs are drawn at the chair (which is then taken from the draw).
    package var drawAtChair: Bool { drawStart != nil && station == nil }
    /// Whether the intensive minutes at the start and at the end meet: the whole treatment is one (SPEC §2.3).
    package var intensiveThroughout: Bool {
        nurseStartMinutes > 0 && nurseEndMinutes > 0 && nurseStartMinutes + nurseEndMinutes >= chairMinutes
    }
    /// Whether a prep is done even when the patient does not come: it does not wait for a same-day draw.
    package var prepWithoutPatient: Bool { prepStart != nil && !(holdForLabs && drawStart != nil) }
}
