public func primes(upTo limit: Int) -> [Int] {
    guard limit >= 2 else { return [] }
    var isPrime = [Bool](repeating: true, count: limit + 1)
    isPrime[0] = false
    isPrime[1] = false
    var number = 2
    while number * number <= limit {
        if isPrime[number] {
            for multiple in stride(from: number * number, through: limit, by: number) { isPrime[multiple] = false }
        }
        number += 1
    }
    return isPrime.indices.filter { isPrime[$0] }
}
