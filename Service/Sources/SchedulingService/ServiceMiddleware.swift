import Foundation
import HTTPTypes
import InfusionScheduler
import Logging
import OpenAPIRuntime

/// What every request goes through before and after its handler: a request id, the bearer
/// token, the content type and the body size limit, every error answered as
/// `application/problem+json`, the request metrics and one log line (ids, route, status,
/// duration: never request contents).
struct ServiceMiddleware: ServerMiddleware {
    /// The bearer token required on every route but the probes; nil when none is required.
    let token: String?
    let maxBodyBytes: Int
    let metrics: ServiceMetrics
    let logger: Logger

    /// Routes that need no token: the probes of an orchestrator.
    static let openRoutes: Set<String> = ["health", "ready"]

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        let clock = ContinuousClock()
        let began = clock.now
        let requestID = Self.requestID(request.headerFields[.requestID])
        var (response, responseBody): (HTTPResponse, HTTPBody?)
        do {
            try authorize(request, operationID: operationID)
            let bytes = try await collect(request, body: body)
            (response, responseBody) = try await RequestBody.$bytes.withValue(bytes) {
                try await RequestLog.$id.withValue(requestID) {
                    // The generated code gets an empty object: the handler decodes the bytes itself (RequestBody).
                    try await next(request, bytes == nil ? body : HTTPBody("{}"), metadata)
                }
            }
        } catch {
            let problem = problem(for: error, operationID: operationID, requestID: requestID)
            response = problem.responseHead
            responseBody = HTTPBody(problem.json())
        }
        response.headerFields[.requestID] = requestID
        // The generated code percent-encodes header values; a Location is a path, sent as it is.
        if let location = response.headerFields[.location] { response.headerFields[.location] = location.removingPercentEncoding ?? location }
        let elapsed = clock.now - began
        metrics.request(route: operationID, status: response.status.code, duration: elapsed)
        logger.info("request", metadata: ["request_id": "\(requestID)", "route": "\(operationID)",
                                          "status": "\(response.status.code)", "ms": "\(Int(elapsed.seconds * 1000))"])
        return (response, responseBody)
    }

    /// Checks the bearer token, in time that does not depend on where the tokens differ.
    func authorize(_ request: HTTPRequest, operationID: String) throws(Problem) {
        guard let token, !Self.openRoutes.contains(operationID) else { return }
        let given = request.headerFields[.authorization] ?? ""
        let prefix = "Bearer "
        let presented = given.hasPrefix(prefix) ? String(given.dropFirst(prefix.count)) : ""
        guard Self.constantTimeEqual(Array(presented.utf8), Array(token.utf8)) else {
            throw Problem(.unauthorized, "a valid bearer token is required (Authorization: Bearer TOKEN)")
        }
    }

    /// Reads the body of a request that carries a document: its type must be JSON and its size
    /// within the limit. Nil for a request without a body (GET, DELETE).
    func collect(_ request: HTTPRequest, body: HTTPBody?) async throws(Problem) -> Data? {
        guard request.method == .post else { return nil }
        let type = request.headerFields[.contentType].map(Self.mediaType) ?? ""
        guard type == "application/json" else {
            throw Problem(.unsupportedMediaType, "the body must be application/json" + (type.isEmpty ? "" : ", not \(InputError.printable(type, limit: 100))"))
        }
        let tooLarge = Problem(.contentTooLarge, "the body is larger than the limit of \(maxBodyBytes) bytes")
        if let length = request.headerFields[.contentLength].flatMap(Int.init), length > maxBodyBytes { throw tooLarge }
        guard let body else { return Data() }
        do {
            return try await Data(collecting: body, upTo: maxBodyBytes)
        } catch {
            throw tooLarge
        }
    }

    /// The problem to answer for `error`; internal errors are logged (their type only: an error
    /// may hold request content).
    func problem(for error: any Error, operationID: String, requestID: String) -> Problem {
        var cause = error
        if let server = error as? ServerError {
            cause = server.underlyingError
            // The generated code could not read the request (a parameter of the wrong type, a
            // missing required parameter): the client's mistake.
            if server.operationInput == nil, !(cause is Problem) {
                return Problem(.badRequest, InputError.printable(server.causeDescription, limit: 300))
            }
        }
        if cause is CancellationError { return Problem(.serviceUnavailable, "the service is shutting down", retryAfter: 5) }
        let problem = Problem.from(cause)
        if problem.status == .internalServerError {
            logger.error("internal error", metadata: ["request_id": "\(requestID)", "route": "\(operationID)",
                                                      "error": "\(cause is SchedulingError ? "\(cause)" : String(describing: type(of: cause)))"])
        }
        return problem
    }

    /// The media type of a Content-Type value, lower-cased, without parameters.
    static func mediaType(_ value: String) -> String {
        value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// The client's `X-Request-Id` when it is a short token of letters, digits, `-` and `_`; else a new one.
    static func requestID(_ given: String?) -> String {
        if let given, (1...64).contains(given.count),
           given.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" }) {
            return given
        }
        return JobStore.newID()
    }

    /// Whether `a` and `b` are equal, comparing every byte of the longer whatever the first difference.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}

/// The id of the request being handled, for the handlers' log lines.
enum RequestLog {
    @TaskLocal static var id = "-"
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
}
