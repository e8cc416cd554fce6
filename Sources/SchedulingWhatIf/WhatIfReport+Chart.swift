import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingReplan
import SchedulingGenerator

extension WhatIfReport {
    /// A self-contained SVG chart: patients treated (solid, with requests dashed) and overtime
    /// minutes, per scenario.
    ///
    /// With a grid, the x axis is the first grid dimension and each value of the second
    /// dimension is its own line; without one, the x axis lists the scenarios in order.
    public func svgChart() -> String {
        // Categories along x, and per series the scenario shown at each category.
        var categories: [String] = []
        var series: [(name: String, scenarios: [Int?])] = []
        if let first = grid.first {
            categories = first.values.map { Self.axisLabel($0, of: first.dimension) }
            let second = grid.count > 1 ? grid[1] : nil
            let lines = second?.values.count ?? 1
            for line in 0..<lines {
                var cells = [Int?](repeating: nil, count: categories.count)
                for (s, scenario) in scenarios.enumerated() {
                    guard let point = scenario.gridPoint, point.count == grid.count, point.count < 2 || point[1] == line else { continue }
                    cells[point[0]] = s
                }
                let name = second.map { "\($0.dimension) = \(Self.axisLabel($0.values[line], of: $0.dimension))" } ?? "scenarios"
                series.append((name, cells))
            }
        } else {
            // Long names are cut so that slanted labels stay inside their band.
            categories = scenarios.map { $0.name.count > 28 ? String($0.name.prefix(27)) + "…" : $0.name }
            series = [("scenarios", scenarios.indices.map { $0 })]
        }

        let palette = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#138d90", "#7f8c8d", "#b7950b"]
        let width = 860.0, left = 70.0, right = 30.0
        let rotate = categories.count > 6 || categories.contains { $0.count > 10 }
        let labelSpace = rotate ? 150.0 : 44.0
        // Grid values are ordered, so their points are joined; separate scenarios are not.
        let joined = !grid.isEmpty
        let axisTitle = grid.first.map { axis -> String in
            switch axis.dimension {
            case .chairs, .nurses, .compounders, .labStations: return "\(axis.dimension) added (+) or removed (-)"
            default: return axis.dimension.description
            }
        } ?? "scenario"
        let panelHeight = 200.0
        let legendTop = 44.0
        let legendHeight = 20.0 * Double(series.count > 1 ? series.count : 1)
        let firstTop = legendTop + legendHeight + 30
        let secondTop = firstTop + panelHeight + labelSpace + 40
        let height = secondTop + panelHeight + labelSpace + 20
        let plotWidth = width - left - right
        func x(_ i: Int) -> Double {
            categories.count == 1 ? left + plotWidth / 2 : left + 30 + Double(i) * (plotWidth - 60) / Double(categories.count - 1)
        }

        var m = Markup()
        m.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        m.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", Markup.num(width)), ("height", Markup.num(height)),
                       ("viewBox", "0 0 \(Markup.num(width)) \(Markup.num(height))"),
                       ("font-family", "Helvetica, Arial, sans-serif"), ("font-size", "12")])
        m.raw("\n")
        m.empty("rect", [("x", "0"), ("y", "0"), ("width", Markup.num(width)), ("height", Markup.num(height)), ("fill", "#ffffff")])
        m.element("text", [("x", Markup.num(left)), ("y", "24"), ("font-size", "16"), ("font-weight", "bold")],
                  content: "What-if: \(baseSummary), \(methodSummary)")
        if series.count > 1 {
            for (k, line) in series.enumerated() {
                let y = legendTop + 20 * Double(k)
                m.empty("line", [("x1", Markup.num(left)), ("y1", Markup.num(y)), ("x2", Markup.num(left + 24)), ("y2", Markup.num(y)),
                                 ("stroke", palette[k % palette.count]), ("stroke-width", "3")])
                m.element("text", [("x", Markup.num(left + 32)), ("y", Markup.num(y + 4))], content: line.name)
            }
        } else {
            m.element("text", [("x", Markup.num(left)), ("y", Markup.num(legendTop + 4)), ("fill", "#555555")],
                      content: dayNames.count == 1 ? "one day: \(dayNames[0])" : "means over \(dayNames.count) days")
        }

        func panel(top: Double, title: String, value: @escaping (WhatIfSummary) -> Double, dashed: ((WhatIfSummary) -> Double)?) {
            let bottom = top + panelHeight
            var maximum = 0.0
            for line in series {
                for s in line.scenarios.compactMap({ $0 }) where summaries[s].days > 0 {
                    maximum = max(maximum, value(summaries[s]), dashed?(summaries[s]) ?? 0)
                }
            }
            let step = Self.niceStep(max(maximum, 5) / 5)
            let top = top
            let ceiling = (max(maximum, 5) / step).rounded(.up) * step
            func y(_ v: Double) -> Double { bottom - v / ceiling * panelHeight }
            m.element("text", [("x", Markup.num(left)), ("y", Markup.num(top - 10)), ("font-size", "14"), ("font-weight", "bold")], content: title)
            var tick = 0.0
            while tick <= ceiling + step / 2 {
                m.empty("line", [("x1", Markup.num(left)), ("y1", Markup.num(y(tick))), ("x2", Markup.num(width - right)),
                                 ("y2", Markup.num(y(tick))), ("stroke", tick == 0 ? "#333333" : "#dddddd")])
                m.element("text", [("x", Markup.num(left - 8)), ("y", Markup.num(y(tick) + 4)), ("text-anchor", "end")],
                          content: Self.number(tick, digits: step < 1 ? 1 : 0))
                tick += step
            }
            for (i, label) in categories.enumerated() {
                let lx = x(i), ly = bottom + 18
                var attributes = [("x", Markup.num(lx)), ("y", Markup.num(ly))]
                if rotate {
                    attributes += [("text-anchor", "end"), ("transform", "rotate(-35 \(Markup.num(lx)) \(Markup.num(ly)))")]
                } else {
                    attributes.append(("text-anchor", "middle"))
                }
                m.element("text", attributes, content: label)
            }
            if !rotate {
                m.element("text", [("x", Markup.num(left + plotWidth / 2)), ("y", Markup.num(bottom + labelSpace - 4)),
                                   ("text-anchor", "middle"), ("fill", "#555555")], content: axisTitle)
            }
            for (k, line) in series.enumerated() {
                let colour = palette[k % palette.count]
                for (metric, isDashed) in [(value, false)] + (dashed.map { [($0, true)] } ?? []) {
                    // A scenario with no solved day breaks the line.
                    var runs: [[(Double, Double)]] = [[]]
                    for (i, s) in line.scenarios.enumerated() {
                        if let s, summaries[s].days > 0 {
                            runs[runs.count - 1].append((x(i), y(metric(summaries[s]))))
                        } else if !(runs.last?.isEmpty ?? true) {
                            runs.append([])
                        }
                    }
                    for run in runs where run.count > 1 && joined {
                        var attributes = [("points", run.map { Markup.num($0.0) + "," + Markup.num($0.1) }.joined(separator: " ")),
                                          ("fill", "none"), ("stroke", colour), ("stroke-width", isDashed ? "1.5" : "2.5")]
                        if isDashed { attributes += [("stroke-dasharray", "6 4"), ("stroke-opacity", "0.7")] }
                        m.empty("polyline", attributes)
                    }
                    if isDashed && !joined {
                        // Requests of each separate scenario: a short dashed tick above or at its point.
                        for (i, s) in line.scenarios.enumerated() {
                            guard let s, summaries[s].days > 0 else { continue }
                            let v = y(metric(summaries[s]))
                            m.empty("line", [("x1", Markup.num(x(i) - 14)), ("y1", Markup.num(v)), ("x2", Markup.num(x(i) + 14)),
                                             ("y2", Markup.num(v)), ("stroke", colour), ("stroke-width", "1.5"), ("stroke-dasharray", "4 3")])
                        }
                    }
                    guard !isDashed else { continue }
                    for (i, s) in line.scenarios.enumerated() {
                        guard let s, summaries[s].days > 0 else { continue }
                        let v = metric(summaries[s])
                        m.empty("circle", [("cx", Markup.num(x(i))), ("cy", Markup.num(y(v))), ("r", "4"), ("fill", colour)])
                        m.element("text", [("x", Markup.num(x(i))), ("y", Markup.num(y(v) - 8)), ("text-anchor", "middle"),
                                           ("font-size", "10"), ("fill", colour)], content: Self.number(v, digits: 1))
                    }
                }
            }
        }

        panel(top: firstTop, title: "Patients treated per day (solid) of requests (dashed)", value: { $0.scheduled }, dashed: { $0.requests })
        panel(top: secondTop, title: "Overtime minutes per day (treatment after closing)", value: { $0.overtimeMinutes }, dashed: nil)
        m.close("svg")
        return m.text
    }

    /// A grid value on an axis: deltas signed.
    static func axisLabel(_ value: WhatIfValue, of dimension: WhatIfDimension) -> String {
        WhatIfPlan.label(value, of: dimension)
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw && power > 0.1 { power /= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= raw { return factor * power }
        return 10 * power
    }
}
