import SchedulingModel
import SchedulingRules

/// The fixed colours of the day picture: one per regimen by regimen index, and the marks
/// shared by every day.
///
/// Fixed rather than generated so that a regimen keeps its colour from one night's picture to
/// the next as long as the day lists its regimens in the same order.
enum RegimenPalette {
    /// Sixteen well-separated fills (Tableau 10 without its grey, plus six of Tableau 20);
    /// grey stays free for unavailable time.
    static let fills = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
        "#9c755f", "#86bcb6", "#d37295", "#8cd17d", "#499894", "#f1ce63", "#a0cbe8", "#ffbe7d",
    ]

    /// The fill of regimen `index`; regimens beyond the palette reuse it in order.
    static func fill(_ index: Int) -> String { fills[((index % fills.count) + fills.count) % fills.count] }

    /// Dark or white text, whichever reads better on regimen `index`'s fill.
    static func ink(_ index: Int) -> String {
        let hex = Array(fill(index).utf8.dropFirst())
        func channel(_ i: Int) -> Double {
            func digit(_ c: UInt8) -> Int {
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - UInt8(ascii: "0"))
                default: return Int(c - UInt8(ascii: "a")) + 10
                }
            }
            return Double(digit(hex[i]) * 16 + digit(hex[i + 1])) / 255
        }
        let luminance = 0.299 * channel(0) + 0.587 * channel(2) + 0.114 * channel(4)
        return luminance > 0.55 ? "#1a1a1a" : "#ffffff"
    }

    /// Time a chair, nurse, compounder or station cannot be used.
    static let unavailable = "#d9d9d9"
    /// A lab draw taken at the chair through the port.
    static let chairDraw = "#37474f"
    /// Acuity in chair within the nurse's capacity.
    static let load = "#9ecae1"
    /// Acuity in chair above the nurse's capacity.
    static let overload = "#d62728"
    /// The nurse's capacity line.
    static let capacity = "#08519c"
    /// A patient's intensive nurse minutes.
    static let intensive = "#263238"
    /// A nurse's break.
    static let breakTime = "#fdd49e"
    /// The clinic's closing time.
    static let close = "#c62828"
}
