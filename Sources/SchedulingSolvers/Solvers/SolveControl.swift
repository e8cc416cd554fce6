import Foundation
import SchedulingModel

import MIPKit

/// What a solve has reached so far.
public struct SolveProgress: Sendable, Hashable {
    /// The objective (SPEC §3) of the best valid schedule so far.
    public var objective: Double
    /// The best proven lower bound so far, when one is proven.
    public var bound: Double?
    /// Seconds since the solve began.
    public var seconds: Double
    /// The method that found the schedule (`greedy` for the first one, then `mip`).
    public var method: SolverMethod
}

/// Stops a solve early and hears of its progress: give one to
/// ``Scheduler/solve(_:options:control:)-(ResolvedDay,_,_)``, call ``stop()`` from any thread (a signal handler, a
/// cancelled task), and the solve returns the best valid schedule it has within about a second,
/// with `solver.status` ``SchedulingModel/SolverStatus/stopped``.
public final class SolveControl: Sendable {
    package let signal: StopSignal
    let progress: (@Sendable (SolveProgress) -> Void)?

    /// A control; `progress`, when given, is called on the solving thread with every better
    /// schedule or bound (keep it short).
    public init(progress: (@Sendable (SolveProgress) -> Void)? = nil) {
        signal = StopSignal()
        self.progress = progress
    }

    /// A control stopped with `other` (it shares its stop) that tells no progress: for one of
    /// the many solves of a sweep that `other` stops.
    package init(stoppedWith other: SolveControl) {
        signal = other.signal
        progress = nil
    }

    /// Asks the solve to stop and return the best it has.
    public func stop() { signal.set() }

    /// Whether a stop was asked for.
    public var isStopped: Bool { signal.isSet }

    /// Runs `work` with this control on a thread of its own (a solve keeps a core busy for its
    /// whole time limit: not the task pool's) and stops it when the calling task is cancelled.
    package func run<T: Sendable>(_ work: @escaping @Sendable (SolveControl) throws -> T) async throws -> T {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread { continuation.resume(with: Result { try work(self) }) }
            }
        } onCancel: {
            stop()
        }
    }
}

extension Scheduler {
    /// Solves `day` off the calling task and returns a schedule that has passed the validator;
    /// cancelling the task stops the solve, which then returns the best valid schedule so far
    /// with `solver.status` `stopped` (within about a second).
    ///
    /// - Parameters:
    ///   - day: the day to plan.
    ///   - options: the method, its time limit and pace.
    ///   - progress: called with every better schedule or bound (on the solving thread).
    /// - Throws: as ``solve(_:options:control:)-(Day,_,_)``.
    public static func solve(_ day: Day, options: SolveOptions = SolveOptions(),
                             progress: (@Sendable (SolveProgress) -> Void)? = nil) async throws -> SolveResult {
        try await SolveControl(progress: progress).run { try solve(ResolvedDay(day), options: options, control: $0) }
    }

    /// Starts solving `day` and gives its progress as a stream (every better schedule or bound;
    /// it ends with the solve) and the result as a task; cancelling the task stops the solve.
    public static func solving(_ day: Day, options: SolveOptions = SolveOptions())
        -> (progress: AsyncStream<SolveProgress>, result: Task<SolveResult, any Error>) {
        let (stream, continuation) = AsyncStream.makeStream(of: SolveProgress.self, bufferingPolicy: .unbounded)
        let task = Task {
            defer { continuation.finish() }
            return try await solve(day, options: options) { continuation.yield($0) }
        }
        return (stream, task)
    }
}
