import Foundation

/// Where a bench on a queue stands (`bench status`): what the PostgreSQL queue reports, and the CLI prints.
public struct BenchStatus: Codable, Sendable, Equatable {
    public var benchID: String
    public var name: String
    public var problems: Int
    public var queued: Int
    public var running: Int
    public var done: Int
    public var failed: Int
    /// Claims so far, over all problems: more than `problems` when workers were lost.
    public var attempts: Int
    /// Results written late by a worker whose lease had been taken over, and dropped.
    public var refusedResults: Int
    public var maxAttempts: Int
    public var createdAt: String
    /// From enqueueing to the last finished problem (or now, while it runs).
    public var wallSeconds: Double

    /// Every problem is done or failed.
    public var finished: Bool { queued == 0 && running == 0 }

    enum CodingKeys: String, CodingKey {
        case benchID, name, problems, queued, running, done, failed, attempts, finished, refusedResults, maxAttempts
        case createdAt, wallSeconds
    }

    public init(
        benchID: String, name: String, problems: Int, queued: Int, running: Int, done: Int, failed: Int, attempts: Int,
        refusedResults: Int, maxAttempts: Int, createdAt: String, wallSeconds: Double
    ) {
        (self.benchID, self.name, self.problems, self.queued, self.running) = (benchID, name, problems, queued, running)
        (self.done, self.failed, self.attempts, self.refusedResults) = (done, failed, attempts, refusedResults)
        (self.maxAttempts, self.createdAt, self.wallSeconds) = (maxAttempts, createdAt, wallSeconds)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            benchID: try c.decode(String.self, forKey: .benchID), name: try c.decode(String.self, forKey: .name),
            problems: try c.decode(Int.self, forKey: .problems), queued: try c.decode(Int.self, forKey: .queued),
            running: try c.decode(Int.self, forKey: .running), done: try c.decode(Int.self, forKey: .done),
            failed: try c.decode(Int.self, forKey: .failed), attempts: try c.decode(Int.self, forKey: .attempts),
            refusedResults: try c.decode(Int.self, forKey: .refusedResults),
            maxAttempts: try c.decode(Int.self, forKey: .maxAttempts),
            createdAt: try c.decode(String.self, forKey: .createdAt),
            wallSeconds: try c.decode(Double.self, forKey: .wallSeconds))
    }

    /// Written by hand for `finished`, worked out from the counts.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(benchID, forKey: .benchID)
        try c.encode(name, forKey: .name)
        try c.encode(problems, forKey: .problems)
        try c.encode(queued, forKey: .queued)
        try c.encode(running, forKey: .running)
        try c.encode(done, forKey: .done)
        try c.encode(failed, forKey: .failed)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(refusedResults, forKey: .refusedResults)
        try c.encode(maxAttempts, forKey: .maxAttempts)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(wallSeconds, forKey: .wallSeconds)
        try c.encode(finished, forKey: .finished)
    }
}
