import AutoCoder
import Foundation

extension SourceScan {
    /// Rust's rules (docs/INTEGRITY.md, "Compiled languages"). Nothing runs before `main` in safe Rust without the
    /// attributes and sections that `runs-before-main` names. `unsafe` blocks are allowed (raw pointers are how a
    /// linked structure is written, as in Exercism's doubly-linked-list); what would turn them on the test runner
    /// (foreign functions, assembly, addresses or code pointers made up, mutable statics) is not.
    static let rust = SourceScan(
        extensions: ["rs"], quotes: [], multilineQuotes: ["\""],
        normalize: { withoutRawIdentifiers(blankingCharacterLiterals(emptyingRustRawStrings($0))) },
        equality: EqualityScan(signatures: [
            #"\bfn\s+(?:eq|ne|partial_cmp|cmp|lt|le|gt|ge)\s*\(\s*&\s*self\s*,\s*(\w+)"#
        ]),
        skips: #"#\s*\[\s*ignore\b"#,
        rules: [
            Rule(
                "test-harness", #"#\s*!\[\s*(?:feature|test_runner|reexport_test_harness_main|no_main|no_std)"#,
                "replaces the test harness or the standard entry point"),
            Rule(
                "process-control",
                #"\bprocess\s*::\s*(?:exit|abort)\b|\bstd\s*::\s*process\b|\bprocess\s+as\b|\{[^}]*\bprocess\b|\b(?:set_hook|take_hook|always_abort)\b|(?<![.\w:])(?<!fn )(?:_exit|abort|exit)\s*\(|\blibc\b|\bnix\s*::"#,
                "can end or interrupt the test process, even when taken by reference"),
            Rule(
                "raw-machine",
                #"\bextern\s*""|\basm!|\bglobal_asm!|\bnaked_asm!|\btransmute\w*\b|\b(?:usize|u64|isize|i64)\s+as\s+\*|\bas\s+\*\s*(?:const|mut)\s+(?:fn|u8|c_void)\b|\bstatic\s+mut\b|_volatile\b|\bfrom_raw_parts\w*\b"#,
                "calls foreign functions or assembly, or makes addresses and code pointers up"),
            Rule(
                "runs-before-main",
                #"#\s*!?\[[^\]]*\b(?:no_mangle|link_section|used|link|link_name|export_name|naked|ctor|dtor)\b|\.init_array|\.preinit_array|\.ctors|\.fini_array"#,
                "runs before or after the test runner, or binds a symbol by name", target: .text),
            Rule(
                "process-state",
                #"\bstd\s*::\s*env\b|\benv\s*::\s*(?:args\w*|var\w*|set_var|remove_var|current_exe)\b|\{[^}]*\benv\b|\b(?:stdin|stdout|stderr)\s*\(|\bstd\s*::\s*os\s*::|\bfrom_raw_fd\b|\bRawFd\b"#,
                "reads or changes the test process's arguments, environment or descriptors"),
            Rule(
                "writes-files",
                #"\bfs\s*::\s*(?:write|remove\w*|rename|create_dir\w*|copy|hard_link|soft_link|set_permissions)\b|\bFile\s*::\s*(?:create\w*|options)\b|\bOpenOptions\b"#,
                "writes, moves or removes files (the tests need none written)"),
            Rule(
                "shadows-framework", #"\bmacro_rules\s*!\s*(?:assert\w*|debug_assert\w*|panic|matches)\b"#,
                "defines a macro named like the test assertions"),
            Rule(
                "forged-equality",
                #"\b(?:PartialEq|PartialOrd)\s*<(?!\s*Self\s*>)"#,
                "makes a type of its own compare with values of another type (a number, a string, any `T`, an alias), which the tests' expected values are"
            ),
            Rule(
                "forged-equality",
                #"\b(?:PartialEq|PartialOrd|Eq|Ord|cmp)\s+as\b|\bimpl\b\s*(?:<[^>{]*>\s*)?\$\w+\s*<"#,
                "renames a comparison trait, or implements a trait that a macro names with type arguments of its own (how an equality with another type is hidden from a reader)"
            ),
            Rule(
                "shadows-framework",
                #"\b(?:mod|struct|enum|union|trait|type|fn|static|const)\s+(?:std|core|alloc)\b|\bas\s+(?:std|core|alloc)\b|\buse\s+(?:::\s*)?(?:std|core|alloc)\s*::\s*\*"#,
                "declares an item named like the standard library (`mod std`), which a test file's `use solution::*` would put in place of it, or imports all of the standard library's root (`use std::*`, how `process` is reached without its name)"
            ),
            .selfComparison, .runnerWords, .processPaths,
        ])
}
