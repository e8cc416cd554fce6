import Foundation

/// How the service runs: where it listens, its token and its limits.
package struct ServiceConfiguration: Sendable {
    /// The address to bind: loopback unless told otherwise.
    package var host = "127.0.0.1"
    /// The port; 0 picks a free one (tests).
    package var port = 8080
    /// The bearer token every route but the probes requires; required when `host` is not loopback.
    package var token: String?
    /// The largest request body, in bytes.
    package var maxBodyBytes = 8 << 20
    /// Solves (and re-plans, sweeps, bookings) running at once: a solve keeps a core busy.
    package var maxConcurrentSolves = ProcessInfo.processInfo.activeProcessorCount
    /// Work that may wait for a slot beyond those running; more is answered 429.
    package var maxQueuedJobs = 16
    /// How long a finished job stays readable.
    package var jobTTL: Duration = .seconds(600)
    /// The most finished jobs kept (the oldest go first).
    package var maxFinishedJobs = 256
    /// The largest time limit a request may ask for, in seconds.
    package var maxTimeLimit = 300.0
    /// The time a shutdown gives running work to stop and requests to finish.
    package var gracePeriod: Duration = .seconds(10)

    package init() {}

    /// Whether `host` is a loopback address (where no token is needed).
    package var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Checks the combination: a service reachable from other machines must require a token.
    package func validated() throws -> ServiceConfiguration {
        if !isLoopback, token == nil {
            throw ConfigurationError("binding to \(host) (not loopback) requires a bearer token: give --token-file FILE")
        }
        guard maxBodyBytes > 0, maxConcurrentSolves > 0, maxQueuedJobs >= 0, maxFinishedJobs > 0, maxTimeLimit > 0 else {
            throw ConfigurationError("the limits must be positive")
        }
        return self
    }

    /// Reads a token file: its first line, without surrounding white space; it must not be empty.
    package static func readToken(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("cannot read the token file \(path)")
        }
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard token.count >= 16 else { throw ConfigurationError("the token in \(path) must have at least 16 characters") }
        return token
    }
}

/// A configuration that cannot run.
package struct ConfigurationError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
