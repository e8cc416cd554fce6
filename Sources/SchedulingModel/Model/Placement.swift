/// One appointment in index form, the shared currency of the validator and the schedulers.
///
/// Indices are 0-based into ``ResolvedDay``'s arrays; the schedule file's station and
/// compounder numbers are these plus one.
public struct Placement: Sendable, Hashable {
    /// Index of the request.
    public var request: Int
    /// Index of the chair.
    public var chair: Int
    /// Index of the primary nurse.
    public var nurse: Int
    /// Minute the patient sits down; on the slot grid.
    public var start: Int
    /// Start of the same-day draw, when one is drawn.
    public var drawStart: Int?
    /// Station index of the draw; nil for a draw at the chair (or no draw).
    public var station: Int?
    /// Start of the pharmacy prep, when the regimen has one.
    public var prepStart: Int?
    /// Compounder index of the prep.
    public var compounder: Int?

    /// Creates a placement.
    public init(request: Int, chair: Int, nurse: Int, start: Int, drawStart: Int? = nil, station: Int? = nil,
                prepStart: Int? = nil, compounder: Int? = nil) {
        self.request = request; self.chair = chair; self.nurse = nurse; self.start = start
        self.drawStart = drawStart; self.station = station; self.prepStart = prepStart; self.compounder = compounder
    }

    /// When the patient arrives: the draw if there is one, else the start.
    public var arrival: Int { drawStart ?? start }
}

/// A frozen patient handed to another nurse when theirs goes out at a re-plan (SPEC §7): the
/// patient's old nurse holds them before `at` (the re-plan's `now`), the placement's nurse from
/// `at` on. The rules of SPEC §2.3 then apply to each nurse over that nurse's part only.
public struct Handover: Sendable, Hashable {
    /// Index of the nurse who held the patient before `at`.
    public var nurse: Int
    /// Minute from which the placement's nurse holds the patient.
    public var at: Int

    /// Creates a handover.
    public init(nurse: Int, at: Int) { self.nurse = nurse; self.at = at }

    /// Who holds the patient of `p`, in chair over `[p.start, end)`, and when: the old nurse
    /// until `at`, the placement's nurse from then on (empty parts left out).
    public func holders(of p: Placement, end: Int) -> [(nurse: Int, span: Range<Int>)] {
        let cut = min(max(p.start, at), end)
        return [(nurse, p.start..<cut), (p.nurse, cut..<end)].filter { !$0.span.isEmpty }
    }

    /// Calls `body` with each piece of the intensive minutes of `regimen` over `[start, end)`
    /// that falls in `span` (the same pieces as ``intensive(start:end:regimen:within:)``,
    /// without building an array: the searches call it for every placement they try).
    @inline(__always)
    package static func forEachIntensive(start: Int, end: Int, regimen: ResolvedDay.RegimenInfo, within span: Range<Int>,
                                        _ body: (Range<Int>) -> Void) {
        let a = start..<(start + regimen.nurseStartMinutes)
        let b = (end - regimen.nurseEndMinutes)..<end
        func clipped(_ piece: Range<Int>) {
            if piece.overlaps(span) { body(max(piece.lowerBound, span.lowerBound)..<min(piece.upperBound, span.upperBound)) }
        }
        if a.isEmpty {
            if !b.isEmpty { clipped(b) }
        } else if b.isEmpty {
            clipped(a)
        } else if a.upperBound >= b.lowerBound {
            clipped(start..<end)
        } else {
            clipped(a); clipped(b)
        }
    }

    /// The intensive minutes of `regimen` over `[start, end)` that fall in `span`.
    public static func intensive(start: Int, end: Int, regimen: ResolvedDay.RegimenInfo, within span: Range<Int>) -> [Range<Int>] {
        ResolvedDay.intensiveIntervals(start: start, end: end, regimen: regimen).compactMap { piece in
            piece.overlaps(span) ? max(piece.lowerBound, span.lowerBound)..<min(piece.upperBound, span.upperBound) : nil
        }
    }
}

extension ResolvedDay {
    /// End of treatment of a placement.
    public func end(of p: Placement) -> Int { p.start + regimen(of: p.request).chairMinutes }

    /// The interval the chair is taken: from the draw when drawn at the chair, else from the
    /// start, until the end plus the cleaning buffer.
    public func chairOccupancy(of p: Placement) -> Range<Int> {
        chairOccupancy(of: p.request, start: p.start, drawAtChair: p.station == nil ? p.drawStart : nil)
    }

    /// The interval the chair is taken by request `r` starting at `start` and drawn at the chair
    /// at `drawAtChair` (nil when drawn at a station or not at all): the one statement of it.
    package func chairOccupancy(of r: Int, start: Int, drawAtChair: Int?) -> Range<Int> {
        let reg = regimen(of: r)
        return (drawAtChair ?? start)..<(start + reg.chairMinutes + reg.bufferMinutes)
    }

    /// The appointment as written in a schedule file.
    public func appointment(for p: Placement) -> Appointment {
        Appointment(
            request: requests[p.request].id, chair: chairs[p.chair].id, nurse: nurses[p.nurse].id,
            arrival: ClockTime(minutes: p.arrival),
            labDraw: p.drawStart.map { LabDraw(start: ClockTime(minutes: $0), station: p.station.map { $0 + 1 }) },
            prep: p.prepStart.map { Prep(start: ClockTime(minutes: $0), compounder: (p.compounder ?? 0) + 1) },
            start: ClockTime(minutes: p.start), end: ClockTime(minutes: end(of: p)))
    }
}
