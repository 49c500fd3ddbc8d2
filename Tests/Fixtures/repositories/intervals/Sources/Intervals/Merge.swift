/// The intervals merged where they overlap, sorted by their lower bound.
public func merged(_ intervals: [Interval]) -> [Interval] {
    var result: [Interval] = []
    for interval in intervals.sorted(by: { $0.lower < $1.lower }) {
        if let last = result.last, last.overlaps(interval) {
            result[result.count - 1] = Interval(last.lower, max(last.upper, interval.upper))
        } else {
            result.append(interval)
        }
    }
    return result
}
