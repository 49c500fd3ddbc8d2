import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// JavaScript verdicts that the code cannot change from inside the test file's process: `node:assert` and `expect`
/// are frozen before the code loads and `expect` compares with the built-ins as they were; a test file that ends
/// before its tests report is `error`, never dropped.
@Suite struct JavaScriptIntegrityTests {
    static let assertTests = """
        import { test } from 'node:test';
        import assert from 'node:assert';
        import { add } from './solution.js';

        test('adds', () => {
          assert.strictEqual(add(2, 2), 5);
          assert.deepStrictEqual([add(1, 1)], [3]);
        });
        """
    static let expectTests = """
        import { add } from './solution.js';

        test('adds', () => {
          expect(add(2, 2)).toBe(5);
          expect([add(1, 1)]).toEqual([3]);
        });
        """

    static let attacks: [(name: String, solution: String, tests: String)] = [
        (
            "node:assert's functions overwritten",
            """
            import assert from 'node:assert';
            for (const target of [assert, assert.strict]) {
              for (const name of ['strictEqual', 'deepStrictEqual', 'equal', 'deepEqual']) {
                try { target[name] = () => {}; } catch {}
              }
            }
            export function add(a, b) { return a + b; }
            """, assertTests
        ),
        (
            "AssertionError made harmless",
            """
            import assert from 'node:assert';
            try { assert.AssertionError.prototype.name = 'Skipped'; } catch {}
            try { Object.setPrototypeOf(assert.AssertionError.prototype, Object.prototype); } catch {}
            export function add(a, b) { return a + b; }
            """, assertTests
        ),
        (
            "the global expect replaced",
            """
            const pass = () => new Proxy({}, { get: () => () => {} });
            try { globalThis.expect = pass; } catch {}
            try { Object.defineProperty(globalThis, 'expect', { value: pass }); } catch {}
            export function add(a, b) { return a + b; }
            """, expectTests
        ),
        (
            "the built-ins expect compares with patched",
            """
            try { Object.is = () => true; } catch {}
            try { Array.prototype.every = () => true; } catch {}
            try { Array.isArray = () => false; } catch {}
            export function add(a, b) { return a + b; }
            """, expectTests
        ),
    ]

    func run(_ solution: String, tests: [CodeFile]) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: tests, language: JavaScriptToolchain.name, solutionPath: "solution.js")
        return try await NodeTestExecutor().test([CodeFile(path: "solution.js", content: solution)], for: task)
    }

    @Test(arguments: 0..<4)
    func theVerdictsOwnFunctionsCannotBeChanged(_ index: Int) async throws {
        let attack = Self.attacks[index]
        let result = try await run(attack.solution, tests: [CodeFile(path: "add.test.js", content: attack.tests)])
        #expect(result.outcome == .failed, "\(attack.name): \(result.summary)\n\(result.output)")
        #expect(result.numPassed == 0)
    }

    @Test func aTestFileThatEndsEarlyIsAnErrorNotDropped() async throws {
        let honest = """
            import { test } from 'node:test';
            import assert from 'node:assert';
            import { add } from './solution.js';
            test('adds', () => { assert.strictEqual(add(2, 2), 4); });
            """
        let second = """
            import { test } from 'node:test';
            import assert from 'node:assert';
            import { add, quit } from './solution.js';
            quit();
            test('adds wrongly', () => { assert.strictEqual(add(2, 2), 5); });
            """
        let result = try await run(
            "export function add(a, b) { return a + b; }\nexport function quit() { process.exit(0); }\n",
            tests: [CodeFile(path: "a.test.js", content: honest), CodeFile(path: "b.test.js", content: second)])
        #expect(result.outcome == .error, "\(result.summary)\n\(result.output)")
        #expect(result.message?.contains("b.test.js") == true)
        #expect(!result.passed)
    }
}
