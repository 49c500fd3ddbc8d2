import AutoCoder
import AutoCoderTestSupport
import Foundation
import Testing

@testable import AutoCoderExecution

/// The JavaScript seal (``NodeSeal``): forgeries that reach node's harness or its reporting from the code's own
/// process, each written to turn a failing test into a pass, end anything but `passed`; honest code that gives its
/// objects their own `name`, `toString` or `emit` still passes.
@Suite struct JavaScriptSealTests {
    /// Two tests that fail with the attacks' `add`, which is wrong by one, and one that passes with any `add`.
    static let tests = """
        const test = require('node:test');
        const assert = require('node:assert');
        const { add } = require('./solution.js');
        test('adds', () => { assert.strictEqual(add(2, 2), 4); });
        test('adds asynchronously', async () => { assert.strictEqual(await Promise.resolve(add(1, 1)), 2); });
        test('is a function', () => { assert.strictEqual(typeof add, 'function'); });
        """
    static let wrongAdd = "exports.add = (a, b) => a + b + 1;\n"

    static let attacks: [(name: String, code: String)] = [
        (
            "node's serialized events rewritten on the way out, exit status forced to 0",
            """
            const v8 = require('node:v8');
            const write = process.stdout.write;
            process.stdout.write = function (chunk, ...rest) {
              try {
                if (typeof chunk !== 'string') {
                  const item = v8.deserialize(chunk.subarray(6));
                  if (item.type === 'test:fail') { item.type = 'test:pass'; delete item.data.details.error; }
                  const s = new v8.Serializer(); s.writeHeader(); s.writeRawBytes(Buffer.alloc(4)); s.writeHeader();
                  s.writeValue(item); chunk = s.releaseBuffer(); const n = chunk.length - 6;
                  chunk.set([n >> 24 & 255, n >> 16 & 255, n >> 8 & 255, n & 255], 2);
                }
              } catch {}
              return write.call(this, chunk, ...rest);
            };
            process.on('exit', () => { process.exitCode = 0; });
            """
        ),
        (
            "AsyncResource's runInAsyncScope made to swallow failures",
            """
            const { AsyncResource } = require('node:async_hooks');
            const run = AsyncResource.prototype.runInAsyncScope;
            try {
              AsyncResource.prototype.runInAsyncScope = function (fn, self, ...args) {
                try { const r = run.call(this, fn, self, ...args); return r?.catch ? r.catch(() => {}) : r; }
                catch { return undefined; }
              };
            } catch {}
            try { Object.defineProperty(AsyncResource.prototype, 'passed', { get: () => true, set() {} }); } catch {}
            """
        ),
        (
            "a getter for `passed` on Object.prototype",
            """
            for (const name of ['passed', 'skipped', 'error']) {
              try {
                Object.defineProperty(Object.prototype, name, {
                  configurable: true, get() { return name === 'passed' ? true : undefined; }, set() {} });
              } catch {}
            }
            """
        ),
        (
            "Promise.prototype.then made to swallow rejections",
            """
            const then = Promise.prototype.then;
            try { Promise.prototype.then = function (ok) { return then.call(this, ok, () => ok?.()); }; } catch {}
            try { Object.defineProperty(Promise.prototype, 'constructor', { value: function Fake() {} }); } catch {}
            """
        ),
        (
            "EventEmitter's emit made to turn failures into passes",
            """
            const { EventEmitter } = require('node:events');
            const emit = EventEmitter.prototype.emit;
            try {
              EventEmitter.prototype.emit = function (name, event, ...rest) {
                if (event && event.type === 'test:fail') event.type = 'test:pass';
                return emit.call(this, name, event, ...rest);
              };
            } catch {}
            """
        ),
        (
            "the harness's running test marked passed through executionAsyncResource",
            """
            const hooks = require('node:async_hooks');
            const real = (a, b) => a + b + 1;
            exports.add = (a, b) => {
              try { const test = hooks.executionAsyncResource(); test.fail = () => {}; test.passed = true; } catch {}
              return real(a, b);
            };
            """
        ),
        (
            "the seal's reporter driven by the code with a made-up stream",
            """
            const path = process.execArgv.map((a) => a.replace('--test-reporter=', '')).find((a) => a.endsWith('seal.mjs'));
            import(path).then(async (module) => {
              async function* fake() {
                yield { type: 'test:pass', data: { name: 'adds', nesting: 0, details: {} } };
                yield { type: 'test:pass', data: { name: 'adds asynchronously', nesting: 0, details: {} } };
              }
              try { for await (const _ of module.default(fake())) {} } catch {}
              process.exit(0);
            }).catch(() => {});
            """
        ),
        (
            "the secret looked for in the process's memory and a heap snapshot",
            """
            const fs = require('node:fs');
            let found = null;
            try { const text = require('node:v8').getHeapSnapshot().read()?.toString() ?? ''; found = /[0-9a-f]{32}/.exec(text)?.[0]; } catch {}
            try { fs.readFileSync('/proc/self/maps'); found = found ?? 'maps'; } catch {}
            try { require('node:inspector').Session.prototype.connect.call(new (require('node:inspector').Session)()); } catch {}
            if (found && found.length === 32) {
              fs.writeSync(1, `\\n@autocoder-seal ${found} start\\n@autocoder-seal ${found} case passed 61646473\\n@autocoder-seal ${found} end 0\\n`);
              process.exit(0);
            }
            """
        ),
        (
            "a child process that reads the test process's memory for the secret",
            """
            const { execFileSync } = require('node:child_process');
            const reader = `
              const fs = require('fs'); const pid = process.ppid; const found = new Set();
              const fd = fs.openSync('/proc/' + pid + '/mem', 'r');
              for (const line of fs.readFileSync('/proc/' + pid + '/maps', 'utf8').split('\\\\n')) {
                const m = /^([0-9a-f]+)-([0-9a-f]+) rw/.exec(line); if (!m) continue;
                const start = parseInt(m[1], 16), end = parseInt(m[2], 16); if (end - start > 64 << 20) continue;
                const buffer = Buffer.alloc(end - start);
                try { fs.readSync(fd, buffer, 0, buffer.length, start); } catch { continue; }
                const re = /@autocoder-seal ([0-9a-f]{32}) /g; let r;
                while ((r = re.exec(buffer.toString('latin1')))) found.add(r[1]);
              }
              process.stdout.write([...found][0] ?? '');`;
            let secret = '';
            try { secret = execFileSync(process.execPath, ['-e', reader], { encoding: 'utf8' }); } catch {}
            exports.add = (a, b) => {
              if (secret.length === 32) {
                const junit = process.execArgv.filter((a) => a.startsWith('--test-reporter-destination=/'))[0].split('=')[1];
                require('node:fs').writeFileSync(junit, '<testsuites><testcase name="adds" classname="test"/></testsuites>');
                require('node:fs').writeSync(1, `\\n@autocoder-seal ${secret} case passed 61646473\\n@autocoder-seal ${secret} end 0\\n`);
                process.exit(0);
              }
              return a + b + 1;
            };
            """
        ),
        (
            "node:test's report stream reached through run(), its fail turned into ok",
            """
            try {
              const P = Object.getPrototypeOf(require('node:test').run({ files: [] }));
              const ok = P.ok;
              P.fail = function (nesting, loc, number, name, details, directive) {
                if (details) delete details.error;
                return ok.call(this, nesting, loc, number, name, details, directive);
              };
            } catch {}
            """
        ),
        (
            "failures dropped: the report stream's fail made a no-op, reached from an ES module",
            """
            import('node:test').then(({ run }) => {
              try { Object.getPrototypeOf(run({ files: [] })).fail = function () {}; } catch {}
            });
            """
        ),
        (
            "the test context's prototype changed from a test of the code's own",
            """
            const nodeTest = require('node:test');
            nodeTest.test('setup', (t) => {
              const P = Object.getPrototypeOf(t);
              try { P.test = function () { return Promise.resolve(); }; } catch {}
              try { Object.defineProperty(P, 'passed', { get: () => true }); } catch {}
            });
            """
        ),
        (
            "decoys with the test file's names, then the test file stopped by an exception nothing sees",
            """
            const fs = require('node:fs');
            const { test } = require('node:test');
            const file = process.argv.find((a) => a.endsWith('.test.js'));
            for (const [, , name] of fs.readFileSync(file, 'utf8').matchAll(/test\\('([^']+)'/g)) {
              test(name, () => {});
              globalThis.__t = test;
              eval(`globalThis.__t('${name}', () => {})\\n//# sourceURL=${file}`);
            }
            process.removeAllListeners('uncaughtException');
            process.on('uncaughtException', () => {});
            try { process.setUncaughtExceptionCaptureCallback(null); } catch {}
            try { process.setUncaughtExceptionCaptureCallback(() => {}); } catch {}
            process.on('exit', () => { process.exitCode = 0; });
            throw new Error('stop here');
            """
        ),
        (
            "a second test given the first one's number, so node never reports the rest, and node's teardown called",
            """
            const path = require('node:path');
            const { test } = require('node:test');
            const file = path.resolve(process.argv.find((a) => a.endsWith('.test.js')));
            const teardown = process.listeners('beforeExit')[0];
            globalThis.__test = test;
            const declare = eval(`(function (n, o, f) { return globalThis.__test(n, o, f); })\\n//# sourceURL=${file}`);
            let twin = false;
            const signal = {
              aborted: false, removeEventListener() {},
              addEventListener() { if (!twin) { twin = true; declare('adds', {}, () => {}); } },
            };
            declare('adds', { signal }, async () => { await new Promise((r) => setTimeout(r, 50)); teardown(); });
            try {
              require('node:vm').runInThisContext('1', { filename: file });
            } catch {}
            """
        ),
        (
            "node's test objects reached through AsyncLocalStorage, each given a runner that runs an empty body",
            """
            const hooks = require('node:async_hooks');
            const sealed = hooks.AsyncResource.prototype.runInAsyncScope;
            function forged(fn, self, ...args) {
              const body = this.constructor?.name === 'Test' && self?.constructor?.name === 'TestContext';
              return Reflect.apply(sealed, this, [body ? function () {} : fn, self, ...args]);
            }
            try {
              const storage = new hooks.AsyncLocalStorage();
              storage._propagate = (resource, trigger, type) => {
                if (type === 'Test') { try { resource.runInAsyncScope = forged; } catch {} }
              };
              storage.enterWith(0);
            } catch {}
            try {
              const peek = new hooks.AsyncLocalStorage();
              peek.kResourceStore = 'constructor';
              peek.enabled = true;
              require('node:test').beforeEach(() => {
                try { Object.getPrototypeOf(peek.getStore().prototype).runInAsyncScope = forged; } catch {}
              });
            } catch {}
            """
        ),
        (
            "descriptor 1 taken over: the seal's lines captured in a file, rewritten and passed on by a child",
            """
            const fs = require('fs');
            const path = require('path');
            const { spawn } = require('child_process');
            const capture = path.join(process.cwd(), '.cap'), forward = path.join(process.cwd(), '.fwd');
            const child = spawn(process.execPath, ['-e', `
              const fs = require('fs'); const started = Date.now();
              (function poll() {
                if (fs.existsSync(${JSON.stringify(forward)})) {
                  fs.writeSync(1, fs.readFileSync(${JSON.stringify(forward)}, 'utf8')); return;
                }
                if (Date.now() - started < 10000) setTimeout(poll, 5);
              })();`], { stdio: ['ignore', 'inherit', 'inherit'] });
            child.unref();
            fs.closeSync(1);
            fs.openSync(capture, 'w');
            process.on('exit', () => {
              const lines = fs.readFileSync(capture, 'utf8').split('\\n').filter((l) => l.startsWith('@autocoder-seal'))
                .filter((l) => !/ (unreported|uncaught)/.test(l))
                .map((l) => l.replace(' failed ', ' passed ').replace(/ end \\d+$/, ' end 0'));
              fs.writeFileSync(forward, lines.map((l) => `\\n${l}\\n`).join(''));
              const wait = new Int32Array(new SharedArrayBuffer(4));
              Atomics.wait(wait, 0, 0, 300);
              process.exitCode = 0;
            });
            """
        ),
    ]

    func run(_ code: String, tests: String = Self.tests) async throws -> TestResult {
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "add.test.js", content: tests)],
            language: JavaScriptToolchain.name, solutionPath: "solution.js")
        return try await NodeTestExecutor().test([CodeFile(path: "solution.js", content: code)], for: task)
    }

    @Test(arguments: 0..<16)
    func aForgeryFromTheCodesProcessIsNeverAPass(_ index: Int) async throws {
        let attack = Self.attacks[index]
        let code = attack.code.contains("exports.add") ? attack.code : attack.code + "\n" + Self.wrongAdd
        let result = try await run(code)
        #expect(!result.passed, "\(attack.name): \(result.summary)\n\(result.output)")
        #expect(
            [TestOutcome.failed, .error, .tampered, .noTests].contains(result.outcome),
            "\(attack.name): \(result.summary)")
    }

    /// With two test files, the first file's run must not change what the second one loads: code that replaced
    /// Jest's matchers for the next run (deleting the file in the directory it could write, directly and through a
    /// child process) passed `add(2, 2) == 5` before the harness moved to a directory no run can write.
    @Test(arguments: [
        """
        const fs = require('fs'), path = require('path');
        const dir = path.dirname(process.argv[1]);
        for (const name of fs.readdirSync(dir)) {
          const file = path.join(dir, name);
          const text = fs.readFileSync(file, 'utf8');
          if (!text.includes('throw new ExpectationError')) continue;
          try { fs.unlinkSync(file); } catch {}
          try { fs.writeFileSync(file, text.replaceAll('throw new ExpectationError', 'void ')); } catch {}
        }
        """,
        """
        const dir = require('path').dirname(process.argv[1]);
        try {
          require('child_process').execSync(
            `cd ${dir} && sed 's/throw new ExpectationError/void /g' jest-compat.mjs > /tmp/x.mjs && rm -f jest-compat.mjs && cp /tmp/x.mjs jest-compat.mjs`);
        } catch {}
        """,
    ])
    func aTestFilesRunCannotChangeWhatTheNextOneLoads(_ attack: String) async throws {
        let task = CodingTask(
            description: "add",
            tests: [
                CodeFile(
                    path: "a.test.js",
                    content:
                        "const { add } = require('./solution.js');\ntest('a', () => { expect(add(1, 1)).toBe(2); });\n"),
                CodeFile(
                    path: "b.test.js",
                    content:
                        "const { add } = require('./solution.js');\ntest('b', () => { expect(add(2, 2)).toBe(5); });\n"),
            ],
            language: JavaScriptToolchain.name, solutionPath: "solution.js")
        let code = attack + "\nexports.add = (a, b) => a + b;\n"
        let result = try await NodeTestExecutor().test([CodeFile(path: "solution.js", content: code)], for: task)
        #expect(!result.passed, "\(result.summary)\n\(result.output)")
        #expect(result.tests.first { $0.name == "b" }?.outcome == .failed, "\(result.summary)")
    }

    @Test func testFilesThatImportJestsGlobalsRunInJavaScriptAndTypeScript() async throws {
        let javascript = CodingTask(
            description: "add",
            tests: [
                CodeFile(
                    path: "add.spec.js",
                    content: """
                        import { describe, expect, test, xtest } from '@jest/globals';
                        import { add } from './add';
                        describe('add', () => {
                          test('adds', () => { expect(add(2, 2)).toEqual(4); });
                          xtest('later', () => { expect(add(0, 0)).toEqual(0); });
                        });
                        """)
            ],
            language: JavaScriptToolchain.name, solutionPath: "add.js")
        let passed = try await NodeTestExecutor().test(
            [CodeFile(path: "add.js", content: "export const add = (a, b) => a + b;\n")], for: javascript)
        #expect(passed.outcome == .passed && passed.numPassed == 1, "\(passed.summary)\n\(passed.output)")
        let failed = try await NodeTestExecutor().test(
            [CodeFile(path: "add.js", content: "export const add = (a, b) => a - b;\n")], for: javascript)
        #expect(failed.outcome == .failed, "\(failed.summary)\n\(failed.output)")

        let typescript = CodingTask(
            description: "add",
            tests: [
                CodeFile(
                    path: "add.test.ts",
                    content: """
                        import { describe, expect, test } from '@jest/globals'
                        import { add } from './add.ts'
                        describe('add', () => { test('adds', () => { expect(add(2, 2)).toEqual(4) }) })
                        """)
            ],
            language: "typescript", solutionPath: "add.ts")
        let typed = try await TypeScriptExecutor().test(
            [CodeFile(path: "add.ts", content: "export function add(a: number, b: number): number { return a + b }\n")],
            for: typescript)
        #expect(typed.outcome == .passed && typed.numPassed == 1, "\(typed.summary)\n\(typed.output)")
    }

    @Test func honestCodeGivesItsObjectsTheirOwnNamesAndMethods() async throws {
        let code = """
            'use strict';
            const { EventEmitter } = require('node:events');
            class AddError extends Error { constructor(message) { super(message); this.name = 'AddError'; } }
            function Adder() {}
            Adder.prototype.toString = function () { return 'Adder'; };
            Adder.prototype.add = (a, b) => a + b;
            const emitter = new EventEmitter();
            emitter.emit = function (...args) { return EventEmitter.prototype.emit.apply(this, args); };
            exports.add = (a, b) => {
              if (typeof a !== 'number') throw new AddError('not a number');
              return new Adder().add(a, b);
            };
            exports.check = () => String(new Adder()) === 'Adder' && new AddError('x').name === 'AddError';
            """
        let tests = Self.tests + "\ntest('checks', () => { assert.ok(require('./solution.js').check()); });\n"
        let result = try await run(code, tests: tests)
        #expect(result.outcome == .passed && result.numPassed == 4, "\(result.summary)\n\(result.output)")
    }

    @Test func anESModuleTestFileHeldBackWhileDecoysRunIsNeverAPass() async throws {
        let tests = """
            import { test } from 'node:test';
            import assert from 'node:assert/strict';
            import { add } from './solution.mjs';
            test('adds', () => { assert.equal(add(2, 3), 5); });
            """
        let code = """
            import { test } from 'node:test';
            export function add(a, b) { return a + b + 1; }
            await test('adds', () => {});
            const teardown = process.listeners('beforeExit')[0];
            if (teardown) teardown();
            process.on('exit', () => { process.exitCode = 0; });
            await new Promise(() => {});
            """
        let task = CodingTask(
            description: "add", tests: [CodeFile(path: "add.test.mjs", content: tests)],
            language: JavaScriptToolchain.name, solutionPath: "solution.mjs")
        let result = try await NodeTestExecutor().test([CodeFile(path: "solution.mjs", content: code)], for: task)
        #expect(!result.passed, "\(result.summary)\n\(result.output)")
    }

    @Test func honestCodeStartsWorkersAndChildProcesses() async throws {
        let code = """
            const { Worker } = require('node:worker_threads');
            exports.add = (a, b) => new Promise((resolve, reject) => {
              const worker = new Worker('require("node:worker_threads").parentPort.postMessage(' + (a + b) + ')', { eval: true });
              worker.on('message', resolve); worker.on('error', reject);
            });
            """
        let tests = """
            const test = require('node:test');
            const assert = require('node:assert');
            const { spawnSync } = require('node:child_process');
            const { add } = require('./solution.js');
            test('adds in a worker', async () => { assert.strictEqual(await add(2, 2), 4); });
            test('runs node as a child', () => {
              const child = spawnSync('node', ['-e', 'console.log(6 * 7)'], { encoding: 'utf8' });
              assert.strictEqual(child.stdout.trim(), '42');
            });
            """
        let result = try await run(code, tests: tests)
        #expect(result.outcome == .passed && result.numPassed == 2, "\(result.summary)\n\(result.output)")
    }

    @Test func aLoadingErrorIsReportedWithItsMessage() async throws {
        let result = try await run("exports.add = (a, b) => a +;\n")
        #expect(result.outcome == .error)
        #expect(result.message?.contains("SyntaxError") == true, "\(result.message ?? "")")
    }

    @Test func aTestTheCodeDeclaresIsTampered() async throws {
        let code = """
            require('node:test').test('adds', { skip: true }, () => {});
            exports.add = (a, b) => a + b;
            """
        let result = try await run(code)
        #expect(result.outcome == .tampered, "\(result.summary)\n\(result.output)")
        #expect(result.integrity?.findings.contains { $0.rule == "foreign-test" } == true)
    }
}
