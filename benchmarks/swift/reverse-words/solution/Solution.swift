public func reverseWords(_ text: String) -> String {
    text.split(separator: " ").reversed().joined(separator: " ")
}
