import Foundation

/// Turns a generator's reply text into files.
///
/// It understands fenced code blocks (``` or ~~~, with or without a language tag), file names given in the fence
/// line (`python solution.py`, `title="solution.py"`) or on the line just before it (`**solution.py**`,
/// `File: solution.py`, "Here is `solution.py`:"), several files in one reply, prose around the code, and replies
/// that are bare code with no fence. Unnamed blocks become the solution file: the block (or blocks) that define
/// the names the tests use and do not define themselves (so a usage example before the code is not taken for
/// it), else the first block in the task's language.
/// A reply cut off inside a code block gives an attempt with a ``Attempt/problem`` instead of files.
public struct ReplyParser: Sendable {
    /// Where an unnamed block goes.
    public var solutionPath: String
    /// The task's language: decides which unnamed block is preferred when there are several, where a bare file
    /// name goes, and how a reply completes the starter; `nil` reads the reply without a language's knowledge.
    public var rules: (any LanguageRules)?
    /// The tests' code: what they use decides between unnamed blocks.
    public var testCode: String
    /// The starter of the solution file, which a completion-style reply is merged with.
    public var starter: String
    /// For a task on a repository: the files as they are now (path → content), which the reply's edits change.
    /// `nil` reads the reply as whole files.
    public var editing: [String: String]?
    /// For a task on a repository: its root, where an edited file that is not in ``editing`` is read from.
    public var repositoryRoot: String?

    public init(solutionPath: String, rules: (any LanguageRules)?, testCode: String = "", starter: String = "") {
        self.solutionPath = solutionPath
        self.rules = rules
        self.testCode = testCode
        self.starter = starter
    }

    /// The parser for `task`, with its language's rules from `languages`. For a task on a repository, the reply's
    /// edits apply to the repository's files shown, laid over with `previous` (the files earlier attempts changed).
    public init(task: CodingTask, languages: LanguageCatalog, previous: [CodeFile] = []) {
        self.init(
            solutionPath: task.solutionPath, rules: languages.rules(for: task.language), testCode: task.testCode,
            starter: task.starterFiles.first { $0.path == task.solutionPath }?.content ?? "")
        if let repository = task.repository {
            repositoryRoot = repository.root
            editing = Dictionary(
                repository.files.overlaid(with: previous).map { ($0.path, $0.content) }, uniquingKeysWith: { $1 })
        }
    }

    /// The attempt that `reply` describes.
    public func attempt(from reply: String, usage: Usage? = nil) -> Attempt {
        let scan = FenceScanner(text: reply).scan()
        if scan.blocks.isEmpty, let reason = Self.inconsistencyClaim(in: reply) {
            return Attempt(
                files: [], reply: reply, usage: usage,
                problem: "The reply says the tests contradict the description: \(reason)", testsInconsistent: reason)
        }
        if let editing, !scan.unterminated {
            return editedAttempt(reply, base: editing, usage: usage)
        }
        if scan.unterminated {
            return Attempt(
                files: [], reply: reply, usage: usage,
                problem: "The reply ends inside a code block that is never closed (it was probably cut off). "
                    + "Reply with the complete file in a closed ``` block.")
        }
        let files = files(from: scan.blocks, reply: reply)
        if let refused = files.first(where: { !mayWrite($0.path) }) {
            return Attempt(
                files: [], reply: reply, usage: usage,
                problem: "The reply may not write \(refused.path): give only "
                    + (rules.map {
                        "\($0.displayName) source files (\($0.fileExtensions.map { "." + $0 }.joined(separator: ", ")))"
                    }
                        ?? "source files")
                    + ", and no hidden file or folder; the build is autocoder's.")
        }
        return Attempt(files: files, reply: reply, usage: usage)
    }

    /// Whether the reply may write `path`: never a hidden file or folder (tools read their settings from them:
    /// `.cargo/config.toml`), and only what the language takes.
    func mayWrite(_ path: String) -> Bool {
        !path.split(separator: "/").contains { $0.hasPrefix(".") && $0 != "." } && rules?.mayWrite(path) != false
    }

    /// The marker a reply uses to say that the tests contradict the description (the prompts offer it).
    public static let inconsistencyMarker = "TESTS INCONSISTENT:"

    /// The reason after ``inconsistencyMarker`` (also written `TESTS_INCONSISTENT:`, in any case, bold or not) on a
    /// line of `reply`, or `nil` when no line starts with it. Only a reply with no code block makes the claim.
    public static func inconsistencyClaim(in reply: String) -> String? {
        for line in reply.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "*#>`_")))
            let upper = text.uppercased().replacingOccurrences(of: "_", with: " ")
            guard upper.hasPrefix(inconsistencyMarker) else { continue }
            let reason = text.dropFirst(inconsistencyMarker.count)
                .trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "*`")))
            return reason.isEmpty ? "no reason given" : reason
        }
        return nil
    }

    private func files(from blocks: [CodeBlock], reply: String) -> [CodeFile] {
        if blocks.isEmpty {
            let code = Self.withoutProse(reply)
            return code.isEmpty ? [] : [CodeFile(path: solutionPath, content: completed(code + "\n"))]
        }
        var files: [CodeFile] = []
        var unnamed: [CodeBlock] = []
        for block in blocks {
            if let path = block.fileName.map(placed) {
                files = files.overlaid(with: [CodeFile(path: path, content: block.code)])
            } else {
                unnamed.append(block)
            }
        }
        if !files.contains(where: { $0.path == solutionPath }), let code = solutionCode(from: unnamed) {
            files.append(CodeFile(path: solutionPath, content: completed(code)))
        }
        return files
    }

    /// Bare code as a reply gives it: the sentences before and after it dropped ("Here is the solution:"), which
    /// would otherwise be the file's first line and a syntax error.
    static func withoutProse(_ reply: String) -> String {
        var lines = reply.trimmingBlankLines().split(separator: "\n", omittingEmptySubsequences: false)
        func indent(_ line: Substring) -> Int { line.prefix { $0 == " " || $0 == "\t" }.count }
        while let first = lines.first, isSentence(first),
            indent(lines.dropFirst().first { !$0.allSatisfy(\.isWhitespace) } ?? "") <= indent(first)
        {
            lines.removeFirst()
            while let next = lines.first, next.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        }
        while let last = lines.last, isSentence(last) {
            lines.removeLast()
            while let previous = lines.last, previous.allSatisfy(\.isWhitespace) { lines.removeLast() }
        }
        return lines.joined(separator: "\n")
    }

    /// Whether `line` reads as a sentence, not code: three words or more from a capital letter to a closing `:`,
    /// `.` or `!`, with none of the characters code is made of. (A line of code that looks so, `for x in xs:`,
    /// starts in lower case, or is followed by its indented body.)
    static func isSentence(_ line: Substring) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard let first = text.first, first.isUppercase, let last = text.last, ":.!".contains(last) else {
            return false
        }
        return text.split(separator: " ").count >= 3 && !text.contains { "(){}[]=;<>\"#$@|\\+*/".contains($0) }
    }

    /// The solution from the unnamed blocks: the one that defines most of the names the tests need, joined by any
    /// others that define needed names it lacks; when none defines one, the first block in the language.
    private func solutionCode(from blocks: [CodeBlock]) -> String? {
        let candidates = blocks.filter { !$0.code.trimmingBlankLines().isEmpty }
        let needed = neededNames
        let defining = candidates.map { definedNames(in: $0.code).intersection(needed) }
        var best: Int?
        for index in defining.indices where defining[index].count > (best.map { defining[$0].count } ?? 0) {
            best = index
        }
        if let best {
            var covered = defining[best]
            var chosen = [best]
            for index in defining.indices where index != best && !defining[index].isSubset(of: covered) {
                covered.formUnion(defining[index])
                chosen.append(index)
            }
            return chosen.sorted().map { candidates[$0].code }.joined(separator: "\n")
        }
        let preferred =
            candidates.first { $0.tag.isEmpty || rules?.fenceTags.contains($0.tag) == true } ?? candidates.first
        return preferred?.code
    }

    /// The identifiers the tests use that they do not define themselves.
    private var neededNames: Set<String> {
        guard !testCode.isEmpty, let word = try? Regex(#"[A-Za-z_]\w*"#) else { return [] }
        let used = Set(testCode.matches(of: word).map { String(testCode[$0.range]) })
        return used.subtracting(definedNames(in: testCode, includingLocals: true))
    }
}

extension ReplyParser {
    /// A file name as the task lays files out: the language decides where a bare name goes (for instance beside
    /// the solution), so that one file never goes under two paths.
    func placed(_ name: String) -> String {
        guard let rules, !name.contains("/") else { return name }
        return rules.placement(ofBareName: name, solutionPath: solutionPath)
    }

    /// The solution's code completed with its starter, as the language does it.
    func completed(_ code: String) -> String {
        guard let rules, !starter.isEmpty else { return code }
        return rules.completing(code, starter: starter)
    }

    func definedNames(in code: String, includingLocals: Bool = false) -> Set<String> {
        rules?.definedNames(in: code, includingLocals: includingLocals) ?? []
    }
}

/// One fenced block of a reply.
struct CodeBlock: Hashable {
    /// The first word of the fence's info string, lower-cased (`python`), or empty.
    var tag: String
    /// The file name given in the info string or on the line before the fence.
    var fileName: String?
    /// The block's text, ending with a newline.
    var code: String
}

extension String {
    /// The text without leading and trailing blank lines, and without trailing whitespace.
    func trimmingBlankLines() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}

extension ReplyParser {
    /// A reply of edits: the files they produce from `base`, or the reason they do not apply.
    func editedAttempt(_ reply: String, base: [String: String], usage: Usage?) -> Attempt {
        let edits = EditParser.edits(in: reply)
        guard !edits.isEmpty else {
            return Attempt(
                files: [], reply: reply, usage: usage,
                problem: "The reply edits nothing. Give each change as a SEARCH/REPLACE block under the file's path "
                    + "(or a whole file in a fenced block under its path).")
        }
        let root = repositoryRoot.map { URL(fileURLWithPath: $0) }
        // An edit of a link edits the file it links to, inside the repository; never one outside it.
        var linked: [FileEdit] = []
        for edit in edits {
            switch root.map({ Self.linkTarget(of: edit.path, in: $0) }) ?? .notLink {
            case .notLink: linked.append(edit)
            case .inside(let target): linked.append(edit.moved(to: target))
            case .outside:
                return Attempt(
                    files: [], reply: reply, usage: usage,
                    problem: "\(edit.path) is a link to a file outside the repository, which autocoder does not edit; "
                        + "change files inside the repository.")
            }
        }
        let read = { (path: String) -> String? in
            guard let root, AttemptCheck.isSafeRelativePath(path) else { return nil }
            return try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        }
        switch EditApplier.apply(linked, to: base, read: read) {
        case .success(let files): return Attempt(files: files, reply: reply, usage: usage)
        case .failure(let failure): return Attempt(files: [], reply: reply, usage: usage, problem: failure.message)
        }
    }

    enum LinkTarget: Equatable {
        case notLink
        case inside(String)
        case outside
    }

    /// Where the file at `path` in `root` really is, when `path` or one of its folders is a symbolic link.
    static func linkTarget(of path: String, in root: URL) -> LinkTarget {
        guard AttemptCheck.isSafeRelativePath(path) else { return .notLink }
        let rootPath = root.resolvingSymlinksInPath().path
        let given = root.appendingPathComponent(path)
        var resolved = given.resolvingSymlinksInPath().path
        if resolved == given.standardizedFileURL.path { return .notLink }
        // A link to a file not yet there resolves no further than the link: read it to see where it points.
        if let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: resolved) {
            resolved =
                URL(
                    fileURLWithPath: destination,
                    relativeTo: URL(fileURLWithPath: resolved)
                        .deletingLastPathComponent()
                ).standardizedFileURL.path
        }
        guard resolved.hasPrefix(rootPath + "/") else { return .outside }
        let relative = String(resolved.dropFirst(rootPath.count + 1))
        return relative == path ? .notLink : .inside(relative)
    }
}
