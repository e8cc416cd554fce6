import Foundation
import SchedulingModel
import SchedulingRules
import SchedulingSolvers

import SchedulingGenerator

/// The scaling series as a self-contained SVG line chart: seconds per solve against the number
/// of requests (log scale, greedy and MIP), and beside it the MIP's proven gap.
///
/// The same rows always give the same bytes: no dates, no random ids, numbers written without locale.
public enum ScalingChart {
    /// One size of the scaling series: its day and the rows of each method.
    public struct Point: Sendable {
        /// Requests in the day.
        public var requests: Int
        /// Chairs in the day.
        public var chairs: Int
        /// Nurses in the day.
        public var nurses: Int
        /// The greedy row, when greedy was run.
        public var greedy: BenchRow?
        /// The MIP row, when the MIP was run.
        public var mip: BenchRow?
        /// The day's LP relaxation bound, when found.
        public var relaxationBound: Double?
    }

    /// The points of `rows` (one per day, in the order of the rows' first appearance).
    public static func points(of rows: [BenchRow]) -> [Point] {
        var days: [String] = []
        for row in rows where !days.contains(row.day) { days.append(row.day) }
        return days.map { day in
            let mine = rows.filter { $0.day == day }
            return Point(requests: mine[0].requests, chairs: mine[0].chairs, nurses: mine[0].nurses,
                         greedy: mine.first { $0.method == .greedy },
                         mip: mine.first { $0.method == .mip },
                         relaxationBound: mine.first { $0.relaxationBound != nil }?.relaxationBound)
        }
    }

    private static let greedyColour = "#1f6fb4", mipColour = "#c0392b"
    private static let panelWidth = 330.0, panelHeight = 240.0
    private static let left = 64.0, top = 48.0, gutter = 90.0

    /// The chart of `rows` (the scaling series) as an SVG document.
    public static func svg(of rows: [BenchRow]) -> String {
        let points = points(of: rows).sorted { $0.requests < $1.requests }
        let width = left + panelWidth + gutter + panelWidth + 24
        let height = top + panelHeight + 78
        var m = Markup()
        m.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        m.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", Markup.num(width)), ("height", Markup.num(height)),
                       ("viewBox", "0 0 \(Markup.num(width)) \(Markup.num(height))"), ("font-family", "sans-serif"), ("font-size", "12")])
        m.raw("\n")
        m.element("title", content: "Solve time and MIP gap against day size")
        m.empty("rect", [("width", Markup.num(width)), ("height", Markup.num(height)), ("fill", "#ffffff")])
        m.element("text", [("x", Markup.num(left)), ("y", "22"), ("font-size", "15"), ("font-weight", "bold")],
                  content: "Scaling: requests at a fixed chair and nurse ratio")

        let maxRequests = Double(max(1, points.map(\.requests).max() ?? 1))
        func x(_ requests: Int, _ originX: Double) -> Double { originX + Double(requests) / maxRequests * panelWidth }

        // Left: seconds, log scale over whole decades.
        let times = points.flatMap { [$0.greedy?.seconds, $0.mip?.seconds].compactMap { $0 } }.filter { $0 > 0 }
        let lowDecade = Int(floor(log10(times.min() ?? 0.001)))
        let highDecade = max(lowDecade + 1, Int(ceil(log10(times.max() ?? 1))))
        func yTime(_ s: Double) -> Double {
            let v = (log10(max(s, pow(10, Double(lowDecade)))) - Double(lowDecade)) / Double(highDecade - lowDecade)
            return top + panelHeight - v * panelHeight
        }
        let timeTicks = (lowDecade...highDecade).map { decade -> (Double, String) in
            let value = pow(10, Double(decade))
            return (yTime(value), decade >= 0 ? Markup.num(value) + " s" : Markup.num(value * 1000) + " ms")
        }
        axes(&m, originX: left, title: "seconds per solve (log scale)", yTicks: timeTicks, maxRequests: maxRequests)
        line(&m, points.compactMap { p in p.greedy.map { (x(p.requests, left), yTime($0.seconds)) } }, colour: greedyColour)
        line(&m, points.compactMap { p in p.mip.map { (x(p.requests, left), yTime($0.seconds)) } }, colour: mipColour)

        // Right: the MIP's proven gap in percent, linear from 0.
        let right = left + panelWidth + gutter
        let gaps = points.compactMap { $0.mip?.gap }.map { $0 * 100 }
        let gapTop = niceCeiling(max(1, gaps.max() ?? 1))
        func yGap(_ percent: Double) -> Double { top + panelHeight - percent / gapTop * panelHeight }
        let gapTicks = (0...4).map { i -> (Double, String) in
            let value = gapTop * Double(i) / 4
            return (yGap(value), Markup.fixed(value, digits: value < 10 ? 2 : 0, trim: true) + "%")
        }
        axes(&m, originX: right, title: "MIP proven gap", yTicks: gapTicks, maxRequests: maxRequests)
        line(&m, points.compactMap { p in p.mip?.gap.map { (x(p.requests, right), yGap($0 * 100)) } }, colour: mipColour)

        // Legend under the panels.
        let legendY = top + panelHeight + 58
        for (i, (name, colour)) in [("greedy", greedyColour), ("MIP", mipColour)].enumerated() {
            let lx = left + Double(i) * 110
            m.empty("line", [("x1", Markup.num(lx)), ("y1", Markup.num(legendY - 4)), ("x2", Markup.num(lx + 24)),
                             ("y2", Markup.num(legendY - 4)), ("stroke", colour), ("stroke-width", "2")])
            m.element("text", [("x", Markup.num(lx + 30)), ("y", Markup.num(legendY))], content: name)
        }
        m.close("svg")
        return m.text
    }

    /// The smallest of 1, 2, 5 × 10^k that is at least `v`.
    static func niceCeiling(_ v: Double) -> Double {
        var scale = pow(10, floor(log10(v)))
        while true {
            for step in [1.0, 2, 5] where step * scale >= v - 1e-12 { return step * scale }
            scale *= 10
        }
    }

    private static func axes(_ m: inout Markup, originX: Double, title: String, yTicks: [(Double, String)], maxRequests: Double) {
        let bottom = top + panelHeight
        m.element("text", [("x", Markup.num(originX)), ("y", Markup.num(top - 10)), ("font-weight", "bold")], content: title)
        for (y, label) in yTicks {
            m.empty("line", [("x1", Markup.num(originX)), ("y1", Markup.num(y)), ("x2", Markup.num(originX + panelWidth)),
                             ("y2", Markup.num(y)), ("stroke", "#dddddd")])
            m.element("text", [("x", Markup.num(originX - 6)), ("y", Markup.num(y + 4)), ("text-anchor", "end")], content: label)
        }
        for i in 0...4 {
            let requests = maxRequests * Double(i) / 4
            let x = originX + Double(i) / 4 * panelWidth
            m.empty("line", [("x1", Markup.num(x)), ("y1", Markup.num(bottom)), ("x2", Markup.num(x)), ("y2", Markup.num(bottom + 4)), ("stroke", "#333333")])
            m.element("text", [("x", Markup.num(x)), ("y", Markup.num(bottom + 18)), ("text-anchor", "middle")],
                      content: Markup.fixed(requests, digits: 0))
        }
        m.empty("rect", [("x", Markup.num(originX)), ("y", Markup.num(top)), ("width", Markup.num(panelWidth)),
                         ("height", Markup.num(panelHeight)), ("fill", "none"), ("stroke", "#333333")])
        m.element("text", [("x", Markup.num(originX + panelWidth / 2)), ("y", Markup.num(bottom + 36)), ("text-anchor", "middle")],
                  content: "requests")
    }

    private static func line(_ m: inout Markup, _ points: [(Double, Double)], colour: String) {
        guard !points.isEmpty else { return }
        m.empty("polyline", [("points", points.map { Markup.num($0.0) + "," + Markup.num($0.1) }.joined(separator: " ")),
                             ("fill", "none"), ("stroke", colour), ("stroke-width", "2")])
        for (x, y) in points {
            m.empty("circle", [("cx", Markup.num(x)), ("cy", Markup.num(y)), ("r", "3"), ("fill", colour)])
        }
    }
}
