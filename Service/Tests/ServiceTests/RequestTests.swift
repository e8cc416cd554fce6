import Foundation
import HTTPTypes
import InfusionScheduler
import OpenAPIRuntime
import Testing
@testable import SchedulingService

/// The middleware's checks and the splitting of bundled documents.
@Suite struct RequestTests {
    @Test func bundledDocumentsKeepEachMembersBytes() throws {
        let body = Data(#" { "day" : {"a": "}{,\"]"} , "schedule":[1,{"b":[]}] } "#.utf8)
        let bundle = try BundledDocuments(body, required: ["day", "schedule"])
        #expect(bundle["day"].map { String(decoding: $0, as: UTF8.self) } == #"{"a": "}{,\"]"}"#)
        #expect(bundle["schedule"].map { String(decoding: $0, as: UTF8.self) } == #"[1,{"b":[]}]"#)
    }

    @Test(arguments: [
        (#"{"day": {}}"#, "schedule", InputError.Kind.missingField),
        (#"{"day": {}, "schedule": {}, "extra": 1}"#, "extra", .unknownReference),
        (#"{"day": {}, "day": {}, "schedule": {}}"#, "day", .malformed),
        (#"[]"#, "", .wrongType),
        (#"{"day": {}, "schedule": "#, "", .malformed),
        (#"{"day": {"#, "", .malformed),
        (#"{"day": {}, "schedule": {}} x"#, "", .malformed),
        ("", "", .malformed),
    ])
    func badBundlesAreNamed(_ text: String, _ path: String, _ kind: InputError.Kind) throws {
        #expect {
            _ = try BundledDocuments(Data(text.utf8), required: ["day", "schedule"])
        } throws: { error in
            guard let input = error as? InputError else { return false }
            return input.path == path && input.kind == kind
        }
    }

    static let middleware = ServiceMiddleware(token: "0123456789abcdef-token", maxBodyBytes: 64, metrics: ServiceMetrics(),
                                              logger: .init(label: "test"))

    /// Sends a request through the middleware to a handler that answers 200 with the body it was given.
    static func send(_ method: HTTPRequest.Method = .post, operation: String = "solve", headers: HTTPFields = [:],
                     body: String = "{}") async throws -> (HTTPResponse, String) {
        let request = HTTPRequest(method: method, scheme: "http", authority: "localhost", path: "/", headerFields: headers)
        let (response, responseBody) = try await middleware.intercept(
            request, body: HTTPBody(body), metadata: .init(), operationID: operation
        ) { _, _, _ in (HTTPResponse(status: .ok), HTTPBody(RequestBody.current)) }
        guard let responseBody else { return (response, "") }
        return (response, try await String(collecting: responseBody, upTo: 1 << 20))
    }

    static func headers(token: String? = "0123456789abcdef-token", type: String? = "application/json") -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let type { fields[.contentType] = type }
        return fields
    }

    @Test func theTokenIsRequiredButNotForProbes() async throws {
        let (missing, problem) = try await Self.send(headers: Self.headers(token: nil))
        #expect(missing.status == .unauthorized)
        #expect(missing.headerFields[.contentType] == "application/problem+json")
        #expect(problem.contains("\"status\":401"))
        #expect(try await Self.send(headers: Self.headers(token: "0123456789abcdef-tokem")).0.status == .unauthorized)
        #expect(try await Self.send(headers: Self.headers(token: "0123456789abcdef-token-")).0.status == .unauthorized)
        let (ok, echoed) = try await Self.send(headers: Self.headers(), body: #"{"a":1}"#)
        #expect(ok.status == .ok)
        #expect(echoed == #"{"a":1}"#, "the handler reads the body's bytes")
        #expect(try await Self.send(.get, operation: "health", headers: [:]).0.status == .ok)
        #expect(ok.headerFields[.requestID] != nil)
    }

    @Test func theBodyMustBeJSONAndSmall() async throws {
        #expect(try await Self.send(headers: Self.headers(type: "text/plain")).0.status == .unsupportedMediaType)
        #expect(try await Self.send(headers: Self.headers(type: nil)).0.status == .unsupportedMediaType)
        #expect(try await Self.send(headers: Self.headers(type: "application/json; charset=utf-8")).0.status == .ok)
        let big = "{\"a\":\"" + String(repeating: "x", count: 100) + "\"}"
        #expect(try await Self.send(headers: Self.headers(), body: big).0.status == .contentTooLarge)
        var declared = Self.headers()
        declared[.contentLength] = "1000000"
        #expect(try await Self.send(headers: declared).0.status == .contentTooLarge)
    }

    @Test func aClientRequestIDIsKeptOnlyWhenSafe() {
        #expect(ServiceMiddleware.requestID("abc-123_X") == "abc-123_X")
        #expect(ServiceMiddleware.requestID("a b") != "a b")
        #expect(ServiceMiddleware.requestID(String(repeating: "a", count: 65)).count == 16)
    }

    @Test func tokensCompareByEveryByte() {
        #expect(ServiceMiddleware.constantTimeEqual(Array("secret".utf8), Array("secret".utf8)))
        #expect(!ServiceMiddleware.constantTimeEqual(Array("secret".utf8), Array("secreT".utf8)))
        #expect(!ServiceMiddleware.constantTimeEqual(Array("secret".utf8), Array("secret2".utf8)))
        #expect(!ServiceMiddleware.constantTimeEqual([], Array("x".utf8)))
    }

    @Test func aServiceOffLoopbackNeedsAToken() throws {
        var configuration = ServiceConfiguration()
        configuration.host = "0.0.0.0"
        #expect(throws: ConfigurationError.self) { try configuration.validated() }
        configuration.token = "0123456789abcdef"
        #expect(throws: Never.self) { try configuration.validated() }
        configuration.host = "127.0.0.1"
        configuration.token = nil
        #expect(throws: Never.self) { try configuration.validated() }
    }
}
