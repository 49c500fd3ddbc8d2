const test = require('node:test');
const assert = require('node:assert');
const { isBalanced } = require('./solution');

test('empty and plain text are balanced', () => {
  assert.strictEqual(isBalanced(''), true);
  assert.strictEqual(isBalanced('no brackets'), true);
});

test('nested pairs are balanced', () => {
  assert.strictEqual(isBalanced('{[()()]}'), true);
});

test('crossed or unclosed pairs are not', () => {
  assert.strictEqual(isBalanced('([)]'), false);
  assert.strictEqual(isBalanced('(('), false);
  assert.strictEqual(isBalanced('())'), false);
});
