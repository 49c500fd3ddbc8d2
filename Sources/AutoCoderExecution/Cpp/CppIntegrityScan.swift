import AutoCoder
import Foundation

extension SourceScan {
    /// C++'s rules (docs/INTEGRITY.md, "Compiled languages"). A global object's constructor also runs before `main`;
    /// no line scan finds every one, so what such code could do to the verdict is what the other rules forbid.
    static let cpp = SourceScan(
        extensions: ["cpp", "cc", "cxx", "c", "h", "hpp", "hh", "hxx"], quotes: ["\"", "'"],
        normalize: { emptyingCppRawStrings(splicingLines($0)) },
        equality: EqualityScan(
            signatures: [#"\boperator\s*(?:==|!=|<|>|<=|>=|<=>)\s*\(((?:[^()]|\([^()]*\))*)\)"#],
            parameterLists: true),
        skips: #"\bSKIP\b"#,
        rules: [
            Rule(
                "test-machinery",
                #"#\s*(?:define|undef)\s+(?:CATCH\w*|REQUIRE\w*|CHECK\w*|TEST_CASE\w*|SECTION|SCENARIO\w*|GIVEN|WHEN|THEN|AND_\w+|INFO|UNSCOPED_INFO|CAPTURE|FAIL\w*|SUCCEED|WARN|STATIC_REQUIRE\w*|private|protected|public|class|struct|true|false|assert|main|return|int|bool|if|while|for|auto|operator|\w+_cast|sizeof|alignof|decltype|noexcept|new|delete|this|template|typename|typedef|using|namespace|static|const|constexpr|inline|virtual|explicit|friend|throw|try|catch|switch|case|default|do|else|goto|nullptr|void|char|double|float|long|short|signed|unsigned|extern|mutable|volatile|enum|union)\b|#\s*include\s*[<"]catch|(?<![\w:])int\s+main\s*\("#,
                "redefines or reaches the test framework, or brings a main of its own", target: .text),
            Rule(
                "test-machinery", #"\bCatch\b|##"#,
                "names the test framework's namespace, or pastes tokens together (how a name is hidden from a reader)"),
            Rule(
                "process-control",
                #"(?<![.\w>])(?:std\s*::\s*|::\s*)?(?:exit|_exit|_Exit|quick_exit|abort|terminate|atexit|at_quick_exit|kill|raise|signal|sigaction|longjmp|setjmp|pthread_kill|pthread_exit|err|errx|verr|verrx|error|error_at_line|exec[lv]\w*|fexecve|posix_spawn\w*|fork|vfork)\b|#\s*include\s*[<"](?:[^>"]*/)?err\.h[>"]"#,
                "can end or interrupt the test process, even when taken by reference"),
            Rule(
                "runs-before-main",
                #"__attribute__\s*\(\s*\(\s*(?:constructor|destructor|section|init_priority)|\.init_array|\.preinit_array|\.ctors|#\s*pragma\s+(?:init|section)"#,
                "runs before or after the test runner", target: .text),
            Rule(
                "process-state",
                #"\b(?:getenv|secure_getenv|setenv|unsetenv|putenv|environ|__environ|program_invocation_\w+|getauxval|__libc_\w+|stdin|cin|getchar|scanf|fgets|gets|getpid)\b"#,
                "reads or changes the test process's arguments, environment or input"),
            Rule(
                "writes-files",
                #"(?<![.\w>:])(?:std\s*::\s*)?(?:freopen|fdopen|fwrite|fputs|fputc|putc|fprintf|dprintf|vdprintf|setvbuf|popen|system|fseek\w*|lseek\w*)\s*\)?\s*\(|\bstd\s*::\s*(?:ofstream|fstream|filebuf|filesystem)\b|\brdbuf\s*\)?\s*\(|\bstdout\b|\bstderr\b|\bextern\s*""|#\s*include\s*[<"](?:[^>"]*/)?(?:unistd\.h|fcntl\.h|sys/[\w/]+\.h|dlfcn\.h|csignal|signal\.h|setjmp\.h|csetjmp|linux/[\w/]+\.h|syscall\.h|fstream|filesystem|spawn\.h)[>"]"#,
                "writes or redirects files or descriptors, declares C functions itself, or starts processes (the "
                    + "tests need none of it)"),
            Rule(
                "writes-files",
                #"#\s*include\s*"(?:[^"]*/)?(?:unistd\.h|fcntl\.h|sys/[\w/]+\.h|dlfcn\.h|csignal|signal\.h|setjmp\.h|csetjmp|syscall\.h|fstream|filesystem|spawn\.h|err\.h)"|#\s*include\s*"(?:/|[^"]*\.\./)"#,
                "includes a system header by a quoted path, or a file outside the code's own folder", target: .text),
            Rule(
                "raw-machine", #"\b(?:asm|__asm__|__asm|syscall|dlsym|dlopen|dlvsym)\b"#,
                "runs raw system calls or assembly, or reaches symbols by name"),
            Rule(
                "forged-equality",
                #"\boperator\s*(?:==|!=|<|>|<=|>=|<=>)\s*\(\s*(?:[^(),]+,\s*)?\(?\s*(?:const\s+)?(?:unsigned\s+|signed\s+|long\s+|short\s+)*(?:int|long|short|char|bool|float|double|size_t|std\s*::\s*size_t|u?int\d+_t|std\s*::\s*string|string|std\s*::\s*string_view|const\s+char\s*\*)\b"#,
                "makes a type of its own compare equal to a built-in value (a number, a character, a string)"),
            Rule(
                "test-machinery",
                #"(?<!\busing\s)(?<!\busing\s\s)\bnamespace\s+(?:std|__gnu_cxx|__cxxabiv1)\b|\b(?:std|__gnu_cxx|__cxxabiv1)\s*\{|^\s*(?:std|__gnu_cxx|__cxxabiv1)(?:\s*::\s*\w+)*\s*(?:\{|$)|#\s*define\s+\w+(?:\([^)]*\))?\s+(?:.*\bnamespace\b|(?:.*[^:\w])?(?:std|__gnu_cxx|__cxxabiv1)\b(?!\s*::))"#,
                "declares names in the standard library's namespaces (where a type of the code's would pass for the library's), or hides a namespace behind a macro"
            ),
            .selfComparison, .runnerWords, .processPaths,
        ])
}
