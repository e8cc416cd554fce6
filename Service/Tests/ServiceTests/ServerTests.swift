import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import InfusionScheduler
import ServiceLifecycle
import Testing
@testable import SchedulingService

/// The real server on an ephemeral loopback port, spoken to over HTTP as a client would.
@Suite(.serialized) struct ServerTests {
    /// A running server: its base URL and the group to shut it down with.
    struct Running {
        let base: URL
        let group: ServiceGroup
        let done: Task<Void, any Error>
        let runtime: ServiceRuntime
    }

    static func start(token: String? = nil) async throws -> Running {
        let runtime = Fixtures.runtime(slots: 1, queue: 2, token: token)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try runtime.application { port in continuation.yield(port) }
        let group = ServiceGroup(configuration: runtime.groupConfiguration(services: [app, WorkShutdown(runtime: runtime)], signals: []))
        let done = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return Running(base: URL(string: "http://127.0.0.1:\(port)")!, group: group, done: done, runtime: runtime)
    }

    static func call(_ method: String, _ url: URL, body: Data? = nil, type: String = "application/json",
                     token: String? = nil) async throws -> (status: Int, headers: [String: String], body: Data) {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let body {
            request.httpBody = body
            request.setValue(type, forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)".lowercased()] = "\(value)" }
        return (http.statusCode, headers, data)
    }

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func solveValidateAndJobsOverHTTP() async throws {
        let server = try await Self.start()
        let day = try Fixtures.data("Tests/Fixtures/worked-day.json")

        let health = try await Self.call("GET", server.base.appendingPathComponent("healthz"))
        #expect(health.status == 200)

        let solved = try await Self.call("POST", URL(string: "\(server.base)/v1/solve?method=greedy")!, body: day)
        #expect(solved.status == 200)
        let schedule = try Schedule.decode(solved.body)
        let checked = try await Self.call("POST", server.base.appendingPathComponent("v1/validate"),
                                          body: Fixtures.bundle([("day", day), ("schedule", solved.body)]))
        #expect(checked.status == 200)
        #expect(try Self.object(checked.body)["valid"] as? Bool == true)
        #expect(!schedule.appointments.isEmpty)

        // A day that breaks the contract: 422 problem+json with the JSON path.
        let bad = try await Self.call("POST", server.base.appendingPathComponent("v1/solve"), body: Data(#"{"format": "infusion-day/1"}"#.utf8))
        #expect(bad.status == 422)
        #expect((bad.headers["content-type"])?.hasPrefix("application/problem+json") == true)
        #expect(try Self.object(bad.body)["path"] as? String == "date")
        #expect(try await Self.call("POST", server.base.appendingPathComponent("v1/solve"), body: day, type: "text/plain").status == 415)
        #expect(try await Self.call("POST", URL(string: "\(server.base)/v1/solve?timeLimit=1e9")!, body: day).status == 422)

        // A job: 202 with its Location, polled, cancelled with its best schedule kept.
        let medium = try Fixtures.data("instances/medium-1.json")
        let created = try await Self.call("POST", URL(string: "\(server.base)/v1/jobs?method=mip&timeLimit=60")!, body: medium)
        #expect(created.status == 202)
        let location = try #require(created.headers["location"])
        #expect(location.hasPrefix("/v1/jobs/"))
        let jobURL = URL(string: "\(server.base)\(location)")!
        #expect(await eventually {
            guard let job = try? await Self.call("GET", jobURL), let object = try? Self.object(job.body) else { return false }
            return object["state"] as? String == "running" && object["progress"] != nil
        })
        let cancelled = try await Self.call("DELETE", jobURL)
        #expect(cancelled.status == 200)
        let job = try Self.object(cancelled.body)
        #expect(job["state"] as? String == "cancelled")
        let result = try #require(job["result"] as? [String: Any])
        #expect((result["solver"] as? [String: Any])?["status"] as? String == "stopped")

        // A method the document does not list for a path: 405 with the allowed ones.
        let wrongMethod = try await Self.call("GET", server.base.appendingPathComponent("v1/solve"))
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["allow"] == "POST")
        #expect(try await Self.call("PUT", jobURL).headers["allow"] == "GET, DELETE")
        #expect(try await Self.call("GET", server.base.appendingPathComponent("v1/nothing")).status == 404)

        let metrics = try await Self.call("GET", server.base.appendingPathComponent("metrics"))
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(text.contains(#"infusion_http_requests_total{route="solve",status="200"}"#))
        #expect(text.contains(#"infusion_solves_total{method="mip",status="stopped"}"#))

        await server.group.triggerGracefulShutdown()
        try await server.done.value
    }

    @Test func aGracefulShutdownStopsARunningSolve() async throws {
        let server = try await Self.start()
        let medium = try Fixtures.data("instances/medium-1.json")
        // A synchronous solve of 60 s: the shutdown stops it and it answers its best schedule.
        let solve = Task { try await Self.call("POST", URL(string: "\(server.base)/v1/solve?method=mip&timeLimit=60")!, body: medium) }
        #expect(await eventually { await server.runtime.gate.running == 1 })
        let clock = ContinuousClock()
        let began = clock.now
        await server.group.triggerGracefulShutdown()
        try await server.done.value
        #expect(clock.now - began < .seconds(5), "the service ends within its grace period")
        let answer = try await solve.value
        #expect(answer.status == 200)
        #expect(try Schedule.decode(answer.body).solver?.status == .stopped)
    }

    @Test func aTokenGuardsEveryRouteButTheProbes() async throws {
        let token = "a-test-token-0123456789"
        let server = try await Self.start(token: token)
        let day = try Fixtures.data("Tests/Fixtures/worked-day.json")
        let refused = try await Self.call("POST", URL(string: "\(server.base)/v1/solve?method=greedy")!, body: day)
        #expect(refused.status == 401)
        #expect(try await Self.call("GET", server.base.appendingPathComponent("metrics")).status == 401)
        #expect(try await Self.call("GET", server.base.appendingPathComponent("readyz")).status == 200)
        let allowed = try await Self.call("POST", URL(string: "\(server.base)/v1/solve?method=greedy")!, body: day, token: token)
        #expect(allowed.status == 200)
        await server.group.triggerGracefulShutdown()
        try await server.done.value
    }
}
