public func isPalindrome(_ text: String) -> Bool {
    let kept = text.lowercased().filter { $0.isLetter || $0.isNumber }
    return kept == String(kept.reversed())
}
