/// The seal of a JavaScript run (docs/INTEGRITY.md, "JavaScript"): node runs each test file in one process, with
/// autocoder's reporter beside the readable and JUnit ones. That reporter prints the run's ``VerdictSeal`` lines
/// (`start`, one `case` per test, `end FAILURES`) straight to descriptor 1 with the secret it was armed with.
///
/// The guard module (`--import`, before anything else) reads the secret from standard input to its end, arms the
/// reporter, and waits until node itself has handed the reporter its event stream, so the code, which loads
/// later, finds the reporter taken: calling it again prints a foreign seal line. The guard also locks what stands
/// between node's test harness and its reporters and is reachable from code: the methods of `AsyncResource`,
/// `EventEmitter` and the stream classes' prototypes (an instance may still override them), `node:test`'s exports,
/// and the ways to read the process's memory or its harness objects (`v8`'s heap snapshots and flags,
/// `async_hooks`' `executionAsyncResource` and `createHook`). node's permission model, on for the run, refuses the
/// inspector, child processes, workers, native add-ons and reads outside the workspace (`/proc/self/mem`), and
/// the guard freezes the JavaScript built-ins.
enum NodeSeal {
    static let reporterFileName = "autocoder-seal.mjs"
    static let guardFileName = "autocoder-guard.mjs"

    static let reporter = #"""
        import fs from 'node:fs';
        import crypto from 'node:crypto';
        const writeSync = fs.writeSync, ReflectApply = Reflect.apply, encoder = new TextEncoder();
        const createHmac = crypto.createHmac;
        const encode = TextEncoder.prototype.encode, NumberToString = Number.prototype.toString;
        let secret = null, calls = 0, ready;
        export const started = new Promise((resolve) => { ready = resolve; });
        // The guard arms the seal once, before the code loads, and keeps the printer it gets back for the bodies.
        export function arm(value) {
          if (secret !== null) throw new Error('the seal is armed once');
          secret = value;
          return {
            body: (outcome, name) => line(`body ${outcome} ${hex(name)}`),
            loaded: () => line('loaded'),
            uncaught: () => line('uncaught'),
          };
        }
        const hex = (text) => {
          const bytes = ReflectApply(encode, encoder, [`${text}`]);
          let out = '';
          for (let index = 0; index < bytes.length; index++) out += (bytes[index] < 16 ? '0' : '') + ReflectApply(NumberToString, bytes[index], [16]);
          return out;
        };
        const print = (text) => {
          for (let written = 0, tries = 0; written < text.length && tries < 100000; tries++) {
            try { written += writeSync(1, text.slice(written)); } catch (error) { if (error?.code !== 'EAGAIN') throw error; }
          }
        };
        // A line carries its number and a code made with the secret, never the secret: code that reads the line
        // (from descriptor 1, which it can reach) can neither change it nor make another.
        let sequence = 0;
        const line = (words) => {
          const number = sequence++;
          const code = createHmac('sha256', secret).update(`${number} ${words}`).digest('hex').slice(0, 32);
          print(`\n@autocoder-seal ${number} ${code} ${words}\n`);
        };
        export default async function* seal(source) {
          calls += 1;
          if (calls > 1 || secret === null) {
            print('\n@autocoder-seal forged\n');
            throw new Error("autocoder's seal reports to node once");
          }
          ready();
          line('start');
          let failures = 0, queued = 0, reported = 0;
          const hadChild = [];
          for await (const event of source) {
            if (event.type === 'test:enqueue') queued += 1;
            if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
            reported += 1;
            const { name, nesting, details, skip, todo } = event.data;
            const failed = event.type === 'test:fail';
            const parent = details?.type === 'suite' || hadChild[nesting + 1] === true;
            hadChild[nesting + 1] = false;
            if (nesting > 0) hadChild[nesting] = true;
            if (failed) failures += 1;
            if (parent && (!failed || details?.error?.failureType === 'subtestsFailed')) continue;
            const outcome = failed ? 'failed' : (skip !== undefined && skip !== false) || (todo !== undefined && todo !== false) ? 'skipped' : 'passed';
            line(`case ${outcome} ${hex(name)} ${hex(event.data.file ?? '')}`);
          }
          // Every test node queued is reported once, passed, failed or skipped; one that never was is sealed.
          if (queued > reported) line(`unreported ${queued - reported}`);
          line(`end ${failures}`);
        }
        """#

    static let guardModule = #"""
        import fs from 'node:fs';
        import v8 from 'node:v8';
        import asyncHooks from 'node:async_hooks';
        import events from 'node:events';
        import stream from 'node:stream';
        import nodeTest from 'node:test';
        import Module, { syncBuiltinESMExports } from 'node:module';
        import vm from 'node:vm';
        import { arm, started } from './autocoder-seal.mjs';
        import { pathToFileURL } from 'node:url';
        import { resolve } from 'node:path';

        const seal = arm(fs.readFileSync(0, 'utf8').trim());
        const sealBody = seal.body;

        const { defineProperty, getOwnPropertyDescriptor, freeze } = Object;
        const ownKeys = Reflect.ownKeys;
        // A method on a shared prototype that code cannot replace there; an object that inherits it may still
        // give itself its own (`this.emit = …`, `Sub.prototype.on = …`), as frozen intrinsics allow.
        // node's own test classes, once the first hook shows them: their objects may not take their own methods.
        const harnessPrototypes = new Set();
        const isHarness = (object) => {
          for (let prototype = Object.getPrototypeOf(object); prototype; prototype = Object.getPrototypeOf(prototype)) {
            if (harnessPrototypes.has(prototype)) return true;
          }
          return false;
        };
        // `names` of `object` made accessors: reading gives the value as it is now; assigning on `object` itself (or
        // on what `refuses`) throws `message`; assigning on an object that inherits it gives that object its own.
        const lock = (object, names, refuses, message) => {
          for (const name of names) {
            const { value, enumerable } = getOwnPropertyDescriptor(object, name);
            defineProperty(object, name, {
              get() { return value; },
              set(replacement) {
                if (this === object || refuses(this)) throw new TypeError(message(String(name)));
                defineProperty(this, name, { value: replacement, writable: true, enumerable: true, configurable: true });
              },
              enumerable, configurable: false,
            });
          }
        };
        const lockMethods = (prototype) => lock(
          prototype,
          ownKeys(prototype).filter((name) => {
            const described = getOwnPropertyDescriptor(prototype, name);
            return name !== 'constructor' && typeof described.value === 'function' && described.configurable;
          }),
          isHarness, (name) => `${name} is locked while tests run`);
        // Each test's body, seen where node's harness calls it: through `runInAsyncScope`, from a `Test` with its
        // `TestContext`. What the body did (returned, threw, settled or rejected) is sealed as `body passed|failed
        // NAME`, whatever the harness then reports; the verdict holds the reported cases to it. The context's and
        // the hooks' prototypes are learnt from a root hook of the guard's own, which runs before any test.
        const { getPrototypeOf } = Object, ReflectApply = Reflect.apply;
        const runInScope = asyncHooks.AsyncResource.prototype.runInAsyncScope;
        const PromiseThen = Promise.prototype.then, PromiseResolve = Promise.resolve;
        const firstHook = function autocoderFirstHook() {};
        let contextPrototype = null, hookPrototype = null, contextName = null;
        const bodyOf = (context) => (outcome) => sealBody(outcome, ReflectApply(contextName, context, []));
        asyncHooks.AsyncResource.prototype.runInAsyncScope = function runInAsyncScope(fn, thisArg, ...args) {
          if (fn === firstHook && contextPrototype === null) {
            hookPrototype = getPrototypeOf(this);
            // A hook's class and the test class it extends: locked, and made non-extensible.
            for (let prototype = hookPrototype; prototype && prototype !== asyncHooks.AsyncResource.prototype;
              prototype = getPrototypeOf(prototype)) {
              harnessPrototypes.add(prototype);
              lockMethods(prototype);
              Object.preventExtensions(prototype);
            }
            contextPrototype = getPrototypeOf(thisArg);
            contextName = getOwnPropertyDescriptor(contextPrototype, 'name').get;
            lockMethods(contextPrototype);
            for (const key of ownKeys(contextPrototype)) {
              if (key !== 'constructor') defineProperty(contextPrototype, key, { configurable: false });
            }
            Object.preventExtensions(contextPrototype);
          }
          const isBody = contextPrototype !== null && typeof thisArg === 'object' && thisArg !== null
            && getPrototypeOf(thisArg) === contextPrototype && getPrototypeOf(this) !== hookPrototype;
          if (!isBody) return ReflectApply(runInScope, this, [fn, thisArg, ...args]);
          const seal = bodyOf(thisArg);
          if (typeof args[1] === 'function') {
            const done = args[1];
            args[1] = function (error) { seal(error ? 'failed' : 'passed'); return ReflectApply(done, this, arguments); };
            try { return ReflectApply(runInScope, this, [fn, thisArg, ...args]); } catch (error) { seal('failed'); throw error; }
          }
          let result;
          try { result = ReflectApply(runInScope, this, [fn, thisArg, ...args]); } catch (error) { seal('failed'); throw error; }
          ReflectApply(PromiseThen, ReflectApply(PromiseResolve, Promise, [result]), [() => seal('passed'), () => seal('failed')]);
          return result;
        };

        for (const type of [asyncHooks.AsyncResource, events.EventEmitter, stream.Stream, stream.Readable, stream.Writable,
                            stream.Duplex, stream.Transform, stream.PassThrough]) {
          lockMethods(type.prototype);
          Object.preventExtensions(type.prototype);
        }
        // The JavaScript built-ins frozen, as node's --frozen-intrinsics would, without its side effect on
        // util.inspect (which then prints every error as `{}`): no property can be added to a shared prototype
        // (a setter for a name node's harness writes, such as `passed`) or replaced there (`Promise.prototype.then`).
        // The names that ordinary code gives its own objects (`this.name = …`, `Type.prototype.toString = …`) stay
        // overridable on objects that inherit them.
        const overridable = (object, names) => lock(
          object, names.filter((name) => 'value' in (getOwnPropertyDescriptor(object, name) ?? {})),
          () => false, (name) => `Cannot assign to read only property '${name}'`);
        overridable(Object.prototype, ['toString', 'valueOf', 'toLocaleString', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']);
        overridable(Error.prototype, ['name', 'message', 'toString']);
        overridable(Function.prototype, ['toString']);
        const frozen = new Set();
        const deepFreeze = (root) => {
          const pending = [root];
          while (pending.length > 0) {
            const value = pending.pop();
            if ((typeof value !== 'object' && typeof value !== 'function') || value === null || frozen.has(value)) continue;
            frozen.add(value);
            freeze(value);
            for (const key of ownKeys(value)) {
              const described = getOwnPropertyDescriptor(value, key);
              if ('value' in described) pending.push(described.value); else pending.push(described.get, described.set);
            }
            pending.push(Object.getPrototypeOf(value));
          }
        };
        for (const name of ['Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Date',
          'RegExp', 'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError',
          'AggregateError', 'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
          'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
          'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
          'Proxy', 'Reflect', 'JSON', 'Math', 'Atomics', 'Intl']) {
          if (globalThis[name] !== undefined) deepFreeze(globalThis[name]);
        }
        for (const sample of [function* () {}, async function () {}, async function* () {}, [][Symbol.iterator](),
          new Map()[Symbol.iterator](), new Set()[Symbol.iterator](), ''[Symbol.iterator](), /./[Symbol.matchAll]('')]) {
          deepFreeze(Object.getPrototypeOf(sample));
        }

        const refused = (name) => () => { throw new Error(`${name} is not available to code under test`); };
        const replace = (module, names, prefix) => {
          for (const name of names) {
            defineProperty(module, name, { value: refused(`${prefix}.${name}`), writable: false, configurable: false, enumerable: true });
          }
        };
        replace(v8, ['getHeapSnapshot', 'writeHeapSnapshot', 'setFlagsFromString', 'setHeapSnapshotNearHeapLimit'], 'v8');
        // Each of these hands code the resource being run, which for a test is node's own test object.
        replace(asyncHooks, ['executionAsyncResource', 'createHook', 'AsyncLocalStorage'], 'async_hooks');
        // A test's location is where node saw it declared: code may not compile its own functions under the name
        // of a file that exists (a test file), through vm or CommonJS's compiler with other content.
        const existing = (name) => typeof name === 'string' && fs.existsSync(resolve(name));
        const filenameOf = (options) => (typeof options === 'string' ? options : options?.filename);
        for (const name of ['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction', 'createScript']) {
          const original = vm[name];
          if (typeof original !== 'function') continue;
          const at = name === 'compileFunction' ? 2 : name === 'runInThisContext' || name === 'createScript' ? 1 : 2;
          defineProperty(vm, name, {
            value: function (...args) {
              if (existing(filenameOf(args[at]))) throw new Error(`vm.${name} may not name an existing file`);
              return ReflectApply(original, this, args);
            },
            writable: false, configurable: false, enumerable: true,
          });
        }
        const Script = vm.Script;
        defineProperty(vm, 'Script', {
          value: new Proxy(Script, {
            construct(target, args, newTarget) {
              if (existing(filenameOf(args[1]))) throw new Error('vm.Script may not name an existing file');
              return Reflect.construct(target, args, newTarget);
            },
          }),
          writable: false, configurable: false, enumerable: true,
        });
        const compile = Module.prototype._compile;
        defineProperty(Module.prototype, '_compile', {
          value: function (content, filename) {
            if (existing(filename)) {
              const text = fs.readFileSync(filename, 'utf8');
              if (content !== text && content !== text.replace(/^\uFEFF/, '')) {
                throw new Error(`${filename} may only be compiled as it is on disk`);
              }
            }
            return ReflectApply(compile, this, [content, filename]);
          },
          writable: false, configurable: false,
        });
        lockMethods(Module.prototype);
        // CommonJS's loader itself: code may not hand a later `require` (of node:assert, of the test file's own
        // helpers) something else.
        for (const name of ['_load', '_resolveFilename', '_findPath', 'wrap', 'wrapper', '_extensions', '_cache']) {
          const described = getOwnPropertyDescriptor(Module, name);
          if (described && described.configurable) {
            defineProperty(Module, name, { ...('value' in described ? { value: described.value, writable: false } : described), configurable: false });
          }
        }
        freeze(Module._extensions);

        // `run` hands back node's internal report stream, whose `ok` and `fail` every test's report goes through:
        // its prototype is locked, and `run` refused to CommonJS code (an ES module's import of it cannot be
        // changed here); suites never call it.
        const reportStream = getPrototypeOf(nodeTest.run({ files: [] }));
        lockMethods(reportStream);
        Object.preventExtensions(reportStream);
        replace(nodeTest, ['run'], 'node:test');
        freeze(nodeTest);
        syncBuiltinESMExports();

        // An exception nothing caught is sealed (`uncaught`: never a pass), then handed to the harness's own handler,
        // which blames the test it came from. Code cannot take this callback's place or clear it.
        const emit = process.emit;
        process.setUncaughtExceptionCaptureCallback((error) => {
          seal.uncaught();
          ReflectApply(emit, process, ['uncaughtException', error, 'uncaughtException']);
        });
        for (const name of ['setUncaughtExceptionCaptureCallback', 'hasUncaughtExceptionCaptureCallback']) {
          defineProperty(process, name, { value: refused(`process.${name}`), writable: false, configurable: false });
        }

        // A root hook starts node's harness now, which hands the reporters their stream; the code loads after.
        nodeTest.before(firstHook);
        await started;

        // This module is node's main module: it loads Jest's globals, then the test file (and through it, the code).
        // Only once the test file has finished loading, every test it declares registered, is that sealed
        // (`loaded`): a test file held back by the code (an await that never settles, an exception) never is.
        await import(new URL('./jest-compat.mjs', import.meta.url));
        try {
          await import(pathToFileURL(resolve(process.argv[2])));
          seal.loaded();
        } catch (error) {
          // The error as node would print it, less the frames of autocoder's own modules.
          const own = new URL('.', import.meta.url).pathname;
          const text = `${error?.stack ?? error}`.split('\n').filter((line) => !line.includes(own)).join('\n');
          fs.writeSync(2, `${text}\n`);
          process.exitCode = 1;
        }

        """#
}
