/// A count and its noun, in the number the count needs: `1 iteration`, `2 iterations`, `1 reply`, `3 replies`.
public func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
