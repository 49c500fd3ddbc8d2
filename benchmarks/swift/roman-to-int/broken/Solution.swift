public func romanToInt(_ numeral: String) -> Int {
    let values: [Character: Int] = ["I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000]
    return numeral.compactMap { values[$0] }.reduce(0, +)
}
