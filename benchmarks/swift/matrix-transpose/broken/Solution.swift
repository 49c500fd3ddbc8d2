public func transpose(_ matrix: [[Int]]) -> [[Int]] {
    matrix
}
