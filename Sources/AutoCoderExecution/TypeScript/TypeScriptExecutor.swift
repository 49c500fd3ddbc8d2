import AutoCoder
import Foundation

/// Runs TypeScript tests in two sandboxed steps: `tsc` compiles the code and the tests to CommonJS in a fresh
/// workspace (a type error is `error`, with tsc's first diagnostic), then the ``NodeTestExecutor`` runs the emitted
/// JavaScript as it runs any JavaScript task. Jest's globals are declared for the compiler.
public struct TypeScriptExecutor: CodeExecutor {
    public var node: NodeTestExecutor

    public init(node: NodeTestExecutor = NodeTestExecutor()) {
        self.node = node
    }

    /// Jest's globals as TypeScript functions, declared twice from this one list: as globals, and as the exports
    /// of `@jest/globals`.
    static let jestGlobals = [
        "describe(name: string, body: () => void): void", "xdescribe(name: string, body: () => void): void",
        "test(name: string, body: () => unknown): void", "xtest(name: string, body: () => unknown): void",
        "it(name: string, body: () => unknown): void", "xit(name: string, body: () => unknown): void",
        "beforeEach(body: () => unknown): void", "afterEach(body: () => unknown): void",
        "beforeAll(body: () => unknown): void", "afterAll(body: () => unknown): void", "expect(value: unknown): any",
    ]

    /// Declarations of what the runner provides, so that the tests type-check without `@types` packages.
    static let declarations = CodeFile(
        path: "autocoder-globals.d.ts",
        content: jestGlobals.map { "declare function \($0);\n" }.joined()
            + """
            declare function require(name: string): any;
            declare var module: any;
            declare var exports: any;
            declare var process: any;
            declare module '@jest/globals' {

            """
            + jestGlobals.map { "    export function \($0);\n" }.joined()
                + """
                    export const jest: any;
                }
                declare module 'node:test';
                declare module 'node:assert';
                declare module 'node:assert/strict';

                """)

    /// The compiler's options: CommonJS for node, a recent target, nothing emitted when a type is wrong.
    static let compilerOptions = [
        "--module", "commonjs", "--target", "es2020", "--esModuleInterop", "--skipLibCheck", "--noEmitOnError",
        "--pretty", "false",
    ]

    public func test(_ files: [CodeFile], for task: CodingTask) async throws -> TestResult {
        let nodePath: String
        let compiler: String
        do {
            nodePath = try node.locateNode()
            compiler = try Self.locateCompiler()
        } catch {
            return TestResult(outcome: .infrastructureError, message: error.localizedDescription)
        }
        let code = task.starterFiles.overlaid(with: files).map(Self.importingWithoutExtensions)
        var task = task
        task.tests = task.tests.map(Self.importingWithoutExtensions)
        let sources = (code + task.tests).map(\.path).filter { TypeScriptToolchain().isSource($0) }
        let tests = task.tests
        return try await TestRun.perform(
            node.settings, task: task, files: code + tests + [Self.declarations], tests: tests
        ) { run in
            run.environment = ChildEnvironment.allowlisted(home: run.workspace.home.path)
            let compile = try await run.step(
                nodePath, [compiler] + Self.compilerOptions + sources + [Self.declarations.path])
            guard compile.process.exitCode == 0, !compile.process.timedOut else {
                return run.compileFailure(compile, compiler: "tsc") { $0.contains("error TS") }
            }
            func emitted(_ file: CodeFile) -> CodeFile? {
                let path = Self.emittedPath(of: file.path)
                return run.workspace.readBack(run.workspace.directory.appendingPathComponent(path)).map {
                    CodeFile(path: path, content: String(decoding: $0, as: UTF8.self))
                }
            }
            var javascript = task
            javascript.language = JavaScriptToolchain.name
            javascript.tests = tests.map { emitted($0) ?? $0 }
            javascript.starterFiles = []
            javascript.solutionPath = Self.emittedPath(of: task.solutionPath)
            javascript.timeoutSeconds = run.timeLeft.seconds
            var result = try await node.test(code.map { emitted($0) ?? $0 }, for: javascript)
            result.durationMs += compile.process.durationMs
            return result
        }
    }

    /// `file` with its relative imports of `.ts` files written without the extension (`from './bob.ts'` →
    /// `from './bob'`): TypeScript 5's `allowImportingTsExtensions` accepts them, which Debian's `tsc` 4.8 does not
    /// have (Exercism's TypeScript track imports so).
    static func importingWithoutExtensions(_ file: CodeFile) -> CodeFile {
        guard !file.isBinary, TypeScriptToolchain().isSource(file.path), file.content.contains(".ts") else {
            return file
        }
        return CodeFile(
            path: file.path,
            content: file.content.replacing(/((?:from|import|require)\s*\(?\s*)(['"])(\.{1,2}\/[^'"\n]*?)\.ts(['"])/) {
                "\($0.1)\($0.2)\($0.3)\($0.4)"
            })
    }

    /// `x.ts` → `x.js` (`.mts` → `.mjs`, `.cts` → `.cjs`); other files keep their path.
    static func emittedPath(of path: String) -> String {
        for (from, to) in [(".mts", ".mjs"), (".cts", ".cjs"), (".ts", ".js")] where path.hasSuffix(from) {
            return String(path.dropLast(from.count)) + to
        }
        return path
    }

    /// `tsc`'s script (run with node): `tsc` on `PATH`, its links followed.
    /// - Throws: ``ToolMissing`` when there is none.
    static func locateCompiler() throws -> String {
        guard let tsc = ExecutableSearch.locate("tsc", path: ProcessInfo.processInfo.environment["PATH"] ?? "")
        else { throw ToolMissing("No tsc was found on PATH (Debian: apt-get install node-typescript).") }
        return URL(fileURLWithPath: tsc).resolvingSymlinksInPath().path
    }
}

extension TypeScriptExecutor: CodeRunner {
    /// Compiles `code` with tsc and runs the emitted JavaScript with node (both sandboxed).
    public func run(
        code: String, fileName: String = "main.ts", timeout: Duration? = nil, input: ProgramInput = ProgramInput()
    ) async throws -> CodeRunResult {
        let nodePath = try node.locateNode()
        let compiler = try Self.locateCompiler()
        return try await ProgramRun.perform(
            node.settings, code: code, fileName: fileName, timeout: timeout, input: input
        ) { run in
            try run.workspace.write([Self.declarations])
            if let failure = try await run.build(
                nodePath, [compiler] + Self.compilerOptions + [fileName, Self.declarations.path])
            {
                return failure
            }
            return try await run.program(nodePath, [Self.emittedPath(of: fileName)])
        }
    }
}
