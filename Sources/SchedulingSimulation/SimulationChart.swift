import SchedulingModel

/// A simulation report as a self-contained SVG picture: the distribution of patient waits and
/// of overtime (histograms), and the chairs in use per hour (the runs' p10–p90 band and median
/// over the plan's own line).
///
/// No scripts, no outside references; the same report always gives the same bytes. The marks
/// carry classes (`wait-bar`, `overtime-bar`, `occupancy-band`, `occupancy-median`,
/// `plan-occupancy`) that `scripts/render-check.sh` counts in the browser's DOM.
public enum SimulationChart {
    private static let panelWidth = 300.0, panelHeight = 220.0
    private static let left = 60.0, top = 80.0, gutter = 70.0
    private static let barColour = "#1f6fb4", overtimeColour = "#c0392b", bandColour = "#9ecae1", planColour = "#333333"

    /// The picture of `report`.
    public static func svg(of report: SimulationReport) -> String {
        let width = left + 3 * panelWidth + 2 * gutter + 24
        let height = top + panelHeight + 80
        var m = Markup()
        m.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        m.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", Markup.num(width)), ("height", Markup.num(height)),
                       ("viewBox", "0 0 \(Markup.num(width)) \(Markup.num(height))"), ("font-family", "sans-serif"), ("font-size", "12")])
        m.raw("\n")
        m.element("title", content: "Simulated day \(report.date): \(report.runs) runs of \(report.appointments) appointments")
        m.empty("rect", [("width", Markup.num(width)), ("height", Markup.num(height)), ("fill", "#ffffff")])
        m.element("text", [("x", Markup.num(left)), ("y", "24"), ("font-size", "15"), ("font-weight", "bold")],
                  content: "Simulated day \(report.date): \(report.runs) runs of \(report.appointments) appointments (seed \(report.seed))")

        histogram(&m, report.waitHistogram, originX: left, colour: barColour, cssClass: "wait-bar",
                  title: "Patient wait (every patient, every run)", xLabel: "minutes waited", yLabel: "patients",
                  note: "p50 \(report.wait.p50) · p90 \(report.wait.p90) · max \(report.wait.max) min")
        let x2 = left + panelWidth + gutter
        histogram(&m, report.overtimeHistogram, originX: x2, colour: overtimeColour, cssClass: "overtime-bar",
                  title: "Overtime per day (Σ minutes after closing)", xLabel: "overtime minutes", yLabel: "runs",
                  note: "p50 \(report.overtime.p50) · p90 \(report.overtime.p90) min · any: \(Markup.fixed(report.overtimeProbability * 100, digits: 1)) %")
        occupancy(&m, report, originX: x2 + panelWidth + gutter)
        m.close("svg")
        return m.text
    }

    private static func frame(_ m: inout Markup, originX: Double, title: String, xLabel: String, note: String) {
        m.element("text", [("x", Markup.num(originX)), ("y", Markup.num(top - 26)), ("font-weight", "bold")], content: title)
        m.element("text", [("x", Markup.num(originX)), ("y", Markup.num(top - 10)), ("fill", "#555555")], content: note)
        m.empty("rect", [("x", Markup.num(originX)), ("y", Markup.num(top)), ("width", Markup.num(panelWidth)),
                         ("height", Markup.num(panelHeight)), ("fill", "none"), ("stroke", "#333333")])
        m.element("text", [("x", Markup.num(originX + panelWidth / 2)), ("y", Markup.num(top + panelHeight + 36)), ("text-anchor", "middle")],
                  content: xLabel)
    }

    private static func yTicks(_ m: inout Markup, originX: Double, top value: Double, format: (Double) -> String) {
        for i in 0...4 {
            let v = value * Double(i) / 4
            let y = top + panelHeight - Double(i) / 4 * panelHeight
            m.empty("line", [("x1", Markup.num(originX)), ("y1", Markup.num(y)), ("x2", Markup.num(originX + panelWidth)),
                             ("y2", Markup.num(y)), ("stroke", "#e5e5e5")])
            m.element("text", [("x", Markup.num(originX - 6)), ("y", Markup.num(y + 4)), ("text-anchor", "end")], content: format(v))
        }
    }

    private static func histogram(_ m: inout Markup, _ h: SimulationReport.Histogram, originX: Double, colour: String, cssClass: String,
                                  title: String, xLabel: String, yLabel: String, note: String) {
        frame(&m, originX: originX, title: title, xLabel: xLabel, note: note)
        let largest = Double(max(1, h.counts.max() ?? 1))
        yTicks(&m, originX: originX, top: largest) { Markup.fixed($0, digits: 0) }
        let barWidth = panelWidth / Double(max(1, h.counts.count))
        for (i, count) in h.counts.enumerated() {
            let height = Double(count) / largest * panelHeight
            let x = originX + Double(i) * barWidth
            m.open("rect", [("class", cssClass), ("x", Markup.num(x + 0.5)), ("y", Markup.num(top + panelHeight - height)),
                            ("width", Markup.num(max(0.5, barWidth - 1))), ("height", Markup.num(height)), ("fill", colour)])
            m.element("title", content: "\(i * h.binMinutes)–\(( i + 1) * h.binMinutes) min: \(count) \(yLabel)")
            m.close("rect")
        }
        // Bin edges along the bottom: at most six labels.
        let step = max(1, (h.counts.count + 5) / 6)
        for i in stride(from: 0, through: h.counts.count, by: step) {
            let x = originX + Double(i) * barWidth
            m.element("text", [("x", Markup.num(x)), ("y", Markup.num(top + panelHeight + 16)), ("text-anchor", "middle")],
                      content: String(i * h.binMinutes))
        }
    }

    private static func occupancy(_ m: inout Markup, _ report: SimulationReport, originX: Double) {
        let hours = report.occupancy
        frame(&m, originX: originX, title: "Chairs in use per hour", xLabel: "hour of the day",
              note: "band: runs' p10–p90 · line: median · dashed: the plan")
        let largest = max(1, hours.map { max($0.p90, $0.plan) }.max() ?? 1).rounded(.up)
        yTicks(&m, originX: originX, top: largest) { Markup.num($0) }
        guard !hours.isEmpty else { return }
        let slot = panelWidth / Double(hours.count)
        func x(_ i: Int) -> Double { originX + (Double(i) + 0.5) * slot }
        func y(_ v: Double) -> Double { top + panelHeight - v / largest * panelHeight }
        let upper = hours.indices.map { Markup.num(x($0)) + "," + Markup.num(y(hours[$0].p90)) }
        let lower = hours.indices.reversed().map { Markup.num(x($0)) + "," + Markup.num(y(hours[$0].p10)) }
        m.empty("polygon", [("class", "occupancy-band"), ("points", (upper + lower).joined(separator: " ")),
                            ("fill", bandColour), ("fill-opacity", "0.7"), ("stroke", "none")])
        m.empty("polyline", [("class", "occupancy-median"),
                             ("points", hours.indices.map { Markup.num(x($0)) + "," + Markup.num(y(hours[$0].p50)) }.joined(separator: " ")),
                             ("fill", "none"), ("stroke", barColour), ("stroke-width", "2")])
        m.empty("polyline", [("class", "plan-occupancy"),
                             ("points", hours.indices.map { Markup.num(x($0)) + "," + Markup.num(y(hours[$0].plan)) }.joined(separator: " ")),
                             ("fill", "none"), ("stroke", planColour), ("stroke-width", "2"), ("stroke-dasharray", "5 3")])
        let step = max(1, (hours.count + 5) / 6)
        for i in stride(from: 0, to: hours.count, by: step) {
            m.element("text", [("x", Markup.num(x(i))), ("y", Markup.num(top + panelHeight + 16)), ("text-anchor", "middle")],
                      content: SimulationReport.clock(hours[i].hour))
        }
    }
}
