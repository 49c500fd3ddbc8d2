/// A receiver of a reply's text as it streams, piece by piece (a front end's `--events=deltas`). A retried request
/// streams again from its start. Two sinks are equal when they are the same sink.
public final class TextSink: Hashable, Sendable {
    let write: @Sendable (String) -> Void

    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }

    /// Hands `piece` on.
    public func callAsFunction(_ piece: String) { write(piece) }

    public static func == (left: TextSink, right: TextSink) -> Bool { left === right }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
