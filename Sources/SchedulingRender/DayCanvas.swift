import SchedulingModel
import SchedulingRules

/// The layout and drawing of the day picture, top to bottom: header, legend, chairs, nurses,
/// pharmacy, lab.
///
/// Time runs left to right at a fixed scale so that a minute has the same width on every
/// day; a hundred chairs make a tall picture that scrolls, not a squeezed one.
struct DayCanvas {
    let picture: DayPicture
    private var day: ResolvedDay { picture.day }
    private var body = Markup()
    private var y = 0.0

    /// Pixels per minute: 13 hours make about 1200 px, inside a common screen width.
    static let scale = 1.5
    /// Width of the row labels at the left.
    static let labelWidth = 120.0
    static let margin = 12.0
    static let chairRow = 18.0
    static let typeHeader = 18.0
    static let nurseRow = 44.0
    static let laneRow = 18.0
    static let axisBand = 16.0

    init(picture: DayPicture) { self.picture = picture }

    private var plotLeft: Double { Self.labelWidth }
    private var plotRight: Double { plotLeft + Double(picture.axis.count) * Self.scale }
    private var width: Double { plotRight + Self.margin * 2 }

    /// The x of minute `t`, kept on the axis.
    private func x(_ t: Int) -> Double {
        let clamped = min(max(t, picture.axis.lowerBound), picture.axis.upperBound)
        return plotLeft + Double(clamped - picture.axis.lowerBound) * Self.scale
    }

    private static func hhmm(_ minutes: Int) -> String {
        if minutes > 1440 { return pad2(minutes / 60) + ":" + pad2(minutes % 60) }
        return ClockTime(minutes: max(0, minutes)).description
    }

    private static func span(_ r: Range<Int>) -> String { hhmm(r.lowerBound) + "–" + hhmm(r.upperBound) }

    /// A label cut to `limit` characters so that it stays in its column.
    private static func short(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// A rough text width for the 10 px sans-serif face, used to decide whether a label fits.
    private static func textWidth(_ text: String, size: Double = 10) -> Double { Double(text.count) * size * 0.6 }

    /// The whole SVG document.
    func document() -> String {
        let height = y + Self.margin
        var out = Markup()
        out.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
            ("width", Markup.num(width)), ("height", Markup.num(height)),
            ("viewBox", "0 0 \(Markup.num(width)) \(Markup.num(height))"),
            ("class", "infusion-day"), ("data-date", "\(day.day.date)"),
            ("data-axis-start", "\(picture.axis.lowerBound)"), ("data-axis-end", "\(picture.axis.upperBound)"),
            ("data-plot-left", Markup.num(plotLeft)), ("data-plot-right", Markup.num(plotRight)),
        ])
        out.raw("\n")
        out.element("title", content: "Infusion day \(day.day.date)")
        out.raw("<style>text{font-family:sans-serif;font-size:10px}.h1{font-size:16px;font-weight:bold}"
            + ".h2{font-size:13px;font-weight:bold}.kpi-value{font-size:18px;font-weight:bold}.muted{fill:#555555}"
            + ".hour{fill:#555555;text-anchor:middle}</style>\n")
        out.empty("rect", [("x", "0"), ("y", "0"), ("width", Markup.num(width)), ("height", Markup.num(height)), ("fill", "#ffffff")])
        out.raw(body.text)
        out.close("svg")
        return out.text
    }

    /// Lays out and draws every part.
    mutating func draw() {
        drawHeader()
        drawLegend()
        drawChairs()
        drawNurses()
        drawPharmacy()
        drawLab()
    }

    // MARK: Header

    private mutating func drawHeader() {
        let p = picture
        y = Self.margin + 16
        body.element("text", [("class", "h1"), ("x", Markup.num(Self.margin)), ("y", Markup.num(y))],
                     content: "Infusion day \(day.day.date)")
        body.element("text", [("class", "solver"), ("x", Markup.num(Self.margin + 200)), ("y", Markup.num(y))],
                     content: solverLine())
        y += 10

        let objective = schedule.objective
        let kpis: [(key: String, label: String, value: String, detail: String)] = [
            ("scheduled", "Scheduled / requested", "\(p.scheduledRequests) / \(day.requests.count)",
             "\(p.scheduledRequests) of \(day.requests.count) requests have an appointment"),
            ("unscheduled", "Unscheduled", "\(schedule.unscheduled.count)",
             p.unscheduledByReason.map { "\($0.reason.rawValue) \($0.requests.count)" }.joined(separator: ", ")),
            ("overtime", "Overtime", "\(p.overtimeMinutes) min", "treatment minutes after close \(Self.hhmm(day.close))"),
            ("wait", "Excess wait", "\(p.excessWaitMinutes) min", "waiting beyond draw, turnaround and held compounding"),
            ("utilisation", "Chair utilisation", Markup.fixed(p.chairUtilisation * 100, digits: 1) + " %",
             "\(p.occupiedChairMinutes) of \(p.availableChairMinutes) available chair minutes taken (draws at the chair, treatment, cleaning)"),
            ("peak", "Peak load", Markup.fixed(p.peakLoad, digits: 2),
             "largest acuity in chair per nurse on shift"),
            ("objective", "Objective", objective.map { Markup.num($0.total) } ?? "n/a",
             objective.map(Self.objectiveTerms) ?? "the schedule reports no objective"),
        ]
        let gap = 8.0
        let boxWidth = (width - 2 * Self.margin - gap * Double(kpis.count - 1)) / Double(kpis.count)
        for (i, kpi) in kpis.enumerated() {
            let bx = Self.margin + Double(i) * (boxWidth + gap)
            body.open("g", [("class", "kpi"), ("data-kpi", kpi.key)])
            body.element("title", content: kpi.label + ": " + kpi.value + (kpi.detail.isEmpty ? "" : "\n" + kpi.detail))
            body.empty("rect", [("x", Markup.num(bx)), ("y", Markup.num(y)), ("width", Markup.num(boxWidth)), ("height", "46"),
                                ("rx", "4"), ("fill", "#f4f6f8"), ("stroke", "#c8cdd2")])
            body.element("text", [("class", "muted"), ("x", Markup.num(bx + 8)), ("y", Markup.num(y + 15))], content: kpi.label)
            body.element("text", [("class", "kpi-value"), ("x", Markup.num(bx + 8)), ("y", Markup.num(y + 37))], content: kpi.value)
            body.close("g")
        }
        y += 46 + 16

        var reasonParts: [String] = []
        for (reason, ids) in p.unscheduledByReason {
            let shown = ids.prefix(8).joined(separator: " ")
            reasonParts.append("\(reason.rawValue) \(ids.count): \(shown)" + (ids.count > 8 ? " +\(ids.count - 8) more" : ""))
        }
        let reasons = reasonParts.isEmpty ? "Unscheduled: none" : "Unscheduled — " + reasonParts.joined(separator: " · ")
        body.open("text", [("class", "unscheduled"), ("x", Markup.num(Self.margin)), ("y", Markup.num(y))])
        body.element("title", content: p.unscheduledByReason.map { "\($0.reason.rawValue): " + $0.requests.joined(separator: " ") }
            .joined(separator: "\n"))
        body.raw(Markup.escape(Self.short(reasons, Int((width - 2 * Self.margin) / 6))))
        body.close("text")
        y += 14

        var notes: [String] = []
        if p.unknownAppointments > 0 {
            notes.append("\(p.unknownAppointments) appointment(s) name a request, chair or nurse this day does not have, or times off the clock, and are not drawn")
        }
        if schedule.date != day.day.date { notes.append("the schedule is for \(schedule.date), not \(day.day.date)") }
        let alerts = schedule.alerts.count
        if alerts > 0 { notes.append("\(alerts) alert(s): " + Self.short(schedule.alerts.map(\.kind.rawValue).joined(separator: ", "), 80)) }
        if !notes.isEmpty {
            body.element("text", [("class", "notes"), ("x", Markup.num(Self.margin)), ("y", Markup.num(y)), ("fill", "#b71c1c")],
                         content: notes.joined(separator: " · "))
            y += 14
        }
        y += 4
    }

    private var schedule: Schedule { picture.schedule }

    private func solverLine() -> String {
        guard let s = schedule.solver else { return "solver: not reported" }
        let bound = s.bound.map { Markup.num($0) } ?? "none"
        let gap = s.gap.map { Markup.fixed($0 * 100, digits: 2) + " %" } ?? "n/a"
        return "solver \(s.method) · status \(s.status) · bound \(bound) · gap \(gap) · \(Markup.fixed(s.seconds, digits: 1)) s"
    }

    private static func objectiveTerms(_ o: ObjectiveBreakdown) -> String {
        var terms = "unscheduled \(Markup.num(o.unscheduled)) + overtime \(Markup.num(o.overtime)) + wait \(Markup.num(o.wait))"
            + " + preference \(Markup.num(o.preference)) + peak load \(Markup.num(o.peakLoad))"
        if let c = o.changes { terms += " + changes \(Markup.num(c))" }
        return terms
    }

    // MARK: Legend

    private mutating func drawLegend() {
        var entries: [(fill: String, opacity: String?, label: String, title: String)] = []
        for (i, r) in day.regimens.enumerated() {
            entries.append((RegimenPalette.fill(i), nil, Self.short(r.id, 20),
                            "regimen \(r.id): \(r.chairMinutes) min in chair, acuity \(r.acuity)"))
        }
        entries += [
            (RegimenPalette.fill(0), "0.35", "chair held (waiting, cleaning)", "the chair is taken but not treating"),
            (RegimenPalette.chairDraw, nil, "lab draw at the chair", "labs drawn through the port at the chair"),
            (RegimenPalette.unavailable, nil, "unavailable / closed / off shift", "time the chair, pharmacy, lab or nurse cannot be used"),
            (RegimenPalette.intensive, nil, "intensive nurse minutes", "access, pre-medication and disconnection"),
            (RegimenPalette.overload, nil, "conflict / over capacity", "intensive minutes that collide, or acuity above capacity"),
            (RegimenPalette.breakTime, nil, "nurse break", "the nurse's break"),
            (RegimenPalette.load, nil, "acuity in chair", "acuity of the nurse's patients in chair"),
            (RegimenPalette.close, nil, "clinic close", "treatment after this line is overtime"),
        ]
        var lx = Self.margin
        y += 4
        body.open("g", [("class", "legend")])
        for entry in entries {
            let itemWidth = 12 + 4 + Self.textWidth(entry.label) * 0.9 + 14
            if lx + itemWidth > width - Self.margin && lx > Self.margin {
                lx = Self.margin
                y += 16
            }
            body.open("g", [("class", "legend-item")])
            body.element("title", content: entry.title)
            var swatch: [(String, String)] = [("x", Markup.num(lx)), ("y", Markup.num(y)), ("width", "12"), ("height", "12"),
                                              ("fill", entry.fill)]
            if let o = entry.opacity { swatch.append(("fill-opacity", o)) }
            body.empty("rect", swatch)
            body.element("text", [("x", Markup.num(lx + 16)), ("y", Markup.num(y + 10))], content: entry.label)
            body.close("g")
            lx += itemWidth
        }
        body.close("g")
        y += 16 + 10
    }

    // MARK: Time frame

    /// Hour labels above `top`, and hour gridlines, the close and the latest end from `top`
    /// to `bottom`: drawn before the rows so that the bars sit on top.
    private mutating func drawTimeFrame(top: Double, bottom: Double, closeLabel: Bool) {
        body.open("g", [("class", "time-frame")])
        var hour = (picture.axis.lowerBound + 59) / 60 * 60
        while hour <= picture.axis.upperBound {
            let hx = Markup.num(x(hour))
            body.empty("line", [("class", "grid"), ("x1", hx), ("y1", Markup.num(top)), ("x2", hx), ("y2", Markup.num(bottom)),
                                ("stroke", "#e3e3e3")])
            hour += 60
        }
        let cx = Markup.num(x(day.close))
        body.empty("line", [("class", "close-line"), ("x1", cx), ("y1", Markup.num(top)), ("x2", cx), ("y2", Markup.num(bottom)),
                            ("stroke", RegimenPalette.close), ("stroke-width", "1.5"), ("stroke-dasharray", "5 3")])
        let lx = Markup.num(x(day.latestEnd))
        body.empty("line", [("class", "latest-end-line"), ("x1", lx), ("y1", Markup.num(top)), ("x2", lx), ("y2", Markup.num(bottom)),
                            ("stroke", "#424242"), ("stroke-width", "1"), ("stroke-dasharray", "2 2")])
        drawHourLabels(baseline: top - 4)
        if closeLabel {
            body.element("text", [("x", Markup.num(x(day.close) + 3)), ("y", Markup.num(top + 10)), ("fill", RegimenPalette.close)],
                         content: "close \(Self.hhmm(day.close))")
        }
        body.close("g")
    }

    /// Hour labels again further down a long section, so that a scrolled picture keeps its clock.
    private mutating func drawHourLabels(baseline: Double, clearOf left: Double = 0) {
        var hour = (picture.axis.lowerBound + 59) / 60 * 60
        while hour <= picture.axis.upperBound {
            defer { hour += 60 }
            guard x(hour) - 16 > left else { continue }
            body.element("text", [("class", "hour"), ("x", Markup.num(x(hour))), ("y", Markup.num(baseline))], content: Self.hhmm(hour))
        }
    }

    /// A section title with room for the hour labels below it.
    private mutating func drawSectionTitle(_ title: String) {
        y += 14
        body.element("text", [("class", "h2"), ("x", Markup.num(Self.margin)), ("y", Markup.num(y))], content: title)
        y += Self.axisBand
    }

    /// A rectangle over `interval` on the axis; nothing when the interval is empty there.
    private mutating func bar(_ kind: String, _ interval: Range<Int>, top: Double, height: Double, fill: String,
                              _ extra: [(String, String)] = []) {
        let clipped = interval.clamped(to: picture.axis)
        guard !clipped.isEmpty else { return }
        let x0 = x(clipped.lowerBound), x1 = x(clipped.upperBound)
        body.empty("rect", [("class", kind), ("x", Markup.num(x0)), ("y", Markup.num(top)), ("width", Markup.num(x1 - x0)),
                            ("height", Markup.num(height)), ("fill", fill)] + extra)
    }

    /// The stretches of the axis outside `windows` (sorted, disjoint).
    private func gaps(outside windows: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var cursor = picture.axis.lowerBound
        for w in windows {
            let c = w.clamped(to: picture.axis)
            if c.isEmpty { continue }
            if c.lowerBound > cursor { out.append(cursor..<c.lowerBound) }
            cursor = max(cursor, c.upperBound)
        }
        if cursor < picture.axis.upperBound { out.append(cursor..<picture.axis.upperBound) }
        return out
    }

    /// A row label with the full text on hover.
    private mutating func rowLabel(_ text: String, top: Double, height: Double, title: String, sub: String? = nil) {
        body.open("text", [("class", "row-label"), ("x", Markup.num(Self.margin)), ("y", Markup.num(top + min(height, 18) - 5))])
        body.element("title", content: title)
        body.raw(Markup.escape(Self.short(text, 18)))
        body.close("text")
        if let sub {
            body.element("text", [("class", "muted"), ("x", Markup.num(Self.margin)), ("y", Markup.num(top + 27))],
                         content: Self.short(sub, 20))
        }
    }

    /// The request id inside a bar when it fits.
    private mutating func barLabel(_ text: String, _ interval: Range<Int>, top: Double, ink: String) {
        let clipped = interval.clamped(to: picture.axis)
        let w = x(clipped.upperBound) - x(clipped.lowerBound)
        guard Self.textWidth(text) + 4 <= w else { return }
        body.element("text", [("class", "bar-label"), ("x", Markup.num(x(clipped.lowerBound) + 2)), ("y", Markup.num(top + 11)),
                              ("fill", ink)], content: text)
    }

    // MARK: Chairs

    private mutating func drawChairs() {
        drawSectionTitle("Chairs (\(day.chairs.count))")
        let types = day.chairTypeNames.indices.filter { t in day.chairs.contains { $0.type == t } }
        let top = y
        let bottom = top + Double(types.count) * Self.typeHeader + Double(day.chairs.count) * Self.chairRow
        drawTimeFrame(top: top, bottom: bottom, closeLabel: true)

        var byChair = [[Int]](repeating: [], count: day.chairs.count)
        for (i, item) in picture.items.enumerated() { byChair[item.placement.chair].append(i) }
        var row = 0
        for t in types {
            let members = day.chairs.indices.filter { day.chairs[$0].type == t }
            let header = "\(Self.short(day.chairTypeNames[t], 30)) · \(members.count) chair\(members.count == 1 ? "" : "s")"
            body.element("text", [("class", "chair-type"), ("data-type", day.chairTypeNames[t]), ("x", Markup.num(Self.margin)),
                                  ("y", Markup.num(y + 13)), ("font-weight", "bold")], content: header)
            if t != types.first { drawHourLabels(baseline: y + 13, clearOf: Self.margin + Self.textWidth(header) * 1.1) }
            y += Self.typeHeader
            for c in members {
                drawChairRow(c, items: byChair[c], shade: row % 2 == 1)
                row += 1
                y += Self.chairRow
            }
        }
        y = bottom + 6
    }

    private mutating func drawChairRow(_ c: Int, items: [Int], shade: Bool) {
        let chair = day.chairs[c]
        let typeName = day.chairTypeNames[chair.type]
        body.open("g", [("class", "chair-row"), ("data-chair", chair.id), ("data-type", typeName)])
        rowLabel(chair.id, top: y, height: Self.chairRow,
                 title: "chair \(chair.id) · \(typeName) · available " + chair.windows.map(Self.span).joined(separator: ", "))
        if shade {
            bar("row-bg", picture.axis, top: y, height: Self.chairRow, fill: "#000000", [("fill-opacity", "0.03")])
        }
        for g in gaps(outside: chair.windows) {
            bar("unavailable", g, top: y + 1, height: Self.chairRow - 2, fill: RegimenPalette.unavailable)
        }
        let ordered = items.sorted {
            let a = picture.items[$0].placement, b = picture.items[$1].placement
            return (a.start, a.request, $0) < (b.start, b.request, $1)
        }
        for i in ordered { drawAppointment(i) }
        body.close("g")
    }

    private mutating func drawAppointment(_ i: Int) {
        let item = picture.items[i]
        let p = item.placement
        let reg = day.regimen(of: p.request)
        let regimenIndex = day.requests[p.request].regimen
        let fill = RegimenPalette.fill(regimenIndex)
        let end = day.end(of: p)
        let requestId = day.requests[p.request].id
        let top = y + 2, h = Self.chairRow - 4
        body.open("g", [("class", "appt-group")])
        body.element("title", content: appointmentTitle(item))
        if let d = p.drawStart, p.station == nil, d < p.start {
            bar("chair-wait", d..<p.start, top: top, height: h, fill: fill, [("fill-opacity", "0.35")])
            bar("chair-draw", d..<min(p.start, d + day.drawMinutes), top: top, height: h, fill: RegimenPalette.chairDraw,
                [("data-request", requestId)])
        }
        bar("appt", p.start..<max(end, p.start + 1), top: top, height: h, fill: fill,
            [("data-request", requestId), ("data-chair", day.chairs[p.chair].id), ("data-nurse", day.nurses[p.nurse].id),
             ("data-regimen", reg.id), ("data-start", "\(p.start)"), ("data-end", "\(end)")])
        if reg.bufferMinutes > 0 {
            bar("buffer", end..<(end + reg.bufferMinutes), top: top, height: h, fill: fill, [("fill-opacity", "0.35")])
        }
        barLabel(requestId, p.start..<end, top: top, ink: RegimenPalette.ink(regimenIndex))
        body.close("g")
    }

    private func appointmentTitle(_ item: DayPicture.Item) -> String {
        let p = item.placement
        let reg = day.regimen(of: p.request)
        let end = day.end(of: p)
        var lines = [
            "\(day.requests[p.request].id) · regimen \(reg.id) · acuity \(reg.acuity)",
            "chair \(day.chairs[p.chair].id) (\(day.chairTypeNames[day.chairs[p.chair].type])) · nurse \(day.nurses[p.nurse].id)",
            "arrival \(Self.hhmm(p.arrival)) · in chair \(Self.span(p.start..<max(end, p.start))) · chair free \(Self.hhmm(end + reg.bufferMinutes))",
        ]
        if let prep = p.prepStart {
            let compounder = p.compounder.map { "\($0 + 1)" } ?? "?"
            lines.append("prep \(Self.span(prep..<(prep + reg.prepMinutes))) on compounder \(compounder)")
        }
        if let d = p.drawStart {
            let place = p.station.map { "at station \($0 + 1)" } ?? "at the chair"
            lines.append("lab draw \(Self.span(d..<(d + day.drawMinutes))) \(place) · results \(Self.hhmm(d + day.drawMinutes + day.turnaroundMinutes))")
            let wait = p.start - d - day.inherentLead(of: p.request)
            if wait > 0 { lines.append("excess wait \(wait) min") }
        }
        if end > day.close { lines.append("overtime \(end - day.close) min") }
        return lines.joined(separator: "\n")
    }

    // MARK: Nurses

    private mutating func drawNurses() {
        drawSectionTitle("Nurses (\(day.nurses.count)): acuity in chair against capacity")
        let top = y
        let bottom = top + Double(day.nurses.count) * Self.nurseRow
        drawTimeFrame(top: top, bottom: bottom, closeLabel: false)
        for n in day.nurses.indices {
            drawNurseRow(n)
            y += Self.nurseRow
        }
        y = bottom + 6
    }

    private mutating func drawNurseRow(_ n: Int) {
        let nurse = day.nurses[n]
        let steps = picture.loadSteps(nurse: n)
        let peak = steps.map(\.acuity).max() ?? 0
        let plotTop = y + 4, plotHeight = 28.0
        let scaleMax = Double(max(nurse.capacity, peak))
        func level(_ a: Int) -> Double { plotTop + plotHeight - plotHeight * Double(a) / scaleMax }

        body.open("g", [("class", "nurse-row"), ("data-nurse", nurse.id), ("data-capacity", "\(nurse.capacity)"), ("data-peak", "\(peak)")])
        var title = "nurse \(nurse.id) · shift \(Self.span(nurse.shift)) · capacity \(nurse.capacity) · peak acuity \(peak)"
        if !nurse.breakTime.isEmpty { title += " · break \(Self.span(nurse.breakTime))" }
        rowLabel(nurse.id, top: y, height: Self.nurseRow, title: title, sub: "cap \(nurse.capacity) · peak \(peak)")
        for g in gaps(outside: [nurse.shift]) {
            bar("off-shift", g, top: y + 1, height: Self.nurseRow - 2, fill: RegimenPalette.unavailable)
        }
        if !nurse.breakTime.isEmpty {
            body.open("g", [("class", "break-group")])
            body.element("title", content: "break \(Self.span(nurse.breakTime))")
            bar("break", nurse.breakTime, top: y + 1, height: Self.nurseRow - 2, fill: RegimenPalette.breakTime)
            body.close("g")
        }
        for step in steps {
            let within = min(step.acuity, nurse.capacity)
            body.open("g", [("class", "load-step")])
            body.element("title", content: "\(Self.span(step.span)) · acuity \(step.acuity) of capacity \(nurse.capacity)")
            bar("load", step.span, top: level(within), height: level(0) - level(within), fill: RegimenPalette.load,
                [("data-acuity", "\(step.acuity)")])
            if step.acuity > nurse.capacity {
                bar("overload", step.span, top: level(step.acuity), height: level(within) - level(step.acuity), fill: RegimenPalette.overload)
            }
            body.close("g")
        }
        let shift = nurse.shift.clamped(to: picture.axis)
        if !shift.isEmpty {
            let cy = Markup.num(level(nurse.capacity))
            body.empty("line", [("class", "capacity"), ("x1", Markup.num(x(shift.lowerBound))), ("y1", cy),
                                ("x2", Markup.num(x(shift.upperBound))), ("y2", cy), ("stroke", RegimenPalette.capacity),
                                ("stroke-width", "1"), ("stroke-dasharray", "4 2")])
        }
        for mark in picture.intensiveMinutes(nurse: n) {
            let requestId = day.requests[picture.items[mark.item].placement.request].id
            body.open("g", [("class", "intensive-group")])
            body.element("title", content: "\(requestId) · intensive \(Self.span(mark.span))" + (mark.conflict ? " · CONFLICT" : ""))
            bar(mark.conflict ? "intensive conflict" : "intensive", mark.span, top: plotTop + plotHeight + 2, height: 6,
                fill: mark.conflict ? RegimenPalette.overload : RegimenPalette.intensive, [("data-request", requestId)])
            body.close("g")
        }
        body.close("g")
    }

    // MARK: Pharmacy and lab

    private mutating func drawPharmacy() {
        drawSectionTitle("Pharmacy: preps per compounder (\(day.compounders))")
        var lanes = [[(item: Int, minutes: Range<Int>)]](repeating: [], count: day.compounders)
        var elsewhere = 0
        for (i, item) in picture.items.enumerated() {
            guard let start = item.placement.prepStart else { continue }
            let minutes = start..<(start + day.regimen(of: item.placement.request).prepMinutes)
            if let c = item.placement.compounder, lanes.indices.contains(c) { lanes[c].append((i, minutes)) } else { elsewhere += 1 }
        }
        drawLanes(kind: "compounder", label: "compounder", lanes: lanes, closedBefore: day.pharmacyOpen, opening: "pharmacy opens")
        if elsewhere > 0 { note("\(elsewhere) prep(s) on a compounder this day does not have are not drawn") }
    }

    private mutating func drawLab() {
        drawSectionTitle("Lab: draws per station (\(day.stations))")
        var lanes = [[(item: Int, minutes: Range<Int>)]](repeating: [], count: day.stations)
        var atChair = 0, elsewhere = 0
        for (i, item) in picture.items.enumerated() {
            guard let d = item.placement.drawStart else { continue }
            if let s = item.placement.station {
                if lanes.indices.contains(s) { lanes[s].append((i, d..<(d + day.drawMinutes))) } else { elsewhere += 1 }
            } else {
                atChair += 1
            }
        }
        drawLanes(kind: "station", label: "station", lanes: lanes, closedBefore: day.labOpen, opening: "lab opens")
        note("\(atChair) draw(s) at the chair, shown in the chair rows")
        if elsewhere > 0 { note("\(elsewhere) draw(s) at a station this day does not have are not drawn") }
    }

    private mutating func note(_ text: String) {
        y += 12
        body.element("text", [("class", "muted"), ("x", Markup.num(plotLeft)), ("y", Markup.num(y))], content: text)
        y += 4
    }

    /// One row per compounder or station with its bars: each lane lists items with their minutes.
    private mutating func drawLanes(kind: String, label: String, lanes: [[(item: Int, minutes: Range<Int>)]],
                                    closedBefore: Int, opening: String) {
        let top = y
        let bottom = top + Double(lanes.count) * Self.laneRow
        drawTimeFrame(top: top, bottom: bottom, closeLabel: false)
        let barClass = kind == "compounder" ? "prep" : "draw"
        for (lane, members) in lanes.enumerated() {
            body.open("g", [("class", kind + "-row"), ("data-" + kind, "\(lane + 1)")])
            rowLabel("\(label) \(lane + 1)", top: y, height: Self.laneRow, title: "\(label) \(lane + 1) · \(opening) \(Self.hhmm(closedBefore))")
            bar("closed", picture.axis.lowerBound..<max(picture.axis.lowerBound, closedBefore), top: y + 1, height: Self.laneRow - 2,
                fill: RegimenPalette.unavailable)
            let ordered = members.sorted { ($0.minutes.lowerBound, $0.item) < ($1.minutes.lowerBound, $1.item) }
            for (i, minutes) in ordered {
                let p = picture.items[i].placement
                let requestId = day.requests[p.request].id
                let regimenIndex = day.requests[p.request].regimen
                body.open("g", [("class", barClass + "-group")])
                body.element("title", content: laneTitle(i, kind: barClass, minutes: minutes, lane: lane))
                bar(barClass, minutes, top: y + 2, height: Self.laneRow - 4, fill: RegimenPalette.fill(regimenIndex),
                    [("data-request", requestId)])
                barLabel(requestId, minutes, top: y + 2, ink: RegimenPalette.ink(regimenIndex))
                body.close("g")
            }
            body.close("g")
            y += Self.laneRow
        }
        y = bottom + 2
    }

    private func laneTitle(_ i: Int, kind: String, minutes: Range<Int>, lane: Int) -> String {
        let p = picture.items[i].placement
        let requestId = day.requests[p.request].id
        let reg = day.regimen(of: p.request)
        let chair = day.chairs[p.chair].id
        if kind == "prep" {
            var text = "\(requestId) · prep of \(reg.id) \(Self.span(minutes)) on compounder \(lane + 1) · treatment \(Self.hhmm(p.start)) on \(chair)"
            if let s = reg.stabilityMinutes { text += " · stable \(s) min" }
            return text
        }
        return "\(requestId) · lab draw \(Self.span(minutes)) at station \(lane + 1) · results \(Self.hhmm(minutes.upperBound + day.turnaroundMinutes))"
            + " · treatment \(Self.hhmm(p.start)) on \(chair)"
    }
}
