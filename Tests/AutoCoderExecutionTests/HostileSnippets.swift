/// Python statements that attack the executor, shared by the hostile and fallback suites.
enum HostileSnippets {
    /// Starts a `setsid` grandchild that ignores SIGTERM and sleeps with `marker` in its command line, as a
    /// daemon would (indented for a test function's body).
    static func daemon(marker: String) -> String {
        """
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    signal.signal(signal.SIGTERM, signal.SIG_IGN)
                    os.execvp("sleep", ["sleep", "300", "\(marker)"])
                os._exit(0)
        """
    }
}
