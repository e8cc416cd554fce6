/// What paces a solve's searches: the wall clock, or counted work (docs/MODEL.md §11).
public enum SearchPace: String, Sendable, Hashable, CaseIterable {
    /// Each phase ends when the wall clock says so: the most work the time allows, but two runs
    /// of one day can differ with the machine's load.
    case clock
    /// Each phase ends after a counted amount of work, so that the same day and options give the
    /// same schedule, byte for byte, whatever the load; the time limit is only a safety cap.
    case deterministic
}
