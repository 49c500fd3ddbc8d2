/// Shell-style path patterns: `*` matches within one path component, `**` any number of components, `?` one
/// character; a pattern without a slash matches the file name in any directory.
public enum Glob {
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        if !pattern.contains("/") { return parts.last.map { component(pattern, $0) } ?? false }
        return match(pattern.split(separator: "/").map(String.init)[...], parts[...])
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            return (path.startIndex...path.endIndex).contains { match(rest, path[$0...]) }
        }
        guard let head = path.first, component(first, head) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// One component: `*` and `?` within it.
    static func component(_ pattern: String, _ name: String) -> Bool {
        let pattern = Array(pattern)
        let name = Array(name)
        func match(_ p: Int, _ n: Int) -> Bool {
            if p == pattern.count { return n == name.count }
            if pattern[p] == "*" { return (n...name.count).contains { match(p + 1, $0) } }
            guard n < name.count, pattern[p] == "?" || pattern[p] == name[n] else { return false }
            return match(p + 1, n + 1)
        }
        return match(0, 0)
    }
}
