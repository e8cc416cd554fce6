import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingGenerator

extension BenchReport {
    /// The report as Markdown: a table per day and method, a summary per profile, and the
    /// scaling series when it was run.
    public func markdown() -> String {
        var out = ""
        if !rows.isEmpty {
            out += "### Per day and method\n\n"
            out += "| day | method | status | requests | scheduled | unscheduled | overtime | wait | preference | peak load | total | bound | gap | LP bound | gap to LP | seconds | peak MiB |\n"
            out += "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
            for r in rows {
                let o = r.objective
                out += "| " + [
                    r.day, r.method.rawValue, r.status.rawValue, String(r.requests), String(r.scheduled),
                    Self.value(o.unscheduled), Self.value(o.overtime), Self.value(o.wait), Self.value(o.preference),
                    Self.value(o.peakLoad), Self.value(o.total), Self.value(r.bound), Self.percent(r.gap),
                    Self.value(r.relaxationBound), Self.percent(r.relaxationGap), Self.seconds(r.seconds), Self.mebibytes(r.peakMemoryBytes),
                ].joined(separator: " | ") + " |\n"
            }
            out += "\n### Per profile\n\n"
            out += "| profile | method | days | optimal | median s | max s | median gap | max gap | median gap to LP | objective ÷ MIP (median / max) | median peak MiB |\n"
            out += "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
            for s in summaries {
                let ratio = s.medianRatioToMIP.map { Markup.fixed($0, digits: 3) + " / " + Markup.fixed(s.maxRatioToMIP ?? $0, digits: 3) } ?? "–"
                out += "| " + [
                    s.group, s.method.rawValue, String(s.days), String(s.optimal), Self.seconds(s.medianSeconds), Self.seconds(s.maxSeconds),
                    Self.percent(s.medianGap), Self.percent(s.maxGap), Self.percent(s.medianRelaxationGap), ratio,
                    Self.mebibytes(s.medianPeakMemoryBytes),
                ].joined(separator: " | ") + " |\n"
            }
        }
        if !scaling.isEmpty {
            if !out.isEmpty { out += "\n" }
            out += "### Scaling series\n\n"
            out += "| requests | chairs | nurses | greedy s | greedy total | MIP s | MIP status | MIP total | MIP gap | LP bound | greedy ÷ MIP |\n"
            out += "|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|\n"
            for point in ScalingChart.points(of: scaling) {
                let greedy = point.greedy, mip = point.mip
                let ratio: String
                if let g = greedy, let m = mip { ratio = Markup.fixed(g.objective.total / max(1, abs(m.objective.total)), digits: 3) } else { ratio = "–" }
                out += "| " + [
                    String(point.requests), String(point.chairs), String(point.nurses),
                    greedy.map { Self.seconds($0.seconds) } ?? "–", greedy.map { Self.value($0.objective.total) } ?? "–",
                    mip.map { Self.seconds($0.seconds) } ?? "–", mip?.status.rawValue ?? "–", mip.map { Self.value($0.objective.total) } ?? "–",
                    Self.percent(mip?.gap), Self.value(point.relaxationBound), ratio,
                ].joined(separator: " | ") + " |\n"
            }
        }
        return out
    }

    /// An objective value to one decimal, `–` when absent.
    static func value(_ v: Double?) -> String { v.map { Markup.fixed($0, digits: 1) } ?? "–" }

    /// A fraction as a percentage with two decimals, `–` when absent.
    static func percent(_ v: Double?) -> String { v.map { Markup.fixed($0 * 100, digits: 2) + "%" } ?? "–" }

    /// Seconds with three decimals (milliseconds).
    static func seconds(_ v: Double) -> String { Markup.fixed(v, digits: 3) }

    /// Bytes as MiB with one decimal, `–` when not measured.
    static func mebibytes(_ v: Int?) -> String { v.map { Markup.fixed(Double($0) / 1_048_576, digits: 1) } ?? "–" }
}
