import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// The routes the generated code registers, recorded on their way to the router, so that a
/// request with a method the document does not list for its path gets 405 and an `Allow`
/// header (RFC 9110) instead of the router's 404.
final class RouteTable: ServerTransport, @unchecked Sendable {
    private let router: Router<BasicRequestContext>
    private(set) var routes: [(segments: [Substring], method: HTTPRequest.Method)] = []

    init(router: Router<BasicRequestContext>) { self.router = router }

    func register(_ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
                  method: HTTPRequest.Method, path: String) throws {
        routes.append((Self.segments(path), method))
        router.register(handler, method: method, path: path)
    }

    /// The methods registered for `path` (a `{name}` or `:name` segment matches any one segment).
    func methods(for path: String) -> [HTTPRequest.Method] {
        let given = Self.segments(path)
        return routes.filter { route in
            route.segments.count == given.count && zip(route.segments, given).allSatisfy { pattern, segment in
                pattern.hasPrefix("{") || pattern.hasPrefix(":") || pattern == segment
            }
        }.map(\.method)
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/") } ?? []
    }
}

/// Answers 405 with `Allow` when the router found no route but the path exists with other methods.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let table: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = table.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            let problem = Problem(.methodNotAllowed, "\(request.method) is not allowed here; allowed: \(allowed.map(\.rawValue).joined(separator: ", "))")
            var head = problem.responseHead
            head.headerFields[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
            return Response(status: head.status, headers: head.headerFields, body: .init(byteBuffer: ByteBuffer(bytes: problem.json())))
        }
    }
}
