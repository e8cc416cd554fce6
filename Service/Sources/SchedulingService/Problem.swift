import Foundation
import HTTPTypes
import InfusionScheduler

/// An error answered as `application/problem+json` (RFC 9457). `file`, `path` and `kind` are
/// those of the library's ``InputError`` (the command line's `--error-format json` fields), so a
/// client reads the same message and JSON path the command line prints for its exit 2.
struct Problem: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var title: String
    var detail: String
    var file: String?
    var path: String?
    var kind: String?
    /// Seconds for a `Retry-After` header (429, 503).
    var retryAfter: Int?

    init(_ status: HTTPResponse.Status, _ detail: String, title: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// Bad input: 400 when the body is not JSON, 422 when it is JSON that breaks its contract.
    init(_ error: InputError) {
        self.init(error.kind == .malformed ? .badRequest : .unprocessableContent, error.description)
        file = error.file
        path = error.path
        kind = error.kind.rawValue
    }

    /// A library error: fixed bookings that cannot all hold are the client's (409, the command
    /// line's exit 3); the others are the library's own failures (500, its exit 70).
    init(_ error: SchedulingError) {
        switch error {
        case .fixedBookingsConflict: self.init(.conflict, error.description)
        case .invalidSchedule, .solverFailed: self.init(.internalServerError, error.description, title: "Internal error")
        }
    }

    /// A request parameter out of its range (422), named as its path.
    static func parameter(_ name: String, _ message: String) -> Problem {
        var problem = Problem(.unprocessableContent, "\(name): \(message)")
        problem.path = name
        problem.kind = InputError.Kind.invalidValue.rawValue
        return problem
    }

    /// Any error as a problem; one that is neither bad input nor a known library error is an
    /// internal error whose details stay in the log, not the answer.
    static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem: return problem
        case let input as InputError: return Problem(input)
        case let scheduling as SchedulingError: return Problem(scheduling)
        default: return Problem(.internalServerError, "internal error: the request could not be completed (a bug, not the input's fault)",
                                title: "Internal error")
        }
    }

    /// The problem document as JSON bytes; for bad input `file`, `path` and `kind` are present (null when unknown).
    func json() -> Data {
        var object: [String: Any] = ["type": "about:blank", "title": title, "status": status.code, "detail": detail]
        if kind != nil || path != nil || file != nil {
            object["file"] = file ?? NSNull()
            object["path"] = path ?? NSNull()
            object["kind"] = kind ?? NSNull()
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    /// The response head: status, content type and `Retry-After` when given.
    var responseHead: HTTPResponse {
        var fields = HTTPFields()
        fields[.contentType] = "application/problem+json"
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { fields[.wwwAuthenticate] = "Bearer" }
        return HTTPResponse(status: status, headerFields: fields)
    }
}
