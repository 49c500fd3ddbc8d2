public func isBalanced(_ text: String) -> Bool {
    text.filter { "([{".contains($0) }.count == text.filter { ")]}".contains($0) }.count
}
