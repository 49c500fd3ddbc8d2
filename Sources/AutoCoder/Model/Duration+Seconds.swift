extension Duration {
    /// The duration in seconds, fractions included: what reports, JSON and PostgreSQL's intervals take.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
