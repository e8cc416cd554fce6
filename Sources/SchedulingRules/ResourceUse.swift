import SchedulingModel

/// A resource of the day that placements share (SPEC §2.2–§2.5).
package enum Resource: Hashable, Sendable {
    /// Chair `c`: one patient at a time, cleaning included.
    case chair(Int)
    /// Nurse `n`'s acuity capacity: the acuities of the patients the nurse holds at a minute add up.
    case nurseLoad(Int)
    /// Nurse `n`'s intensive minutes (access and pre-meds, the end): one patient's at a time.
    case nurseIntensive(Int)
    /// Compounder `k`: one prep at a time.
    case compounder(Int)
    /// Lab station `s`: one draw at a time.
    case station(Int)
}

/// One interval of one resource that a placement holds, and how much of it.
package struct ResourceUse: Sendable, Hashable {
    /// The resource held.
    package var resource: Resource
    /// The minutes it is held, half-open.
    package var interval: Range<Int>
    /// What the placement takes of it: the patient's acuity of a nurse's load, 1 of anything else.
    package var amount: Int
}

extension ResolvedDay {
    /// What `p` takes of the day's resources: the one statement of it, which the validator
    /// sweeps and the searches' day state books and checks.
    ///
    /// The chair from the draw when drawn at the chair (else from the start) to the end plus
    /// cleaning; each nurse holding the patient, over the part they hold, for the acuity and the
    /// intensive minutes in that part (with a `handover`, SPEC §7); the prep's compounder; the
    /// draw's station. Indices are passed through unchecked: callers check their ranges first.
    package func forEachUse(of p: Placement, handover: Handover? = nil, _ body: (ResourceUse) -> Void) {
        let reg = regimen(of: p.request)
        let end = p.start + reg.chairMinutes
        body(ResourceUse(resource: .chair(p.chair), interval: chairOccupancy(of: p), amount: 1))
        forEachHolder(of: p, handover: handover) { n, span in
            body(ResourceUse(resource: .nurseLoad(n), interval: span, amount: reg.acuity))
            Handover.forEachIntensive(start: p.start, end: end, regimen: reg, within: span) { piece in
                body(ResourceUse(resource: .nurseIntensive(n), interval: piece, amount: 1))
            }
        }
        if reg.prepMinutes > 0, let prep = p.prepStart, let k = p.compounder {
            body(ResourceUse(resource: .compounder(k), interval: prep..<(prep + reg.prepMinutes), amount: 1))
        }
        if let draw = p.drawStart, let s = p.station {
            body(ResourceUse(resource: .station(s), interval: draw..<(draw + drawMinutes), amount: 1))
        }
    }

    /// Calls `body` with each nurse who holds the patient of `p` and when: the placement's
    /// nurse over the whole treatment, or, with a `handover`, the old nurse before it and the
    /// placement's nurse after.
    @inline(__always)
    package func forEachHolder(of p: Placement, handover: Handover?, _ body: (_ nurse: Int, _ span: Range<Int>) -> Void) {
        let end = end(of: p)
        guard let handover else { return body(p.nurse, p.start..<end) }
        for (n, span) in handover.holders(of: p, end: end) { body(n, span) }
    }

    /// How much of `resource` placements may hold at one minute together: a nurse's acuity
    /// capacity, one of anything else.
    package func capacity(of resource: Resource) -> Int {
        if case .nurseLoad(let n) = resource { return nurses[n].capacity }
        return 1
    }
}
