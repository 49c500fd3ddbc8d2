/// One change a reply asks for in a repository.
public enum FileEdit: Hashable, Sendable {
    /// Replace the lines `search` with `replace` in the file at `path`; an empty `search` creates the file.
    case replace(path: String, search: String, replace: String)
    /// The whole file at `path` (a fenced block under its path).
    case whole(path: String, content: String)

    /// The file it changes.
    public var path: String {
        switch self {
        case .replace(let path, _, _), .whole(let path, _): path
        }
    }

    /// The same change to the file at `path`.
    public func moved(to path: String) -> FileEdit {
        switch self {
        case .replace(_, let search, let replace): .replace(path: path, search: search, replace: replace)
        case .whole(_, let content): .whole(path: path, content: content)
        }
    }
}
