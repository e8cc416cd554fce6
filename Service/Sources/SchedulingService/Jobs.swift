import Foundation
import InfusionScheduler
import Logging

/// A solve job's life: queued → running → done | failed | cancelled.
enum JobState: String, Sendable {
    case queued, running, done, failed, cancelled
}

/// One job as the store keeps it.
struct Job: Sendable {
    let id: String
    let options: SolveOptions
    let created: ContinuousClock.Instant
    var state = JobState.queued
    var started: ContinuousClock.Instant?
    var finished: ContinuousClock.Instant?
    var progress: SolveProgress?
    var result: Schedule?
    var error: Problem?
    var cancelRequested = false

    /// Seconds the job has run (0 while queued).
    func elapsed(at now: ContinuousClock.Instant) -> Double {
        guard let started else { return 0 }
        return ((finished ?? now) - started).seconds
    }
}

/// The solve jobs: started on admission (429 when the queue is full), run through the
/// ``WorkGate`` on the library's own threads, cancelled through the library's cancellation, and
/// forgotten `ttl` after they finish (and beyond the `keep` most recent finished ones).
actor JobStore {
    private var jobs: [String: Job] = [:]
    private var tasks: [String: Task<Void, Never>] = [:]
    /// The progress of the jobs that run, as their solves report it.
    private var sinks: [String: ProgressSink] = [:]
    private let gate: WorkGate
    private let ttl: Duration
    private let keep: Int
    private let metrics: ServiceMetrics
    private let logger: Logger
    private let clock = ContinuousClock()

    init(gate: WorkGate, ttl: Duration, keep: Int, metrics: ServiceMetrics, logger: Logger) {
        self.gate = gate; self.ttl = ttl; self.keep = max(1, keep); self.metrics = metrics; self.logger = logger
    }

    /// Starts a job solving `day` in the place `ticket` reserved in the work gate.
    func start(day: Day, options: SolveOptions, ticket: WorkGate.Ticket, requestID: String) -> Job {
        expire()
        let id = Self.newID()
        let job = Job(id: id, options: options, created: clock.now)
        jobs[id] = job
        logger.info("job queued", metadata: ["request_id": "\(requestID)", "job_id": "\(id)", "date": "\(day.date)",
                                             "requests": "\(day.requests.count)", "method": "\(options.method.rawValue)"])
        tasks[id] = Task { await self.execute(id, day: day, ticket: ticket) }
        return job
    }

    /// The job `id`, nil when unknown or expired.
    func job(_ id: String) -> Job? {
        expire()
        guard var job = jobs[id] else { return nil }
        if let latest = sinks[id]?.value { job.progress = latest }
        return job
    }

    /// Cancels job `id`: a queued job ends without a result, a running one stops its solve and
    /// keeps the best schedule found so far; a finished job is left as it was.
    func cancel(_ id: String) async -> Job? {
        guard var job = jobs[id] else { return nil }
        guard job.state == .queued || job.state == .running else { return job }
        job.cancelRequested = true
        jobs[id] = job
        tasks[id]?.cancel()
        // The solve stops within about a second (the library's guarantee); answer with its end.
        await tasks[id]?.value
        return self.job(id)
    }

    /// Counts of the jobs by state, for logs and tests.
    func count(_ state: JobState) -> Int { jobs.values.filter { $0.state == state }.count }

    private func execute(_ id: String, day: Day, ticket: WorkGate.Ticket) async {
        guard let options = jobs[id]?.options else { return }
        let progress = ProgressSink()
        sinks[id] = progress
        do {
            let control = SolveControl { progress.set($0) }
            let result = try await gate.run(ticket, control: control) { [clock] in
                await self.markRunning(id, at: clock.now)
                return try await control.run { try Scheduler.solve(day, options: options, control: $0) }
            }
            finish(id, progress: progress.value) { job in
                job.result = result.schedule
                // A stopped solve was cancelled: by the client, or by a shutdown.
                job.state = job.cancelRequested || result.solver.status == .stopped ? .cancelled : .done
            }
            metrics.solve(method: options.method.rawValue, status: result.solver.status.rawValue)
        } catch is CancellationError {
            finish(id, progress: progress.value) { job in job.state = .cancelled }
        } catch {
            let problem = Problem.from(error)
            finish(id, progress: progress.value) { job in
                job.error = problem
                job.state = job.cancelRequested ? .cancelled : .failed
            }
            metrics.solve(method: options.method.rawValue, status: "failed")
        }
    }

    private func markRunning(_ id: String, at instant: ContinuousClock.Instant) {
        jobs[id]?.state = .running
        jobs[id]?.started = instant
    }

    private func finish(_ id: String, progress: SolveProgress?, _ change: (inout Job) -> Void) {
        tasks[id] = nil
        sinks[id] = nil
        guard var job = jobs[id] else { return }
        change(&job)
        job.finished = clock.now
        job.progress = progress ?? job.progress
        jobs[id] = job
        logger.info("job finished", metadata: ["job_id": "\(id)", "state": "\(job.state.rawValue)",
                                               "appointments": "\(job.result?.appointments.count ?? 0)"])
    }

    /// Forgets the jobs that finished more than `ttl` ago, and the oldest finished beyond `keep`.
    func expire() {
        let now = clock.now
        for (id, job) in jobs { if let finished = job.finished, now - finished > ttl { jobs[id] = nil } }
        let finished = jobs.values.filter { $0.finished != nil }.sorted { $0.finished! < $1.finished! }
        for job in finished.dropLast(keep) { jobs[job.id] = nil }
    }

    /// A job id: 16 random hex digits (unguessable, so one client cannot read another's jobs by counting).
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(format: "%016llx", generator.next() as UInt64)
    }
}

/// The latest progress of a solve, written on the solving thread and read by the store.
final class ProgressSink: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: SolveProgress?
    func set(_ p: SolveProgress) { lock.withLock { latest = p } }
    var value: SolveProgress? { lock.withLock { latest } }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
