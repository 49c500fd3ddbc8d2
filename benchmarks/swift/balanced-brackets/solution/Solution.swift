public func isBalanced(_ text: String) -> Bool {
    let pairs: [Character: Character] = [")": "(", "]": "[", "}": "{"]
    var stack: [Character] = []
    for character in text {
        if "([{".contains(character) {
            stack.append(character)
        } else if let opening = pairs[character] {
            guard stack.popLast() == opening else { return false }
        }
    }
    return stack.isEmpty
}
