import SchedulingModel

/// What happened to the plan's appointments in one run, in plan order (the order of ``DayReplay/visits``).
package struct ReplayResult: Sendable {
    /// Whether the patient came.
    package var attended: [Bool]
    /// Minute the patient arrived (planned arrival plus lateness); for a no-show, the planned arrival.
    package var arrival: [Int]
    /// Minute the draw began, when one was drawn.
    package var drawStart: [Int?]
    /// Minute the results came back, when drawn.
    package var resultsAt: [Int?]
    /// Minute the prep began, when one was done.
    package var prepStart: [Int?]
    /// Minute the treatment began (the planned start for a no-show, who takes nothing).
    package var start: [Int]
    /// Minute the treatment ended (the patient disconnected).
    package var end: [Int]
    /// Minute the chair was taken from (the draw at the chair, else the start).
    package var occupiedFrom: [Int]
    /// Minutes the infusion paused for a reaction.
    package var reactionMinutes: [Int]
    /// Waiting minutes by visit and cause: `waits[k * WaitCause.allCases.count + cause.rawValue]`.
    package var waits: [Int]
    /// The nurse's intensive minutes of each visit, when the replay was asked to record them.
    package var intensive: [[Range<Int>]]?

    /// Minutes visit `k` waited, all causes together.
    package func wait(of k: Int) -> Int {
        let c = WaitCause.allCases.count
        var sum = 0
        for i in (k * c)..<((k + 1) * c) { sum += waits[i] }
        return sum
    }
}
