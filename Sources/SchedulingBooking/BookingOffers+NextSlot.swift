import SchedulingModel

extension BookingOffers {
    /// `schedule` (a re-plan's, with its `changes`) with the best later slot of every `dropped`
    /// or `cancelled` request written as its change's `next`: the request's first offer
    /// (`rebooking(_:after:)`, the request as a one-visit course from the next date) on a day of the horizon after `day`'s date. A request with no
    /// offer gets no `next`; every other entry is left as it is.
    ///
    /// - Parameters:
    ///   - schedule: the re-plan, with its `changes`.
    ///   - day: the day as it was before the events: a request is rebooked as it was booked
    ///     (its window before a `late`, its labs before `labsOutOfRange` made them "nothing
    ///     valid, no draw" for the rest of that day).
    ///   - applied: the day with the events applied, for a request the first does not hold (an add-on).
    /// - Throws: ``SchedulingModel/InputError`` when a horizon day does not resolve, or a
    ///   request's visit id is already a patient's of a later day.
    public mutating func addingNextSlots(to schedule: Schedule, day: Day, applied: Day? = nil) throws -> Schedule {
        guard var changes = schedule.changes else { return schedule }
        for (i, change) in changes.enumerated() where change.change == "dropped" || change.change == "cancelled" {
            guard let request = day.requests.first(where: { $0.id == change.request })
                    ?? applied?.requests.first(where: { $0.id == change.request }) else { continue }
            if let offer = try offers(for: Self.rebooking(request, after: day.date), count: 1).first {
                changes[i].next = NextSlot(date: offer.visits[0].date, start: offer.visits[0].start)
            }
        }
        var result = schedule
        result.changes = changes
        return result
    }

    /// A request a re-plan gave up, as a one-visit course to book on a later day: its own id,
    /// regimen, weight, window, preferred start, labs, port draw and authorization; the drug
    /// ready (no lead); the first date the day after `date`, no last date.
    package static func rebooking(_ request: TreatmentRequest, after date: CivilDate) -> Course {
        Course(id: request.id, regimen: request.regimen, weight: request.weight, earliest: date.adding(days: 1),
               visits: [CourseVisit(offsetDays: 0)], window: request.window, preferredStart: request.preferredStart,
               labs: request.labs, labsAtChair: request.labsAtChair, drugLeadHours: 0, authorization: request.authorization)
    }
}
