/// A replay that did not end: a bug of the library, never of the input.
public enum SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Run `run` was still going three days after the day's first event.
    case replayDidNotEnd(run: Int)

    /// One line saying so.
    public var description: String {
        switch self {
        case .replayDidNotEnd(let run): "internal error: the replay of run \(run) did not end within three days"
        }
    }
}
