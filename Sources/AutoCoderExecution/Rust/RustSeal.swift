import AutoCoder
import Foundation

/// What seals a Rust run (``VerdictSeal``). Stable Rust has no hook into the `main` that libtest generates, so each
/// integration test file becomes a program of its own (`harness = false`): its `#[test]` functions are made public
/// functions, and a `main` appended to it reads the secret from standard input to its end, runs each test in turn
/// under `catch_unwind` (honouring `#[should_panic]` and `#[ignore]`), prints libtest's lines, and seals each test
/// and the count of failures. A file it cannot read for sure (macros, conditions, inner attributes, a `main`, a
/// module in another file), or tests in more than one file, keep libtest, and the run has no seal.
struct RustSeal {
    /// The test files, rewritten.
    let tests: [CodeFile]
    /// The manifest with a `[[test]]` target without libtest for each.
    let manifest: CodeFile
    /// The sealed tests' paths (`add`, `module::add`), which the program's sealed lines give by index.
    let names: [String]

    init?(tests: [CodeFile], manifest: CodeFile) {
        let manifestText = manifest.content
        // One test program: cargo runs each with the same standard input, which the first would read to its end.
        guard tests.count == 1, tests.allSatisfy({ $0.path.hasPrefix("tests/") && $0.path.hasSuffix(".rs") }),
            !manifestText.contains("[[test]]"), !manifestText.contains("autotests"), !manifest.isBinary
        else { return nil }
        var rewritten: [CodeFile] = []
        var targets = ""
        var names: [String] = []
        for file in tests where !file.path.dropFirst(6).contains("/") {
            guard !file.isBinary, let (program, paths) = Self.program(from: file.content) else { return nil }
            rewritten.append(CodeFile(path: file.path, content: program))
            names += paths
            let name = String(file.path.dropFirst(6).dropLast(3))
            targets += "\n[[test]]\nname = \"\(name)\"\npath = \"\(file.path)\"\nharness = false\n"
        }
        guard rewritten.count == tests.count else { return nil }
        self.tests = rewritten
        self.names = names
        self.manifest = CodeFile(path: manifest.path, content: manifestText + "\n" + targets)
    }

    /// One `#[test]` function found in a file.
    struct Test {
        var path: String
        var shouldPanic = false
        var expected: String?
        var ignored = false
    }

    /// The file with its tests made public functions and a sealing `main` appended; `nil` when it cannot be read
    /// for sure.
    static func program(from source: String) -> (program: String, names: [String])? {
        for word in ["macro_rules!", "#[cfg", "#![", "#[bench]", "async fn", "fn main", "#[tokio", "include!"]
        where source.contains(word) {
            return nil
        }
        var lines: [String] = []
        var tests: [Test] = []
        var modules: [(name: String, depth: Int)] = []
        var depth = 0
        var pending: Test?
        var carry = SourceScan.Carry()
        for line in source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            var line = line
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // An attribute read here leaves an empty line, so that the file's line numbers stay its own.
            if trimmed == "#[test]" {
                pending = Test(path: "")
                lines.append("")
                continue
            }
            if pending != nil, trimmed.hasPrefix("#[should_panic") {
                pending?.shouldPanic = true
                pending?.expected = trimmed.firstMatch(of: /expected\s*=\s*"((?:[^"\\]|\\.)*)"/).map { String($0.1) }
                lines.append("")
                continue
            }
            if pending != nil, trimmed.hasPrefix("#[ignore") {
                pending?.ignored = true
                lines.append("")
                continue
            }
            if let module = trimmed.firstMatch(of: /^(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*(\{|;)/) {
                guard module.2 == "{" else { return nil }
                modules.append((String(module.1), depth))
                line = line.replacing(/^(\s*)(?:pub(?:\([^)]*\))?\s+)?mod\s/) { "\($0.1)pub mod " }
            } else if var test = pending {
                guard let function = trimmed.firstMatch(of: /^(?:pub(?:\([^)]*\))?\s+)?fn\s+(\w+)\s*\(\s*\)/) else {
                    if trimmed.hasPrefix("#[") || trimmed.isEmpty { lines.append(line); continue }
                    return nil
                }
                test.path = (modules.map(\.name) + [String(function.1)]).joined(separator: "::")
                tests.append(test)
                pending = nil
                line = line.replacing(/^(\s*)(?:pub(?:\([^)]*\))?\s+)?fn\s/) { "\($0.1)pub fn " }
            }
            let code = SourceScan.rust.code(of: line.replacing(/'.'|'\\.'/, with: "' '"), carry: &carry)
            depth += code.filter { $0 == "{" }.count - code.filter { $0 == "}" }.count
            while let last = modules.last, depth <= last.depth { modules.removeLast() }
            lines.append(line)
        }
        guard pending == nil, !tests.isEmpty, depth == 0, !lines.isEmpty else { return nil }
        // On the first line, so that the file's line numbers stay its own; before every use, as macros must be.
        lines[0] = Self.typedAssertions + lines[0]
        return (lines.joined(separator: "\n") + "\n" + main(running: tests), tests.map(\.path))
    }

    /// The `main` that runs `tests` and seals them, each by its index in this list (`case passed #3`). It stays
    /// small, since cargo compiles it in every run: one function that calls a test by its index, a table of their
    /// names and attributes, and a loop; the panic messages are the default hook's, on standard error under each
    /// test's `---- NAME stdout ----` line, and `#[should_panic(expected)]` is matched without `str::contains`,
    /// whose searcher alone took a third of the build (measured).
    static func main(running tests: [Test]) -> String {
        let calls = tests.enumerated().map { "        \($0.offset) => autocoder_call(\($0.element.path))," }
            .joined(separator: "\n")
        let table = tests.map { test in
            let expected =
                test.expected.map { "::std::option::Option::Some(\"\($0)\")" } ?? "::std::option::Option::None"
            return "    (\"\(test.path)\", \(test.shouldPanic), \(expected), \(test.ignored)),"
        }.joined(separator: "\n")
        // Code for `#[should_panic]` only where a test has it: each piece is compiled in every run.
        let panics = tests.contains(where: \.shouldPanic)
        let checks = panics ? Self.panicChecks : Self.plainChecks
        let helpers = panics ? Self.containsHelper : ""
        // Every path from the root (`::std::…`, `::std::result::Result::Ok`): a test file may bring its own `Result`
        // into scope (`use std::io::Result`), and its glob import of the code (`use solution::*`) the code's own
        // `std`, `Ok` or `Some` in place of the prelude's (a fresh attacker's `std::panic::catch_unwind`, which
        // swallowed every failure).
        return "\n" + typeCheck + """

            trait AutocoderTermination {
                fn autocoder_result(self) -> ::std::result::Result<(), ::std::string::String>;
            }
            impl AutocoderTermination for () {
                fn autocoder_result(self) -> ::std::result::Result<(), ::std::string::String> {
                    ::std::result::Result::Ok(())
                }
            }
            impl<E: ::std::fmt::Debug> AutocoderTermination for ::std::result::Result<(), E> {
                fn autocoder_result(self) -> ::std::result::Result<(), ::std::string::String> {
                    self.map_err(|error| ::std::format!("Error: {:?}", error))
                }
            }
            fn autocoder_call<T: AutocoderTermination>(test: fn() -> T) -> ::std::result::Result<(), ::std::string::String> {
                test().autocoder_result()
            }
            fn autocoder_test(index: usize) -> ::std::result::Result<(), ::std::string::String> {
                match index {
            \(calls)
                    _ => ::std::result::Result::Ok(()),
                }
            }
            \(helpers)static AUTOCODER_TESTS: &[(&str, bool, ::std::option::Option<&str>, bool)] = &[
            \(table)
            ];

            fn main() {
                let mut secret = ::std::string::String::new();
                let _ = ::std::io::stdin().read_line(&mut secret);
                println!("\\nrunning {} tests", AUTOCODER_TESTS.len());
                let (mut passed, mut failed, mut ignored) = (0, 0, 0);
                for (index, (name, should_panic, expected, ignore)) in AUTOCODER_TESTS.iter().enumerate() {
                    if *ignore {
                        println!("test {} ... ignored\\n\\n\(VerdictSeal.marker) {} case skipped #{}", name, secret, index);
                        ignored += 1;
                        continue;
                    }
                    eprintln!("\\n---- {} stdout ----", name);
            \(checks)
                    let (line, outcome) = if ok { ("ok", "passed") } else { ("FAILED", "failed") };
                    println!("test {} ... {}\\n\\n\(VerdictSeal.marker) {} case {} #{}", name, line, secret, outcome, index);
                    if ok {
                        passed += 1;
                    } else {
                        failed += 1;
                    }
                }
                let result = if failed == 0 { "ok" } else { "FAILED" };
                println!(
                    "\\ntest result: {}. {} passed; {} failed; {} ignored; 0 measured; 0 filtered out\\n",
                    result, passed, failed, ignored
                );
                println!("\\n\(VerdictSeal.marker) {} end {}", secret, failed);
                ::std::process::exit(if failed == 0 { 0 } else { 101 });
            }

            """
    }

    /// `assert_eq!` and `assert_ne!` as the tests know them, each first asking ``typeCheck`` whether the two sides
    /// may be compared: on one line, which the file's first line follows.
    static let typedAssertions = [
        "macro_rules! assert_eq {",
        "($l:expr, $r:expr $(,)?) => { match (&$l, &$r) { (l, r) => { crate::autocoder_same_kind(l, r); ::std::assert_eq!(l, r) } } };",
        "($l:expr, $r:expr, $($a:tt)+) => { match (&$l, &$r) { (l, r) => { crate::autocoder_same_kind(l, r); ::std::assert_eq!(l, r, $($a)+) } } };",
        "} macro_rules! assert_ne {",
        "($l:expr, $r:expr $(,)?) => { match (&$l, &$r) { (l, r) => { crate::autocoder_same_kind(l, r); ::std::assert_ne!(l, r) } } };",
        "($l:expr, $r:expr, $($a:tt)+) => { match (&$l, &$r) { (l, r) => { crate::autocoder_same_kind(l, r); ::std::assert_ne!(l, r, $($a)+) } } };",
        "} ",
    ].joined()

    /// The check behind ``typedAssertions``: two values of different types whose names outside the standard
    /// library differ (the code's `Sum` and the tests' `i32`, a `Vec<Sum>` and a `Vec<i32>`) are compared by an
    /// equality the code wrote for another type than its own, which may say yes to anything; the test fails, saying
    /// so. A `String` and a `&str`, or a `Vec<Clock>` and a `[Clock; 2]`, compare by the standard library's.
    static let typeCheck = """
        pub fn autocoder_same_kind<L: ?Sized, R: ?Sized>(_: &L, _: &R) {
            fn own(name: &str) -> ::std::vec::Vec<&str> {
                let mut names: ::std::vec::Vec<&str> = name
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .filter(|part| part.contains("::") && !["std::", "core::", "alloc::"].iter().any(|root| part.starts_with(root)))
                    .collect();
                names.sort();
                names.dedup();
                names
            }
            let (left, right) = (::std::any::type_name::<L>(), ::std::any::type_name::<R>());
            if left != right && own(left) != own(right) {
                panic!("autocoder: this assertion compares a `{}` with a `{}`: an equality between a type of the code's own and another type is not trusted (docs/INTEGRITY.md)", left, right);
            }
        }

        """

    /// The check of each test's outcome when no test expects a panic (Rust, indented for the loop's body).
    static let plainChecks = """
        let _ = (should_panic, expected);
                let ok = match ::std::panic::catch_unwind(|| autocoder_test(index)) {
                    ::std::result::Result::Ok(::std::result::Result::Ok(())) => true,
                    ::std::result::Result::Ok(::std::result::Result::Err(error)) => {
                        eprintln!("{}", error);
                        false
                    }
                    ::std::result::Result::Err(_) => false,
                };
        """

    /// The check of each test's outcome when some test expects a panic (and perhaps a part of its message).
    static let panicChecks = """
        let ok = match (::std::panic::catch_unwind(|| autocoder_test(index)), *should_panic) {
                    (::std::result::Result::Ok(::std::result::Result::Ok(())), false) => true,
                    (::std::result::Result::Ok(::std::result::Result::Err(error)), false) => {
                        eprintln!("{}", error);
                        false
                    }
                    (::std::result::Result::Err(_), false) => false,
                    (::std::result::Result::Ok(_), true) => {
                        eprintln!("note: test did not panic as expected");
                        false
                    }
                    (::std::result::Result::Err(payload), true) => {
                        let text = payload.downcast_ref::<::std::string::String>().map(|text| text.as_str())
                            .or_else(|| payload.downcast_ref::<&str>().copied()).unwrap_or("");
                        let matched = expected.map_or(true, |wanted| autocoder_contains(text.as_bytes(), wanted.as_bytes()));
                        if !matched {
                            eprintln!("panic did not contain expected string\\n      panic message: {:?}\\n expected substring: {:?}", text, expected);
                        }
                        matched
                    }
                };
        """

    /// A substring search without `str::contains`, whose searcher is a third of the build.
    static let containsHelper = """
        fn autocoder_contains(text: &[u8], wanted: &[u8]) -> bool {
            (0..=text.len().saturating_sub(wanted.len()))
                .any(|at| text.len() >= wanted.len() && text[at..at + wanted.len()] == *wanted)
        }

        """
}
