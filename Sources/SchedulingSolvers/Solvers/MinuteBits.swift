import SchedulingModel
import SchedulingRules
import MIPKit

/// One bit per minute of the day for each of a set of resources (chairs, nurses' intensive
/// minutes, compounders or lab stations), in one flat array: whether a resource is busy over an interval, and where its
/// nearest busy minutes lie, without following a pointer per resource.
///
/// `DayState` keeps its sorted booking lists as the record of who holds what; these bits are
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

    /// Whether minute `t` is busy for resource `row`.
    ///
    /// - Precondition: `0 <= t < minutes`.
    @inline(__always) func isSet(_ row: Int, _ t: Int) -> Bool {
        words[row * wordsPerRow + t >> 6] & (1 << UInt64(t & 63)) != 0
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

/// For each minute of the day, the set of busy resources (one bit per resource), and the same
/// for blocks of ``blockMinutes`` minutes: which resources are free over a whole interval, for
/// all resources at once.
///
/// `DayState` keeps it for chairs, beside the chairs' ``MinuteBits``: the search for a free
/// chair then reads a few words per block of the interval instead of every chair's row.
struct BusyByMinute: Sendable {
    /// Minutes per block.
    static let blockMinutes = 16
    /// Words per minute (and per block): one bit per resource.
    let words: Int
    /// Minutes covered: `0..<minutes`.
    let minutes: Int
    /// Busy resources per minute, minute-major: `t * words + resource / 64`.
    private var perMinute: [UInt64]
    /// Resources busy at some minute of each block: `block * words + resource / 64`.
    private var perBlock: [UInt64]

    /// No resource busy, for `resources` resources over `0..<minutes`.
    init(resources: Int, minutes: Int) {
        self.minutes = max(0, minutes)
        words = max(1, (resources + 63) / 64)
        perMinute = [UInt64](repeating: 0, count: self.minutes * words)
        perBlock = [UInt64](repeating: 0, count: (self.minutes + Self.blockMinutes - 1) / Self.blockMinutes * words)
    }

    /// Marks resource `r` busy over `range`.
    ///
    /// - Precondition: `range` inside `0..<minutes`.
    mutating func set(_ r: Int, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let w = r >> 6, bit: UInt64 = 1 << UInt64(r & 63)
        for t in range { perMinute[t * words + w] |= bit }
        for b in (range.lowerBound / Self.blockMinutes)...((range.upperBound - 1) / Self.blockMinutes) { perBlock[b * words + w] |= bit }
    }

    /// Makes resource `r`'s minutes in `range` (and the blocks they touch) agree with its row
    /// `r` of `row`, after bookings were taken away.
    ///
    /// - Precondition: `range` inside `0..<minutes`, and `row` covers the same minutes.
    mutating func reset(_ r: Int, _ range: Range<Int>, from row: MinuteBits) {
        guard !range.isEmpty else { return }
        let w = r >> 6, bit: UInt64 = 1 << UInt64(r & 63)
        let size = Self.blockMinutes
        let firstBlock = range.lowerBound / size, lastBlock = (range.upperBound - 1) / size
        for b in firstBlock...lastBlock {
            let block = (b * size)..<min(minutes, (b + 1) * size)
            var any = false
            for t in block {
                let busy = row.isSet(r, t)
                any = any || busy
                if range.contains(t) {
                    if busy { perMinute[t * words + w] |= bit } else { perMinute[t * words + w] &= ~bit }
                }
            }
            if any { perBlock[b * words + w] |= bit } else { perBlock[b * words + w] &= ~bit }
        }
    }

    /// Calls `body` with each resource in `candidates` (a bit set of ``words`` words from
    /// `offset`) that is free over all of `range`, in increasing order, until `body` returns false.
    ///
    /// - Precondition: `range` inside `0..<minutes`.
    func forEachFree(in candidates: [UInt64], offset: Int, over range: Range<Int>, _ body: (Int) -> Bool) {
        guard !range.isEmpty else { return }
        let size = Self.blockMinutes
        let lo = range.lowerBound, hi = range.upperBound
        // Whole blocks inside the range, and the minutes before and after them.
        let firstWhole = (lo + size - 1) / size, endWhole = hi / size
        perMinute.withUnsafeBufferPointer { minute in
            perBlock.withUnsafeBufferPointer { block in
                for w in 0..<words {
                    let wanted = candidates[offset + w]
                    if wanted == 0 { continue }
                    var busy: UInt64 = 0
                    if firstWhole < endWhole {
                        for t in lo..<(firstWhole * size) { busy |= minute[t * words + w] }
                        for b in firstWhole..<endWhole { busy |= block[b * words + w] }
                        for t in (endWhole * size)..<hi { busy |= minute[t * words + w] }
                    } else {
                        for t in lo..<hi { busy |= minute[t * words + w] }
                    }
                    var free = wanted & ~busy
                    while free != 0 {
                        if !body((w << 6) + free.trailingZeroBitCount) { return }
                        free &= free &- 1
                    }
                }
            }
        }
    }
}
