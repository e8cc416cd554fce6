import ArgumentParser
import Foundation
import Logging
import SchedulingService

/// `infusion-scheduler-service`: the scheduler over HTTP (docs/SERVICE.md).
@main
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infusion-scheduler-service",
        abstract: "Serve the infusion scheduler over HTTP (openapi/infusion-scheduler.yaml).",
        discussion: "Listens on 127.0.0.1 unless told otherwise; any other address requires --token-file. SIGTERM or SIGINT stops accepting work, cancels running solves and exits within the grace period.")

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed on start).")
    var port = 8080

    @Option(name: .customLong("token-file"), help: "A file whose first line is the bearer token every route but /healthz and /readyz requires (at least 16 characters).")
    var tokenFile: String?

    @Option(name: .customLong("max-body-bytes"), help: "The largest request body, in bytes.")
    var maxBodyBytes = 8 << 20

    @Option(name: .customLong("max-concurrent-solves"), help: "Solves running at once (default: the cores).")
    var maxConcurrentSolves = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("max-queued-jobs"), help: "Work that may wait for a solve slot; more is answered 429.")
    var maxQueuedJobs = 16

    @Option(name: .customLong("job-ttl"), help: "Seconds a finished job stays readable.")
    var jobTTL = 600

    @Option(name: .customLong("max-time-limit"), help: "The largest time limit a request may ask for, in seconds.")
    var maxTimeLimit = 300.0

    @Option(name: .customLong("grace-period"), help: "Seconds a shutdown gives running work and requests to finish.")
    var gracePeriod = 10

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
        guard maxBodyBytes > 0, maxConcurrentSolves > 0, maxQueuedJobs >= 0, jobTTL > 0, gracePeriod > 0 else {
            throw ValidationError("the limits must be positive")
        }
        guard maxTimeLimit.isFinite, maxTimeLimit > 0, maxTimeLimit <= 86_400 else {
            throw ValidationError("--max-time-limit must be in (0, 86400]")
        }
    }

    func run() async throws {
        var settings = SchedulingService.ServiceConfiguration()
        settings.host = host
        settings.port = port
        settings.maxBodyBytes = maxBodyBytes
        settings.maxConcurrentSolves = maxConcurrentSolves
        settings.maxQueuedJobs = maxQueuedJobs
        settings.jobTTL = .seconds(jobTTL)
        settings.maxTimeLimit = maxTimeLimit
        settings.gracePeriod = .seconds(gracePeriod)
        do {
            settings.token = try tokenFile.map(SchedulingService.ServiceConfiguration.readToken(path:))
            settings = try settings.validated()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let runtime = ServiceRuntime(configuration: settings, logger: Logger(label: "infusion-scheduler-service"))
        let host = settings.host
        try await runtime.run { port in
            FileHandle.standardError.write(Data("listening on http://\(host):\(port)\n".utf8))
        }
    }
}
