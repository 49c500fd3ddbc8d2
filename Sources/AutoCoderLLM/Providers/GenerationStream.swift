/// Where a provider hands the reply's text as it streams, piece by piece: a task-local sink that a front end sets
/// around a run (`--events=deltas`), so that the loop and the generators need not know of it. Unset, the text is
/// only collected. A retried request streams again from its start.
public enum GenerationStream {
    @TaskLocal public static var onText: (@Sendable (String) -> Void)?
}
