import SchedulingModel
import SchedulingRules

/// The regimens every synthetic day offers, from a 30-minute injection to an 8-hour first
/// rituximab in a bed, with how often each is booked and whether it needs labs.
///
/// The figures are typical of an adult oncology infusion centre: access and pre-medication take
/// 10–30 nurse minutes, chemotherapy is compounded after the day's blood counts are back
/// (`holdForLabs`), and blood products must be hung within 30 minutes of issue.
struct RegimenCatalogue {
    /// One catalogue entry.
    struct Entry {
        var regimen: Regimen
        /// Relative booking frequency.
        var frequency: Double
        /// Whether requests for it carry labs (blood counts, chemistry) that must be valid.
        var needsLabs: Bool
        /// Whether it can only be given in a bed.
        var bedOnly: Bool { regimen.chairTypes == ["bed"] }
        /// Minutes of chair the request takes from the day (treatment plus cleaning).
        var chairDemand: Int { regimen.chairMinutes + (regimen.bufferMinutes ?? 0) }
    }

    static let recliner = "recliner"
    static let bed = "bed"

    private static func entry(_ id: String, _ chairMinutes: Int, buffer: Int, _ types: [String], acuity: Int,
                              nurse: (Int, Int), prep: Int, hold: Bool = false, stability: Int? = nil,
                              labs: Bool, frequency: Double) -> Entry {
        Entry(regimen: Regimen(id: id, chairMinutes: chairMinutes, bufferMinutes: buffer, chairTypes: types, acuity: acuity,
                               nurseStartMinutes: nurse.0, nurseEndMinutes: nurse.1, prepMinutes: prep,
                               holdForLabs: hold, stabilityMinutes: stability),
              frequency: frequency, needsLabs: labs)
    }

    /// The entries, in the order they are written to the day file.
    static let entries: [Entry] = {
        let any = [recliner, bed]
        return [
            entry("INJ-DENOSUMAB", 30, buffer: 10, [recliner], acuity: 1, nurse: (10, 5), prep: 0, labs: false, frequency: 5),
            entry("INJ-LEUPROLIDE", 30, buffer: 10, [recliner], acuity: 1, nurse: (10, 5), prep: 0, labs: false, frequency: 2),
            entry("ZOLEDRONIC", 45, buffer: 10, [recliner], acuity: 1, nurse: (10, 5), prep: 10, labs: true, frequency: 2),
            entry("IRON", 60, buffer: 10, [recliner], acuity: 1, nurse: (15, 10), prep: 10, labs: false, frequency: 5),
            entry("PEMBRO", 60, buffer: 10, [recliner], acuity: 1, nurse: (15, 10), prep: 15, stability: 360, labs: true, frequency: 7),
            entry("NIVO", 60, buffer: 10, [recliner], acuity: 1, nurse: (15, 10), prep: 15, stability: 360, labs: true, frequency: 4),
            entry("HYDRATION", 90, buffer: 10, any, acuity: 1, nurse: (10, 10), prep: 10, labs: false, frequency: 4),
            entry("TRASTUZUMAB", 90, buffer: 10, [recliner], acuity: 1, nurse: (15, 10), prep: 20, stability: 480, labs: false, frequency: 4),
            entry("DOCETAXEL", 120, buffer: 15, any, acuity: 2, nurse: (30, 10), prep: 20, hold: true, labs: true, frequency: 4),
            entry("FOLFOX", 180, buffer: 15, any, acuity: 1, nurse: (20, 15), prep: 30, hold: true, stability: 240, labs: true, frequency: 10),
            entry("FOLFIRI", 180, buffer: 15, any, acuity: 1, nurse: (20, 15), prep: 30, hold: true, stability: 240, labs: true, frequency: 5),
            entry("TRANSFUSION", 240, buffer: 15, any, acuity: 2, nurse: (20, 10), prep: 30, hold: true, stability: 30, labs: true, frequency: 5),
            entry("CARBO-TAXOL", 270, buffer: 15, any, acuity: 2, nurse: (30, 15), prep: 30, hold: true, labs: true, frequency: 8),
            entry("GEMCIS", 300, buffer: 15, any, acuity: 1, nurse: (30, 15), prep: 30, hold: true, stability: 480, labs: true, frequency: 5),
            entry("RCHOP", 330, buffer: 15, any, acuity: 2, nurse: (30, 15), prep: 45, hold: true, labs: true, frequency: 5),
            entry("DARA-FIRST", 420, buffer: 15, [bed], acuity: 3, nurse: (30, 15), prep: 30, hold: true, labs: true, frequency: 1),
            entry("RITUX-FIRST", 480, buffer: 15, [bed], acuity: 3, nurse: (30, 15), prep: 30, hold: true, labs: true, frequency: 2),
        ]
    }()
}
