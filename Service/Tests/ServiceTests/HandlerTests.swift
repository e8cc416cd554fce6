import Foundation
import InfusionScheduler
import Testing
@testable import SchedulingService

/// The operations called as the generated router calls them, without HTTP.
@Suite struct HandlerTests {
    let runtime = Fixtures.runtime()
    var handlers: ServiceHandlers { runtime.handlers }

    @Test func solveAnswersAValidSchedule() async throws {
        let dayBytes = try Fixtures.data("Tests/Fixtures/worked-day.json")
        let output = try await withBody(dayBytes) {
            try await handlers.solve(.init(query: .init(method: .greedy), body: .json(.init())))
        }
        let schedule = try Schedule.decode(json(output.ok.body.json))
        let report = try Validator.validate(schedule, day: Day.decode(dayBytes))
        #expect(report.isValid)
        #expect(!schedule.appointments.isEmpty)
        #expect(schedule.solver?.method == .greedy)
    }

    @Test func aBadDayGetsTheLibrarysMessageAndPath() async throws {
        var text = try String(decoding: Fixtures.data("Tests/Fixtures/worked-day.json"), as: UTF8.self)
        let regimen = try #require(Day.decode(Data(text.utf8)).requests.first?.regimen)
        text = text.replacingOccurrences(of: "\"regimen\": \"\(regimen)\"", with: "\"regimen\": \"XELOX\"")
        let bytes = Data(text.utf8)
        let expected = try #require(await thrown { _ = try ResolvedDay(Day.decode(bytes)) } as? InputError)
        let error = await thrown {
            _ = try await withBody(bytes) { try await handlers.solve(.init(query: .init(), body: .json(.init()))) }
        }
        let problem = Problem.from(try #require(error))
        #expect(problem.status == .unprocessableContent)
        #expect(problem.path == expected.path)
        #expect(problem.path?.hasPrefix("requests[") == true)
        #expect(problem.detail == expected.description)
        #expect(problem.kind == "unknownReference")
    }

    @Test func notJSONIsABadRequest() async throws {
        let error = await thrown {
            _ = try await withBody(Data("{\"format\": ".utf8)) { try await handlers.solve(.init(query: .init(), body: .json(.init()))) }
        }
        #expect(Problem.from(try #require(error)).status == .badRequest)
    }

    @Test(arguments: [0.0, -1, 301, .infinity, .nan])
    func anAbsurdTimeLimitIsRefused(_ limit: Double) async throws {
        let bytes = try Fixtures.data("Tests/Fixtures/worked-day.json")
        let error = await thrown {
            _ = try await withBody(bytes) { try await handlers.solve(.init(query: .init(timeLimit: limit), body: .json(.init()))) }
        }
        let problem = try #require(error as? Problem)
        #expect(problem.status == .unprocessableContent)
        #expect(problem.path == "timeLimit")
    }

    @Test func validateReportsViolations() async throws {
        let day = try Fixtures.data("Tests/Fixtures/worked-day.json")
        let schedule = try Fixtures.data("Tests/Fixtures/worked-schedule.json")
        let valid = try await withBody(Fixtures.bundle([("day", day), ("schedule", schedule)])) {
            try await handlers.validate(.init(body: .json(.init())))
        }
        #expect(try valid.ok.body.json.valid)
        // Two appointments on one chair at one time break the chair rule.
        var broken = try Schedule.decode(schedule)
        try #require(broken.appointments.count >= 2)
        broken.appointments[1].chair = broken.appointments[0].chair
        broken.appointments[1].start = broken.appointments[0].start
        broken.appointments[1].end = broken.appointments[0].end
        let invalid = try await withBody(Fixtures.bundle([("day", day), ("schedule", Data(broken.jsonString().utf8))])) {
            try await handlers.validate(.init(body: .json(.init())))
        }
        let report = try invalid.ok.body.json
        #expect(!report.valid)
        #expect(!report.violations.isEmpty)
    }

    @Test func aBundleNamesTheDocumentOfItsError() async throws {
        let day = try Fixtures.data("Tests/Fixtures/worked-day.json")
        let error = await thrown {
            _ = try await withBody(Fixtures.bundle([("day", day), ("schedule", Data("{\"format\": \"infusion-schedule/9\"}".utf8))])) {
                try await handlers.validate(.init(body: .json(.init())))
            }
        }
        let problem = Problem.from(try #require(error))
        #expect(problem.status == .unprocessableContent)
        #expect(problem.file == "schedule")
    }

    @Test func rescheduleAppliesTheEvents() async throws {
        let day = try Fixtures.data("instances/medium-1.json")
        let planned = try await withBody(day) { try await handlers.solve(.init(query: .init(method: .greedy), body: .json(.init()))) }
        let schedule = try json(planned.ok.body.json)
        let events = try Fixtures.data("docs/examples/morning-events.json")
        let output = try await withBody(Fixtures.bundle([("day", day), ("schedule", schedule), ("events", events)])) {
            try await handlers.reschedule(.init(query: .init(now: "09:30", method: .greedy), body: .json(.init())))
        }
        let replanned = try Schedule.decode(json(output.ok.body.json))
        #expect(replanned.changes?.contains { $0.request == "R024" && $0.change == "cancelled" } == true)
        #expect(replanned.changes?.contains { $0.request == "R090" } == true)
    }

    @Test func whatIfComparesScenarios() async throws {
        let day = try Fixtures.data("instances/small-1.json")
        let plan = Data(#"{"format": "infusion-whatif/1", "scenarios": [{"name": "one more recliner", "chairs": {"recliner": 1}}]}"#.utf8)
        let output = try await withBody(Fixtures.bundle([("day", day), ("plan", plan)])) {
            try await handlers.whatIf(.init(query: .init(), body: .json(.init())))
        }
        let text = String(decoding: try json(output.ok.body.json), as: UTF8.self)
        #expect(text.contains("one more recliner"))
    }

    @Test func whatIfRefusesABaseFromTheServersFiles() async throws {
        let day = try Fixtures.data("instances/small-1.json")
        let plan = Data(#"{"format": "infusion-whatif/1", "base": {"day": "/etc/passwd"}}"#.utf8)
        let error = await thrown {
            _ = try await withBody(Fixtures.bundle([("day", day), ("plan", plan)])) {
                try await handlers.whatIf(.init(query: .init(), body: .json(.init())))
            }
        }
        let problem = Problem.from(try #require(error))
        #expect(problem.status == .unprocessableContent)
        #expect(problem.file == "plan" && problem.path == "base")
    }

    @Test func offersAndBookingsOfTheWorkedHorizon() async throws {
        let horizon = try Fixtures.data("Tests/Fixtures/worked-horizon.json")
        let course = try #require(Horizon.decode(horizon).courses.first?.id)
        let offers = try await withBody(horizon) {
            try await handlers.offers(.init(query: .init(course: course, count: 2), body: .json(.init())))
        }
        let offersText = String(decoding: try json(offers.ok.body.json), as: UTF8.self)
        #expect(offersText.contains("\"offers\""))
        let unknown = await thrown {
            _ = try await withBody(horizon) { try await handlers.offers(.init(query: .init(course: "K-none"), body: .json(.init()))) }
        }
        #expect((unknown as? Problem)?.path == "course")
        let booked = try await withBody(horizon) {
            try await handlers.book(.init(query: .init(method: .firstfit, timeLimit: 20), body: .json(.init())))
        }
        let bookings = try Bookings.decode(json(booked.ok.body.json))
        #expect(!bookings.bookings.isEmpty)
    }

    @Test func metricsCountRequestsAndSolves() async throws {
        runtime.metrics.request(route: "solve", status: 200, duration: .milliseconds(3))
        runtime.metrics.solve(method: "greedy", status: "feasible")
        let output = try await handlers.metrics(.init())
        let text = try await String(collecting: output.ok.body.plainText, upTo: 1 << 20)
        #expect(text.contains(#"infusion_http_requests_total{route="solve",status="200"} 1"#))
        #expect(text.contains(#"infusion_solves_total{method="greedy",status="feasible"} 1"#))
        #expect(text.contains("infusion_job_queue_depth"))
        #expect(text.contains("infusion_jobs_running"))
    }
}
