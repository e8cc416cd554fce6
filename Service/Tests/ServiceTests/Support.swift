import Foundation
import InfusionScheduler
import Logging
import OpenAPIRuntime
@testable import SchedulingService

/// The repository's files and a service runtime for the tests.
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: repository.appendingPathComponent(relativePath))
    }

    /// A runtime with small limits: `slots` solves at once and `queue` waiting.
    static func runtime(slots: Int = 2, queue: Int = 4, token: String? = nil) -> ServiceRuntime {
        var configuration = ServiceConfiguration()
        configuration.port = 0
        configuration.maxConcurrentSolves = slots
        configuration.maxQueuedJobs = queue
        configuration.token = token
        configuration.maxBodyBytes = 1 << 20
        configuration.gracePeriod = .seconds(5)
        var logger = Logger(label: "service-tests")
        logger.logLevel = .warning
        return ServiceRuntime(configuration: configuration, logger: logger)
    }

    /// A JSON body bundling documents: `{"day": ..., "schedule": ...}` from their bytes.
    static func bundle(_ members: [(String, Data)]) -> Data {
        var out = Data("{".utf8)
        for (i, (key, value)) in members.enumerated() {
            if i > 0 { out.append(Data(",".utf8)) }
            out.append(Data("\"\(key)\":".utf8))
            out.append(value)
        }
        out.append(Data("}".utf8))
        return out
    }
}

/// Runs `body` as a handler does, with `bytes` as the request's body.
func withBody<T>(_ bytes: Data, _ body: () async throws -> T) async rethrows -> T {
    try await RequestBody.$bytes.withValue(bytes) { try await body() }
}

/// The error `work` throws, or nil.
func thrown(_ work: () async throws -> Void) async -> (any Error)? {
    do { try await work(); return nil } catch { return error }
}

/// A free-form document back as its JSON bytes, for the library's decoders.
func json(_ document: Components.Schemas.Document) throws -> Data {
    try JSONEncoder().encode(document)
}

/// Polls `condition` every 20 ms for at most `seconds`.
func eventually(within seconds: Double = 10, _ condition: () async -> Bool) async -> Bool {
    let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < end {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return false
}
