func digitSum(_ n: Int) -> Int {
    String(n).compactMap(\.wholeNumberValue).reduce(0, +)
}
