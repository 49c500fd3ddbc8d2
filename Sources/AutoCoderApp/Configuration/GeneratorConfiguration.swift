import Foundation

/// Which generator writes the code, and its options.
public struct GeneratorConfiguration: Codable, Hashable, Sendable {
    /// A name of ``Providers``; `nil` chooses automatically (see ``Providers/automaticChoice(_:)``).
    public var provider: String?
    public var model: String?
    public var baseURL: String?
    /// For ollama and local: the context window in tokens (default 8192).
    public var contextSize: Int?
    /// The most tokens one reply may have (default 4096; 1024 for the local model).
    public var maxReplyTokens: Int?
    /// For `script`: the file of replies.
    public var script: String?
    /// For `command`: the shell command that answers requests.
    public var command: String?

    public init(
        provider: String? = nil, model: String? = nil, baseURL: String? = nil, contextSize: Int? = nil,
        maxReplyTokens: Int? = nil, script: String? = nil, command: String? = nil
    ) {
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
        self.contextSize = contextSize
        self.maxReplyTokens = maxReplyTokens
        self.script = script
        self.command = command
    }

    public static let defaultContextSize = 8192

    /// Why these options cannot go together or are out of range, or `nil`.
    public var problem: String? {
        if let contextSize, contextSize < 512 { return "--context-size must be at least 512 (it is \(contextSize))." }
        if let maxReplyTokens, maxReplyTokens < 16 {
            return "--max-reply-tokens must be at least 16 (it is \(maxReplyTokens))."
        }
        if let baseURL {
            guard let url = URL(string: baseURL), url.scheme == "http" || url.scheme == "https", url.host != nil
            else { return "--base-url must be an http(s) URL (it is \(baseURL))." }
        }
        if script != nil, command != nil {
            return "--script and --command choose two different generators; give one of them."
        }
        if let provider = provider?.lowercased() {
            let options = [("--script", script, ScriptEntry().name), ("--command", command, CommandEntry().name)]
            for (flag, value, owner) in options where value != nil && provider != owner {
                return "\(flag) goes with --provider \(owner), not --provider \(provider)."
            }
        }
        return nil
    }
}
