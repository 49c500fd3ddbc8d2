public func reverseWords(_ text: String) -> String {
    String(text.reversed())
}
