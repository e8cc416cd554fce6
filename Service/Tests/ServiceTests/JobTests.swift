import Foundation
import InfusionScheduler
import Testing
@testable import SchedulingService

/// Jobs: their life, their cancellation, the bounded queue and the shutdown.
@Suite struct JobTests {
    /// The medium day under the integer program: a solve that runs for its whole time limit.
    static func longJob(_ handlers: ServiceHandlers, seconds: Double = 60) async throws -> String {
        let day = try Fixtures.data("instances/medium-1.json")
        let output = try await withBody(day) {
            try await handlers.createJob(.init(query: .init(method: .mip, timeLimit: seconds), body: .json(.init())))
        }
        let accepted = try output.accepted
        #expect(accepted.headers.location == "/v1/jobs/\(try accepted.body.json.id)")
        return try accepted.body.json.id
    }

    /// A greedy job of the worked day, once it is done.
    static func finishedGreedyJob(_ handlers: ServiceHandlers) async throws -> String {
        let output = try await withBody(try Fixtures.data("Tests/Fixtures/worked-day.json")) {
            try await handlers.createJob(.init(query: .init(method: .greedy), body: .json(.init())))
        }
        let id = try output.accepted.body.json.id
        #expect(await eventually { (try? await Self.job(handlers, id))?.state == .done })
        return id
    }

    /// A runtime with one slot and `queue` places, its one slot running a long job and one more queued.
    static func oneRunningOneQueued(queue: Int) async throws -> (ServiceRuntime, ServiceHandlers, running: String, queued: String) {
        let runtime = Fixtures.runtime(slots: 1, queue: queue)
        let handlers = runtime.handlers
        let running = try await longJob(handlers)
        let queued = try await longJob(handlers)
        #expect(await eventually { (try? await job(handlers, running))?.state == .running })
        return (runtime, handlers, running, queued)
    }

    static func job(_ handlers: ServiceHandlers, _ id: String) async throws -> Components.Schemas.Job {
        try await handlers.getJob(.init(path: .init(jobId: id))).ok.body.json
    }

    @Test func aJobRunsReportsProgressAndStopsWhenCancelled() async throws {
        let runtime = Fixtures.runtime()
        let handlers = runtime.handlers
        let id = try await Self.longJob(handlers)
        #expect(await eventually { (try? await Self.job(handlers, id))?.progress != nil })
        let running = try await Self.job(handlers, id)
        #expect(running.state == .running)
        #expect(running.result == nil)
        let clock = ContinuousClock()
        let began = clock.now
        let cancelled = try await handlers.cancelJob(.init(path: .init(jobId: id))).ok.body.json
        #expect(clock.now - began < .seconds(3), "a cancelled solve stops within about a second")
        #expect(cancelled.state == .cancelled)
        // The best schedule so far is kept, and it is valid.
        let schedule = try Schedule.decode(json(try #require(cancelled.result)))
        #expect(schedule.solver?.status == .stopped)
        let report = try Validator.validate(schedule, day: Day.decode(Fixtures.data("instances/medium-1.json")))
        #expect(report.isValid)
    }

    @Test func aGreedyJobFinishesDone() async throws {
        let handlers = Fixtures.runtime().handlers
        let id = try await Self.finishedGreedyJob(handlers)
        let done = try await Self.job(handlers, id)
        #expect(done.result != nil && done.error == nil)
        #expect(done.progress != nil)
    }

    @Test func aFullQueueIsAnsweredTooManyRequests() async throws {
        let (runtime, handlers, running, queued) = try await Self.oneRunningOneQueued(queue: 1)
        let error = await thrown { _ = try await Self.longJob(handlers) }
        let problem = try #require(error as? Problem)
        #expect(problem.status == .tooManyRequests)
        #expect(problem.retryAfter != nil)
        #expect(problem.responseHead.headerFields[.retryAfter] != nil)
        // A queued job cancelled ends without a result and frees its place.
        let cancelled = try await handlers.cancelJob(.init(path: .init(jobId: queued))).ok.body.json
        #expect(cancelled.state == .cancelled && cancelled.result == nil)
        #expect(await runtime.gate.queued == 0)
        _ = try await handlers.cancelJob(.init(path: .init(jobId: running)))
        #expect(await eventually { await runtime.gate.running == 0 })
    }

    @Test func badInputGivesBackItsPlaceAndAFullQueueRefusesBeforeDecoding() async throws {
        let runtime = Fixtures.runtime(slots: 1, queue: 0)
        let handlers = runtime.handlers
        let bad = Data(#"{"format": "infusion-day/1"}"#.utf8)
        for _ in 0..<3 {
            let error = await thrown { _ = try await withBody(bad) { try await handlers.solve(.init(query: .init(), body: .json(.init()))) } }
            #expect(Problem.from(try #require(error)).status == .unprocessableContent)
            let jobError = await thrown { _ = try await withBody(bad) { try await handlers.createJob(.init(query: .init(), body: .json(.init()))) } }
            #expect(Problem.from(try #require(jobError)).status == .unprocessableContent)
        }
        #expect(await runtime.gate.queued == 0)
        #expect(await runtime.gate.running == 0)
        // The one place is free: a job takes it, and then even a bad day is refused as 429.
        let running = try await Self.longJob(handlers)
        let error = await thrown { _ = try await withBody(bad) { try await handlers.solve(.init(query: .init(), body: .json(.init()))) } }
        #expect((error as? Problem)?.status == .tooManyRequests)
        _ = try await handlers.cancelJob(.init(path: .init(jobId: running)))
    }

    @Test func anUnknownJobIsNotFound() async throws {
        let handlers = Fixtures.runtime().handlers
        let error = await thrown { _ = try await handlers.getJob(.init(path: .init(jobId: "0123456789abcdef"))) }
        #expect((error as? Problem)?.status == .notFound)
    }

    @Test func finishedJobsExpire() async throws {
        var configuration = Fixtures.runtime().configuration
        configuration.jobTTL = .milliseconds(200)
        let runtime = ServiceRuntime(configuration: configuration, logger: .init(label: "test"))
        let handlers = runtime.handlers
        let id = try await Self.finishedGreedyJob(handlers)
        try await Task.sleep(for: .milliseconds(300))
        #expect(await thrown { _ = try await Self.job(handlers, id) } != nil)
    }

    @Test func aShutdownCancelsRunningAndQueuedWork() async throws {
        let (runtime, handlers, running, queued) = try await Self.oneRunningOneQueued(queue: 2)
        let clock = ContinuousClock()
        let began = clock.now
        await runtime.gate.close()
        await runtime.gate.drained(within: .seconds(5))
        #expect(clock.now - began < .seconds(3))
        #expect(await eventually { (try? await Self.job(handlers, queued))?.state == .cancelled })
        let stopped = try await Self.job(handlers, running)
        #expect(stopped.state == .cancelled)
        #expect(stopped.result != nil)
        // New work is refused while shutting down.
        let error = await thrown { _ = try await Self.longJob(handlers) }
        #expect((error as? Problem)?.status == .serviceUnavailable)
        let ready = try await handlers.ready(.init())
        guard case .serviceUnavailable = ready else {
            Issue.record("readyz answers 503 while shutting down")
            return
        }
    }
}
