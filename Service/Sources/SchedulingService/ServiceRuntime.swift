import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenAPIHummingbird
import ServiceLifecycle
import UnixSignals

/// The service assembled: the work gate, the jobs, the metrics, the generated routes on a
/// Hummingbird application, and the shutdown that cancels running work.
package final class ServiceRuntime: Sendable {
    package let configuration: ServiceConfiguration
    let metrics: ServiceMetrics
    let gate: WorkGate
    let jobs: JobStore
    let logger: Logger

    package init(configuration: ServiceConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let metrics = ServiceMetrics()
        self.metrics = metrics
        gate = WorkGate(slots: configuration.maxConcurrentSolves, queueLimit: configuration.maxQueuedJobs) { running, queued in
            metrics.work(running: running, queued: queued)
        }
        jobs = JobStore(gate: gate, ttl: configuration.jobTTL, keep: configuration.maxFinishedJobs, metrics: metrics, logger: logger)
    }

    /// The handlers of the OpenAPI operations.
    var handlers: ServiceHandlers { ServiceHandlers(runtime: self) }

    /// The HTTP application: the generated routes behind ``ServiceMiddleware``.
    /// `onListening` is called with the bound port once the server listens.
    package func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        let router = Router()
        let middleware = ServiceMiddleware(token: configuration.token, maxBodyBytes: configuration.maxBodyBytes,
                                           metrics: metrics, logger: logger)
        let table = RouteTable(router: router)
        router.add(middleware: MethodNotAllowedMiddleware(table: table))
        try handlers.registerHandlers(on: table, middlewares: [middleware])
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "infusion-scheduler-service"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT: then it stops admitting work, cancels what runs (each
    /// solve stops and returns its best schedule), lets the requests under way answer, and ends
    /// within the grace period.
    package func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = ServiceGroup(configuration: groupConfiguration(
            services: [try application(onListening: onListening), WorkShutdown(runtime: self)],
            signals: [.sigterm, .sigint]))
        try await group.run()
    }

    /// The service group's configuration: the application shuts down after the work (services
    /// stop in reverse order), so that requests waiting on cancelled solves can still answer.
    package func groupConfiguration(services: [any Service], signals: [UnixSignal]) -> ServiceGroupConfiguration {
        var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: signals, logger: logger)
        group.maximumGracefulShutdownDuration = configuration.gracePeriod
        group.maximumCancellationDuration = .seconds(2)
        return group
    }
}

/// Expires finished jobs while the service runs; on shutdown closes the work gate (new work is
/// answered 503), cancels the running solves and waits for them to return.
struct WorkShutdown: Service {
    let runtime: ServiceRuntime

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(15))
                await runtime.jobs.expire()
            }
        }
        runtime.logger.info("shutting down: cancelling running work")
        await runtime.gate.close()
        await runtime.gate.drained(within: runtime.configuration.gracePeriod * 0.8)
        runtime.logger.info("work stopped")
    }
}
