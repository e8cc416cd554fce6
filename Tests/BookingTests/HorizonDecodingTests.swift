import Foundation
import Testing

import TestSupport

/// The horizon and bookings formats: strict reading, every check with its JSON path, byte-stable writing.
@Suite struct HorizonDecodingTests {
    @Test func generatedHorizonRoundTrips() throws {
        let horizon = HorizonGenerator.generate(profile: .small, weeks: 1, courses: 4, load: 0.3, seed: 3)
        let text = horizon.jsonString()
        let read = try Horizon.decode(Data(text.utf8), file: "h.json")
        #expect(read == horizon)
        #expect(read.jsonString() == text)
    }
}
