/// A fact about the machine (a toolchain's directory) asked once per process, when first needed.
actor AskedOnce<Value: Sendable> {
    private let ask: @Sendable () async -> Value
    private var answer: Value?

    init(_ ask: @escaping @Sendable () async -> Value) {
        self.ask = ask
    }

    var value: Value {
        get async {
            if let answer { return answer }
            let found = await ask()
            answer = found
            return found
        }
    }
}
