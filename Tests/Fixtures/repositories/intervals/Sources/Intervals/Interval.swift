/// A closed range of integers, `lower...upper`.
public struct Interval: Equatable {
    public var lower: Int
    public var upper: Int

    public init(_ lower: Int, _ upper: Int) {
        self.lower = min(lower, upper)
        self.upper = max(lower, upper)
    }

    /// How many integers the interval holds.
    public var count: Int { upper - lower + 1 }

    /// Whether the two intervals share at least one integer.
    public func overlaps(_ other: Interval) -> Bool {
        lower < other.upper && other.lower < upper
    }
}
