import SchedulingModel
import SchedulingRules
import SchedulingRender

/// Draws a horizon and its bookings as one self-contained picture: a calendar of the weeks,
/// each open day with its chair and nurse load and its new visits marked, and — in HTML — each
/// day that received visits with its Gantt (the day picture of `render`), shown when its
/// calendar cell is clicked. Hovering a cell shows its figures.
///
/// The loads are the day's demand as booked: chair-minutes (treatment and cleaning) of its
/// requests over the chair-minutes its chairs are open in clinic hours, and acuity-minutes over
/// the nurses' capacity-minutes on shift — the same reading for days with and without new
/// visits. The output has no scripts and no external references; elements carry classes and
/// `data-` attributes (`day-cell`/`data-date`, `closed-day`, `new-visit`/`data-visit`,
/// `chair-load`/`nurse-load` with `data-load`, `day-detail`) so that tests and tools can read it.
/// The same horizon and bookings always give the same bytes.
public enum HorizonRenderer {
    /// Renders the picture and writes it to `path`, in `format` or else the one the file name
    /// asks for (``SchedulingRender/RenderFormat/init(path:)``).
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming `path` when the file cannot be written.
    public static func write(horizon: Horizon, bookings: Bookings, to path: String, format: RenderFormat? = nil) throws {
        try RenderFormat.write(render(horizon: horizon, bookings: bookings, format: format ?? RenderFormat(path: path)), to: path)
    }

    /// One open day as drawn.
    struct DayFigures {
        var date: CivilDate
        var chairLoad: Double
        var nurseLoad: Double
        var patients: Int
        var newVisits: [String]
        /// The day with the visits booked on it, and their proof schedule, when it received some.
        var detail: (day: ResolvedDay, schedule: Schedule)?
    }

    static let cellWidth = 200.0, cellHeight = 96.0, margin = 12.0, header = 24.0

    /// Renders `bookings` on `horizon` as an HTML page (calendar and day pictures) or an SVG
    /// document (the calendar alone).
    ///
    /// Days or visits the bookings name that the horizon does not have are left out of the picture.
    /// - Complexity: O(days × requests) for the calendar, plus one day picture per booked day.
    public static func render(horizon: Horizon, bookings: Bookings, format: RenderFormat) -> String {
        let days = figures(horizon: horizon, bookings: bookings)
        let svg = calendar(days, linked: format == .html)
        switch format {
        case .svg:
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg
        case .html:
            var page = Markup()
            let first = days.first?.date.description ?? "", last = days.last?.date.description ?? ""
            page.raw("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Markup.escape("Bookings \(first) to \(last)"))</title>
            <style>html,body{margin:0;padding:0;background:#ffffff;font-family:sans-serif}body{padding:8px}\
            svg{display:block}.day-detail{display:none}.day-detail:target{display:block}h1{font-size:18px}h2{font-size:15px}</style>
            </head>
            <body>

            """)
            let visits = bookings.bookings.reduce(0) { $0 + $1.visits.count }
            page.element("h1", content: "Bookings \(first) to \(last): \(bookings.bookings.count) course(s) booked, "
                         + "\(bookings.unbooked.count) unbooked, \(visits) new visit(s)")
            page.raw(svg)
            for d in days {
                guard let detail = d.detail else { continue }
                page.open("section", [("id", "day-\(d.date)"), ("class", "day-detail")])
                page.element("h2", content: "\(d.date): \(d.newVisits.count) new visit(s)")
                let picture = DayRenderer.render(day: detail.day, schedule: detail.schedule, format: .svg)
                page.raw(String(picture.drop { $0 != "\n" }.dropFirst()))   // without its XML prologue
                page.close("section")
            }
            page.raw("</body>\n</html>\n")
            return page.text
        }
    }

    /// The figures of every open day, in date order.
    static func figures(horizon: Horizon, bookings: Bookings) -> [DayFigures] {
        var visitsOn: [CivilDate: [VisitBooking]] = [:]
        for b in bookings.bookings {
            for (k, v) in b.visits.enumerated() {
                visitsOn[v.date, default: []].append(VisitBooking(course: b.course, visit: k + 1, start: v.start))
            }
        }
        let schedules = Dictionary(bookings.days.map { ($0.date, $0.schedule) }, uniquingKeysWith: { a, _ in a })
        return horizon.days.sorted { $0.date < $1.date }.compactMap { original -> DayFigures? in
            let visits = visitsOn[original.date] ?? []
            guard let day = (try? horizon.augmentedDay(on: original.date, with: visits)).flatMap({ try? ResolvedDay($0) })
                    ?? (try? ResolvedDay(original)) else { return nil }
            let ids = visits.map { "\($0.course).\($0.visit)" }
            var figures = DayFigures(date: original.date, chairLoad: chairLoad(day), nurseLoad: nurseLoad(day),
                                     patients: day.requests.count, newVisits: ids)
            if !visits.isEmpty, let schedule = schedules[original.date] { figures.detail = (day, schedule) }
            return figures
        }
    }

    /// Chair-minutes of the requests (treatment and cleaning) over the chairs' open minutes in clinic hours.
    static func chairLoad(_ day: ResolvedDay) -> Double {
        let demand = day.requests.indices.reduce(0) { $0 + day.regimen(of: $1).chairMinutes + day.regimen(of: $1).bufferMinutes }
        let supply = day.chairs.reduce(0) { total, chair in
            total + chair.windows.reduce(0) { $0 + max(0, min($1.upperBound, day.close) - max($1.lowerBound, day.open)) }
        }
        return supply > 0 ? Double(demand) / Double(supply) : 0
    }

    /// Acuity-minutes of the requests over the nurses' capacity-minutes on shift (breaks out).
    static func nurseLoad(_ day: ResolvedDay) -> Double {
        let demand = day.requests.indices.reduce(0) { $0 + day.regimen(of: $1).acuity * day.regimen(of: $1).chairMinutes }
        let supply = day.nurses.reduce(0) { $0 + $1.capacity * max(0, $1.shift.count - $1.breakTime.count) }
        return supply > 0 ? Double(demand) / Double(supply) : 0
    }

    /// The calendar: a row per week (Monday first), a column per weekday that has an open day.
    static func calendar(_ days: [DayFigures], linked: Bool) -> String {
        guard let first = days.first?.date, let last = days.last?.date else {
            var empty = Markup()
            empty.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("class", "calendar"), ("width", "300"), ("height", "40")])
            empty.element("text", [("x", "12"), ("y", "24")], content: "No open day")
            empty.close("svg")
            return empty.text
        }
        let weekdays = Set(days.map { weekday($0.date) }).sorted()   // 1 = Monday … 7 = Sunday
        let monday = first.adding(days: -(weekday(first) - 1))
        let weeks = (last.dayNumber - monday.dayNumber) / 7 + 1
        let width = margin * 2 + cellWidth * Double(weekdays.count)
        let height = margin * 2 + header + cellHeight * Double(weeks)
        let byNumber = Dictionary(days.map { ($0.date.dayNumber, $0) }, uniquingKeysWith: { a, _ in a })
        var m = Markup()
        m.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("class", "calendar"), ("width", fmt(width)), ("height", fmt(height)),
                       ("viewBox", "0 0 \(fmt(width)) \(fmt(height))"), ("font-family", "sans-serif"), ("font-size", "11")])
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        for (c, w) in weekdays.enumerated() {
            m.element("text", [("x", fmt(margin + cellWidth * Double(c) + 4)), ("y", fmt(margin + 14)), ("font-weight", "bold")],
                      content: names[w - 1])
        }
        for week in 0..<weeks {
            for (c, w) in weekdays.enumerated() {
                let date = monday.adding(days: week * 7 + w - 1)
                guard date >= first, date <= last else { continue }
                let x = margin + cellWidth * Double(c), y = margin + header + cellHeight * Double(week)
                if let d = byNumber[date.dayNumber] { cell(d, x: x, y: y, linked: linked, into: &m) } else { closed(date, x: x, y: y, into: &m) }
            }
        }
        m.close("svg")
        return m.text
    }

    /// A closed date inside the horizon.
    static func closed(_ date: CivilDate, x: Double, y: Double, into m: inout Markup) {
        m.open("g", [("class", "closed-day"), ("data-date", date.description)])
        m.empty("rect", [("x", fmt(x + 2)), ("y", fmt(y + 2)), ("width", fmt(cellWidth - 4)), ("height", fmt(cellHeight - 4)),
                         ("fill", "#eeeeee"), ("stroke", "#cccccc")])
        m.element("text", [("x", fmt(x + 8)), ("y", fmt(y + 18)), ("fill", "#888888")], content: "\(date) closed")
        m.close("g")
    }

    /// One open day: date, load bars, patients and new visits; a link to its picture when it has one.
    static func cell(_ d: DayFigures, x: Double, y: Double, linked: Bool, into m: inout Markup) {
        let link = linked && d.detail != nil
        if link { m.open("a", [("href", "#day-\(d.date)")]) }
        m.open("g", [("class", "day-cell"), ("data-date", d.date.description), ("data-new", "\(d.newVisits.count)")])
        let tip = "\(d.date): \(d.patients) patient(s), chair load \(percent(d.chairLoad)), nurse load \(percent(d.nurseLoad))"
            + (d.newVisits.isEmpty ? "" : "; new: " + d.newVisits.joined(separator: ", "))
            + (link ? "; click for the day" : "")
        m.element("title", content: tip)
        m.empty("rect", [("x", fmt(x + 2)), ("y", fmt(y + 2)), ("width", fmt(cellWidth - 4)), ("height", fmt(cellHeight - 4)),
                         ("fill", d.newVisits.isEmpty ? "#ffffff" : "#f2f8ff"), ("stroke", d.newVisits.isEmpty ? "#bbbbbb" : "#3b7dd8")])
        m.element("text", [("x", fmt(x + 8)), ("y", fmt(y + 18)), ("font-weight", "bold")], content: d.date.description)
        bar("chair-load", "chairs", d.chairLoad, x: x + 8, y: y + 28, into: &m)
        bar("nurse-load", "nurses", d.nurseLoad, x: x + 8, y: y + 44, into: &m)
        m.element("text", [("x", fmt(x + 8)), ("y", fmt(y + 70))],
                  content: "\(d.patients) patient(s)" + (d.newVisits.isEmpty ? "" : ", \(d.newVisits.count) new"))
        for (i, id) in d.newVisits.enumerated() {
            // One marker per new visit, in rows of fourteen.
            m.open("circle", [("class", "new-visit"), ("data-visit", id), ("cx", fmt(x + 13 + 12 * Double(i % 14))),
                              ("cy", fmt(y + 80 + 6 * Double(i / 14))), ("r", "4.5"), ("fill", "#3b7dd8")])
            m.element("title", content: "new visit \(id)")
            m.close("circle")
        }
        m.close("g")
        if link { m.close("a") }
    }

    /// A load bar of 110 px (full at 100 %, drawn red beyond 90 %).
    static func bar(_ kind: String, _ label: String, _ load: Double, x: Double, y: Double, into m: inout Markup) {
        let shown = min(1, max(0, load))
        m.empty("rect", [("x", fmt(x)), ("y", fmt(y)), ("width", "110"), ("height", "10"), ("fill", "#f0f0f0")])
        m.empty("rect", [("class", kind), ("data-load", fmt(load)), ("x", fmt(x)), ("y", fmt(y)), ("width", fmt(110 * shown)),
                         ("height", "10"), ("fill", load > 0.9 ? "#d9534f" : "#5cb85c")])
        m.element("text", [("x", fmt(x + 114)), ("y", fmt(y + 9)), ("font-size", "9")], content: "\(label) \(percent(load))")
    }

    static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded())) %" }

    /// A number in one fixed, locale-free form (at most two decimals).
    static func fmt(_ x: Double) -> String { Markup.fixed(x, digits: 2, trim: true) }

    /// 1 for Monday … 7 for Sunday (1970-01-01 was a Thursday).
    static func weekday(_ date: CivilDate) -> Int { ((date.dayNumber % 7 + 7 + 3) % 7) + 1 }
}
