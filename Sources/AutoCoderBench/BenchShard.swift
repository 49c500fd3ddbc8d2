import AutoCoder

/// One of `count` deterministic parts of a benchmark's problems (`bench --shard K/N`): problem `i` of the selected
/// ones (in the data set's order) belongs to shard `i % N + 1`. A shard's summary carries where its problems stand
/// in the whole, so that `bench merge` can put the parts back together, or say which are missing or overlap.
public struct BenchShard: Codable, Hashable, Sendable {
    /// Which shard, from 1.
    public var index: Int
    public var count: Int
    /// The problems of the whole selection, all shards together.
    public var total: Int
    /// Where each of this shard's problems stands in the whole selection, in order.
    public var positions: [Int]

    public init(index: Int, count: Int, total: Int = 0, positions: [Int] = []) {
        self.index = index
        self.count = count
        self.total = total
        self.positions = positions
    }

    /// `K/N` with 1 ≤ K ≤ N, or `nil`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (1...count).contains(index)
        else { return nil }
        self.init(index: index, count: count)
    }

    /// This shard's problems of `problems`, with the positions recorded.
    public func select<Problem>(_ problems: [Problem]) -> (BenchShard, [Problem]) {
        let positions = problems.indices.filter { $0 % count == index - 1 }
        var shard = self
        shard.total = problems.count
        shard.positions = positions
        return (shard, positions.map { problems[$0] })
    }
}

/// Why shard summaries cannot be merged.
public struct BenchMergeError: Error, Hashable, Sendable {
    public var message: String
}

extension BenchSummary {
    /// The summary of a whole benchmark from its shards' summaries: results back in the data set's order; the wall
    /// time the slowest shard's (they run side by side).
    /// - Throws: ``BenchMergeError`` for a summary that is no shard, shards of different benchmarks or splits, a
    ///   shard given twice, or one missing.
    public static func merging(_ shards: [BenchSummary]) throws(BenchMergeError) -> BenchSummary {
        guard let first = shards.first else { throw BenchMergeError(message: "Give the shards' results to merge.") }
        var parts: [Int: BenchSummary] = [:]
        for summary in shards {
            guard let shard = summary.shard else {
                throw BenchMergeError(message: "A result is not a shard's (it was run without --shard).")
            }
            guard summary.dataset == first.dataset, shard.count == first.shard?.count, shard.total == first.shard?.total
            else {
                throw BenchMergeError(
                    message: "The results are shards of different runs (data set, --shard N or problems differ).")
            }
            guard parts[shard.index] == nil else {
                throw BenchMergeError(message: "Shard \(shard.index)/\(shard.count) is given twice.")
            }
            guard shard.positions.count == summary.results.count else {
                throw BenchMergeError(
                    message: "Shard \(shard.index)/\(shard.count)'s results do not match its problems.")
            }
            parts[shard.index] = summary
        }
        let count = first.shard?.count ?? 1
        let missing = (1...count).filter { parts[$0] == nil }
        guard missing.isEmpty else {
            throw BenchMergeError(
                message: "Shard(s) \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) are missing.")
        }
        let placed = parts.values.flatMap { summary in zip(summary.shard?.positions ?? [], summary.results) }
        let results = placed.sorted { $0.0 < $1.0 }.map(\.1)
        return BenchSummary(
            dataset: first.dataset, results: results, wallSeconds: parts.values.map(\.wallSeconds).max() ?? 0,
            interrupted: parts.values.contains(where: \.interrupted), impossible: first.impossible)
    }
}
