import AutoCoder
/// The module node loads before a test file (`--import`, after ``NodeSeal``'s guard): Jest's globals (`describe`,
/// `test`, `it`, `xtest`, `xit`, `beforeEach`, `afterAll`, …, and `expect` with the matchers Exercism's suites use)
/// on top of `node:test` (``NodeImports`` gives extensionless imports their file, as Babel does for Jest). Suites written for `node:test`
/// import their own functions and are not affected. Debian's `jest` package needs Debian's node 18, which this
/// machine's node 20 replaces; this keeps such suites runnable with node alone.
///
/// It also guards the verdict's own functions before any code under test loads: `node:assert` (and its `strict`
/// form and `AssertionError`) and `expect` are frozen, `expect` and the other globals cannot be reassigned, and the
/// comparisons `expect` makes use the built-ins as they were when this module loaded, so code that replaces
/// `Object.is` or `Array.prototype.every` changes nothing here.
enum JestCompatibility {
    static let fileName = "jest-compat.mjs"

    /// Jest's globals as a module, for test files that import them from `@jest/globals` (Exercism's JavaScript and
    /// TypeScript tracks do); named exports node finds in a CommonJS file, read from the frozen globals.
    static let globalsFileName = "jest-globals.cjs"
    static let globalsModule = """
        'use strict';
        const g = globalThis;
        exports.describe = g.describe; exports.test = g.test; exports.it = g.it; exports.expect = g.expect;
        exports.xdescribe = g.xdescribe; exports.xtest = g.xtest; exports.xit = g.xit;
        exports.beforeEach = g.beforeEach; exports.afterEach = g.afterEach;
        exports.beforeAll = g.beforeAll; exports.afterAll = g.afterAll;
        exports.jest = g.jest;

        """

    /// `test` with its imports of `@jest/globals` pointed at ``globalsFileName`` in the run's harness directory
    /// (``Workspace/harnessDirectory``, beside the working directory).
    static func importingGlobals(_ test: CodeFile) -> CodeFile {
        guard !test.isBinary, test.content.contains("@jest/globals") else { return test }
        let depth = test.path.split(separator: "/").count - 1
        let module = String(repeating: "../", count: depth + 1) + "harness/" + globalsFileName
        return CodeFile(
            path: test.path,
            content: test.content.replacing(/(['"])@jest\/globals(['"])/) { "\($0.1)\(module)\($0.2)" })
    }

    static let source = #"""
        import * as nodeTest from 'node:test';
        import { inspect, isDeepStrictEqual } from 'node:util';
        import assert from 'node:assert';

        // The built-ins the verdict relies on, as they are now: code under test loads later.
        const ObjectIs = Object.is, ObjectKeys = Object.keys, ObjectGetPrototypeOf = Object.getPrototypeOf;
        const ObjectFreeze = Object.freeze, ObjectDefineProperty = Object.defineProperty;
        const ArrayIsArray = Array.isArray, NumberIsNaN = Number.isNaN, MathAbs = Math.abs, StringOf = String;
        const ReflectApply = Reflect.apply;
        const hasOwn = (object, key) => ReflectApply(Object.prototype.hasOwnProperty, object, [key]);
        const DateTime = Date.prototype.getTime, MapHas = Map.prototype.has, MapGet = Map.prototype.get;
        const MapEntries = Map.prototype.entries, SetValues = Set.prototype.values;
        const IteratorNext = (iterator) => ReflectApply(ObjectGetPrototypeOf(iterator).next, iterator, []);
        const entriesOf = (map) => { const out = []; const it = ReflectApply(MapEntries, map, []);
          for (let step = IteratorNext(it); !step.done; step = IteratorNext(it)) out[out.length] = step.value; return out; };
        const valuesOf = (set) => { const out = []; const it = ReflectApply(SetValues, set, []);
          for (let step = IteratorNext(it); !step.done; step = IteratorNext(it)) out[out.length] = step.value; return out; };
        for (const guarded of [assert, assert.strict, assert.AssertionError, assert.AssertionError.prototype]) {
          ObjectFreeze(guarded);
        }

        const show = (value) => inspect(value, { depth: 6, breakLength: 100 });

        function equals(a, b, strict) {
          if (ObjectIs(a, b)) return true;
          if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
          if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && ReflectApply(DateTime, a, []) === ReflectApply(DateTime, b, []);
          if (a instanceof RegExp || b instanceof RegExp) return StringOf(a) === StringOf(b);
          if (strict && ObjectGetPrototypeOf(a) !== ObjectGetPrototypeOf(b)) return false;
          if (ArrayIsArray(a) !== ArrayIsArray(b)) return false;
          if (ArrayIsArray(a)) {
            if (a.length !== b.length) return false;
            for (let index = 0; index < a.length; index++) if (!equals(a[index], b[index], strict)) return false;
            return true;
          }
          if (a instanceof Map || b instanceof Map) {
            if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
            for (const [key, value] of entriesOf(a)) {
              if (!ReflectApply(MapHas, b, [key]) || !equals(value, ReflectApply(MapGet, b, [key]), strict)) return false;
            }
            return true;
          }
          if (a instanceof Set || b instanceof Set) {
            if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
            const others = valuesOf(b);
            for (const item of valuesOf(a)) {
              let found = false;
              for (let index = 0; index < others.length && !found; index++) found = equals(item, others[index], strict);
              if (!found) return false;
            }
            return true;
          }
          if (a instanceof Error && b instanceof Error && a.message !== b.message) return false;
          const keys = (object) => { const all = ObjectKeys(object), kept = [];
            for (let index = 0; index < all.length; index++) if (strict || object[all[index]] !== undefined) kept[kept.length] = all[index];
            return kept; };
          const [left, right] = [keys(a), keys(b)];
          if (left.length !== right.length) return false;
          for (let index = 0; index < left.length; index++) {
            if (!hasOwn(b, left[index]) || !equals(a[left[index]], b[left[index]], strict)) return false;
          }
          return true;
        }

        function thrown(fn) {
          if (typeof fn !== 'function') throw new TypeError('expect(received).toThrow() needs a function');
          try { fn(); } catch (error) { return { error }; }
          return null;
        }

        function throwMatches(caught, expected) {
          if (expected === undefined) return true;
          const message = caught?.message ?? String(caught);
          if (typeof expected === 'string') return message.includes(expected);
          if (expected instanceof RegExp) return expected.test(message);
          if (typeof expected === 'function') return caught instanceof expected;
          if (expected instanceof Error) return message === expected.message;
          return false;
        }

        class ExpectationError extends Error {}

        function matchers(received, negated) {
          const check = (pass, name, expected, detail) => {
            if (pass !== negated) return;
            const lines = [`expect(received).${negated ? 'not.' : ''}${name}(expected)`, ''];
            if (expected !== undefined) lines.push(`Expected: ${negated ? 'not ' : ''}${show(expected)}`);
            lines.push(`Received: ${detail ?? show(received)}`);
            throw new ExpectationError(lines.join('\n'));
          };
          return {
            toBe: (expected) => check(ObjectIs(received, expected), 'toBe', expected),
            toEqual: (expected) => check(equals(received, expected, false), 'toEqual', expected),
            toStrictEqual: (expected) => check(equals(received, expected, true) && isDeepStrictEqual(received, expected), 'toStrictEqual', expected),
            toBeCloseTo: (expected, digits = 2) => check(typeof received === 'number' && MathAbs(received - expected) < 10 ** -digits / 2, 'toBeCloseTo', expected),
            toBeTruthy: () => check(Boolean(received), 'toBeTruthy'),
            toBeFalsy: () => check(!received, 'toBeFalsy'),
            toBeNull: () => check(received === null, 'toBeNull'),
            toBeUndefined: () => check(received === undefined, 'toBeUndefined'),
            toBeDefined: () => check(received !== undefined, 'toBeDefined'),
            toBeNaN: () => check(NumberIsNaN(received), 'toBeNaN'),
            toBeInstanceOf: (type) => check(received instanceof type, 'toBeInstanceOf', type),
            toBeGreaterThan: (n) => check(received > n, 'toBeGreaterThan', n),
            toBeGreaterThanOrEqual: (n) => check(received >= n, 'toBeGreaterThanOrEqual', n),
            toBeLessThan: (n) => check(received < n, 'toBeLessThan', n),
            toBeLessThanOrEqual: (n) => check(received <= n, 'toBeLessThanOrEqual', n),
            toMatch: (pattern) => check(typeof pattern === 'string' ? String(received).includes(pattern) : pattern.test(received), 'toMatch', pattern),
            toContain: (item) => check(received?.includes?.(item) ?? false, 'toContain', item),
            toContainEqual: (item) => check([...received].some((each) => equals(each, item, false)), 'toContainEqual', item),
            toHaveLength: (length) => check(received?.length === length, 'toHaveLength', length, `length ${received?.length}`),
            toHaveProperty: (key, ...value) => check(received != null && key in Object(received) && (value.length === 0 || equals(received[key], value[0], false)), 'toHaveProperty', key),
            toMatchObject: (expected) => check(Object.keys(expected).every((key) => equals(received?.[key], expected[key], false)), 'toMatchObject', expected),
            toThrow: (expected) => {
              const caught = thrown(received);
              check(caught !== null && throwMatches(caught.error, expected), 'toThrow', expected,
                caught ? `thrown ${show(caught.error?.message ?? caught.error)}` : 'the function did not throw');
            },
            toThrowError: (expected) => {
              const caught = thrown(received);
              check(caught !== null && throwMatches(caught.error, expected), 'toThrowError', expected,
                caught ? `thrown ${show(caught.error?.message ?? caught.error)}` : 'the function did not throw');
            },
          };
        }

        function expect(received) {
          const positive = matchers(received, false);
          positive.not = matchers(received, true);
          const settled = (promise, rejects) => new Proxy({}, {
            get: (_, name) => async (...args) => {
              let value;
              try { value = await promise; } catch (error) {
                if (!rejects) throw new ExpectationError(`expect(received).resolves.${String(name)}: the promise rejected with ${show(error)}`);
                return matchers(error, false)[name](...args);
              }
              if (rejects) throw new ExpectationError(`expect(received).rejects.${String(name)}: the promise resolved with ${show(value)}`);
              return matchers(value, false)[name](...args);
            },
          });
          positive.resolves = settled(received, false);
          positive.rejects = settled(received, true);
          return positive;
        }

        const skipping = (run) => (name, fn) => run(name, { skip: true }, fn ?? (() => {}));
        const globals = {
          describe: nodeTest.describe, test: nodeTest.test, it: nodeTest.it, expect,
          xdescribe: skipping(nodeTest.describe), xtest: skipping(nodeTest.test), xit: skipping(nodeTest.it),
          beforeEach: nodeTest.beforeEach, afterEach: nodeTest.afterEach,
          beforeAll: nodeTest.before, afterAll: nodeTest.after,
        };
        ObjectFreeze(expect);
        for (const [name, value] of Object.entries(globals)) {
          if (!(name in globalThis)) ObjectDefineProperty(globalThis, name, { value: ObjectFreeze(value), writable: false, configurable: false });
        }
        """#
}
