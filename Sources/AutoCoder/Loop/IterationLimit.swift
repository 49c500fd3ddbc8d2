/// The one rule for an iteration limit, wherever it comes from (`--max-iterations`, a task's `max_iterations`, a
/// request's): a whole number from 1 to 1000.
public enum IterationLimit {
    public static let range = 1...1_000

    /// Why `value`, given as `name`, is no iteration limit; `nil` when it is one.
    public static func problem(_ value: Int, name: String) -> String? {
        range.contains(value) ? nil : "\(name) must be 1 to 1000 (it is \(value))."
    }
}
