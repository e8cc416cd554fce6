import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport
@testable import SchedulingRender

/// The picture of a day read back as XML: the structural checks count and measure elements by
/// their classes and `data-` attributes rather than compare bytes, so that the look may change
/// without breaking what the picture promises.
@Suite struct RenderTests {
    // MARK: Reading the SVG back

    /// One element of the parsed picture.
    struct Node {
        var name: String
        var attributes: [String: String]
        /// Text directly inside, for `<title>` and `<text>`.
        var text: String
        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
        func number(_ key: String) -> Double? { attributes[key].flatMap(Double.init) }
    }

    /// Collects every element in document order; `error` is set when the XML is not well formed.
    final class Collector: NSObject, XMLParserDelegate {
        var nodes: [Node] = []
        var open: [Int] = []
        var error: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            open.append(nodes.count)
            nodes.append(Node(name: elementName, attributes: attributeDict, text: ""))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let last = open.last { nodes[last].text += string }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            error = "line \(parser.lineNumber): \(parseError)"
        }
    }

    static func parse(_ svg: String) throws -> [Node] {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        let ok = parser.parse()
        if let error = collector.error { throw ParseFailure(message: error) }
        guard ok else { throw ParseFailure(message: "XMLParser failed") }
        return collector.nodes
    }

    struct ParseFailure: Error { var message: String }

    static func workedSchedule() throws -> Schedule { try Schedule.load(path: TestFiles.fixture("worked-schedule.json")) }

    static func render(_ day: ResolvedDay, _ schedule: Schedule) throws -> (svg: String, nodes: [Node]) {
        let svg = DayRenderer.render(day: day, schedule: schedule, format: .svg)
        return (svg, try parse(svg))
    }

    static func nodes(_ nodes: [Node], class name: String) -> [Node] { nodes.filter { $0.classes.contains(name) } }

    /// Every drawn rectangle lies between the plot's left and right edges.
    static func expectInsidePlot(_ nodes: [Node], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let svg = nodes.first, let left = svg.number("data-plot-left"), let right = svg.number("data-plot-right") else {
            Issue.record("the svg element has no plot bounds", sourceLocation: sourceLocation)
            return
        }
        let barClasses: Set = ["appt", "buffer", "chair-draw", "chair-wait", "unavailable", "prep", "draw", "load", "overload",
                               "intensive", "break", "off-shift", "closed", "row-bg"]
        var checked = 0
        for node in nodes where node.name == "rect" && !barClasses.isDisjoint(with: node.classes) {
            guard let x = node.number("x"), let w = node.number("width") else {
                Issue.record("a bar without x or width", sourceLocation: sourceLocation)
                continue
            }
            #expect(x >= left - 0.01 && x + w <= right + 0.01 && w > 0,
                    "\(node.classes) at x \(x) width \(w) outside \(left)...\(right)", sourceLocation: sourceLocation)
            checked += 1
        }
        #expect(checked > 0, sourceLocation: sourceLocation)
    }

    // MARK: The worked example

    @Test func workedExampleHasOneBarPerAppointment() throws {
        let day = try TestFiles.workedDay()
        let schedule = try Self.workedSchedule()
        let (_, nodes) = try Self.render(day, schedule)
        let bars = Self.nodes(nodes, class: "appt")
        #expect(bars.count == schedule.appointments.count)
        #expect(bars.compactMap { $0.attributes["data-request"] }.sorted() == schedule.appointments.map(\.request).sorted())
        // Each bar sits in the row of its chair and spans its treatment.
        for a in schedule.appointments {
            let bar = try #require(bars.first { $0.attributes["data-request"] == a.request })
            #expect(bar.attributes["data-chair"] == a.chair)
            #expect(bar.attributes["data-nurse"] == a.nurse)
            #expect(bar.attributes["data-start"] == "\(a.start.minutes)")
            #expect(bar.attributes["data-end"] == "\(a.end.minutes)")
            #expect(bar.number("width") == Double(a.end.minutes - a.start.minutes) * DayCanvas.scale)
        }
        // Buffers only for regimens with one (CHEMO 15, IO 10; HYD has none), one draw at the chair (R3).
        #expect(Self.nodes(nodes, class: "buffer").count == 3)
        #expect(Self.nodes(nodes, class: "chair-draw").map { $0.attributes["data-request"] } == ["R3"])
        // Lanes: every prep on its compounder, the one station draw on its station.
        #expect(Self.nodes(nodes, class: "prep").compactMap { $0.attributes["data-request"] } == ["R1", "R2", "R3"])
        #expect(Self.nodes(nodes, class: "draw").compactMap { $0.attributes["data-request"] } == ["R2"])
    }

    @Test func workedExampleHasOneRowPerResource() throws {
        let day = try TestFiles.workedDay()
        let (_, nodes) = try Self.render(day, try Self.workedSchedule())
        #expect(Self.nodes(nodes, class: "chair-row").compactMap { $0.attributes["data-chair"] } == ["C1", "C2", "C3"])
        #expect(Self.nodes(nodes, class: "chair-type").compactMap { $0.attributes["data-type"] } == ["recliner", "bed"])
        #expect(Self.nodes(nodes, class: "nurse-row").compactMap { $0.attributes["data-nurse"] } == ["N1", "N2"])
        #expect(Self.nodes(nodes, class: "compounder-row").count == 1)
        #expect(Self.nodes(nodes, class: "station-row").count == 1)
        // C3 (bed) is available 07:30–13:00 only: greyed before and after.
        let c3 = try #require(nodes.firstIndex { $0.attributes["data-chair"] == "C3" && $0.classes.contains("chair-row") })
        let greyed = nodes[c3...].prefix { !($0.classes.contains("chair-row") && $0.attributes["data-chair"] != "C3") }
            .filter { $0.classes.contains("unavailable") }
        #expect(greyed.compactMap { $0.number("width") } == [90 * DayCanvas.scale, 360 * DayCanvas.scale])
        // Nurse N1's break and the intensive minutes of its two patients (R1 and R3, two each).
        #expect(Self.nodes(nodes, class: "break").count == 2)
        #expect(Self.nodes(nodes, class: "intensive").count == 10)
        #expect(Self.nodes(nodes, class: "conflict").isEmpty)
    }

    @Test func nothingLeavesTheDay() throws {
        let day = try TestFiles.workedDay()
        let (_, nodes) = try Self.render(day, try Self.workedSchedule())
        let svg = try #require(nodes.first)
        // 06:00 (pharmacy opens 06:30) to 19:00 (latest end), whole hours.
        #expect(svg.attributes["data-axis-start"] == "360")
        #expect(svg.attributes["data-axis-end"] == "1140")
        Self.expectInsidePlot(nodes)
        let width = try #require(svg.number("width"))
        #expect(try #require(svg.number("data-plot-right")) <= width)
    }

    @Test func headerShowsTheFigures() throws {
        let day = try TestFiles.workedDay()
        let schedule = try Self.workedSchedule()
        let picture = DayPicture(day: day, schedule: schedule)
        #expect(picture.scheduledRequests == 5)
        #expect(picture.overtimeMinutes == 0)
        #expect(picture.excessWaitMinutes == 15)  // R2 5 + R3 10, as the objective's wait term
        #expect(picture.occupiedChairMinutes == 450 && picture.availableChairMinutes == 1710)
        #expect(picture.peakLoad == 2)
        #expect(picture.unscheduledByReason.map(\.reason) == [.capacity, .authorization])

        let (_, nodes) = try Self.render(day, schedule)
        func value(_ key: String) -> String? {
            guard let i = nodes.firstIndex(where: { $0.attributes["data-kpi"] == key }) else { return nil }
            return nodes[i...].first { $0.classes.contains("kpi-value") }?.text
        }
        #expect(value("scheduled") == "5 / 7")
        #expect(value("unscheduled") == "2")
        #expect(value("overtime") == "0 min")
        #expect(value("wait") == "15 min")
        #expect(value("utilisation") == "26.3 %")
        #expect(value("peak") == "2.00")
        #expect(value("objective") == "1021")
        let solver = try #require(Self.nodes(nodes, class: "solver").first)
        #expect(solver.text.contains("greedy") && solver.text.contains("feasible") && solver.text.contains("gap n/a"))
        let unscheduled = try #require(Self.nodes(nodes, class: "unscheduled").first)
        #expect(unscheduled.text.contains("capacity 1: R7") && unscheduled.text.contains("authorization 1: R5"))
        // A legend entry per regimen.
        let legend = nodes.filter { $0.classes.contains("legend-item") }
        #expect(legend.count >= day.regimens.count)
    }

    @Test func hoverTitlesCarryTheDetails() throws {
        let day = try TestFiles.workedDay()
        let (_, nodes) = try Self.render(day, try Self.workedSchedule())
        let titles = nodes.filter { $0.name == "title" }.map(\.text)
        let r2 = try #require(titles.first { $0.hasPrefix("R2 · regimen CHEMO") })
        #expect(r2.contains("chair C3 (bed) · nurse N2"))
        #expect(r2.contains("arrival 08:00 · in chair 09:15–11:15 · chair free 11:30"))
        #expect(r2.contains("prep 08:40–09:10 on compounder 1"))
        #expect(r2.contains("lab draw 08:00–08:10 at station 1 · results 08:40"))
        #expect(r2.contains("excess wait 5 min"))
        let r3 = try #require(titles.first { $0.hasPrefix("R3 · regimen IO") })
        #expect(r3.contains("lab draw 09:40–09:50 at the chair"))
    }

    // MARK: Robustness

    @Test func oddIdsAreEscaped() throws {
        var raw = try Day.load(path: TestFiles.fixture("worked-day.json"))
        let odd = "R<&\"'>]]>\u{1}x"
        raw.requests[0].id = odd
        raw.chairs[0].id = "C&amp;"
        raw.nurses[0].id = "N<1>"
        raw.regimens[0].id = "CHEMO</text><script>x</script>"
        for i in raw.requests.indices where raw.requests[i].regimen == "CHEMO" { raw.requests[i].regimen = raw.regimens[0].id }
        let day = try ResolvedDay(raw)
        var schedule = try Self.workedSchedule()
        schedule.appointments[0].request = odd
        for i in schedule.appointments.indices {
            if schedule.appointments[i].chair == "C1" { schedule.appointments[i].chair = "C&amp;" }
            if schedule.appointments[i].nurse == "N1" { schedule.appointments[i].nurse = "N<1>" }
        }
        for format in RenderFormat.allCases {
            let text = DayRenderer.render(day: day, schedule: schedule, format: format)
            #expect(!text.contains("<script"))
            #expect(!text.contains("\u{1}"))
        }
        let (_, nodes) = try Self.render(day, schedule)
        let bars = Self.nodes(nodes, class: "appt")
        #expect(bars.count == 5)
        // The control character cannot travel in XML: it comes back as U+FFFD, the rest intact.
        #expect(bars.contains { $0.attributes["data-request"] == "R<&\"'>]]>\u{FFFD}x" && $0.attributes["data-chair"] == "C&amp;" })
        #expect(Self.nodes(nodes, class: "chair-row").contains { $0.attributes["data-chair"] == "C&amp;" })
        #expect(Self.nodes(nodes, class: "nurse-row").contains { $0.attributes["data-nurse"] == "N<1>" })
    }

    @Test func renderingIsDeterministic() throws {
        let day = try TestFiles.workedDay()
        let schedule = try Self.workedSchedule()
        for format in RenderFormat.allCases {
            let first = DayRenderer.render(day: day, schedule: schedule, format: format)
            // A day decoded afresh builds its id dictionaries anew: their order must not leak.
            let again = try ResolvedDay(Day.decode(Data(day.day.jsonString().utf8)))
            let second = DayRenderer.render(day: again, schedule: try Schedule.decode(Data(schedule.jsonString().utf8)), format: format)
            #expect(first == second)
        }
    }

    @Test func htmlIsSelfContained() throws {
        let day = try TestFiles.workedDay()
        let schedule = try Self.workedSchedule()
        let html = DayRenderer.render(day: day, schedule: schedule, format: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for banned in ["<script", "<link", "@import", "url(", "<img", "<iframe", "https:"] {
            #expect(!html.contains(banned), "found \(banned)")
        }
        // The only URI is the SVG namespace, which is a name, not something fetched.
        #expect(html.components(separatedBy: "http:").count == 2)
        #expect(html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        // The inline picture is the SVG document itself.
        let start = try #require(html.range(of: "<svg"))
        let end = try #require(html.range(of: "</svg>", options: .backwards))
        let inline = String(html[start.lowerBound..<end.upperBound])
        let svg = DayRenderer.render(day: day, schedule: schedule, format: .svg)
        #expect(svg.contains(inline))
        #expect(Self.nodes(try Self.parse(inline), class: "appt").count == 5)
    }

    @Test func writingPicksTheFormatFromTheFileName() throws {
        #expect(RenderFormat(path: "night/day.SVG") == .svg)
        #expect(RenderFormat(path: "night/day.html") == .html)
        #expect(RenderFormat(path: "day") == .html)
        let day = try TestFiles.workedDay()
        let schedule = try Self.workedSchedule()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("render-tests-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, format) in [("day.svg", RenderFormat.svg), ("day.html", .html)] {
            let path = directory.appendingPathComponent(name).path
            try DayRenderer.write(day: day, schedule: schedule, to: path)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(written == DayRenderer.render(day: day, schedule: schedule, format: format))
        }
        let missing = directory.appendingPathComponent("no/such/dir/day.html").path
        #expect(throws: InputError(file: missing, path: "", message: "the picture cannot be written")) {
            try DayRenderer.write(day: day, schedule: schedule, to: missing)
        }
    }

    @Test func invalidScheduleStillRenders() throws {
        let day = try TestFiles.workedDay()
        var schedule = try Self.workedSchedule()
        schedule.date = CivilDate(year: 2026, month: 12, day: 2)!
        // Unknown ids are counted and left out.
        schedule.appointments.append(Appointment(request: "R99", chair: "C1", nurse: "N1", arrival: ClockTime(minutes: 600),
                                                 start: ClockTime(minutes: 600), end: ClockTime(minutes: 660)))
        schedule.appointments.append(Appointment(request: "R7", chair: "C9", nurse: "N1", arrival: ClockTime(minutes: 600),
                                                 start: ClockTime(minutes: 600), end: ClockTime(minutes: 720)))
        // A draw at the chair after the treatment, a compounder and a station the day lacks,
        // a start late in the evening, overlapping bookings and an over-capacity nurse.
        schedule.appointments.append(Appointment(request: "R7", chair: "C1", nurse: "N1", arrival: ClockTime(minutes: 1430),
                                                 labDraw: LabDraw(start: ClockTime(minutes: 1430), station: nil),
                                                 prep: Prep(start: ClockTime(minutes: 60), compounder: 9),
                                                 start: ClockTime(minutes: 1380), end: ClockTime(minutes: 1440)))
        schedule.appointments.append(Appointment(request: "R5", chair: "C1", nurse: "N1", arrival: ClockTime(minutes: 480),
                                                 labDraw: LabDraw(start: ClockTime(minutes: 470), station: 0),
                                                 start: ClockTime(minutes: 480), end: ClockTime(minutes: 540)))
        // Numbers that would overflow, and times off the clock (only code can build those).
        schedule.appointments.append(Appointment(request: "R7", chair: "C2", nurse: "N2", arrival: ClockTime(minutes: 600),
                                                 labDraw: LabDraw(start: ClockTime(minutes: 600), station: Int.min),
                                                 prep: Prep(start: ClockTime(minutes: 650), compounder: Int.max),
                                                 start: ClockTime(minutes: 700), end: ClockTime(minutes: 820)))
        schedule.appointments.append(Appointment(request: "R4", chair: "C2", nurse: "N2", arrival: ClockTime(minutes: -30),
                                                 start: ClockTime(minutes: Int.max), end: ClockTime(minutes: 0)))
        schedule.solver = nil
        schedule.objective = nil
        let (svgText, nodes) = try Self.render(day, schedule)
        #expect(Self.nodes(nodes, class: "appt").count == 8)
        #expect(svgText.contains("2 prep(s) on a compounder this day does not have"))
        #expect(svgText.contains("2 draw(s) at a station this day does not have"))
        let svg = try #require(nodes.first)
        #expect(svg.attributes["data-axis-start"] == "60")  // the 01:00 prep widens the axis
        #expect(svg.attributes["data-axis-end"] == "1560")  // 23:00 + 120 min + 15 min buffer
        Self.expectInsidePlot(nodes)
        let notes = try #require(Self.nodes(nodes, class: "notes").first)
        #expect(notes.text.contains("3 appointment(s)") && notes.text.contains("2026-12-02"))
        #expect(Self.nodes(nodes, class: "conflict").count > 0)
        #expect(Self.nodes(nodes, class: "overload").count > 0)
        #expect(Self.nodes(nodes, class: "solver").first?.text == "solver: not reported")
    }

    @Test func emptyScheduleRendersTheResources() throws {
        let day = try TestFiles.workedDay()
        let schedule = Schedule(date: day.day.date, appointments: [], unscheduled: [])
        let (_, nodes) = try Self.render(day, schedule)
        #expect(Self.nodes(nodes, class: "appt").isEmpty)
        #expect(Self.nodes(nodes, class: "chair-row").count == 3)
        Self.expectInsidePlot(nodes)
    }

    // MARK: A hundred chairs

    /// A day of `chairs` chairs of three types and a schedule built by hand: back-to-back
    /// treatments on every chair, nurses taken in turn.
    static func largeDay(chairs: Int, nurses: Int) throws -> (ResolvedDay, Schedule) {
        var raw = try Day.load(path: TestFiles.fixture("worked-day.json"))
        raw.chairs = (1...chairs).map { i in
            Chair(id: "C" + String(1000 + i).dropFirst(), type: i % 10 == 0 ? "bed" : i % 7 == 0 ? "private" : "recliner")
        }
        raw.nurses = (1...nurses).map { i in
            Nurse(id: "N\(i)", shiftStart: ClockTime(minutes: 420), shiftEnd: ClockTime(minutes: 1140), capacity: 4,
                  break: NurseBreak(start: ClockTime(minutes: 690 + 30 * (i % 3)), minutes: 30))
        }
        raw.regimens[1].chairTypes = ["recliner", "bed", "private"]
        raw.regimens[2].chairTypes = ["recliner", "bed", "private"]
        raw.regimens[0].chairTypes = ["recliner", "bed", "private"]
        raw.pharmacy.compounders = 6
        raw.lab.stations = 4
        var requests: [TreatmentRequest] = []
        var appointments: [Appointment] = []
        for c in raw.chairs.indices {
            var t = 480
            var k = 0
            while true {
                let regimen = (c + k) % 3
                let minutes = [120, 60, 30][regimen], buffer = [15, 10, 0][regimen]
                guard t + minutes <= 1140 else { break }
                let id = "R\(c)-\(k)"
                requests.append(TreatmentRequest(id: id, regimen: raw.regimens[regimen].id))
                let prep = regimen < 2 ? Prep(start: ClockTime(minutes: t - 40), compounder: 1 + (c + k) % 6) : nil
                let draw = regimen == 0 && k % 2 == 0 ? LabDraw(start: ClockTime(minutes: t - 75), station: 1 + c % 4) : nil
                appointments.append(Appointment(request: id, chair: raw.chairs[c].id, nurse: "N\(1 + (c * 3 + k) % nurses)",
                                                arrival: ClockTime(minutes: draw?.start.minutes ?? t), labDraw: draw, prep: prep,
                                                start: ClockTime(minutes: t), end: ClockTime(minutes: t + minutes)))
                t += minutes + buffer + 15
                k += 1
            }
        }
        raw.requests = requests
        let day = try ResolvedDay(raw)
        let schedule = Schedule(date: raw.date, appointments: appointments, unscheduled: [],
                                solver: SolverReport(method: .mip, status: .feasible, bound: 10, gap: 0.5, seconds: 30))
        return (day, schedule)
    }

    @Test func aHundredChairsStayLegible() throws {
        let (day, schedule) = try Self.largeDay(chairs: 100, nurses: 25)
        let clock = ContinuousClock()
        var svg = ""
        let elapsed = clock.measure { svg = DayRenderer.render(day: day, schedule: schedule, format: .svg) }
        #expect(elapsed < .seconds(10))
        let nodes = try Self.parse(svg)
        #expect(Self.nodes(nodes, class: "chair-row").count == 100)
        #expect(Self.nodes(nodes, class: "appt").count == schedule.appointments.count)
        #expect(Self.nodes(nodes, class: "nurse-row").count == 25)
        #expect(Self.nodes(nodes, class: "compounder-row").count == 6)
        #expect(Self.nodes(nodes, class: "station-row").count == 4)
        Self.expectInsidePlot(nodes)
        // Rows keep their height instead of shrinking: a hundred chairs need well over 1800 px.
        let height = try #require(nodes.first?.number("height"))
        #expect(height >= 100 * DayCanvas.chairRow)
        // Labels keep a readable size: every bar label is 10 px text inside its bar.
        #expect(!svg.contains("font-size:0") && svg.contains("text{font-family:sans-serif;font-size:10px}"))
        // Chair rows are grouped by type, in order of first appearance.
        #expect(Self.nodes(nodes, class: "chair-type").compactMap { $0.attributes["data-type"] } == ["recliner", "private", "bed"])
    }
}
