import AutoCoder
import Foundation

extension SourceScan {
    /// Go's rules (docs/INTEGRITY.md, "Compiled languages"). Package-level variable initialisers also run before the
    /// tests; they are allowed, since what they could do to the verdict is what the other rules forbid.
    static let go = SourceScan(
        extensions: ["go"], quotes: ["\"", "'"], rawQuotes: ["`"],
        skips: #"\.\s*Skip(?:f|Now)?\s*\("#,
        rules: [
            Rule(
                "test-machinery-import", #"^\s*(?:import\s+)?(?:[\w.]+\s+)?["`]testing(?:/\w+)?["`]\s*\)?\s*$"#,
                "imports the test framework", target: .text),
            Rule(
                "renamed-import",
                #"^\s*(?:import\s+)?(?!import\b)(?:[A-Za-z_]\w*|\.)\s+["`](?:os|syscall|unsafe|flag|runtime|runtime/\w+|reflect|plugin|log|io/ioutil|os/\w+|testing|io|bufio)["`]"#,
                "imports a package of the process's own state under another name", target: .text),
            Rule(
                "unsafe-import",
                #"["`](?:syscall|unsafe|plugin|os/signal|os/exec|runtime/debug|debug/\w+|golang\.org/x/sys/\w+)["`]|^\s*import\s+["`]C["`]"#,
                "imports raw system calls, memory or reflection", target: .text),
            Rule(
                "process-control",
                #"\bos\s*\.\s*Exit\b|\bsyscall\s*\.|\bunix\s*\.|\bruntime\s*\.\s*(?:Goexit|Breakpoint|SetFinalizer)\b|\blog\s*\.\s*(?:Fatal|Panic)\w*\b|\bsignal\s*\.\s*Notify\b"#,
                "can end or interrupt the test process, even when taken by reference"),
            Rule(
                "runs-before-main", #"^\s*func\s+init\s*\(|//\s*go:linkname|//\s*go:cgo"#,
                "runs before the test runner, or binds a runtime symbol by name", target: .text),
            Rule(
                "process-state",
                #"\bos\s*\.\s*(?:Args|Getenv|LookupEnv|Setenv|Unsetenv|Clearenv|Environ|Stdin|Stdout|Stderr|NewFile|Getpid|Executable)\b|\bflag\s*\."#,
                "reads or changes the test process's arguments, environment or descriptors"),
            Rule(
                "writes-files",
                #"\bos\s*\.\s*(?:Create|CreateTemp|OpenFile|WriteFile|Remove\w*|Rename|Chmod|Chown|Chtimes|Mkdir\w*|Symlink|Link|Truncate|Pipe)\b|\bioutil\s*\.\s*(?:WriteFile|TempFile)\b"#,
                "writes, moves or removes files (the tests need none written)"),
            Rule(
                "raw-memory",
                #"\bunsafe\s*\.|\bplugin\s*\.|\breflect\s*\.\s*(?:NewAt|MakeFunc|SliceHeader|StringHeader)\b|\.\s*UnsafeAddr\s*\(|\.\s*UnsafePointer\s*\("#,
                "reaches raw memory, or makes functions or addresses up"),
            .runnerWords, .processPaths,
        ])
}
