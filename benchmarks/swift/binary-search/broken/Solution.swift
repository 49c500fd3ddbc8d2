public func binarySearch(_ sorted: [Int], _ target: Int) -> Int? {
    var low = 0
    var high = sorted.count - 1
    while low < high {
        let middle = (low + high) / 2
        if sorted[middle] == target { return middle }
        if sorted[middle] < target { low = middle + 1 } else { high = middle - 1 }
    }
    return nil
}
