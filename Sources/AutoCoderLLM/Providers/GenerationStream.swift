/// Where a provider hands the reply's text as it streams, piece by piece: a task-local sink that a front end sets
/// around a run (`--events=deltas`), so that the loop and the generators need not know of it. Unset, the text is
/// only collected. A retried request streams again from its start.
public enum GenerationStream {
    /// The sink of the current task, if a front end set one. A reference: a task-local of an optional function
    /// type crashed in optimized builds (Swift 6.3.1, `swift_task_localValuePush`).
    @TaskLocal public static var sink: TextSink?

    /// Hands `piece` to the current sink, if there is one.
    public static func emit(_ piece: String) { sink?.write(piece) }
}

/// A receiver of streamed reply text.
public final class TextSink: Sendable {
    let write: @Sendable (String) -> Void

    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }
}
