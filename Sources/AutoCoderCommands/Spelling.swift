import ArgumentParser

/// The command line checked against what the commands declare before it is parsed, so that a typo is named as one:
/// an unknown command or option, with the nearest real one (`sovle` → `solve`, `--test` → `--tests`), `help` of a
/// command that does not exist, and `--events=` with a value other than `deltas`. The names are read from each
/// command's own help (hidden options included), so they cannot drift from what the parser accepts.
enum Spelling {
    /// The problem with `arguments`, in one sentence, or `nil`.
    static func problem(in arguments: [String]) -> String? {
        // ArgumentParser's own: a shell's completion script and the help as JSON (which man pages are made from).
        if arguments.contains(where: {
            $0.hasPrefix("--generate-completion-script") || $0 == "--experimental-dump-help"
        }) {
            return nil
        }
        var command: any ParsableCommand.Type = AutoCoderCommand.self
        var rest = arguments[...]
        // The command path: `bench exercism`, `runs list`, or `help` and the command it names.
        var asksHelp = false
        if rest.first == "help" {
            asksHelp = true
            rest = rest.dropFirst()
        }
        while let word = rest.first, !word.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            if let found = subcommands.first(where: { $0._commandName == word }) {
                command = found
                rest = rest.dropFirst()
                continue
            }
            // A command with a default subcommand takes the word as that one's argument (`bench DATASET`).
            if command.configuration.defaultSubcommand != nil || subcommands.isEmpty { break }
            let names = subcommands.map { $0._commandName }
            return "Unknown command '\(word)'" + suggestion(for: word, among: names)
        }
        if asksHelp { return nil }
        if let defaultCommand = command.configuration.defaultSubcommand { command = defaultCommand }
        let options = declaredOptions(of: command)
        var index = rest.startIndex
        while index < rest.endIndex {
            let argument = rest[index]
            index += 1
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.prefix { $0 != "=" })
            if name == "--events", argument.hasPrefix("--events="), argument != "--events=deltas" {
                return "--events takes no value, or '=deltas' (given '\(argument.dropFirst("--events=".count))')"
            }
            guard let takesValue = options[name] else {
                return "Unknown option '\(name)'" + suggestion(for: name, among: Array(options.keys))
            }
            if takesValue, !argument.contains("=") { index += 1 }
        }
        return nil
    }

    /// The long options `command` declares (its help, hidden ones included), each with whether it takes a value.
    static func declaredOptions(of command: any ParsableCommand.Type) -> [String: Bool] {
        let help = AutoCoderCommand.helpMessage(for: command, includeHidden: true, columns: 10_000)
        var options: [String: Bool] = ["--help": false, "--version": false]
        for line in help.split(separator: "\n") {
            for match in line.matches(of: /(--[a-z0-9][a-z0-9-]*)( <[^>]+>)?/) {
                options[String(match.1), default: false] = options[String(match.1)] == true || match.2 != nil
            }
        }
        return options
    }

    /// ` Did you mean 'X'?` for the nearest of `names` (a prefix either way, or at most two edits), else `.`.
    static func suggestion(for word: String, among names: [String]) -> String {
        let near = names.filter { $0.hasPrefix(word) || word.hasPrefix($0) || distance(word, $0) <= 2 }
            .min { distance(word, $0) < distance(word, $1) }
        return near.map { ". Did you mean '\($0)'?" } ?? "."
    }

    /// The edit distance between two words (insertions, deletions, substitutions, adjacent swaps).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
