public func gcd(_ a: Int, _ b: Int) -> Int {
    b == 0 ? a : gcd(b, a % b)
}

public func lcm(_ a: Int, _ b: Int) -> Int {
    a == 0 || b == 0 ? 0 : a / gcd(a, b) * b
}
