import Foundation

/// Readable names for the signals that end test runs.
public enum SignalName {
    /// `SIGKILL (9), often the kernel's out-of-memory killer` and the like.
    public static func describe(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: "SIGKILL (9), often the out-of-memory killer or a resource limit"
        case SIGSEGV: "SIGSEGV (11), a segmentation fault"
        case SIGABRT: "SIGABRT (6), an abort"
        case SIGXCPU: "SIGXCPU (\(SIGXCPU)), the CPU-time limit"
        case SIGXFSZ: "SIGXFSZ (\(SIGXFSZ)), the file-size limit"
        case SIGTERM: "SIGTERM (15)"
        case SIGBUS: "SIGBUS (\(SIGBUS)), a bus error"
        case SIGFPE: "SIGFPE (\(SIGFPE)), an arithmetic error"
        default: "signal \(signal)"
        }
    }
}
