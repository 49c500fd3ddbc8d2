import AutoCoder
import Foundation

extension SourceScan {
    /// Swift's rules (docs/INTEGRITY.md, "Compiled languages"). Swift runs nothing before `main` without the
    /// attributes that `introspection` names, so whatever the code does happens inside a test.
    static let swift = SourceScan(
        extensions: ["swift"],
        rules: [
            Rule(
                "test-machinery-import", #"^\s*(?:@testable\s+)?import\s+(?:XCTest|Testing)\b"#,
                "imports the test framework"),
            Rule(
                "process-control",
                #"(?<![.\w])(?<!case )(?<!func )(?<!var )(?<!let )(?:exit|_exit|_Exit|quick_exit|abort|atexit|kill|raise|signal|sigaction|pthread_kill)\b(?!\s*:)|\b(?:Glibc|Foundation|Darwin|Musl|Thread)\s*\.\s*(?:exit|_exit|abort|kill|raise)\b"#,
                "can end or interrupt the test process, even when taken by reference"),
            Rule(
                "process-state",
                #"\b(?:CommandLine|ProcessInfo|getenv|setenv|unsetenv|putenv|environ|readLine|getpid)\b"#,
                "reads or changes the test process's arguments, environment or input"),
            Rule(
                "writes-files",
                #"\b(?:FileManager|FileHandle|OutputStream|InputStream|FileDescriptor)\b|(?<![.\w])(?<!func )(?<!case )(?:fopen|freopen|fdopen|fwrite|fputs|open|openat|creat|dup|dup2|write|pwrite|lseek|unlink|rename|truncate|ftruncate|mmap)\s*\(|\.write\s*\(\s*to(?:File)?\s*:|\b(?:stdout|stderr|stdin)\b"#,
                "opens, writes or redirects files or descriptors (the tests need none)"),
            Rule(
                "introspection",
                #"@_silgen_name|@_cdecl|@_section|@_used|@_extern|\bdlsym\b|\bdlopen\b|\bunsafeBitCast\b|\bsyscall\b"#,
                "reaches symbols of the test runner or the C library by name, or runs before main"),
            .runnerWords, .processPaths,
        ])
}
