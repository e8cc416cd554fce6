import Foundation
import SchedulingModel

/// What the noise decided for one appointment in one run.
package struct VisitDraw: Sendable, Hashable {
    /// The patient does not come.
    package var noShow: Bool
    /// Minutes after the planned arrival that the patient arrives.
    package var lateMinutes: Int
    /// Actual minutes of treatment, reaction pause not included (at least 1).
    package var chairMinutes: Int
    /// Minutes the infusion pauses for a reaction (0: none).
    package var reactionMinutes: Int
    /// Minutes the same-day lab results come after the lab's turnaround.
    package var labDelay: Int
    /// Minutes the drug comes after the plan needs it.
    package var drugDelay: Int

    /// The draw of a day exactly as planned.
    package static func asPlanned(chairMinutes: Int) -> VisitDraw {
        VisitDraw(noShow: false, lateMinutes: 0, chairMinutes: chairMinutes, reactionMinutes: 0, labDelay: 0, drugDelay: 0)
    }
}

extension NoiseModel {
    /// The draws of one run, by request index, for the regimens' `chairMinutes` in `planned`.
    ///
    /// Every appointment takes the same eleven numbers from `random`, in request order, whatever
    /// they decide: one appointment's draws never depend on another's, nor on the plan's order.
    package func draws(chairMinutes planned: [Int], random: inout SeededRandom) -> [VisitDraw] {
        planned.map { minutes in
            let noShowDraw = random.unit()
            let late = delay(lateArrival, random.unit(), random.unit())
            // Box–Muller from two uniforms; clipped at three sigma so that no draw is absurd (a
            // six-hour regimen runs at most 1.8 times its plan under the default spread).
            let u1 = random.unit(), u2 = random.unit()
            let z = max(-3, min(3, (-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2)))
            let sigma = chairTime.spread(forChairMinutes: minutes)
            let actual = max(1, Int((Double(minutes) * chairTime.medianRatio * exp(sigma * z)).rounded()))
            let reactionHappens = random.unit() < reaction.probability
            let reactionLength = reaction.minMinutes
                + min(reaction.maxMinutes - reaction.minMinutes, Int(random.unit() * Double(reaction.maxMinutes - reaction.minMinutes + 1)))
            let lab = delay(labResults, random.unit(), random.unit())
            let drugLate = delay(drug, random.unit(), random.unit())
            return VisitDraw(noShow: noShowDraw < noShow, lateMinutes: late, chairMinutes: actual,
                             reactionMinutes: reactionHappens ? reactionLength : 0, labDelay: lab, drugDelay: drugLate)
        }
    }

    /// Minutes of a delay from two uniforms: whether it happens, then how long (exponential, clipped).
    private func delay(_ d: Delay, _ happens: Double, _ length: Double) -> Int {
        guard happens < d.probability else { return 0 }
        return min(d.maxMinutes, Int((-d.meanMinutes * log(1 - length)).rounded()))
    }
}

/// The seed of run `run` of a simulation seeded with `seed`: a function of the two alone, so that
/// a run draws the same numbers whichever thread runs it and however many runs there are.
package func runSeed(_ seed: UInt64, run: Int) -> UInt64 {
    var mixer = SeededRandom(seed: seed ^ (UInt64(run) &* 0xD1B5_4A32_D192_ED03))
    return mixer.next()
}
