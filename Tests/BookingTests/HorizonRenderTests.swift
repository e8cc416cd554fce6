import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

@testable import SchedulingBooking

/// The horizon picture: a cell per open day, a marker per new visit, a day picture per booked day.
@Suite struct HorizonRenderTests {
    func worked() throws -> (Horizon, Bookings) {
        (try Horizon.load(path: TestFiles.fixture("worked-horizon.json")), try Bookings.load(path: TestFiles.fixture("worked-bookings.json")))
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func theHTMLShowsEveryDayEveryVisitAndEveryBookedDay() throws {
        let (horizon, bookings) = try worked()
        let html = HorizonRenderer.render(horizon: horizon, bookings: bookings, format: .html)
        #expect(count("class=\"day-cell\"", in: html) == horizon.days.count)
        let visits = bookings.bookings.flatMap { b in b.visits.indices.map { "\(b.course).\($0 + 1)" } }
        #expect(count("class=\"new-visit\"", in: html) == visits.count)
        for id in visits { #expect(html.contains("data-visit=\"\(id)\""), "\(id) is marked") }
        // Each booked day links to its picture, which draws every appointment of its proof.
        #expect(count("class=\"day-detail\"", in: html) == bookings.days.count)
        for booked in bookings.days {
            #expect(html.contains("href=\"#day-\(booked.date)\""))
            let section = try #require(html.components(separatedBy: "id=\"day-\(booked.date)\"").dropFirst().first)
            let own = section.components(separatedBy: "</section>")[0]
            #expect(count("class=\"appt\"", in: own) == booked.schedule.appointments.count, "\(booked.date)")
        }
        // Dates between the first and the last that the horizon does not open are drawn closed.
        let first = horizon.days.map(\.date).min()!, last = horizon.days.map(\.date).max()!
        let open = Set(horizon.days.map(\.date))
        let closedWeekdays = (0...(last.dayNumber - first.dayNumber)).map { first.adding(days: $0) }
            .filter { !open.contains($0) && Set(horizon.days.map { HorizonRenderer.weekday($0.date) }).contains(HorizonRenderer.weekday($0)) }
        #expect(count("class=\"closed-day\"", in: html) == closedWeekdays.count)
        #expect(!html.lowercased().contains("<script"))
        #expect(html == HorizonRenderer.render(horizon: horizon, bookings: bookings, format: .html), "the same bytes twice")
    }

    @Test func theLoadsAreTheDaysDemand() throws {
        let (horizon, bookings) = try worked()
        for f in HorizonRenderer.figures(horizon: horizon, bookings: bookings) {
            #expect(f.chairLoad > 0 && f.chairLoad < 2, "\(f.date)")
            #expect(f.nurseLoad > 0 && f.nurseLoad < 2, "\(f.date)")
        }
        // One more patient on a day raises both loads.
        var busier = horizon
        let i = busier.days.indices.first!
        var extra = busier.days[i].requests[0]
        extra.id = "EXTRA"
        extra.fixed = nil
        busier.days[i].requests.append(extra)
        let before = HorizonRenderer.figures(horizon: horizon, bookings: bookings).first { $0.date == horizon.days[i].date }!
        let after = HorizonRenderer.figures(horizon: busier, bookings: bookings).first { $0.date == horizon.days[i].date }!
        #expect(after.chairLoad > before.chairLoad && after.nurseLoad > before.nurseLoad)
        #expect(after.patients == before.patients + 1)
    }

    @Test func theSVGIsTheCalendarAlone() throws {
        let (horizon, bookings) = try worked()
        let svg = HorizonRenderer.render(horizon: horizon, bookings: bookings, format: .svg)
        #expect(svg.hasPrefix("<?xml"))
        #expect(XMLParser(data: Data(svg.utf8)).parse(), "well-formed XML")
        #expect(!svg.contains("day-detail") && !svg.contains("href="))
        #expect(count("class=\"day-cell\"", in: svg) == horizon.days.count)
    }
}
