import Foundation
import InfusionScheduler
import Logging
import OpenAPIRuntime

/// The operations of openapi/infusion-scheduler.yaml. Each reads its documents from the
/// request's bytes with the library's strict decoders (``RequestBody``), runs the solving work
/// through the ``WorkGate`` and answers with the library's documents; every error is thrown as a
/// ``Problem`` (or a library error) and answered by ``ServiceMiddleware``.
struct ServiceHandlers: APIProtocol {
    let runtime: ServiceRuntime

    var gate: WorkGate { runtime.gate }
    var jobs: JobStore { runtime.jobs }
    var configuration: ServiceConfiguration { runtime.configuration }

    // MARK: Solving a day

    func solve(_ input: Operations.Solve.Input) async throws -> Operations.Solve.Output {
        try await reserved { ticket in
            let (day, options) = try solveRequest(method: input.query.method, timeLimit: input.query.timeLimit)
            let control = SolveControl()
            let result = try await run("solve", ticket, day: day, control: control) {
                try await control.run { try Scheduler.solve(day, options: options, control: $0) }
            }
            runtime.metrics.solve(method: options.method.rawValue, status: result.solver.status.rawValue)
            return .ok(.init(body: .json(try document(result.schedule.jsonString()))))
        }
    }

    func createJob(_ input: Operations.CreateJob.Input) async throws -> Operations.CreateJob.Output {
        // The job's task takes over the reservation; it is given back here only when no job starts.
        let ticket = try await gate.admit()
        do {
            let (day, options) = try solveRequest(method: input.query.method, timeLimit: input.query.timeLimit)
            let job = await jobs.start(day: day, options: options, ticket: ticket, requestID: RequestLog.id)
            return .accepted(.init(headers: .init(location: "/v1/jobs/\(job.id)"), body: .json(try schema(job))))
        } catch {
            await gate.release(ticket)
            throw error
        }
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        guard let job = await jobs.job(input.path.jobId) else { throw Self.noJob }
        return .ok(.init(body: .json(try schema(job))))
    }

    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        guard let job = await jobs.cancel(input.path.jobId) else { throw Self.noJob }
        return .ok(.init(body: .json(try schema(job))))
    }

    private static let noJob = Problem(.notFound, "no such job (a finished job is kept for a while, then forgotten)")

    /// The day of a solve request, resolved (so that a bad day is answered before any work is
    /// queued), and its options.
    private func solveRequest(method: Components.Parameters.Method?, timeLimit: Double?) throws -> (Day, SolveOptions) {
        let day = try Day.decode(RequestBody.current)
        _ = try ResolvedDay(day)
        let method = SolveMethod(rawValue: (method ?? .auto).rawValue) ?? .auto
        return (day, SolveOptions(method: method, timeLimit: try limit(timeLimit, default: 10)))
    }

    // MARK: Checking and re-planning

    func validate(_ input: Operations.Validate.Input) async throws -> Operations.Validate.Output {
        let bundle = try BundledDocuments(RequestBody.current, required: ["day", "schedule"])
        let day = try ResolvedDay(Day.decode(bundle["day"]!, file: "day"))
        let schedule = try Schedule.decode(bundle["schedule"]!, file: "schedule")
        let report = Validator.validate(schedule, day: day)
        let o = report.objective
        let objective = try OpenAPIObjectContainer(unvalidatedValue: [
            "total": o.total, "unscheduled": o.unscheduled, "overtime": o.overtime, "wait": o.wait,
            "preference": o.preference, "peakLoad": o.peakLoad,
        ])
        return .ok(.init(body: .json(.init(
            valid: report.isValid,
            violations: report.violations.map { .init(rule: $0.rule.rawValue, request: $0.request, message: $0.message) },
            objective: .init(additionalProperties: objective),
            notes: report.notes))))
    }

    func reschedule(_ input: Operations.Reschedule.Input) async throws -> Operations.Reschedule.Output {
        let q = input.query
        guard let now = ClockTime(parsing: q.now) else { throw Problem.parameter("now", "expected a time HH:MM") }
        let notice = q.notice ?? 30
        guard (0...1440).contains(notice) else { throw Problem.parameter("notice", "must be in 0...1440 minutes") }
        let method = SolveMethod(rawValue: (q.method ?? .auto).rawValue) ?? .auto
        let options = ReplanOptions(now: now, noticeMinutes: notice, method: method, timeLimit: try limit(q.timeLimit, default: 10))
        return try await reserved { ticket in
            let bundle = try BundledDocuments(RequestBody.current, required: ["day", "schedule", "events"])
            let day = try Day.decode(bundle["day"]!, file: "day")
            let schedule = try Schedule.decode(bundle["schedule"]!, file: "schedule")
            let events = try EventsFile.decode(bundle["events"]!, file: "events")
            let result = try await run("reschedule", ticket, day: day) {
                try await Replanner.replan(day: day, schedule: schedule, events: events, options: options,
                                           files: ReplanFiles(day: "day", schedule: "schedule", events: "events"))
            }
            return .ok(.init(body: .json(try document(result.schedule.jsonString()))))
        }
    }

    // MARK: What-if

    func whatIf(_ input: Operations.WhatIf.Input) async throws -> Operations.WhatIf.Output {
        let method = SolveMethod(rawValue: (input.query.method ?? .greedy).rawValue) ?? .greedy
        let timeLimit = try limit(input.query.timeLimit, default: 5, maximum: 60)
        return try await reserved { ticket in
            let bundle = try BundledDocuments(RequestBody.current, required: ["day", "plan"])
            let day = try Day.decode(bundle["day"]!, file: "day")
            _ = try ResolvedDay(day)
            let plan = try WhatIfPlan.decode(bundle["plan"]!, file: "plan")
            if plan.base != nil {
                throw InputError(file: "plan", path: "base", message: "the service sweeps the day sent as \"day\": leave \"base\" out")
            }
            let scenarios = try plan.scenarios()
            // A sweep runs in one slot, one solve after another: bound its whole time.
            if method != .greedy, Double(scenarios.count) * timeLimit > configuration.maxTimeLimit {
                throw Problem.parameter("timeLimit", "\(scenarios.count) scenarios x \(timeLimit) s exceed the service's \(Int(configuration.maxTimeLimit)) s per request")
            }
            let runner = WhatIfRunner(days: [WhatIfDay(name: day.date.description, day: day, seed: 0)], scenarios: scenarios,
                                      options: SolveOptions(method: method, timeLimit: timeLimit), jobs: 1,
                                      baseSummary: "the day of \(day.date)", grid: plan.grid)
            let control = SolveControl()
            let report = try await run("whatif", ticket, day: day, control: control) {
                try await control.run { try runner.run(control: $0, progress: nil) }
            }
            return .ok(.init(body: .json(try document(report.rendered(.json)))))
        }
    }

    // MARK: Booking

    func offers(_ input: Operations.Offers.Input) async throws -> Operations.Offers.Output {
        let count = input.query.count ?? 3
        guard (1...100).contains(count) else { throw Problem.parameter("count", "must be in 1...100") }
        return try await reserved { ticket in
            let horizon = try Horizon.decode(RequestBody.current)
            let course = input.query.course
            guard horizon.courses.contains(where: { $0.id == course }) else {
                throw Problem.parameter("course", "the horizon has no course \"\(InputError.printable(course, limit: 64))\"")
            }
            let offers = try await run("offers", ticket, horizon: horizon) {
                var session = BookingOffers(horizon)
                return try await session.offers(for: course, count: count)
            }
            return .ok(.init(body: .json(try document(offers.jsonString()))))
        }
    }

    func book(_ input: Operations.Book.Input) async throws -> Operations.Book.Output {
        let method = BookingMethod(rawValue: (input.query.method ?? .mip).rawValue) ?? .mip
        let timeLimit = try limit(input.query.timeLimit, default: 60)
        return try await reserved { ticket in
            let horizon = try Horizon.decode(RequestBody.current)
            let bookings = try await run("book", ticket, horizon: horizon) {
                try await BatchBooking.book(horizon, method: method, timeLimit: timeLimit)
            }
            return .ok(.init(body: .json(try document(bookings.jsonString()))))
        }
    }

    // MARK: Probes and metrics

    func health(_ input: Operations.Health.Input) async throws -> Operations.Health.Output {
        .ok(.init(body: .json(.init(status: .ok, running: await gate.running, queued: await gate.queued))))
    }

    func ready(_ input: Operations.Ready.Input) async throws -> Operations.Ready.Output {
        let body = Components.Schemas.Health(status: await gate.closed ? .draining : .ok,
                                             running: await gate.running, queued: await gate.queued)
        return await gate.closed ? .serviceUnavailable(.init(body: .json(body))) : .ok(.init(body: .json(body)))
    }

    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        .ok(.init(body: .plainText(HTTPBody(runtime.metrics.exposition()))))
    }

    // MARK: Helpers

    /// A time limit from a request: `default` when absent, else within (0, `maximum`] (at most the
    /// service's limit).
    private func limit(_ value: Double?, default fallback: Double, maximum: Double? = nil) throws(Problem) -> Double {
        guard let value else { return fallback }
        let top = min(maximum ?? configuration.maxTimeLimit, configuration.maxTimeLimit)
        guard value.isFinite, value > 0, value <= top else {
            throw Problem.parameter("timeLimit", "must be a number of seconds in (0, \(Self.number(top))]")
        }
        return value
    }

    private static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    /// Runs `body` with a place reserved in the work gate (429 when the queue is full, before the
    /// body is decoded); the place is given back when `body` ends, however it ends.
    private func reserved<T>(_ body: (WorkGate.Ticket) async throws -> T) async throws -> T {
        let ticket = try await gate.admit()
        do {
            let value = try await body(ticket)
            await gate.release(ticket)
            return value
        } catch {
            await gate.release(ticket)
            throw error
        }
    }

    /// Runs `work` in a slot of the gate, in the place `ticket` reserved, logging the day's date and size.
    private func run<T: Sendable>(_ operation: String, _ ticket: WorkGate.Ticket, day: Day, control: SolveControl? = nil,
                                  _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await run(operation, ticket, ["date": "\(day.date)", "requests": "\(day.requests.count)"], control: control, work)
    }

    /// As ``run(_:_:day:_:)`` for a horizon: logs its counts of days and courses.
    private func run<T: Sendable>(_ operation: String, _ ticket: WorkGate.Ticket, horizon: Horizon,
                                  _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await run(operation, ticket, ["days": "\(horizon.days.count)", "courses": "\(horizon.courses.count)"], work)
    }

    private func run<T: Sendable>(_ operation: String, _ ticket: WorkGate.Ticket, _ counts: Logger.Metadata,
                                  control: SolveControl? = nil,
                                  _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        runtime.logger.info("\(operation)", metadata: counts.merging(["request_id": "\(RequestLog.id)"]) { $1 })
        return try await gate.run(ticket, control: control, work)
    }

    /// A document the library wrote, as the generated code's free-form object.
    private func document(_ json: String) throws -> Components.Schemas.Document {
        try JSONDecoder().decode(Components.Schemas.Document.self, from: Data(json.utf8))
    }

    /// A job as the API shows it.
    private func schema(_ job: Job) throws -> Components.Schemas.Job {
        Components.Schemas.Job(
            id: job.id, state: .init(rawValue: job.state.rawValue)!, method: job.options.method.rawValue,
            timeLimit: job.options.timeLimit, elapsed: job.elapsed(at: .now),
            progress: job.progress.map { .init(objective: $0.objective, bound: $0.bound, seconds: $0.seconds, method: $0.method.rawValue) },
            result: try job.result.map { try document($0.jsonString()) },
            error: job.error.map { .init(_type: "about:blank", title: $0.title, status: $0.status.code, detail: $0.detail,
                                         file: $0.file, path: $0.path, kind: $0.kind) })
    }
}
