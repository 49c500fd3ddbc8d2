public func isPalindrome(_ text: String) -> Bool {
    text == String(text.reversed())
}
