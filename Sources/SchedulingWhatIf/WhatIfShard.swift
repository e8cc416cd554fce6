/// One slice of a what-if sweep, for running a big sweep as N separate processes (the tasks of
/// a batch engine) and merging their parts afterwards (``WhatIfPart/merge(_:)``).
///
/// The runs of a sweep are its scenario × day solves, numbered in the unsharded order
/// (scenario-major: run `s × days + d`). Shard `K` of `N` holds the runs `i` with `i mod N = K`,
/// in that order: every run is in exactly one shard, the slices differ in size by at most one,
/// and a shard's runs do not depend on anything but `K`, `N` and the number of runs.
public struct WhatIfShard: Sendable, Hashable, CustomStringConvertible {
    /// This shard's number, `0..<count`.
    public let index: Int
    /// How many shards the sweep is split into.
    public let count: Int

    /// The most shards a sweep may be split into.
    public static let maximumCount = 100_000

    /// Creates shard `index` of `count`; nil unless `1 <= count <= maximumCount` and `0 <= index < count`.
    public init?(index: Int, count: Int) {
        guard (1...Self.maximumCount).contains(count), (0..<count).contains(index) else { return nil }
        self.index = index; self.count = count
    }

    /// Parses `K/N` (`0/4`, `3/4`); nil for anything else or out of range.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: k, count: n)
    }

    /// The whole sweep as one shard.
    public static let whole = WhatIfShard(index: 0, count: 1)!

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    /// Whether run `run` belongs to this shard.
    public func contains(run: Int) -> Bool { run >= 0 && run % count == index }

    /// This shard's runs of a sweep of `total` runs, in increasing order.
    ///
    /// - Complexity: O(total / count).
    public func runs(of total: Int) -> [Int] { Array(stride(from: index, to: max(index, total), by: count)) }
}
