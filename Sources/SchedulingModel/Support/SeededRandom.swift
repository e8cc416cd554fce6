/// A small deterministic random number generator (SplitMix64) whose stream depends only on its seed.
///
/// The synthetic days must be byte-identical across runs, machines and Swift versions, so the
/// generator and every helper that turns its bits into choices are written here rather than taken
/// from the standard library, whose `random(in:using:)` and `shuffled(using:)` may change how
/// many bits they draw or how they map them.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal streams.
    package init(seed: UInt64) { state = seed }

    /// The next 64 random bits (SplitMix64, Steele, Lea and Flood 2014).
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range`, by rejection so that no value is favoured.
    package mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound)) &+ 1
        if span == 0 { return Int(bitPattern: UInt(next())) }  // the whole Int range
        // Largest multiple of `span` that fits in 2^64; draws at or above it are redrawn.
        let limit = UInt64.max - (UInt64.max % span + 1) % span
        var x = next()
        while x > limit { x = next() }
        return range.lowerBound &+ Int(bitPattern: UInt(x % span))
    }

    /// A uniform double in `[0, 1)` built from the top 53 bits.
    package mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// True with probability `p` (clamped to `0...1`).
    package mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A uniform element of `items`, or nil when it is empty.
    package mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[int(in: 0...(items.count - 1))]
    }

    /// An index drawn with probability proportional to `weights` (non-positive weights are never drawn);
    /// nil when no weight is positive.
    package mutating func weightedIndex(_ weights: [Double]) -> Int? {
        let total = weights.reduce(0) { $0 + max($1, 0) }
        guard total > 0 else { return nil }
        var x = unit() * total
        for (i, w) in weights.enumerated() where w > 0 {
            if x < w { return i }
            x -= w
        }
        return weights.lastIndex { $0 > 0 }
    }

    /// `items` in a uniformly random order (Fisher–Yates with ``int(in:)``).
    package mutating func shuffled<T>(_ items: [T]) -> [T] {
        var out = items
        var i = out.count - 1
        while i > 0 {
            let j = int(in: 0...i)
            out.swapAt(i, j)
            i -= 1
        }
        return out
    }

    /// `count` distinct elements of `items` in random order (all of them when `count` is larger).
    package mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        Array(shuffled(items).prefix(max(0, count)))
    }
}
