public func runLengthEncode(_ text: String) -> String {
    var result = ""
    var current: Character?
    var count = 0
    for character in text {
        if character == current {
            count += 1
        } else {
            if let current { result += "\(count)\(current)" }
            current = character
            count = 1
        }
    }
    if let current { result += "\(count)\(current)" }
    return result
}
