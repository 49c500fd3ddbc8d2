public func transpose(_ matrix: [[Int]]) -> [[Int]] {
    guard let width = matrix.first?.count else { return [] }
    return (0..<width).map { column in matrix.map { $0[column] } }
}
