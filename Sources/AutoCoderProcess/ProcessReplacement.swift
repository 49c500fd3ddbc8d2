import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces the running process with another program (`execv`), for a command that is only a door to another
/// executable (`autocoder mcp`): no second process starts, and stdin, stdout and stderr stay the caller's. As on
/// the spawning path, the program starts with an empty signal mask and the default dispositions.
public enum ProcessReplacement {
    /// Runs `executable` with `arguments` in place of this process; returns only when that fails, with `errno`'s
    /// text.
    public static func exec(_ executable: String, arguments: [String]) -> String {
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXFSZ] { Glibc.signal(signal, SIG_DFL) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        execv(executable, argv)
        return String(cString: strerror(errno))
    }
}
