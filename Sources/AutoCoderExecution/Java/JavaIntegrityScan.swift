import AutoCoder
import Foundation

extension SourceScan {
    /// Java's rules (docs/INTEGRITY.md, "Compiled languages"). Static initialisers are allowed: the launcher reads
    /// its seal before any class of the code loads, and what they could do is what the other rules forbid.
    static let java = SourceScan(
        extensions: ["java"], quotes: ["\"", "'"], textBlocks: true, normalize: decodingUnicodeEscapes,
        equality: EqualityScan(signatures: [
            #"\bboolean\s+equals\s*\(\s*(?:(?:final|@[\w.]+(?:\([^)]*\))?)\s+)*[\w.<>?\[\]]+\s+(\w+)\s*\)"#,
            #"\bint\s+compareTo\s*\(\s*(?:(?:final|@[\w.]+(?:\([^)]*\))?)\s+)*[\w.<>?\[\]]+\s+(\w+)\s*\)"#,
        ]),
        skips:
            #"@\s*(?:Disabled|Enabled)\w*|@\s*Ignore\b|\bAssumptions\b|\bassume(?:True|False|That)\s*\(|\bTestAbortedException\b"#,
        rules: [
            Rule(
                "test-machinery",
                #"^\s*import\s+(?:static\s+)?(?:org\s*\.\s*(?:junit|opentest4j|assertj|apiguardian)|autocoder)\b|@\s*(?:Test|ParameterizedTest|RepeatedTest|TestFactory|BeforeAll|AfterAll|ExtendWith)\b"#,
                "imports or declares test machinery; only the task's tests judge the code"),
            Rule(
                "process-control",
                #"\bSystem\s*\.\s*exit\b|\bRuntime\b|\.\s*halt\s*\(|\bProcessHandle\b|\bProcessBuilder\b|\bShutdownHook\b|\bThread\s*\.\s*getAllStackTraces\b|\bStackWalker\b|\bgetStackTrace\s*\("#,
                "can end the test process, or reads the test runner's stack, even when taken by reference"),
            Rule(
                "reflection",
                #"\bjava\s*\.\s*lang\s*\.\s*(?:reflect\s*\.\s*(?:Field|Method|Constructor|AccessibleObject|Proxy|InvocationHandler|\*)|invoke|instrument|management)\b|\.\s*invoke\s*\(|\bsetAccessible\b|\bgetDeclared\w+\b|\bgetMethods?\s*\(|\bgetFields?\s*\(|\bsun\s*\.\s*misc\b|\bjdk\s*\.\s*internal\b|\bMethodHandles?\b|\bClassLoader\b|\bClass\s*\.\s*forName\b|\bnative\s+\w|\bjava\s*\.\s*beans\b|\b(?:Statement|Expression|EventHandler)\s*\("#,
                "reflects on classes, loads code or reaches raw memory"),
            Rule(
                "process-state",
                #"\bSystem\s*\.\s*(?:getenv|getProperty|getProperties|setProperty|clearProperty|in|setIn|setOut|setErr|console|inheritedChannel)\b"#,
                "reads or changes the test process's environment, properties or standard streams"),
            Rule(
                "writes-files",
                #"\bjava\s*\.\s*nio\s*\.\s*channels\b|\bFiles\s*\.\s*(?:write\w*|newOutputStream|newBufferedWriter|delete\w*|move|copy|create\w*|set\w+)\b|\bFileOutputStream\b|\bFileInputStream\b|\bPrintStream\s*\(|\bFile(?:Writer|Descriptor|Channel)\b|\bRandomAccessFile\b|\bPrintWriter\s*\(\s*(?:new\s+File|"")|\.\s*(?:delete|renameTo|setWritable|setLastModified|createNewFile)\s*\("#,
                "writes, moves or removes files or descriptors (the tests need none written)"),
            Rule(
                "shadows-framework",
                #"\b(?:class|interface|enum|record|@interface)\s+(?:Assertions|Assert|Assumptions|Assertj\w*|Test|Disabled|BeforeEach|AfterEach|BeforeAll|AfterAll|DisplayName|ParameterizedTest|ValueSource|CsvSource|MethodSource|Nested|Tag|Timeout|RepeatedTest|TestInstance|Order|TestMethodOrder|MethodOrderer|Executable|ThrowingSupplier|AssertionFailedError|Fail|AbstractAssert|ObjectAssert|Condition|Offset|Percentage|Within)\b"#,
                "declares a type named like one of the test framework's, which the tests would then use"),
            .selfComparison, .runnerWords, .processPaths,
        ])
}
