public func fibonacci(_ n: Int) -> Int {
    var (a, b) = (1, 1)
    for _ in 0..<n { (a, b) = (b, a + b) }
    return a
}
