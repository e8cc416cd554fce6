import SchedulingModel
import SchedulingSimulation

/// How a robust plan is searched for (docs/ROBUSTNESS.md, "Robust plans"): the candidate plans
/// tried, the simulation each is judged by, and the quantile of the score.
public struct RobustOptions: Sendable, Hashable {
    /// The quantile of the simulated day's wait and overtime that the score charges, in (0, 1).
    public var quantile: Double
    /// Simulated days per candidate plan, `1...100_000`; every candidate is simulated with the same seeds.
    public var runs: Int
    /// The seed of the simulations (common random numbers: run `i` of every candidate draws from `(seed, i)`).
    public var seed: UInt64
    /// The noise the candidates are judged under.
    public var noise: NoiseModel
    /// Padding levels: the share of a regimen's chair minutes added, while planning only, to its
    /// cleaning buffer (slack after the infusion, so longer infusions get more). 0 is the nominal day.
    public var paddings: [Double]
    /// Minutes by which the planning copy of the day closes earlier (overtime is charged from
    /// then, so the plan keeps the end of the day free). 0 is the nominal closing time.
    public var closeEarlier: [Int]
    /// Threads that share each simulation's runs; the result does not depend on it.
    public var jobs: Int

    /// The default padding levels.
    public static let defaultPaddings: [Double] = [0, 0.05, 0.1, 0.2, 0.3]
    /// The default closing shifts, in minutes.
    public static let defaultCloseEarlier: [Int] = [0, 60]

    /// Creates options; the defaults are the 0.9 quantile, 200 runs from seed 1 under
    /// ``SchedulingSimulation/NoiseModel/defaults``, paddings 0, 5, 10, 20 and 30 % and closing 0 or
    /// 60 minutes earlier (10 candidates, the first the nominal plan).
    public init(quantile: Double = 0.9, runs: Int = 200, seed: UInt64 = 1, noise: NoiseModel = .defaults,
                paddings: [Double] = RobustOptions.defaultPaddings, closeEarlier: [Int] = RobustOptions.defaultCloseEarlier,
                jobs: Int = 1) {
        self.quantile = quantile; self.runs = runs; self.seed = seed; self.noise = noise
        self.paddings = paddings; self.closeEarlier = closeEarlier; self.jobs = jobs
    }

    /// Checks every figure.
    ///
    /// - Throws: ``SchedulingModel/InputError`` naming the option.
    func check() throws {
        guard quantile.isFinite, quantile > 0, quantile < 1 else {
            throw InputError(path: "quantile", message: "the quantile must be a number in (0, 1), e.g. 0.9")
        }
        guard (1...100_000).contains(runs) else { throw InputError(path: "runs", message: "\(runs) runs is not in 1...100000") }
        guard (1...256).contains(jobs) else { throw InputError(path: "jobs", message: "\(jobs) jobs is not in 1...256") }
        guard !paddings.isEmpty, paddings.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 2 }) else {
            throw InputError(path: "paddings", message: "padding levels must be shares of chair time in 0...2")
        }
        guard !closeEarlier.isEmpty, closeEarlier.allSatisfy({ (0...720).contains($0) }) else {
            throw InputError(path: "closeEarlier", message: "closing shifts must be minutes in 0...720")
        }
    }

    /// The candidate policies in the order they are tried: closing shift outer, padding inner,
    /// the nominal `(0, 0)` first (added when the lists do not hold it), no policy twice.
    var policies: [RobustPolicy] {
        var out = [RobustPolicy(padding: 0, closeEarlier: 0)]
        for c in closeEarlier {
            for p in paddings {
                let policy = RobustPolicy(padding: p, closeEarlier: c)
                if !out.contains(policy) { out.append(policy) }
            }
        }
        return out
    }
}

/// One way of planning with slack: padding on the chair buffers and an earlier closing time, both
/// only on the copy of the day that is solved.
public struct RobustPolicy: Sendable, Hashable {
    /// Share of each regimen's chair minutes added to its cleaning buffer.
    public var padding: Double
    /// Minutes the planning day closes earlier.
    public var closeEarlier: Int

    /// Whether this is the nominal day itself.
    public var isNominal: Bool { padding == 0 && closeEarlier == 0 }

    /// The padding of a regimen of `chairMinutes`: `padding × chairMinutes`, rounded up to 5 minutes.
    public func paddingMinutes(chairMinutes: Int) -> Int {
        guard padding > 0 else { return 0 }
        let raw = Int((padding * Double(chairMinutes) - 1e-9).rounded(.up))
        return (raw + 4) / 5 * 5
    }

    /// `pad 20 %, close -60 min`.
    public var description: String {
        isNominal ? "nominal" : "pad \(Int((padding * 100).rounded())) %, close -\(closeEarlier) min"
    }
}
