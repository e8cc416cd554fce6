import Foundation
import SchedulingModel

/// The best ways to book one course, as written in an `infusion-offers/1` file
/// (docs/BOOKING.md, "Offers"): each offer alone against the horizon, best first.
public struct Offers: Sendable, Hashable, Codable {
    /// The file format tag; always ``Offers/formatTag``.
    public var format: String
    /// The course's id.
    public var course: String
    /// The offers, cheapest first; empty when the course cannot be booked.
    public var offers: [Offer]
    /// With no offer: why (`authorization`, `drugLead`, `window` when the course is not
    /// bookable, else `capacity`); absent when there are offers.
    public var reason: UnbookedReason?
    /// With no offer: a short explanation without patient content.
    public var detail: String?

    /// The `format` value of an offers file.
    public static let formatTag = "infusion-offers/1"

    /// Creates an offers list.
    public init(format: String = Offers.formatTag, course: String, offers: [Offer], reason: UnbookedReason? = nil, detail: String? = nil) {
        self.format = format; self.course = course; self.offers = offers; self.reason = reason; self.detail = detail
    }

    /// The offers as deterministic, pretty-printed JSON in the format's key order.
    public func jsonString() -> String {
        // Encoding plain value types into a tree cannot fail.
        (try? OrderedJSONEncoder.string(self)) ?? "{}\n"
    }
}

/// One way to book a course: its visits and the schedules that prove each day takes them.
public struct Offer: Sendable, Hashable, Codable {
    /// 1 for the best offer, then 2, 3, …
    public var rank: Int
    /// The booking objective of this booking alone (docs/BOOKING.md): delay, offset, and each
    /// visit's overtime and preference with its day's weights.
    public var cost: Double
    /// Each visit in visit order: date, start, end, chair, nurse.
    public var visits: [VisitSlot]
    /// For every date of the offer, the schedule of the day with the visits added (without a
    /// `solver` report: an offer's bytes do not depend on timing).
    public var days: [BookedDay]

    /// Creates an offer.
    public init(rank: Int, cost: Double, visits: [VisitSlot], days: [BookedDay]) {
        self.rank = rank; self.cost = cost; self.visits = visits; self.days = days
    }
}
