import AutoCoder
import Foundation

extension SourceScan {
    /// Swift's rules (docs/INTEGRITY.md, "Compiled languages"). Swift runs nothing before `main` without the
    /// attributes that `introspection` names, so whatever the code does happens inside a test.
    static let swift = SourceScan(
        extensions: ["swift"],
        equality: EqualityScan(
            signatures: [
                #"\bfunc\s*(?:==|!=|<|>|<=|>=|~=)\s*\(\s*(?:\w+\s+)?(\w+)\s*:[^,]*,\s*(?:\w+\s+)?(\w+)\s*:"#
            ]
        ),
        skips: #"\bXCTSkip|\.\s*disabled\b|\.\s*enabled\s*\("#,
        rules: [
            Rule(
                "test-machinery-import",
                #"\bimport\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?`?(?:XCTest|Testing|_Testing\w*)\b|(?:^|[\s;])import\s*$|^\s*`?(?:XCTest|Testing)`?\s*$"#,
                "imports the test framework (also split across lines, with attributes or in backticks)"),
            Rule(
                "process-control",
                #"(?<![.\w])(?<!case )(?<!func )(?<!var )(?<!let )(?:exit|_exit|_Exit|quick_exit|abort|atexit|kill|raise|signal|sigaction|pthread_kill)\b(?!\s*:)|\b\w+\s*\.\s*(?:exit|_exit|_Exit|abort|kill|raise)\b|\b(?:SwiftGlibc|Glibc|Darwin|Musl|ucrt|WinSDK)\s*\.|(?<![.\w])(?<!func )(?:exec[lv]\w*|fexecve|posix_spawn\w*|fork|vfork)\s*\("#,
                "can end or interrupt the test process, even when taken by reference"),
            Rule(
                "process-state",
                #"\b(?:CommandLine|ProcessInfo|getenv|setenv|unsetenv|putenv|environ|readLine|getpid)\b"#,
                "reads or changes the test process's arguments, environment or input"),
            Rule(
                "writes-files",
                #"\b(?:FileManager|FileHandle|OutputStream|InputStream|FileDescriptor|DispatchIO)\b|(?<![.\w])(?<!func )(?<!case )(?:fopen|freopen|fdopen|fwrite|fputs|open|openat|creat|dup|dup2|write|pwrite|lseek|unlink|rename|truncate|ftruncate|mmap)\s*\(|\.write\s*\(\s*to(?:File)?\s*:|\b(?:stdout|stderr|stdin)\b"#,
                "opens, writes or redirects files or descriptors (the tests need none)"),
            Rule(
                "introspection",
                #"@_silgen_name|@_cdecl|@_section|@_used|@_extern|\bdlsym\b|\bdlopen\b|\bunsafeBitCast\b|\bsyscall\b"#,
                "reaches symbols of the test runner or the C library by name, or runs before main"),
            Rule(
                "raw-memory",
                #"\b(?:Unsafe\w*Pointer|OpaquePointer|Unmanaged|AutoreleasingUnsafeMutablePointer)\b|\bwithUnsafe\w*|\bunsafeAddress\b|\b(?:mprotect|pkey_mprotect|madvise|process_vm_readv|process_vm_writev|ptrace|memcpy|memset|memmove)\b"#,
                "uses raw pointers or changes memory protection: reaches the test runner's own memory"),
            Rule(
                "shadows-framework",
                #"\b(?:func|let|var|typealias|case)\s+`?(?:XCT\w*|__\w+)\b|\bmacro\s+\w+|\b(?:class|struct|enum|actor|protocol|typealias)\s+`?(?:XCTestCase|XCTest|Test|Suite|Expectation|Issue)\b"#,
                "declares a function, value or type named like one of the test framework's (backticks too), which the tests would then use"
            ),
            Rule(
                "forged-equality",
                #"ExpressibleBy\w*Literal|\binit\s*\(\s*(?:integerLiteral|floatLiteral|stringLiteral|booleanLiteral|arrayLiteral|dictionaryLiteral|unicodeScalarLiteral|extendedGraphemeClusterLiteral|stringInterpolation)\b|\b(?:struct|class|enum|actor|extension)\s+[^{]*:[^{]*\b(?:Numeric|SignedNumeric|BinaryInteger|SignedInteger|UnsignedInteger|FixedWidthInteger|FloatingPoint|BinaryFloatingPoint|StringProtocol)\b"#,
                "makes a type of its own that the tests' literals become, so that a type the code defines (its equality, written or synthesised) judges the tests' expected values"
            ),
            Rule(
                "forged-equality",
                #"\bfunc\s*(?:==|!=|<|>|<=|>=|~=)\s*\([^)]*:\s*(?:Int\w*|UInt\w*|Double|Float|Bool|String|Character|Substring)\s*[,)]"#,
                "makes a type of its own compare equal to a built-in value (a number, a character, a string)"),
            .selfComparison, .runnerWords, .processPaths,
        ], wholeCode: SwiftComparisonOperators.findings)
}
