public func romanToInt(_ numeral: String) -> Int {
    let values: [Character: Int] = ["I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000]
    let digits = numeral.compactMap { values[$0] }
    var total = 0
    for (index, value) in digits.enumerated() {
        if index + 1 < digits.count, value < digits[index + 1] { total -= value } else { total += value }
    }
    return total
}
