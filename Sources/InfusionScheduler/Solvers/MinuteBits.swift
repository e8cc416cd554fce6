/// One bit per minute of the day for each of a set of resources (chairs, or nurses' intensive
/// minutes), in one flat array: whether a resource is busy over an interval, and where its
/// nearest busy minutes lie, without following a pointer per resource.
///
/// ``DayState`` keeps its sorted booking lists as the record of who holds what; these bits are
/// a copy of their union that the placement search reads. On a day of 96 chairs and 40 nurses
/// the whole table is a few tens of kilobytes and stays in the processor's cache, where the
/// lists, one heap buffer per resource, do not: a binary search in each list cost a cache miss
/// per resource and start (docs/GREEDY.md, "Complexity and speed").
struct MinuteBits: Sendable {
    /// Bits of every resource, resource-major: `row * wordsPerRow + minute / 64`.
    private var words: [UInt64]
    /// Words per resource.
    let wordsPerRow: Int
    /// Minutes covered: `0..<minutes`. Intervals reaching outside are the caller's to check another way.
    let minutes: Int

    /// All minutes free for `rows` resources over `0..<minutes`.
    init(rows: Int, minutes: Int) {
        self.minutes = max(0, minutes)
        wordsPerRow = (self.minutes + 63) / 64
        words = [UInt64](repeating: 0, count: max(0, rows) * wordsPerRow)
    }

    /// Whether `range` lies inside the minutes covered.
    @inline(__always) func covers(_ range: Range<Int>) -> Bool {
        range.lowerBound >= 0 && range.upperBound <= minutes
    }

    /// The mask of bits `lo..<hi` of one word (`0 <= lo < hi <= 64`).
    @inline(__always) private static func mask(_ lo: Int, _ hi: Int) -> UInt64 {
        let upper: UInt64 = hi == 64 ? ~0 : (1 << UInt64(hi)) &- 1
        return upper & ~((1 << UInt64(lo)) &- 1)
    }

    /// Marks `range` busy for resource `row`.
    ///
    /// - Precondition: `covers(range)`.
    mutating func set(_ row: Int, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let base = row * wordsPerRow
        var t = range.lowerBound
        while t < range.upperBound {
            let w = t >> 6, lo = t & 63
            let hi = min(64, range.upperBound - (w << 6))
            words[base + w] |= Self.mask(lo, hi)
            t = (w + 1) << 6
        }
    }

    /// Marks every minute of resource `row` free.
    mutating func clear(_ row: Int) {
        let base = row * wordsPerRow
        for w in 0..<wordsPerRow { words[base + w] = 0 }
    }

    /// Whether any minute of `range` is busy for resource `row`.
    ///
    /// - Precondition: `covers(range)`.
    func anySet(_ row: Int, _ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        let base = row * wordsPerRow
        return words.withUnsafeBufferPointer { b in
            var t = range.lowerBound
            while t < range.upperBound {
                let w = t >> 6, lo = t & 63
                let hi = min(64, range.upperBound - (w << 6))
                if b[base + w] & Self.mask(lo, hi) != 0 { return true }
                t = (w + 1) << 6
            }
            return false
        }
    }

    /// One past the last busy minute of resource `row` before `t`, looking no further back than
    /// `floor`; `floor` when every minute of `floor..<t` is free.
    ///
    /// - Precondition: `0 <= floor <= t <= minutes`.
    func endOfBusy(_ row: Int, before t: Int, floor: Int) -> Int {
        guard floor < t else { return floor }
        let base = row * wordsPerRow
        return words.withUnsafeBufferPointer { b in
            var w = (t - 1) >> 6
            var bits = b[base + w] & Self.mask(0, t - (w << 6))
            while true {
                if bits != 0 {
                    let last = (w << 6) + 63 - bits.leadingZeroBitCount
                    return max(floor, last + 1)
                }
                if w << 6 <= floor || w == 0 { return floor }
                w -= 1
                bits = b[base + w]
            }
        }
    }

    /// The first busy minute of resource `row` at or after `t`, looking no further than
    /// `ceiling`; `ceiling` when every minute of `t..<ceiling` is free.
    ///
    /// - Precondition: `0 <= t <= ceiling <= minutes`.
    func startOfBusy(_ row: Int, from t: Int, ceiling: Int) -> Int {
        guard t < ceiling else { return ceiling }
        let base = row * wordsPerRow
        return words.withUnsafeBufferPointer { b in
            var w = t >> 6
            var bits = b[base + w] & Self.mask(t & 63, 64)
            while true {
                if bits != 0 { return min(ceiling, (w << 6) + bits.trailingZeroBitCount) }
                w += 1
                if w << 6 >= ceiling || w >= wordsPerRow { return ceiling }
                bits = b[base + w]
            }
        }
    }

    /// The latest `t` in `lo...hi` with `[t, t + length)` free for resource `row`, or nil.
    ///
    /// Each step moves the interval to end at the first busy minute it met: every later start
    /// would contain that minute.
    ///
    /// - Precondition: `covers(lo..<(hi + length))`, `length > 0`.
    func latestFree(_ row: Int, length: Int, from lo: Int, through hi: Int) -> Int? {
        var t = hi
        while t >= lo {
            let busy = startOfBusy(row, from: t, ceiling: t + length)
            if busy == t + length { return t }
            t = busy - length
        }
        return nil
    }
}
