import Foundation

/// Completes a reply with the task's starter file, when the starter holds signatures and docstrings (HumanEval,
/// Exercism stubs) and the reply is written as a completion of it.
///
/// - A reply that defines nothing at the top level and whose code is indented (a function's body) goes under the
///   starter's one unfinished function.
/// - A reply that defines functions or classes keeps them (a repeated signature replaces the starter's), with the
///   starter's imports it lacks put first, so `List` from `from typing import List` is still there.
///
/// The Python toolchain's ``LanguageRules/completing(_:starter:)``.
public struct StarterMerge: Sendable {
    public var starter: String

    public init(starter: String) {
        self.starter = starter
    }

    /// The solution file for `reply`'s code.
    public func merged(_ code: String) -> String {
        guard !starter.isEmpty else { return code }
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let meaningful = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let definesTopLevel = lines.contains { Self.isTopLevelDefinition($0) }
        if !definesTopLevel, !meaningful.isEmpty, meaningful.allSatisfy({ $0.first == " " || $0.first == "\t" }) {
            return Self.joined(starter, bodyOnly: lines)
        }
        guard definesTopLevel else { return code }
        let present = Set(lines.filter(Self.isImport).map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = starter.split(separator: "\n").map(String.init).filter {
            Self.isImport($0) && !present.contains($0.trimmingCharacters(in: .whitespaces))
        }
        return missing.isEmpty ? code : missing.joined(separator: "\n") + "\n\n" + code
    }

    private static func isTopLevelDefinition(_ line: String) -> Bool {
        line.hasPrefix("def ") || line.hasPrefix("async def ") || line.hasPrefix("class ")
    }

    private static func isImport(_ line: String) -> Bool {
        line.hasPrefix("import ") || (line.hasPrefix("from ") && line.contains(" import "))
    }

    /// The starter with its trailing `...`/`pass` stand-in dropped and `body` (re-indented to four spaces) after it.
    private static func joined(_ starter: String, bodyOnly body: [String]) -> String {
        var head = starter.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = head.last, ["", "...", "pass"].contains(last.trimmingCharacters(in: .whitespaces)) {
            head.removeLast()
        }
        let indents = body.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
            $0.prefix { $0 == " " || $0 == "\t" }.count
        }
        let cut = indents.min() ?? 0
        let reindented = body.map { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "" : "    " + $0.dropFirst(cut) }
        return (head + reindented).joined(separator: "\n").trimmingCharacters(in: .newlines) + "\n"
    }
}
