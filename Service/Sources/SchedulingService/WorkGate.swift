import Foundation
import InfusionScheduler

/// Bounds the solving work: at most `slots` run at once (a solve keeps a core busy), at most
/// `queueLimit` more wait for a slot, and anything beyond is refused at once (429), so memory
/// stays bounded under any load. Every admitted piece of work is registered, so that a shutdown
/// cancels it all through the library's cancellation (a running solve stops and returns).
actor WorkGate {
    let slots: Int
    let queueLimit: Int
    private(set) var running = 0
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    /// Admitted work that has not yet asked for its slot: a request being decoded, a job between
    /// its 202 and its task's start.
    private var reserved: Set<UInt64> = []
    private var tasks: [UInt64: @Sendable () -> Void] = [:]
    private var nextID: UInt64 = 0
    private(set) var closed = false
    private let onChange: @Sendable (_ running: Int, _ queued: Int) -> Void

    init(slots: Int, queueLimit: Int, onChange: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.slots = max(1, slots)
        self.queueLimit = max(0, queueLimit)
        self.onChange = onChange
    }

    /// Work waiting for a slot (admitted, not yet running).
    var queued: Int { waiting.count + reserved.count }

    /// A place reserved by ``admit()``, used by ``run(_:_:)`` or given back by ``release(_:)``.
    struct Ticket: Sendable { fileprivate let id: UInt64 }

    /// Reserves a place for one piece of work, or throws 429 (queue full) or 503 (shutting down).
    /// Taken before a request's body is decoded, so that a full queue refuses work for the price
    /// of a counter.
    func admit() throws(Problem) -> Ticket {
        if closed { throw Problem(.serviceUnavailable, "the service is shutting down", retryAfter: 5) }
        guard running + queued < slots + queueLimit else {
            throw Problem(.tooManyRequests, "the job queue is full (\(queueLimit) waiting, \(slots) running); retry later",
                          retryAfter: 2)
        }
        let ticket = Ticket(id: nextID)
        nextID += 1
        reserved.insert(ticket.id)
        report()
        return ticket
    }

    /// Gives back a reservation that will not run (bad input, or work that has already run).
    func release(_ ticket: Ticket) {
        if reserved.remove(ticket.id) != nil { report() }
    }

    /// Runs `work` in a slot once one is free, in the place `ticket` reserved. Cancelling the
    /// calling task (a job's cancel, a shutdown) leaves the queue or cancels the running work.
    ///
    /// - Parameter control: the `SolveControl` the work's library call runs under, when it has
    ///   one. The answer is returned as soon as the work ends, but the slot is given back only once
    ///   every thread of the call has ended (`SolveControl.threadsEnded()`): a stopped integer
    ///   program returns at once while GLPK finishes a linear program on its second thread, and
    ///   cancelled solves must not pile up threads and memory beyond the slots.
    func run<T: Sendable>(_ ticket: Ticket, control: SolveControl? = nil,
                          _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        guard reserved.remove(ticket.id) != nil else { throw CancellationError() }
        if Task.isCancelled {
            report()
            throw CancellationError()
        }
        let id = ticket.id
        try await waitForSlot(id)
        defer {
            tasks[id] = nil
            if let control {
                Task { await control.threadsEnded(); self.freeSlot() }
            } else {
                freeSlot()
            }
        }
        // The work runs in a task of its own that a shutdown can cancel even when the caller is
        // an HTTP handler; cancelling the caller cancels it too.
        let task = Task { try await work() }
        tasks[id] = { task.cancel() }
        if closed { task.cancel() }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// Gives a slot back: the first work waiting takes it.
    private func freeSlot() {
        running -= 1
        if let next = waiting.first {
            waiting.removeFirst()
            running += 1
            next.continuation.resume()
        }
        report()
        if running == 0, queued == 0 { MemoryTrim.returnFreeMemory() }
    }

    private func waitForSlot(_ id: UInt64) async throws {
        if closed {
            report()
            throw Problem(.serviceUnavailable, "the service is shutting down", retryAfter: 5)
        }
        if running < slots, waiting.isEmpty {
            running += 1
            report()
            return
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting.append((id, continuation))
                    report()
                }
            }
        } onCancel: {
            Task { await self.leaveQueue(id) }
        }
    }

    private func leaveQueue(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        let entry = waiting.remove(at: index)
        entry.continuation.resume(throwing: CancellationError())
        report()
    }

    /// Stops admitting work, empties the queue (its work ends with `CancellationError`) and
    /// cancels everything running.
    func close() {
        closed = true
        let queue = waiting
        waiting = []
        for entry in queue { entry.continuation.resume(throwing: CancellationError()) }
        for cancel in tasks.values { cancel() }
        report()
    }

    /// Waits until no work runs (after ``close()``), at most `limit`.
    func drained(within limit: Duration) async {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while running > 0, clock.now < end { try? await Task.sleep(for: .milliseconds(20)) }
    }

    private func report() { onChange(running, queued) }
}

/// Gives the allocator's free memory back to the system once the service is idle: a solve's
/// search tree and a burst of requests leave glibc's arenas large, which would otherwise stay the
/// process's resident size for good.
enum MemoryTrim {
    private typealias Trim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim`, looked up by name (its header is not part of Swift's Glibc module);
    /// nil on other C libraries.
    private static let trim: Trim? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    static func returnFreeMemory() {
        _ = trim?(0)
    }
}
