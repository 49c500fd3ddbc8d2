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

    init?(tests: [CodeFile], manifest: CodeFile) {
        let manifestText = manifest.content
        // One test program: cargo runs each with the same standard input, which the first would read to its end.
        guard tests.count == 1, tests.allSatisfy({ $0.path.hasPrefix("tests/") && $0.path.hasSuffix(".rs") }),
            !manifestText.contains("[[test]]"), !manifestText.contains("autotests"), !manifest.isBinary
        else { return nil }
        var rewritten: [CodeFile] = []
        var targets = ""
        for file in tests where !file.path.dropFirst(6).contains("/") {
            guard !file.isBinary, let program = Self.program(from: file.content) else { return nil }
            rewritten.append(CodeFile(path: file.path, content: program))
            let name = String(file.path.dropFirst(6).dropLast(3))
            targets += "\n[[test]]\nname = \"\(name)\"\npath = \"\(file.path)\"\nharness = false\n"
        }
        guard rewritten.count == tests.count else { return nil }
        self.tests = rewritten
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
    static func program(from source: String) -> String? {
        for word in ["macro_rules!", "#[cfg", "#![", "#[bench]", "async fn", "fn main", "#[tokio", "include!"]
        where source.contains(word) {
            return nil
        }
        var lines: [String] = []
        var tests: [Test] = []
        var modules: [(name: String, depth: Int)] = []
        var depth = 0
        var pending: Test?
        var inComment = false
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
            let code = SourceScan.code(
                of: line.replacing(/'.'|'\\.'/, with: "' '"), quotes: ["\""], inComment: &inComment)
            depth += code.filter { $0 == "{" }.count - code.filter { $0 == "}" }.count
            while let last = modules.last, depth <= last.depth { modules.removeLast() }
            lines.append(line)
        }
        guard pending == nil, !tests.isEmpty, depth == 0 else { return nil }
        return lines.joined(separator: "\n") + "\n" + main(running: tests)
    }

    /// The `main` that runs `tests` and seals them.
    static func main(running tests: [Test]) -> String {
        let table = tests.map { test in
            let expected = test.expected.map { "Some(\"\($0)\")" } ?? "None"
            return "        (\"\(test.path)\", autocoder_wrap(\(test.path)), \(test.shouldPanic), \(expected), "
                + "\(test.ignored)),"
        }.joined(separator: "\n")
        return """

            trait AutocoderTermination {
                fn autocoder_result(self) -> Result<(), String>;
            }
            impl AutocoderTermination for () {
                fn autocoder_result(self) -> Result<(), String> {
                    Ok(())
                }
            }
            impl<E: std::fmt::Debug> AutocoderTermination for Result<(), E> {
                fn autocoder_result(self) -> Result<(), String> {
                    self.map_err(|error| format!("Error: {:?}", error))
                }
            }
            fn autocoder_wrap<T: AutocoderTermination + 'static>(test: fn() -> T) -> Box<dyn Fn() -> Result<(), String>> {
                Box::new(move || test().autocoder_result())
            }
            fn autocoder_hex(text: &str) -> String {
                text.bytes().map(|byte| format!("{:02x}", byte)).collect()
            }

            fn main() {
                use std::io::Read;
                let mut secret = String::new();
                let _ = std::io::stdin().read_to_string(&mut secret);
                let seal = |line: String| println!("\\n\(VerdictSeal.marker) {} {}", secret, line);
                let message = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
                let kept = message.clone();
                std::panic::set_hook(Box::new(move |info| {
                    if let Ok(mut text) = kept.lock() {
                        *text = info.to_string();
                    }
                }));
                let tests: Vec<(&str, Box<dyn Fn() -> Result<(), String>>, bool, Option<&str>, bool)> = vec![
            \(table)
                ];
                println!("\\nrunning {} tests", tests.len());
                let (mut passed, mut ignored, mut failures) = (0, 0, Vec::new());
                for (name, test, should_panic, expected, ignore) in tests.iter() {
                    if *ignore {
                        println!("test {} ... ignored", name);
                        seal(format!("case skipped {}", autocoder_hex(name)));
                        ignored += 1;
                        continue;
                    }
                    message.lock().map(|mut text| text.clear()).ok();
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test()));
                    let panicked = message.lock().map(|text| text.clone()).unwrap_or_default();
                    let verdict = match (outcome, *should_panic) {
                        (Ok(Ok(())), false) => Ok(()),
                        (Ok(Err(error)), false) => Err(error),
                        (Err(_), false) => Err(panicked),
                        (Ok(_), true) => Err("note: test did not panic as expected".to_string()),
                        (Err(_), true) => match expected {
                            Some(text) if !panicked.contains(text) => Err(format!(
                                "panic did not contain expected string\\n      panic message: {:?}\\n expected substring: {:?}",
                                panicked, text
                            )),
                            _ => Ok(()),
                        },
                    };
                    match verdict {
                        Ok(()) => {
                            println!("test {} ... ok", name);
                            seal(format!("case passed {}", autocoder_hex(name)));
                            passed += 1;
                        }
                        Err(text) => {
                            println!("test {} ... FAILED", name);
                            seal(format!("case failed {}", autocoder_hex(name)));
                            failures.push((name.to_string(), text));
                        }
                    }
                }
                if !failures.is_empty() {
                    println!("\\nfailures:\\n");
                    for (name, text) in &failures {
                        println!("---- {} stdout ----\\n{}\\n", name, text);
                    }
                }
                let result = if failures.is_empty() { "ok" } else { "FAILED" };
                println!(
                    "\\ntest result: {}. {} passed; {} failed; {} ignored; 0 measured; 0 filtered out\\n",
                    result, passed, failures.len(), ignored
                );
                seal(format!("end {}", failures.len()));
                std::process::exit(if failures.is_empty() { 0 } else { 101 });
            }

            """
    }
}
