public func runLengthEncode(_ text: String) -> String {
    text.map { "1\($0)" }.joined()
}
