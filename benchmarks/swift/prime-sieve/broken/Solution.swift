public func primes(upTo limit: Int) -> [Int] {
    guard limit >= 2 else { return [] }
    return Array(stride(from: 3, through: limit, by: 2))
}
