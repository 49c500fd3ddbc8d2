public func gcd(_ a: Int, _ b: Int) -> Int {
    min(a, b)
}

public func lcm(_ a: Int, _ b: Int) -> Int {
    a * b
}
