import AutoCoder

/// Where a replayed run departs from the run it replays.
public struct ReplayDeparture: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable {
        /// A whole test run ended differently (`failed` then, `error` now).
        case testOutcome = "test_outcome"
        /// One test ended differently (passed then, fails now).
        case test
        /// A test that ran in one run did not in the other.
        case testPresence = "test_presence"
        /// The loop stopped for another reason, or after another number of iterations.
        case stop
    }

    public var kind: Kind
    /// The iteration, for test departures.
    public var iteration: Int?
    /// The test, for test departures.
    public var test: String?
    public var recorded: String
    public var replayed: String

    /// One line for a person.
    public var description: String {
        switch kind {
        case .testOutcome: "iteration \(iteration ?? 0): the tests were \(recorded), now \(replayed)"
        case .test: "iteration \(iteration ?? 0): \(test ?? "?") \(recorded) then, \(replayed) now"
        case .testPresence: "iteration \(iteration ?? 0): \(test ?? "?") \(recorded) then, \(replayed) now"
        case .stop: "the run stopped with \(recorded) then, \(replayed) now"
        }
    }
}

/// Compares a recorded run with its replay.
public enum ReplayComparison {
    /// The departures of `replay` from `recorded`, iteration by iteration, then how each stopped.
    public static func departures(recorded: StoredRun, replay: RunOutcome) -> [ReplayDeparture] {
        var departures: [ReplayDeparture] = []
        let then = Dictionary(uniqueKeysWithValues: recorded.steps.map { ($0.iteration, $0) })
        for step in replay.steps {
            guard let old = then[step.iteration]?.testResult, let new = step.testResult else { continue }
            if old.outcome != new.outcome {
                departures.append(
                    ReplayDeparture(
                        kind: .testOutcome, iteration: step.iteration, test: nil, recorded: old.outcome.rawValue,
                        replayed: new.outcome.rawValue))
            }
            let oldTests = Dictionary(old.tests.map { (key($0), $0.outcome) }, uniquingKeysWith: { first, _ in first })
            let newTests = Dictionary(new.tests.map { (key($0), $0.outcome) }, uniquingKeysWith: { first, _ in first })
            for name in Set(oldTests.keys).union(newTests.keys).sorted() {
                switch (oldTests[name], newTests[name]) {
                case let (was?, now?) where was != now:
                    departures.append(
                        ReplayDeparture(
                            kind: .test, iteration: step.iteration, test: name, recorded: was.rawValue,
                            replayed: now.rawValue))
                case (nil, _?):
                    departures.append(
                        ReplayDeparture(
                            kind: .testPresence, iteration: step.iteration, test: name, recorded: "absent",
                            replayed: "present"))
                case (_?, nil):
                    departures.append(
                        ReplayDeparture(
                            kind: .testPresence, iteration: step.iteration, test: name, recorded: "present",
                            replayed: "absent"))
                default:
                    break
                }
            }
        }
        let oldStop =
            "\(recorded.summary.stopReason?.rawValue ?? recorded.summary.status.rawValue) after \(recorded.summary.iterations) iteration(s)"
        let newStop = "\(replay.stopReason.rawValue) after \(replay.iterations) iteration(s)"
        if oldStop != newStop {
            departures.append(
                ReplayDeparture(kind: .stop, iteration: nil, test: nil, recorded: oldStop, replayed: newStop))
        }
        return departures
    }

    private static func key(_ test: TestCase) -> String {
        test.suite.map { "\($0)::\(test.name)" } ?? test.name
    }
}
