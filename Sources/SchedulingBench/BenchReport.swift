import SchedulingModel
import SchedulingRules
import SchedulingSolvers
import SchedulingGenerator

/// The result of a benchmark run: the rows of the profile days, their summaries and the
/// scaling series, written as Markdown, CSV or JSON.
///
/// The three formats carry the same rows; every number is written without locale, and rows
/// keep the order they were run in, so the same measurements always give the same text.
public struct BenchReport: Sendable {
    /// Rows of the profile (or file) days.
    public var rows: [BenchRow]
    /// Rows of the scaling series, by increasing size.
    public var scaling: [BenchRow]

    /// Creates a report.
    public init(rows: [BenchRow], scaling: [BenchRow] = []) {
        self.rows = rows; self.scaling = scaling
    }

    /// One summary per profile and method (the scaling series is not summarised: its days differ in size).
    public var summaries: [BenchSummary] { BenchSummary.summarise(rows) }

    /// The report in `format`.
    public func rendered(_ format: BenchFormat) -> String {
        switch format {
        case .md: return markdown()
        case .csv: return csv()
        case .json: return json()
        }
    }

    /// The names of the CSV columns and JSON row keys, in order.
    public static let columns = [
        "day", "group", "seed", "method", "status", "requests", "scheduled", "chairs", "nurses",
        "unscheduled", "overtime", "wait", "preference", "peakLoad", "total",
        "bound", "gap", "lpBound", "lpGap", "seconds", "peakMemoryBytes",
    ]

    /// Every row (profile days, then the scaling series) as CSV with a header line.
    public func csv() -> String {
        var out = Self.columns.joined(separator: ",") + "\n"
        for row in rows + scaling {
            out += Self.fields(of: row).map { value -> String in
                switch value {
                case .null: return ""
                case .string(let s): return Self.csvQuoted(s)
                case .int(let i): return String(i)
                case .double(let d): return JSONValue.format(d)
                case .bool(let b): return b ? "true" : "false"
                case .array, .object: return ""
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// The rows, the summaries and the scaling series as one JSON document.
    public func json() -> String {
        func rowObjects(_ rows: [BenchRow]) -> JSONValue {
            .array(rows.map { row in .object(Array(zip(Self.columns, Self.fields(of: row)))) })
        }
        let summaries: [JSONValue] = summaries.map { s in
            .object([
                ("group", .string(s.group)), ("method", .string(s.method.rawValue)), ("days", .int(s.days)),
                ("optimal", .int(s.optimal)), ("medianSeconds", .double(s.medianSeconds)), ("maxSeconds", .double(s.maxSeconds)),
                ("medianGap", Self.number(s.medianGap)), ("maxGap", Self.number(s.maxGap)),
                ("medianLPGap", Self.number(s.medianRelaxationGap)),
                ("medianRatioToMIP", Self.number(s.medianRatioToMIP)), ("maxRatioToMIP", Self.number(s.maxRatioToMIP)),
                ("medianPeakMemoryBytes", s.medianPeakMemoryBytes.map(JSONValue.int) ?? .null),
            ])
        }
        return JSONValue.object([
            ("rows", rowObjects(rows)), ("summaries", .array(summaries)), ("scaling", rowObjects(scaling)),
        ]).rendered()
    }

    /// The values of `row`, parallel to ``columns``.
    static func fields(of row: BenchRow) -> [JSONValue] {
        let o = row.objective
        return [
            .string(row.day), .string(row.group), row.seed.map { .int(Int(clamping: $0)) } ?? .null,
            .string(row.method.rawValue), .string(row.status.rawValue), .int(row.requests), .int(row.scheduled),
            .int(row.chairs), .int(row.nurses),
            .double(o.unscheduled), .double(o.overtime), .double(o.wait), .double(o.preference), .double(o.peakLoad),
            .double(o.total), number(row.bound), number(row.gap), number(row.relaxationBound), number(row.relaxationGap),
            .double(row.seconds), row.peakMemoryBytes.map(JSONValue.int) ?? .null,
        ]
    }

    static func number(_ v: Double?) -> JSONValue { v.map(JSONValue.double) ?? .null }

    static func csvQuoted(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
